#include "storage/Database.h"

#include "storage/SqliteError.h"
#include "storage/Statement.h"

#include <cerrno>
#include <sqlite3.h>
#include <utility>

namespace lucent {

Expected<Database> Database::open(const std::string& path, OpenMode mode) {
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    switch (mode) {
    case OpenMode::ReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case OpenMode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case OpenMode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Database db(raw, path); // owns the handle even when the open failed
    if (rc != SQLITE_OK) return fail(db.errorFor(rc));
    // SQLite silently falls back to read-only for a write-protected file; a chat store that
    // cannot save must say so now, not at the first reply.
    if (mode != OpenMode::ReadOnly && sqlite3_db_readonly(raw, "main") == 1)
        return fail(db.errorFor(SQLITE_READONLY));
    sqlite3_extended_result_codes(raw, 1);
    return db;
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

Database::~Database() { sqlite3_close_v2(db_); }

Expected<void> Database::exec(std::string_view sql) {
    const std::string text(sql); // sqlite3_exec wants a terminated string
    char* message = nullptr;
    errno = 0;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    const int osErrno = errno;
    if (rc == SQLITE_OK) return {};
    const int systemErrno = sqlite3_system_errno(db_);
    Error error = sqliteError(rc, path_, message ? message : sqlite3_errstr(rc),
                              systemErrno != 0 ? systemErrno : osErrno);
    sqlite3_free(message);
    return fail(std::move(error));
}

Expected<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(raw);
        return fail(lastError());
    }
    return Statement(raw, this);
}

Expected<std::int64_t> Database::queryInt(std::string_view sql) {
    auto statement = prepare(sql);
    if (!statement) return fail(statement.error());
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) return fail(Error{"The chat database " + displayName(path_) + " returned no value."});
    return statement->columnInt(0);
}

std::int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

void Database::setBusyTimeout(int milliseconds) { sqlite3_busy_timeout(db_, milliseconds); }

Error Database::lastError() const {
    if (!db_) return sqliteError(SQLITE_NOMEM, path_, "out of memory");
    return sqliteError(sqlite3_extended_errcode(db_), path_, sqlite3_errmsg(db_),
                       sqlite3_system_errno(db_));
}

Error Database::errorFor(int code, int osErrno) const {
    const char* detail = db_ && sqlite3_errcode(db_) != SQLITE_OK ? sqlite3_errmsg(db_)
                                                                  : sqlite3_errstr(code);
    const int systemErrno = db_ ? sqlite3_system_errno(db_) : 0;
    return sqliteError(code, path_, detail, systemErrno != 0 ? systemErrno : osErrno);
}

} // namespace lucent
