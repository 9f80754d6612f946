#pragma once
/// @file
/// @brief Turns an SQLite result code into a sentence a user can act on (full disk, locked file,
/// read-only file, damaged file), so no caller ever shows "SQLITE_IOERR (10)".

#include "inference/core/Expected.h"

#include <string>
#include <string_view>

namespace lucent {

/// @brief A user-facing error for SQLite result `code` while working on the database file `path`.
/// `detail` is SQLite's own message, kept at the end for bug reports; `systemErrno` (from
/// sqlite3_system_errno) tells a full disk or quota apart from other I/O errors.
Error sqliteError(int code, std::string_view path, std::string_view detail, int systemErrno = 0);

/// @brief The file name part of `path`, used in messages ("lucent.db", not a 90-character path).
std::string displayName(std::string_view path);

} // namespace lucent
