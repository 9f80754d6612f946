// Reading the HTTP response headers a download depends on, as QNetworkReply hands them over.
#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace lucent::library {

/// "Content-Range: bytes first-last/total" or "bytes */total"; -1 where a part is absent or "*".
struct ContentRange {
    qint64 first = -1, last = -1, total = -1;
};

ContentRange parseContentRange(const QByteArray& header);

/// The body length of the final response from a raw Content-Length header, or -1. After a followed
/// redirect Qt joins the redirect's and the final response's values ("145, 5218464") and keeps the
/// first one as the parsed header, so only the last value describes the bytes that arrive.
qint64 finalContentLength(const QByteArray& rawHeader);

} // namespace lucent::library
