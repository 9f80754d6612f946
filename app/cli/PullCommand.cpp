// lucent-cli pull (URL | CATALOG-ID | owner/repo/file.gguf) [--sha256 H] [--dir D]: downloads a model
// into the models folder with the library's ModelDownload — resumes a partial download, verifies the
// checksum, shows progress on a terminal; Ctrl+C leaves a partial that the same command resumes.
#include "app/cli/CommandTable.h"
#include "app/cli/InterruptCancel.h"
#include "app/library/ModelCatalog.h"
#include "app/library/ModelDownload.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLocale>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>
#include <unistd.h>

namespace lucent::cli {

namespace {

using library::DownloadProgress;
using library::DownloadResult;
using library::ModelDownload;

QString sizeText(qint64 bytes) { return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat); }

QString etaText(qint64 seconds) {
    if (seconds < 0) return QStringLiteral("--:--");
    if (seconds >= 3600) return QStringLiteral("%1h%2m").arg(seconds / 3600).arg(seconds / 60 % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QChar('0'));
}

// One carriage-returned status line, redrawn at most ten times a second.
class TerminalProgress {
public:
    TerminalProgress(QTextStream& stream, QString name) : stream_(stream), name_(std::move(name)) { clock_.start(); }

    void show(const DownloadProgress& p, bool force = false) {
        if (!force && clock_.isValid() && clock_.elapsed() < 100 && shown_) return;
        clock_.restart();
        shown_ = true;
        QString line = name_ + "  " + sizeText(p.receivedBytes);
        if (p.totalBytes > 0)
            line += QStringLiteral(" / %1 (%2%)").arg(sizeText(p.totalBytes)).arg(100.0 * double(p.receivedBytes) / double(p.totalBytes), 0, 'f', 1);
        line += QStringLiteral("  %1/s  ETA %2").arg(sizeText(qint64(p.bytesPerSecond)), etaText(p.etaSeconds));
        stream_ << '\r' << line.leftJustified(width_) << Qt::flush;
        width_ = std::max<int>(width_, int(line.size()));
    }
    void end() {
        if (shown_) stream_ << '\n' << Qt::flush;
        shown_ = false;
    }

private:
    QTextStream& stream_;
    QString name_;
    QElapsedTimer clock_;
    bool shown_ = false;
    int width_ = 0;
};

QString defaultModelsDir(const QCommandLineParser& parser) {
    const QString dataDir = parser.isSet("data-dir") ? parser.value("data-dir")
                                                     : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(dataDir).filePath("models");
}

} // namespace

int runPull(CliIo& io) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Download a model: a catalog id (see `lucent-cli models`), owner/repo/file.gguf on Hugging Face, or a URL.\n"
        "Resumes a partial download, verifies the SHA-256 and renames the file into place only when complete.");
    addCommonOptions(parser);
    parser.addOption({"sha256", "Expected SHA-256 of the file (64 hex digits).", "H"});
    parser.addOption({"dir", "Folder to save into (default: <data dir>/models).", "D"});
    parser.addOption({"timeout", "Give up after S seconds without data (default 30).", "S", "30"});
    parser.addPositionalArgument("model", "URL, catalog id or owner/repo/file.gguf.");
    if (!parseArguments(io, parser, 1, 1)) return parser.isSet("help") ? 0 : 1;

    auto resolved = library::resolveModelReference(library::builtInCatalog(), parser.positionalArguments().first());
    if (!resolved) return reportError(io, QString::fromStdString(resolved.error().message));
    QString sha = parser.value("sha256").trimmed().toLower();
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    if (parser.isSet("sha256") && !hex.match(sha).hasMatch())
        return reportError(io, QStringLiteral("--sha256 needs 64 hexadecimal digits, got '%1'.").arg(parser.value("sha256")));
    if (sha.isEmpty()) sha = resolved->sha256;
    bool timeoutOk = false;
    const double timeout = parser.value("timeout").toDouble(&timeoutOk);
    if (!timeoutOk || timeout <= 0 || timeout > 3600)
        return reportError(io, QStringLiteral("--timeout takes seconds between 0 and 3600, got '%1'.").arg(parser.value("timeout")));

    library::DownloadRequest request;
    request.url = resolved->url;
    request.directory = parser.isSet("dir") ? parser.value("dir") : defaultModelsDir(parser);
    request.fileName = resolved->fileName;
    request.approxBytes = resolved->approxBytes;
    request.sha256 = sha;
    request.stallTimeoutMs = int(timeout * 1000);

    const bool json = wantsJson(parser);
    const bool terminal = !json && ::isatty(STDERR_FILENO);
    TerminalProgress bar(io.err, request.fileName);
    ModelDownload download(request);
    QEventLoop loop;
    std::optional<DownloadResult> result;
    QString failure;
    bool interrupted = false;
    QObject::connect(&download, &ModelDownload::progressChanged, [&](const DownloadProgress& p) {
        if (terminal) bar.show(p);
    });
    QObject::connect(&download, &ModelDownload::notice, [&](const QString& message) {
        bar.end();
        io.err << "note: " << message << Qt::endl;
    });
    QObject::connect(&download, &ModelDownload::finished, [&](const DownloadResult& r) {
        if (terminal) bar.show(download.progress(), true);
        result = r;
        loop.quit();
    });
    QObject::connect(&download, &ModelDownload::failed, [&](const QString& message) {
        failure = message;
        loop.quit();
    });
    // Ctrl+C: pause, which keeps the partial and its record for the next run.
    InterruptCancel interrupt;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (!interrupt.cancelFlag()->load()) return;
        interrupted = true;
        download.pause();
        loop.quit();
    });
    poll.start(50);
    QTimer::singleShot(0, &download, &ModelDownload::start);
    loop.exec();
    bar.end();

    if (interrupted) {
        io.err << "interrupted: " << sizeText(download.progress().receivedBytes)
               << " kept; run the same command again to resume." << Qt::endl;
        return 130;
    }
    if (!result) return reportError(io, failure);
    if (json)
        return printJson(io, {{"path", result->path},
                              {"bytes", double(result->bytes)},
                              {"sha256", result->sha256},
                              {"resumed", result->resumed}});
    if (result->alreadyPresent)
        io.out << "Already present: " << result->path << " (" << sizeText(result->bytes) << ", sha256 " << result->sha256 << ")\n";
    else
        io.out << "Saved " << result->path << " (" << sizeText(result->bytes) << ", sha256 " << result->sha256
               << (result->resumed ? QStringLiteral(", resumed: %1 fetched").arg(sizeText(result->fetchedBytes)) : QString())
               << ")\n";
    io.out.flush();
    return 0;
}

} // namespace lucent::cli
