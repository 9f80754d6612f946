#pragma once
/// @file
/// @brief Opening checks and schema upgrades: refuse files that are not Lucent's or come from a
/// newer Lucent, back the file up, then run each missing step in its own transaction.

#include "inference/core/Expected.h"
#include "storage/Schema.h"

#include <span>
#include <string>

namespace lucent {

class Database;

/// @brief What prepareSchema() did.
struct MigrationReport {
    int fromVersion = 0;       ///< user_version found (0: a new, empty file)
    int toVersion = 0;         ///< user_version now
    std::string backupPath;    ///< copy taken before upgrading; empty when nothing was upgraded
};

/// @brief Where the copy of a database at `version` is kept before it is upgraded.
std::string backupPathFor(const std::string& databasePath, int version);

/// @brief Reads the schema version after checking that the file is a Lucent database (or empty);
/// only reads, so it is safe on a file that turns out to be foreign, newer or damaged.
Expected<int> checkSchema(Database& db, int newestKnown = kSchemaVersion);

/// @brief Registers the search tokenizer on this connection, checkSchema(), then upgrades to the last of `steps`: a backup via sqlite3_backup first
/// (for files holding data), each step in its own transaction that also sets user_version,
/// stopping at the first failure, which leaves the file at the last completed version.
Expected<MigrationReport> prepareSchema(Database& db,
                                        std::span<const MigrationStep> steps = migrationSteps());

/// @brief Copies the whole database into `targetPath` (written aside, then renamed into place).
Expected<void> backupDatabase(Database& db, const std::string& targetPath);

} // namespace lucent
