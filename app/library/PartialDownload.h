#pragma once
/// @file
/// @brief The small JSON file kept next to `<file>.partial` so a paused download can be resumed after
/// the app restarts — and resumed only if it is still the same file on the server.

#include "inference/core/Expected.h"

#include <QString>
#include <optional>

namespace lucent::library {

/// @brief What a resume must match: the same URL and expected hash, and the server's validators
/// (ETag / Last-Modified, sent back in If-Range so a changed file is sent whole instead of spliced).
struct PartialDownload {
    QString url;
    qint64 totalBytes = -1; ///< the full size the server announced; -1 when unknown
    QString sha256;         ///< the expected hash the download was started with (may be empty)
    QString etag;
    QString lastModified;
};

/// @brief `<target>.partial`: where the bytes go until the file is complete and verified.
QString partialPathFor(const QString& targetPath);
/// @brief `<target>.partial.json`: the PartialDownload record.
QString partialStatePathFor(const QString& targetPath);

/// @brief Writes the record atomically (QSaveFile), so a crash leaves the old or the new one.
Expected<void> savePartialDownload(const QString& statePath, const PartialDownload& state);
/// @brief Reads the record; nothing when it is missing or unreadable (then the partial is not trusted).
std::optional<PartialDownload> loadPartialDownload(const QString& statePath);

/// @brief The value for If-Range: a strong ETag, else Last-Modified, else empty (then no resume can
/// be validated and the Range request goes without If-Range).
QString ifRangeValue(const PartialDownload& state);

} // namespace lucent::library
