#pragma once
/// @file
/// @brief Code highlighted with KDE's syntax definitions and themes. Debian 12 has no KF6
/// KSyntaxHighlighting, so this runs KF5's command-line renderer (`kate-syntax-highlighter`) out of
/// process, asynchronously, with a cache. Where KF6 exists (a Flatpak, newer distributions),
/// `KSyntaxHighlighting::Repository` + `HtmlHighlighter` would replace runProcess() in-process with
/// the same definitions and themes; nothing else would change.

#include <QCache>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

namespace lucent::app {

/// @brief Turns code into rich text (a `<pre>` with coloured spans). One per application.
class CodeHighlighter : public QObject {
    Q_OBJECT
public:
    /// @brief `tool`: the renderer's path (tests point it elsewhere to see the fallback).
    explicit CodeHighlighter(QString tool = QStringLiteral("kate-syntax-highlighter"), QObject* parent = nullptr);

    /// @brief The shared instance the QML elements use.
    static CodeHighlighter& instance();

    /// @brief Starts highlighting; `highlighted(id, html)` follows (at once on a cache hit). Unknown
    /// languages and a missing or failing tool give escaped plain text, never an error.
    quint64 request(const QString& code, const QString& language, bool dark);

    /// @brief KDE's definition name for a fence word ("py" → "Python"), or empty when none matches.
    QString definitionFor(const QString& language);
    /// @brief Plain text as the same kind of rich text (what is shown before and without colours).
    static QString plainHtml(const QString& code);

    int processesStarted() const { return processesStarted_; }

signals:
    void highlighted(quint64 requestId, const QString& html);

private:
    void runProcess(quint64 id, const QString& key, const QString& code, const QString& definition, bool dark);
    const QStringList& definitions();

    QString tool_;
    QCache<QString, QString> cache_;
    QStringList definitions_;
    bool definitionsRead_ = false;
    bool warned_ = false;
    quint64 nextId_ = 1;
    int processesStarted_ = 0;
};

} // namespace lucent::app
