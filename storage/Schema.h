#pragma once
/// @file
/// @brief The chat database schema as numbered migration steps. Version 1: conversations and the
/// message tree. Version 2: full-text search (FTS5) kept in sync by triggers.

#include "inference/core/Expected.h"

#include <cstdint>
#include <span>

namespace lucent {

class Database;

/// @brief `PRAGMA application_id` of every Lucent database: 'LCNT' in ASCII.
inline constexpr std::int32_t kApplicationId = 0x4C434E54;

/// @brief The schema version this build writes; `PRAGMA user_version` after migrating.
inline constexpr int kSchemaVersion = 2;

/// @brief One upgrade: brings a database at `toVersion - 1` to `toVersion`. Runs inside a
/// transaction opened by the caller, which also sets user_version.
struct MigrationStep {
    int toVersion;
    const char* summary; ///< for error messages: "add full-text search"
    Expected<void> (*apply)(Database& db);
};

/// @brief Every step from an empty file to kSchemaVersion, in order.
std::span<const MigrationStep> migrationSteps();

} // namespace lucent
