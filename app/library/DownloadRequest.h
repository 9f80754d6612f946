#pragma once
/// @file
/// @brief What one model download needs to know before it starts.

#include <QString>
#include <QUrl>

namespace lucent::library {

/// @brief A file to fetch into a folder. Only `url`, `directory` and `fileName` are required.
struct DownloadRequest {
    QUrl url;
    QString directory;       ///< the models folder; created when missing
    QString fileName;        ///< saved as directory/fileName (the partial as fileName + ".partial")
    qint64 approxBytes = 0;  ///< size known in advance (catalog); sizes the disk check before the server answers
    QString sha256;          ///< expected lower-case hex digest; empty = not checked (but still computed)
    int stallTimeoutMs = 30000; ///< give up (resumably) after this long without a byte
};

} // namespace lucent::library
