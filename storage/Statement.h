#pragma once
/// @file
/// @brief RAII prepared statement with named binds (`:title`), finalized in the destructor.

#include "inference/core/Expected.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace lucent {

class Database;

/// @brief One compiled SQL statement. Bind by name, then `step()` through rows or `run()` it.
/// A bind to a name the SQL lacks is a programmer mistake (asserted); a bind SQLite refuses
/// (too big) is reported by the next step().
class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(const char* name, std::int64_t value);
    Statement& bind(const char* name, int value) { return bind(name, std::int64_t{value}); }
    Statement& bind(const char* name, bool value) { return bind(name, std::int64_t{value}); }
    Statement& bind(const char* name, double value);
    Statement& bind(const char* name, std::string_view text); ///< copied by SQLite
    Statement& bind(const char* name, const char* text) { return bind(name, std::string_view(text)); }
    Statement& bind(const char* name, const std::string& text) { return bind(name, std::string_view(text)); }
    Statement& bind(const char* name, std::optional<std::int64_t> value); ///< NULL when empty
    Statement& bindNull(const char* name);

    /// @brief Advances to the next row: true when a row is ready, false when done.
    Expected<bool> step();
    /// @brief Steps to completion, for statements that return no rows.
    Expected<void> run();
    /// @brief Rewinds for another run and clears the bindings.
    void reset();

    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    bool columnIsNull(int column) const;
    std::optional<std::int64_t> columnOptionalInt(int column) const;

private:
    friend class Database;
    Statement(sqlite3_stmt* statement, Database* db) : statement_(statement), db_(db) {}
    int parameterIndex(const char* name) const;
    void noteBind(int rc);

    sqlite3_stmt* statement_ = nullptr;
    Database* db_ = nullptr;
    int bindError_ = 0; ///< first failed bind, reported by step()
};

} // namespace lucent
