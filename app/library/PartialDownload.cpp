#include "app/library/PartialDownload.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace lucent::library {

QString partialPathFor(const QString& targetPath) { return targetPath + QStringLiteral(".partial"); }

QString partialStatePathFor(const QString& targetPath) { return targetPath + QStringLiteral(".partial.json"); }

Expected<void> savePartialDownload(const QString& statePath, const PartialDownload& state) {
    const QJsonObject object{{"url", state.url},
                             {"total_bytes", double(state.totalBytes)},
                             {"sha256", state.sha256},
                             {"etag", state.etag},
                             {"last_modified", state.lastModified}};
    QSaveFile file(statePath);
    if (!file.open(QIODevice::WriteOnly)) return fail("Cannot write " + statePath.toStdString() + ": " + file.errorString().toStdString() + ".");
    file.write(QJsonDocument(object).toJson(QJsonDocument::Indented));
    if (!file.commit()) return fail("Cannot write " + statePath.toStdString() + ": " + file.errorString().toStdString() + ".");
    return {};
}

std::optional<PartialDownload> loadPartialDownload(const QString& statePath) {
    QFile file(statePath);
    if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(file.read(64 * 1024));
    if (!document.isObject()) return std::nullopt;
    const QJsonObject object = document.object();
    PartialDownload state;
    state.url = object.value("url").toString();
    state.totalBytes = qint64(object.value("total_bytes").toDouble(-1));
    state.sha256 = object.value("sha256").toString();
    state.etag = object.value("etag").toString();
    state.lastModified = object.value("last_modified").toString();
    if (state.url.isEmpty()) return std::nullopt;
    return state;
}

QString ifRangeValue(const PartialDownload& state) {
    // RFC 9110 13.1.5: If-Range takes only a strong validator; a weak ETag (W/"…") cannot be used.
    if (!state.etag.isEmpty() && !state.etag.startsWith(QStringLiteral("W/"))) return state.etag;
    return state.lastModified;
}

} // namespace lucent::library
