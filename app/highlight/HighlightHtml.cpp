#include "app/highlight/HighlightHtml.h"

#include <QRegularExpression>

namespace lucent::app {
namespace {
const QString kPreEnd = QStringLiteral("</pre>");
}

QString plainCodeHtml(const QString& code) { return QStringLiteral("<pre>%1</pre>").arg(code.toHtmlEscaped()); }

QString preFromKatePage(const QString& page, const QString& code) {
    static const QRegularExpression bodyColour(QStringLiteral("<body style=\"[^\"]*color:(#[0-9a-fA-F]{6})"));
    static const QString preStart = QStringLiteral("<pre>\n");
    const qsizetype start = page.indexOf(preStart);
    const qsizetype end = page.lastIndexOf(kPreEnd);
    if (start < 0 || end < start + preStart.size()) return {};
    QString inner = page.mid(start + preStart.size(), end - start - preStart.size());
    // The tool reads lines and ends each with '\n': "x" and "x\n" both print "x\n". Drop the last
    // line's break and put back the one the code really ends with.
    if (inner.endsWith('\n')) inner.chop(1);
    if (code.endsWith('\n')) inner += '\n';
    const auto match = bodyColour.match(page);
    const QString colour = match.hasMatch() ? QStringLiteral(" style=\"color:%1\"").arg(match.captured(1)) : QString();
    return QStringLiteral("<pre%1>%2</pre>").arg(colour, inner);
}

QString appendPlainText(const QString& html, const QString& tail) {
    if (!html.endsWith(kPreEnd)) return html + plainCodeHtml(tail);
    QString result = html;
    result.insert(result.size() - kPreEnd.size(), tail.toHtmlEscaped());
    return result;
}

} // namespace lucent::app
