#include "storage/Transaction.h"

#include "storage/Database.h"

#include <utility>

namespace lucent {

Expected<Transaction> Transaction::begin(Database& db) {
    if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) return fail(begun.error());
    return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
    // Errors here cannot be reported; SQLite already rolled back on the failures that matter.
    if (db_) (void)db_->exec("ROLLBACK");
}

Expected<void> Transaction::commit() {
    Database* db = std::exchange(db_, nullptr);
    if (auto committed = db->exec("COMMIT"); !committed) {
        (void)db->exec("ROLLBACK"); // a failed COMMIT (disk full) leaves the transaction open
        return committed;
    }
    return {};
}

} // namespace lucent
