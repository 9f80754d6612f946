#pragma once
/// @file
/// @brief Runs the real lucent-cli binary and captures what a user would see.

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    /// @brief stdout parsed as the single JSON object `--json` promises (empty if it is not one).
    QJsonObject json() const;
};

/// @brief Runs lucent-cli with `arguments`, waiting up to `timeoutMs`.
CliResult runCli(const QStringList& arguments, int timeoutMs = 120000);
