#include "storage/Statement.h"

#include "storage/Database.h"

#include <cassert>
#include <cerrno>
#include <sqlite3.h>
#include <utility>

namespace lucent {

Statement::Statement(Statement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)), db_(other.db_),
      bindError_(other.bindError_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(statement_);
        statement_ = std::exchange(other.statement_, nullptr);
        db_ = other.db_;
        bindError_ = other.bindError_;
    }
    return *this;
}

Statement::~Statement() { sqlite3_finalize(statement_); }

int Statement::parameterIndex(const char* name) const {
    const int index = sqlite3_bind_parameter_index(statement_, name);
    assert(index > 0 && "bound a parameter name the SQL does not have");
    return index;
}

void Statement::noteBind(int rc) {
    if (rc != SQLITE_OK && bindError_ == 0) bindError_ = rc;
}

Statement& Statement::bind(const char* name, std::int64_t value) {
    noteBind(sqlite3_bind_int64(statement_, parameterIndex(name), value));
    return *this;
}

Statement& Statement::bind(const char* name, double value) {
    noteBind(sqlite3_bind_double(statement_, parameterIndex(name), value));
    return *this;
}

Statement& Statement::bind(const char* name, std::string_view text) {
    // An empty view may carry a null data pointer, which SQLite would store as NULL, not ''.
    noteBind(sqlite3_bind_text64(statement_, parameterIndex(name), text.empty() ? "" : text.data(),
                                 text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement& Statement::bind(const char* name, std::optional<std::int64_t> value) {
    return value ? bind(name, *value) : bindNull(name);
}

Statement& Statement::bindNull(const char* name) {
    noteBind(sqlite3_bind_null(statement_, parameterIndex(name)));
    return *this;
}

Expected<bool> Statement::step() {
    if (bindError_ != 0) return fail(db_->errorFor(bindError_));
    errno = 0;
    const int rc = sqlite3_step(statement_);
    const int osErrno = errno;
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Error error = db_->errorFor(rc, osErrno);
    sqlite3_reset(statement_); // leave the statement reusable after BUSY or FULL
    return fail(std::move(error));
}

Expected<void> Statement::run() {
    for (;;) {
        auto row = step();
        if (!row) return fail(row.error());
        if (!*row) return {};
    }
}

void Statement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    bindError_ = 0;
}

std::int64_t Statement::columnInt(int column) const { return sqlite3_column_int64(statement_, column); }

double Statement::columnDouble(int column) const { return sqlite3_column_double(statement_, column); }

std::string Statement::columnText(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    const int size = sqlite3_column_bytes(statement_, column);
    return text ? std::string(text, static_cast<std::size_t>(size)) : std::string();
}

bool Statement::columnIsNull(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::columnOptionalInt(int column) const {
    if (columnIsNull(column)) return std::nullopt;
    return columnInt(column);
}

} // namespace lucent
