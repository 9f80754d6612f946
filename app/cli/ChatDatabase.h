#pragma once
/// @file
/// @brief Where lucent-cli finds the chat database: `<--data-dir>/lucent.db`, the data dir
/// defaulting to the platform's app-data folder (~/.local/share/Lucent).

#include <QCommandLineParser>
#include <QString>

namespace lucent::cli {

/// @brief Path of lucent.db for this invocation.
QString chatDatabasePath(const QCommandLineParser& parser);

} // namespace lucent::cli
