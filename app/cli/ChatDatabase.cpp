#include "app/cli/ChatDatabase.h"

#include <QDir>
#include <QStandardPaths>

namespace lucent::cli {

QString chatDatabasePath(const QCommandLineParser& parser) {
    const QString dataDir = parser.isSet("data-dir")
                                ? parser.value("data-dir")
                                : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(dataDir).filePath("lucent.db");
}

} // namespace lucent::cli
