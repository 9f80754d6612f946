#pragma once
/// @file
/// @brief Code highlighted with KDE's syntax definitions and themes, off the GUI thread.
///
/// Debian 12 has no KF6 KSyntaxHighlighting (only KF5, whose library would pull Qt 5 into a Qt 6
/// process), so this runs KF5's command-line renderer `kate-syntax-highlighter` out of process:
/// `--stdin -f html -s <definition> -t "Breeze Light|Breeze Dark"`, about 40-50 ms a block. Where
/// KF6 exists (the Flatpak's KDE runtime, newer distributions: package `libkf6syntaxhighlighting-dev`,
/// CMake `find_package(KF6SyntaxHighlighting)`), `KSyntaxHighlighting::Repository` gives the
/// definition list (replacing loadDefinitions()) and `KSyntaxHighlighting::HtmlHighlighter`
/// (`setDefinition`, `setTheme`, `setOutputFile`, `highlightData(QBuffer*)`) renders the same page
/// in-process, on a worker thread (replacing startJob()); the cache, the queue, the fence names and
/// everything the QML side sees stay as they are.

#include <QCache>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

class QProcess;

namespace lucent::app {

/// @brief Turns code into rich text (a `<pre>` with coloured spans). One per application
/// (instance()); tests make their own.
class CodeHighlighter : public QObject {
    Q_OBJECT
public:
    /// @brief `tool`: the renderer's path (tests point it elsewhere to see the fallback).
    explicit CodeHighlighter(QString tool = QStringLiteral("kate-syntax-highlighter"), QObject* parent = nullptr);
    ~CodeHighlighter() override;

    /// @brief The shared instance the QML elements use.
    static CodeHighlighter& instance();

    /// @brief Starts highlighting; `highlighted(id, html)` always follows, never before this returns
    /// (from the cache on the next event-loop turn). Unknown languages and a missing, failing or hung
    /// tool give escaped plain text (logged once), never an error. Nothing here blocks.
    quint64 request(const QString& code, const QString& language, bool dark);

    /// @brief KDE's definition name for a fence word ("py" → "Python"); empty when none matches or
    /// the definition list has not arrived yet (see definitionsLoaded()).
    QString definitionFor(const QString& language) const;
    /// @brief True once the tool's definition list was read (or found missing).
    bool definitionsLoaded() const { return definitionsState_ == DefinitionsState::Loaded; }

    /// @brief How many renderer processes were started (the `--list` one not counted).
    int processesStarted() const { return processesStarted_; }
    /// @brief The most renderer processes that ran at the same time.
    int mostConcurrentProcesses() const { return mostConcurrent_; }

    /// @brief A renderer still running after this long is killed and its code shown plain.
    static constexpr int kTimeoutMs = 5000;
    /// @brief At most this many renderers at once (a long conversation full of code must not start
    /// dozens of processes on a two-core laptop); later requests wait their turn.
    static constexpr int kMaxProcesses = 2;

signals:
    /// @brief The rich text for request `requestId`.
    void highlighted(quint64 requestId, const QString& html);
    /// @brief The definition list arrived (definitionsLoaded() is true from now on).
    void definitionsReady();

private:
    struct Job {
        quint64 id = 0;
        QString code;
        QString language; ///< the fence word; in jobByKey_ KDE's definition name resolve() found for it
        bool dark = false;
    };

    enum class DefinitionsState { NotAsked, Loading, Loaded };

    void loadDefinitions();
    void resolve(const Job& job);
    void startJobs();
    void startJob(const QString& key);
    void finishJob(QProcess* process, const QString& key, const QString& html);
    void warnOnce(const QString& why);

    QString tool_;
    QCache<QString, QString> cache_;              ///< (definition, theme, code) → html; cost = characters
    QStringList definitions_;
    DefinitionsState definitionsState_ = DefinitionsState::NotAsked;
    QList<Job> waitingForDefinitions_;
    QList<QString> queued_;                        ///< keys waiting for a free process, oldest first
    QHash<QString, QList<quint64>> requestsByKey_; ///< queued or running keys → the requests they answer
    QHash<QString, Job> jobByKey_;
    int running_ = 0;
    bool warned_ = false;
    quint64 nextId_ = 1;
    int processesStarted_ = 0;
    int mostConcurrent_ = 0;
};

} // namespace lucent::app
