#include "storage/SqliteError.h"

#include <cerrno>
#include <sqlite3.h>

namespace lucent {

std::string displayName(std::string_view path) {
    const auto slash = path.find_last_of('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

Error sqliteError(int code, std::string_view path, std::string_view detail, int systemErrno) {
    const std::string name = displayName(path);
    const std::string tail = detail.empty() ? std::string() : " (SQLite: " + std::string(detail) + ")";
    // SQLite reports only ENOSPC as SQLITE_FULL; a quota or a file-size limit (EDQUOT, EFBIG)
    // arrives as an I/O error but means the same to the user.
    const bool noRoom = (code & 0xff) == SQLITE_FULL ||
                        ((code & 0xff) == SQLITE_IOERR &&
                         (systemErrno == ENOSPC || systemErrno == EDQUOT || systemErrno == EFBIG));
    if (noRoom)
        return Error{"There is no room left for the chat database " + name +
                     " (the disk is full or a size limit was reached), so the change was not "
                     "saved; free some space and try again. Chats saved earlier are intact." + tail};
    // Extended codes carry the primary code in their low byte.
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return Error{"The chat database " + name +
                     " is locked by another program or Lucent window; close it and try again. "
                     "Nothing was changed." + tail};
    case SQLITE_READONLY:
        return Error{"The chat database " + name +
                     " is read-only, so Lucent cannot save chats in it; check the file's "
                     "permissions." + tail};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return Error{"The chat database " + name +
                     " is damaged or is not a SQLite database; Lucent left it untouched. Restore "
                     "it from a backup (" + name + ".backup-v*) or move it aside to start afresh." +
                     tail};
    case SQLITE_CANTOPEN:
        return Error{"Cannot open the chat database " + std::string(path) +
                     "; check that its folder exists and that Lucent may write there." + tail};
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return Error{"Lucent is not allowed to use the chat database " + name +
                     "; check the file's permissions." + tail};
    case SQLITE_IOERR:
        return Error{"Reading or writing the chat database " + name +
                     " failed; the disk may be failing or was removed. Nothing was changed." + tail};
    case SQLITE_TOOBIG:
        return Error{"A message is too large to store in " + name + "." + tail};
    case SQLITE_NOMEM:
        return Error{"Lucent ran out of memory while using " + name + "." + tail};
    case SQLITE_CONSTRAINT:
        return Error{"The change does not fit the chat database " + name +
                     " (a missing or mismatched conversation or message)." + tail};
    default:
        return Error{"The chat database " + name + " reported an error" +
                     (detail.empty() ? std::string(".") : ": " + std::string(detail) + ".")};
    }
}

} // namespace lucent
