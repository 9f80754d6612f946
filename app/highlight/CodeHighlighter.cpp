#include "app/highlight/CodeHighlighter.h"

#include <QLoggingCategory>
#include <QMetaObject>
#include <QProcess>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcHighlight, "lucent.highlight")

namespace lucent::app {
namespace {

constexpr int kCacheEntries = 256;

// Fence words people write → KDE definition names (matched case-insensitively after this map).
const QHash<QString, QString>& aliases() {
    static const QHash<QString, QString> map = {
        {"py", "Python"},        {"python3", "Python"},   {"js", "JavaScript"},  {"jsx", "JavaScript"},
        {"mjs", "JavaScript"},   {"ts", "TypeScript"},    {"tsx", "TypeScript"}, {"sh", "Bash"},
        {"shell", "Bash"},       {"console", "Bash"},     {"cpp", "C++"},        {"cxx", "C++"},
        {"cc", "C++"},           {"hpp", "C++"},          {"h", "C"},            {"rs", "Rust"},
        {"golang", "Go"},        {"yml", "YAML"},         {"md", "Markdown"},    {"cs", "C#"},
        {"csharp", "C#"},        {"kt", "Kotlin"},        {"rb", "Ruby"},        {"ps1", "PowerShell"},
        {"pwsh", "PowerShell"},  {"docker", "Dockerfile"}, {"jsonc", "JSON"},    {"json5", "JSON"},
        {"tex", "LaTeX"},        {"latex", "LaTeX"},      {"patch", "Diff"},     {"ini", "INI Files"},
        {"make", "Makefile"},    {"objc", "Objective-C"}, {"r", "R Script"},     {"glsl", "GLSL"},
        {"htm", "HTML"},         {"svg", "XML"},          {"pl", "Perl"},        {"hs", "Haskell"},
    };
    return map;
}

// The <pre>…</pre> of the tool's page, with the page's text colour so unstyled code is readable.
QString extractPre(const QString& page) {
    static const QRegularExpression bodyColour(QStringLiteral("<body style=\"[^\"]*color:(#[0-9a-fA-F]{6})"));
    const qsizetype start = page.indexOf(QStringLiteral("<pre>"));
    const qsizetype end = page.lastIndexOf(QStringLiteral("</pre>"));
    if (start < 0 || end < start) return {};
    QString inner = page.mid(start + 5, end - start - 5);
    if (inner.startsWith('\n')) inner.remove(0, 1);
    if (inner.endsWith('\n')) inner.chop(1);
    const auto match = bodyColour.match(page);
    const QString colour = match.hasMatch() ? QStringLiteral(" style=\"color:%1\"").arg(match.captured(1)) : QString();
    return QStringLiteral("<pre%1>%2</pre>").arg(colour, inner);
}

} // namespace

CodeHighlighter::CodeHighlighter(QString tool, QObject* parent) : QObject(parent), tool_(std::move(tool)), cache_(kCacheEntries) {}

CodeHighlighter& CodeHighlighter::instance() {
    static CodeHighlighter shared;
    return shared;
}

QString CodeHighlighter::plainHtml(const QString& code) { return QStringLiteral("<pre>%1</pre>").arg(code.toHtmlEscaped()); }

const QStringList& CodeHighlighter::definitions() {
    if (definitionsRead_) return definitions_;
    definitionsRead_ = true;
    QProcess list;
    list.start(tool_, {QStringLiteral("--list")});
    if (list.waitForFinished(5000) && list.exitStatus() == QProcess::NormalExit && list.exitCode() == 0)
        definitions_ = QString::fromUtf8(list.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    else if (!warned_) {
        warned_ = true;
        qCWarning(lcHighlight) << "code is shown without colours:" << tool_ << "did not run (install libkf5syntaxhighlighting-tools)";
    }
    return definitions_;
}

QString CodeHighlighter::definitionFor(const QString& language) {
    const QString word = language.trimmed().toLower();
    if (word.isEmpty()) return {};
    const QString wanted = aliases().value(word, word);
    for (const QString& name : definitions())
        if (name.compare(wanted, Qt::CaseInsensitive) == 0) return name;
    return {};
}

quint64 CodeHighlighter::request(const QString& code, const QString& language, bool dark) {
    const quint64 id = nextId_++;
    const QString definition = definitionFor(language);
    const QString key = definition + (dark ? "|d|" : "|l|") + code;
    if (const QString* cached = cache_.object(key)) {
        const QString html = *cached;
        QMetaObject::invokeMethod(this, [this, id, html] { emit highlighted(id, html); }, Qt::QueuedConnection);
        return id;
    }
    if (definition.isEmpty()) {
        const QString html = plainHtml(code);
        QMetaObject::invokeMethod(this, [this, id, html] { emit highlighted(id, html); }, Qt::QueuedConnection);
        return id;
    }
    runProcess(id, key, code, definition, dark);
    return id;
}

void CodeHighlighter::runProcess(quint64 id, const QString& key, const QString& code, const QString& definition, bool dark) {
    auto* process = new QProcess(this);
    ++processesStarted_;
    connect(process, &QProcess::finished, this, [this, process, id, key, code](int exitCode, QProcess::ExitStatus status) {
        QString html;
        if (status == QProcess::NormalExit && exitCode == 0) html = extractPre(QString::fromUtf8(process->readAllStandardOutput()));
        if (html.isEmpty()) {
            if (!warned_) {
                warned_ = true;
                qCWarning(lcHighlight) << "highlighting failed:" << process->readAllStandardError().left(200);
            }
            html = plainHtml(code);
        } else {
            cache_.insert(key, new QString(html));
        }
        process->deleteLater();
        emit highlighted(id, html);
    });
    connect(process, &QProcess::errorOccurred, this, [this, process, id, code](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart) return; // other errors end in finished()
        if (!warned_) {
            warned_ = true;
            qCWarning(lcHighlight) << "code is shown without colours:" << tool_ << "could not start";
        }
        process->deleteLater();
        emit highlighted(id, plainHtml(code));
    });
    process->start(tool_, {QStringLiteral("--stdin"), QStringLiteral("-f"), QStringLiteral("html"), QStringLiteral("-s"), definition,
                           QStringLiteral("-t"), dark ? QStringLiteral("Breeze Dark") : QStringLiteral("Breeze Light")});
    process->write(code.toUtf8());
    process->closeWriteChannel();
}

} // namespace lucent::app
