#include "storage/Migrations.h"

#include "storage/Database.h"
#include "storage/SearchRanking.h"
#include "storage/SearchTokenizer.h"
#include "storage/SqliteError.h"
#include "storage/Transaction.h"

#include <cstdio>
#include <sqlite3.h>

namespace lucent {
namespace {

constexpr const char* kReadApplicationId = "PRAGMA application_id";
constexpr const char* kReadUserVersion = "PRAGMA user_version";
constexpr const char* kCountSchemaObjects = "SELECT count(*) FROM sqlite_schema";

Error foreignFile(const Database& db) {
    return Error{"The file " + displayName(db.path()) +
                 " is a database of another program, not Lucent's chat history; Lucent left it "
                 "untouched. Choose another data folder."};
}

Expected<void> runStep(Database& db, const MigrationStep& step) {
    auto transaction = Transaction::begin(db);
    if (!transaction) return fail(transaction.error());
    if (step.toVersion == 1) {
        auto marked = db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        if (!marked) return marked;
    }
    if (auto applied = step.apply(db); !applied) return applied;
    if (auto versioned = db.exec("PRAGMA user_version = " + std::to_string(step.toVersion)); !versioned)
        return versioned;
    return transaction->commit();
}

} // namespace

std::string backupPathFor(const std::string& databasePath, int version) {
    return databasePath + ".backup-v" + std::to_string(version);
}

Expected<int> checkSchema(Database& db, int newestKnown) {
    auto applicationId = db.queryInt(kReadApplicationId); // the first read: catches damaged files
    if (!applicationId) return fail(applicationId.error());
    auto version = db.queryInt(kReadUserVersion);
    if (!version) return fail(version.error());
    if (*applicationId == 0 && *version == 0) {
        auto objects = db.queryInt(kCountSchemaObjects);
        if (!objects) return fail(objects.error());
        if (*objects != 0) return fail(foreignFile(db));
        return 0; // a new, empty file
    }
    if (*applicationId != kApplicationId) return fail(foreignFile(db));
    if (*version > newestKnown)
        return fail(Error{"The chat database " + displayName(db.path()) +
                          " was written by a newer Lucent (schema " + std::to_string(*version) +
                          "; this version knows up to " + std::to_string(newestKnown) +
                          "). Update Lucent to open it; nothing was changed."});
    return static_cast<int>(*version);
}

Expected<void> backupDatabase(Database& db, const std::string& targetPath) {
    const std::string partialPath = targetPath + ".partial";
    std::remove(partialPath.c_str());
    {
        auto target = Database::open(partialPath, OpenMode::ReadWriteCreate);
        if (!target) return fail(target.error());
        sqlite3_backup* backup = sqlite3_backup_init(target->handle(), "main", db.handle(), "main");
        if (!backup) return fail(target->lastError());
        const int stepped = sqlite3_backup_step(backup, -1);
        const int finished = sqlite3_backup_finish(backup);
        if (stepped != SQLITE_DONE || finished != SQLITE_OK) {
            Error error = target->errorFor(stepped != SQLITE_DONE ? stepped : finished);
            std::remove(partialPath.c_str());
            return fail(Error{"Could not save a backup before upgrading the chat database, so it "
                              "was not upgraded: " + error.message});
        }
    }
    if (std::rename(partialPath.c_str(), targetPath.c_str()) != 0) {
        std::remove(partialPath.c_str());
        return fail(Error{"Could not save the backup " + targetPath +
                          " before upgrading the chat database, so it was not upgraded."});
    }
    return {};
}

Expected<MigrationReport> prepareSchema(Database& db, std::span<const MigrationStep> steps) {
    // The search index's triggers call the tokenizer: without it no message could be written.
    if (auto registered = registerSearchTokenizer(db); !registered) return fail(registered.error());
    if (auto registered = registerSearchRanking(db); !registered) return fail(registered.error());
    const int newest = steps.empty() ? 0 : steps.back().toVersion;
    auto found = checkSchema(db, newest);
    if (!found) return fail(found.error());
    MigrationReport report{*found, *found, {}};
    if (*found == newest) return report;

    if (*found > 0) {
        report.backupPath = backupPathFor(db.path(), *found);
        if (auto saved = backupDatabase(db, report.backupPath); !saved) return fail(saved.error());
    }
    for (const MigrationStep& step : steps) {
        if (step.toVersion <= report.toVersion) continue;
        if (auto ran = runStep(db, step); !ran) {
            std::string message = "Could not upgrade the chat database " + displayName(db.path()) +
                                  " to schema " + std::to_string(step.toVersion) + " (" +
                                  step.summary + "): " + ran.error().message +
                                  " It stays at schema " + std::to_string(report.toVersion);
            message += report.backupPath.empty() ? "." : "; a copy from before is at " + report.backupPath + ".";
            return fail(Error{std::move(message)});
        }
        report.toVersion = step.toVersion;
    }
    return report;
}

} // namespace lucent
