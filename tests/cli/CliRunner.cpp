#include "CliRunner.h"

#include <QJsonDocument>
#include <QProcess>

QJsonObject CliResult::json() const {
    QJsonParseError error{};
    const auto document = QJsonDocument::fromJson(out, &error);
    return error.error == QJsonParseError::NoError ? document.object() : QJsonObject{};
}

CliResult runCli(const QStringList& arguments, int timeoutMs) {
    QProcess process;
    process.start(QStringLiteral(LUCENT_CLI_PATH), arguments);
    CliResult result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = "timed out";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}
