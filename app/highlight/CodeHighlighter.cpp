#include "app/highlight/CodeHighlighter.h"

#include "app/highlight/FenceLanguage.h"
#include "app/highlight/HighlightHtml.h"

#include <QLoggingCategory>
#include <QMetaObject>
#include <QProcess>
#include <QTimer>

Q_LOGGING_CATEGORY(lcHighlight, "lucent.highlight")

namespace lucent::app {
namespace {

// About 1,000 typical code blocks (cost is characters).
constexpr int kCacheCharacters = 2'000'000;

QString themeName(bool dark) { return dark ? QStringLiteral("Breeze Dark") : QStringLiteral("Breeze Light"); }

} // namespace

CodeHighlighter::CodeHighlighter(QString tool, QObject* parent)
    : QObject(parent), tool_(std::move(tool)), cache_(kCacheCharacters) {}

CodeHighlighter::~CodeHighlighter() {
    // Renderers still running belong to this object; stop them without waiting for their pages.
    for (QProcess* process : findChildren<QProcess*>()) {
        process->disconnect(this);
        process->kill();
        process->waitForFinished(100);
    }
}

CodeHighlighter& CodeHighlighter::instance() {
    static CodeHighlighter shared;
    return shared;
}

QString CodeHighlighter::definitionFor(const QString& language) const { return definitionForFence(language, definitions_); }

quint64 CodeHighlighter::request(const QString& code, const QString& language, bool dark) {
    const Job job{nextId_++, code, language, dark};
    if (definitionsState_ == DefinitionsState::Loaded) {
        // Answered on the next turn even when the answer is known now: callers connect after request().
        QMetaObject::invokeMethod(this, [this, job] { resolve(job); }, Qt::QueuedConnection);
    } else {
        waitingForDefinitions_.append(job);
        loadDefinitions();
    }
    return job.id;
}

void CodeHighlighter::loadDefinitions() {
    if (definitionsState_ != DefinitionsState::NotAsked) return;
    definitionsState_ = DefinitionsState::Loading;
    auto* list = new QProcess(this);
    auto done = [this, list](const QStringList& definitions) {
        list->deleteLater();
        if (definitionsState_ == DefinitionsState::Loaded) return; // errorOccurred and finished both came
        definitions_ = definitions;
        definitionsState_ = DefinitionsState::Loaded;
        emit definitionsReady();
        for (const Job& job : std::exchange(waitingForDefinitions_, {})) resolve(job);
    };
    connect(list, &QProcess::finished, this, [this, list, done](int exitCode, QProcess::ExitStatus status) {
        if (status != QProcess::NormalExit || exitCode != 0) {
            warnOnce(tool_ + QStringLiteral(" --list failed"));
            done({});
            return;
        }
        done(QString::fromUtf8(list->readAllStandardOutput()).split('\n', Qt::SkipEmptyParts));
    });
    connect(list, &QProcess::errorOccurred, this, [this, done](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart) return; // the others end in finished()
        warnOnce(tool_ + QStringLiteral(" could not start (install libkf5syntaxhighlighting-tools)"));
        done({});
    });
    QTimer::singleShot(kTimeoutMs, list, [list] { list->kill(); });
    list->start(tool_, {QStringLiteral("--list")});
}

void CodeHighlighter::resolve(const Job& job) {
    const QString definition = definitionFor(job.language);
    if (definition.isEmpty() || job.code.isEmpty()) {
        emit highlighted(job.id, plainCodeHtml(job.code));
        return;
    }
    const QString key = definition + '|' + themeName(job.dark) + '|' + job.code;
    if (const QString* cached = cache_.object(key)) {
        emit highlighted(job.id, *cached);
        return;
    }
    // The same block asked again while its renderer runs (a second view, a theme flip back): one process.
    auto waiting = requestsByKey_.find(key);
    if (waiting != requestsByKey_.end()) {
        waiting->append(job.id);
        return;
    }
    requestsByKey_.insert(key, {job.id});
    jobByKey_.insert(key, Job{job.id, job.code, definition, job.dark});
    queued_.append(key);
    startJobs();
}

void CodeHighlighter::startJobs() {
    while (running_ < kMaxProcesses && !queued_.isEmpty()) startJob(queued_.takeFirst());
}

void CodeHighlighter::startJob(const QString& key) {
    const Job job = jobByKey_.value(key);
    auto* process = new QProcess(this);
    ++processesStarted_;
    mostConcurrent_ = std::max(mostConcurrent_, ++running_);
    connect(process, &QProcess::finished, this, [this, process, key, code = job.code](int exitCode, QProcess::ExitStatus status) {
        QString html;
        if (status == QProcess::NormalExit && exitCode == 0) html = preFromKatePage(QString::fromUtf8(process->readAllStandardOutput()), code);
        if (html.isEmpty()) {
            warnOnce(QStringLiteral("highlighting failed: ") + QString::fromUtf8(process->readAllStandardError().left(200)).trimmed());
            html = plainCodeHtml(code);
        } else {
            cache_.insert(key, new QString(html), int(std::min<qsizetype>(html.size(), kCacheCharacters)));
        }
        finishJob(process, key, html);
    });
    connect(process, &QProcess::errorOccurred, this, [this, process, key, code = job.code](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart) return; // the others end in finished()
        warnOnce(tool_ + QStringLiteral(" could not start"));
        finishJob(process, key, plainCodeHtml(code));
    });
    // A renderer that hangs is killed; finished() then answers with plain text.
    QTimer::singleShot(kTimeoutMs, process, [process] { process->kill(); });
    // The language here is already KDE's definition name (resolve() looked it up).
    process->start(tool_, {QStringLiteral("--stdin"), QStringLiteral("-f"), QStringLiteral("html"), QStringLiteral("-s"),
                           job.language, QStringLiteral("-t"), themeName(job.dark)});
    process->write(job.code.toUtf8());
    process->closeWriteChannel();
}

void CodeHighlighter::finishJob(QProcess* process, const QString& key, const QString& html) {
    process->disconnect(this);
    process->deleteLater();
    --running_;
    jobByKey_.remove(key);
    const QList<quint64> ids = requestsByKey_.take(key);
    startJobs();
    for (quint64 id : ids) emit highlighted(id, html);
}

void CodeHighlighter::warnOnce(const QString& why) {
    if (warned_) return;
    warned_ = true;
    qCWarning(lcHighlight).noquote() << "code is shown without colours:" << why;
}

} // namespace lucent::app
