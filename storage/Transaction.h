#pragma once
/// @file
/// @brief RAII transaction: rolls back in its destructor unless committed.

#include "inference/core/Expected.h"

namespace lucent {

class Database;

/// @brief `BEGIN IMMEDIATE` … `COMMIT`. Taking the write lock up front means a locked database is
/// reported at begin(), before anything was written, and never as a half-done change.
class Transaction {
public:
    /// @brief Starts a write transaction (waits up to the busy timeout for other writers).
    static Expected<Transaction> begin(Database& db);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    /// @brief Makes the changes permanent. On failure (disk full) everything is rolled back.
    Expected<void> commit();

private:
    explicit Transaction(Database* db) : db_(db) {}
    Database* db_ = nullptr; ///< null once committed, rolled back or moved from
};

} // namespace lucent
