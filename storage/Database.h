#pragma once
/// @file
/// @brief RAII owner of one SQLite connection. `sqlite3.h` stays out of headers: the handle types
/// are only forward-declared.

#include "inference/core/Expected.h"

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;

namespace lucent {

class Statement;

/// @brief How a database file is opened.
enum class OpenMode {
    ReadWriteCreate, ///< create the file when it does not exist
    ReadWrite,       ///< the file must exist
    ReadOnly,        ///< never writes (export, inspection)
};

/// @brief One connection to a SQLite file, closed in the destructor. Move-only; use it from one
/// thread at a time.
class Database {
public:
    /// @brief Opens `path`. Fails with a user-facing sentence, e.g. when the folder is missing, or
    /// when a read-write open found a read-only file.
    static Expected<Database> open(const std::string& path, OpenMode mode);

    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    /// @brief Runs one or more SQL statements that return no rows (DDL, pragmas, BEGIN/COMMIT).
    Expected<void> exec(std::string_view sql);
    /// @brief Compiles one statement; a failure here is a programmer's SQL mistake or a damaged file.
    Expected<Statement> prepare(std::string_view sql);
    /// @brief The first column of the first row of `sql` as an integer (pragmas, counts).
    Expected<std::int64_t> queryInt(std::string_view sql);

    /// @brief rowid of the last successful INSERT on this connection.
    std::int64_t lastInsertId() const;
    /// @brief Rows changed by the last INSERT/UPDATE/DELETE.
    int changes() const;
    /// @brief Milliseconds SQLite waits for another connection's lock before giving up.
    void setBusyTimeout(int milliseconds);

    /// @brief The error of the last failed call on this connection, as a user sentence.
    Error lastError() const;
    /// @brief Same, for a result code a caller got from SQLite directly. `osErrno` is `errno` read
    /// right after the failing call: SQLite does not always keep it (a WAL write that hit a quota
    /// or size limit), and it is what tells "no room left" from a failing disk.
    Error errorFor(int code, int osErrno = 0) const;

    const std::string& path() const { return path_; }
    /// @brief The raw handle, for the few storage/ files that need the C API (backup).
    sqlite3* handle() const { return db_; }

private:
    Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    sqlite3* db_ = nullptr;
    std::string path_;
};

} // namespace lucent
