#include "app/library/HttpHeaders.h"

#include <QRegularExpression>

namespace lucent::library {

ContentRange parseContentRange(const QByteArray& header) {
    static const QRegularExpression pattern(QStringLiteral(R"(^\s*bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*$)"));
    const auto match = pattern.match(QString::fromLatin1(header));
    ContentRange range;
    if (!match.hasMatch()) return range;
    if (match.capturedLength(1) > 0) {
        range.first = match.captured(1).toLongLong();
        range.last = match.captured(2).toLongLong();
    }
    if (match.captured(3) != "*") range.total = match.captured(3).toLongLong();
    return range;
}

qint64 finalContentLength(const QByteArray& rawHeader) {
    const QByteArray last = rawHeader.mid(rawHeader.lastIndexOf(',') + 1).trimmed();
    bool ok = false;
    const qint64 length = last.toLongLong(&ok);
    return ok && length >= 0 ? length : -1;
}

} // namespace lucent::library
