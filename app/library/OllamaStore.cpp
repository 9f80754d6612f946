#include "app/library/OllamaStore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace lucent::library {

namespace {

constexpr auto kModelLayer = "application/vnd.ollama.image.model";
constexpr qint64 kMaxManifestBytes = 1 << 20;

QString modelName(const QStringList& parts) { // host, namespace, model, tag
    if (parts[0] == "registry.ollama.ai")
        return (parts[1] == "library" ? QString() : parts[1] + '/') + parts[2] + ':' + parts[3];
    return parts[0] + '/' + parts[1] + '/' + parts[2] + ':' + parts[3];
}

QString modelDigest(const QString& manifestPath) {
    QFile file(manifestPath);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxManifestBytes) return {};
    const QJsonArray layers = QJsonDocument::fromJson(file.readAll()).object().value("layers").toArray();
    for (const QJsonValue& layer : layers)
        if (layer.toObject().value("mediaType").toString() == QLatin1String(kModelLayer))
            return layer.toObject().value("digest").toString();
    return {};
}

} // namespace

QList<OllamaModel> readOllamaStore(const QString& root) {
    // The digest becomes a file name: accept only the form Ollama writes, so a manifest cannot point
    // outside blobs/.
    static const QRegularExpression digestPattern(QStringLiteral("^sha256[:-]([0-9a-f]{64})$"));
    QList<OllamaModel> models;
    const QDir manifests(QDir(root).filePath("manifests"));
    QDirIterator it(manifests.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QStringList parts = manifests.relativeFilePath(path).split('/');
        if (parts.size() != 4) continue;
        const auto match = digestPattern.match(modelDigest(path));
        if (!match.hasMatch()) continue;
        const QString blob = QDir(root).filePath("blobs/sha256-" + match.captured(1));
        if (!QFileInfo(blob).isFile()) continue;
        models.append(OllamaModel{modelName(parts), blob, "sha256:" + match.captured(1)});
    }
    std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return models;
}

} // namespace lucent::library
