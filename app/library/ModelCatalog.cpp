#include "app/library/ModelCatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace lucent::library {

namespace {

bool isHexSha256(const QString& text) {
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    return hex.match(text).hasMatch();
}

// A file name inside a repository may have folders ("Q4_K_M/model.gguf") but never climbs out.
bool isSafeRepoPath(const QString& file) {
    if (file.isEmpty() || file.startsWith('/') || file.contains('\\')) return false;
    const QStringList parts = file.split('/');
    for (const QString& part : parts)
        if (part.isEmpty() || part == "." || part == "..") return false;
    return true;
}

Expected<CatalogEntry> parseEntry(const QJsonObject& object, qsizetype index) {
    CatalogEntry entry;
    entry.id = object.value("id").toString();
    entry.name = object.value("name").toString();
    entry.architecture = object.value("architecture").toString();
    entry.parameters = object.value("parameters").toString();
    entry.quantization = object.value("quantization").toString();
    entry.isDefault = object.value("default").toBool();
    entry.repo = object.value("repo").toString();
    entry.file = object.value("file").toString();
    entry.approxBytes = qint64(object.value("approx_bytes").toDouble());
    entry.comment = object.value("comment").toString();
    const QJsonValue sha = object.value("sha256");
    if (sha.isString()) entry.sha256 = sha.toString().toLower();
    const std::string where = "catalog entry " + std::to_string(index + 1);
    if (entry.id.isEmpty() || entry.name.isEmpty()) return fail(where + " has no id or name.");
    if (!sha.isNull() && !sha.isUndefined() && !isHexSha256(entry.sha256))
        return fail(where + " (" + entry.id.toStdString() + ") has a sha256 that is not 64 hex digits.");
    if (auto url = huggingFaceFileUrl(entry.repo, entry.file); !url)
        return fail(where + " (" + entry.id.toStdString() + "): " + url.error().message);
    return entry;
}

} // namespace

QUrl CatalogEntry::url() const {
    auto resolved = huggingFaceFileUrl(repo, file);
    return resolved ? *resolved : QUrl();
}

Expected<QList<CatalogEntry>> parseCatalog(const QByteArray& json) {
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return fail("The model catalog is not valid JSON: " + error.errorString().toStdString() + ".");
    const QJsonArray models = document.object().value("models").toArray();
    QList<CatalogEntry> entries;
    for (qsizetype i = 0; i < models.size(); ++i) {
        auto entry = parseEntry(models.at(i).toObject(), i);
        if (!entry) return fail(entry.error());
        for (const CatalogEntry& seen : entries)
            if (seen.id.compare(entry->id, Qt::CaseInsensitive) == 0)
                return fail("The model catalog lists " + entry->id.toStdString() + " twice.");
        entries.append(*entry);
    }
    return entries;
}

const QList<CatalogEntry>& builtInCatalog() {
    static const QList<CatalogEntry> catalog = [] {
        QFile file(QStringLiteral(":/lucent/catalog.json"));
        const bool opened = file.open(QIODevice::ReadOnly);
        Q_ASSERT_X(opened, "builtInCatalog", "catalog.json resource missing");
        auto parsed = parseCatalog(file.readAll());
        Q_ASSERT_X(parsed.ok(), "builtInCatalog", "catalog.json resource malformed");
        return parsed ? *parsed : QList<CatalogEntry>();
    }();
    return catalog;
}

std::optional<CatalogEntry> findCatalogEntry(const QList<CatalogEntry>& catalog, const QString& id) {
    for (const CatalogEntry& entry : catalog)
        if (entry.id.compare(id, Qt::CaseInsensitive) == 0) return entry;
    const QString prefix = id + ':';
    for (const CatalogEntry& entry : catalog)
        if (entry.isDefault && entry.id.startsWith(prefix, Qt::CaseInsensitive)) return entry;
    return std::nullopt;
}

Expected<QUrl> huggingFaceFileUrl(const QString& repo, const QString& file) {
    static const QRegularExpression repoPattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$"));
    if (!repoPattern.match(repo).hasMatch())
        return fail("'" + repo.toStdString() + "' is not a Hugging Face repository; write it as owner/name.");
    if (!isSafeRepoPath(file))
        return fail("'" + file.toStdString() + "' is not a file name inside a repository.");
    QUrl url(QStringLiteral("https://huggingface.co/%1/resolve/main/").arg(repo));
    url.setPath(url.path() + file); // setPath percent-encodes what needs it
    return url;
}

Expected<ResolvedModel> resolveModelReference(const QList<CatalogEntry>& catalog, const QString& reference) {
    const QString text = reference.trimmed();
    if (text.isEmpty()) return fail("Name a model: a catalog id, owner/repo/file.gguf, or a URL.");
    ResolvedModel resolved;
    if (auto entry = findCatalogEntry(catalog, text)) {
        resolved.url = entry->url();
        resolved.fileName = entry->file.section('/', -1);
        resolved.approxBytes = entry->approxBytes;
        resolved.sha256 = entry->sha256;
        resolved.entry = entry;
        return resolved;
    }
    if (text.startsWith("http://", Qt::CaseInsensitive) || text.startsWith("https://", Qt::CaseInsensitive)) {
        resolved.url = QUrl(text, QUrl::StrictMode);
        resolved.fileName = resolved.url.fileName();
        if (!resolved.url.isValid() || resolved.url.host().isEmpty())
            return fail("'" + text.toStdString() + "' is not a valid URL.");
        if (resolved.fileName.isEmpty())
            return fail("The URL " + text.toStdString() + " does not end in a file name.");
        return resolved;
    }
    QString path = text;
    if (path.startsWith("hf://")) path = path.mid(5);
    const QStringList parts = path.split('/');
    if (parts.size() >= 3) {
        auto url = huggingFaceFileUrl(parts[0] + '/' + parts[1], parts.mid(2).join('/'));
        if (!url) return fail(url.error());
        resolved.url = *url;
        resolved.fileName = parts.last();
        return resolved;
    }
    return fail("'" + text.toStdString() + "' is neither a catalog id (see `lucent-cli models`), owner/repo/file.gguf, nor a URL.");
}

} // namespace lucent::library
