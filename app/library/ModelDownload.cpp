#include "app/library/ModelDownload.h"

#include "app/library/HashingFileWriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QStorageInfo>
#include <QtConcurrent/QtConcurrentRun>
#include <cstdio>

namespace lucent::library {

namespace {

QString humanBytes(qint64 bytes) { return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat); }

} // namespace

ModelDownload::ModelDownload(DownloadRequest request, QNetworkAccessManager* network, QObject* parent)
    : QObject(parent), request_(std::move(request)),
      network_(network ? network : new QNetworkAccessManager(this)), writer_(new HashingFileWriter) {
    request_.sha256 = request_.sha256.trimmed().toLower();
    writer_->moveToThread(&writerThread_);
    connect(&writerThread_, &QThread::finished, writer_, &QObject::deleteLater);
    connect(writer_, &HashingFileWriter::failed, this, [this](const QString& message) { fail(message, true); });
    connect(writer_, &HashingFileWriter::finished, this, &ModelDownload::onWriterFinished);
    writerThread_.setObjectName(QStringLiteral("lucent-download-writer"));
    writerThread_.start();
    stallTimer_.setSingleShot(true);
    connect(&stallTimer_, &QTimer::timeout, this, &ModelDownload::onStalled);
    connect(&existingHash_, &QFutureWatcher<QString>::finished, this, [this] {
        if (state_ != State::Checking) return; // canceled meanwhile
        const QString sha = existingHash_.result();
        if (!request_.sha256.isEmpty() && sha != request_.sha256) {
            fail(QStringLiteral("%1 is already in %2 but it is a different file (SHA-256 %3, expected %4). Move it away "
                                "or delete it to download the model again.")
                     .arg(request_.fileName, request_.directory, sha, request_.sha256),
                 false);
            return;
        }
        const qint64 size = QFileInfo(targetPath()).size();
        progress_ = DownloadProgress{size, size, 0, 0};
        setState(State::Finished);
        emit finished(DownloadResult{targetPath(), size, 0, sha, false, true});
    });
}

ModelDownload::~ModelDownload() {
    dropReply();
    QMetaObject::invokeMethod(writer_, [w = writer_] { w->close(); }, Qt::QueuedConnection);
    writerThread_.quit();
    writerThread_.wait();
    existingHash_.waitForFinished();
}

QString ModelDownload::targetPath() const { return QDir(request_.directory).filePath(request_.fileName); }

void ModelDownload::setState(State state) {
    if (state_ == state) return;
    state_ = state;
    emit stateChanged(state);
}

void ModelDownload::start() {
    if (state_ == State::Checking || state_ == State::Downloading || state_ == State::Verifying) return;
    errorMessage_.clear();
    canResume_ = false;
    if (request_.fileName.isEmpty() || request_.fileName.contains('/') || request_.fileName.startsWith('.')) {
        fail(QStringLiteral("'%1' cannot be used as a model file name.").arg(request_.fileName), false);
        return;
    }
    if (!QDir().mkpath(request_.directory)) {
        fail(QStringLiteral("Cannot create the models folder %1.").arg(request_.directory), false);
        return;
    }
    setState(State::Checking);
    if (QFileInfo::exists(targetPath())) {
        checkExistingFile();
        return;
    }
    beginTransfer();
}

void ModelDownload::checkExistingFile() {
    // Never download what the user already has; hash it off the GUI thread to verify (and report) it.
    existingHash_.setFuture(QtConcurrent::run(sha256OfFile, targetPath()));
}

bool ModelDownload::hasFreeSpaceFor(qint64 bytes) {
    if (bytes <= 0) return true;
    QStorageInfo storage(request_.directory);
    storage.refresh();
    const qint64 available = storage.bytesAvailable();
    if (!storage.isValid() || available < 0 || available >= bytes) return true;
    fail(QStringLiteral("Not enough free disk space in %1: the download needs %2 more and only %3 are free.")
             .arg(request_.directory, humanBytes(bytes), humanBytes(available)),
         true);
    return false;
}

void ModelDownload::beginTransfer() {
    const QString partialPath = partialPathFor(targetPath());
    const QString statePath = partialStatePathFor(targetPath());
    qint64 offset = 0;
    const auto saved = loadPartialDownload(statePath);
    const qint64 partialSize = QFileInfo(partialPath).size();
    if (saved && saved->url == request_.url.toString() && saved->sha256 == request_.sha256 && partialSize > 0) {
        partial_ = *saved;
        offset = partialSize;
    } else {
        if (partialSize > 0)
            emit notice(QStringLiteral("An unfinished download of %1 from another address or without its record was "
                                       "discarded.").arg(request_.fileName));
        QFile::remove(partialPath);
        partial_ = PartialDownload{request_.url.toString(), -1, request_.sha256, {}, {}};
    }
    if (auto written = savePartialDownload(statePath, partial_); !written) {
        fail(QString::fromStdString(written.error().message), false);
        return;
    }
    const qint64 expectedTotal = partial_.totalBytes > 0 ? partial_.totalBytes : request_.approxBytes;
    if (!hasFreeSpaceFor(expectedTotal - offset)) return;

    resumed_ = offset > 0;
    restartedOnce_ = false;
    fetched_ = 0;
    progress_ = DownloadProgress{offset, expectedTotal > 0 ? expectedTotal : -1, 0, -1};
    QMetaObject::invokeMethod(writer_, [w = writer_, partialPath, offset] { w->open(partialPath, offset); },
                              Qt::QueuedConnection);
    setState(State::Downloading);
    emitProgress();
    sendRequest(offset);
}

void ModelDownload::sendRequest(qint64 offset) {
    offset_ = offset;
    headersHandled_ = false;
    QNetworkRequest request(request_.url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(10);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    // Byte offsets must be offsets into the file itself, so ask for it unencoded.
    request.setRawHeader("Accept-Encoding", "identity");
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Lucent/" LUCENT_LIBRARY_VERSION));
    if (offset > 0) {
        request.setRawHeader("Range", "bytes=" + QByteArray::number(offset) + "-");
        if (const QString validator = ifRangeValue(partial_); !validator.isEmpty())
            request.setRawHeader("If-Range", validator.toUtf8());
    }
    rate_.restart();
    reply_ = network_->get(request);
    connect(reply_, &QNetworkReply::readyRead, this, &ModelDownload::onReadyRead);
    connect(reply_, &QNetworkReply::finished, this, &ModelDownload::onReplyFinished);
    stallTimer_.start(request_.stallTimeoutMs);
}

void ModelDownload::dropReply() {
    stallTimer_.stop();
    if (!reply_) return;
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    reply->disconnect(this);
    // Aborting a reply that already reported an error (or finished) makes Qt report it twice.
    if (!reply->isFinished() && reply->error() == QNetworkReply::NoError) reply->abort();
    reply->deleteLater();
}

void ModelDownload::pause() {
    if (state_ == State::Checking) {
        existingHash_.cancel();
        setState(State::Paused);
        return;
    }
    if (state_ != State::Downloading) return;
    dropReply();
    QMetaObject::invokeMethod(writer_, [w = writer_] { w->close(); }, Qt::QueuedConnection);
    canResume_ = true;
    setState(State::Paused);
}

void ModelDownload::cancel() {
    if (state_ == State::Finished || state_ == State::Canceled) return;
    dropReply();
    existingHash_.cancel();
    const QString partialPath = partialPathFor(targetPath());
    const QString statePath = partialStatePathFor(targetPath());
    QMetaObject::invokeMethod(writer_, [w = writer_, partialPath, statePath] { w->discard(partialPath, statePath); },
                              Qt::QueuedConnection);
    canResume_ = false;
    setState(State::Canceled);
}

void ModelDownload::finishTransfer() {
    setState(State::Verifying);
    QMetaObject::invokeMethod(writer_, [w = writer_] { w->finish(); }, Qt::QueuedConnection);
}

void ModelDownload::onWriterFinished(const QString& sha256, qint64 bytes) {
    if (state_ != State::Verifying) return;
    const QString partialPath = partialPathFor(targetPath());
    const QString statePath = partialStatePathFor(targetPath());
    if (!request_.sha256.isEmpty() && sha256 != request_.sha256) {
        QFile::remove(partialPath);
        QFile::remove(statePath);
        fail(QStringLiteral("The downloaded %1 does not match its checksum (SHA-256 %2, expected %3); the file was "
                            "deleted. The server may be sending a different file, or the data was damaged on the way.")
                 .arg(request_.fileName, sha256, request_.sha256),
             false);
        return;
    }
    // rename(2) replaces atomically: the model appears complete or not at all.
    if (std::rename(QFile::encodeName(partialPath).constData(), QFile::encodeName(targetPath()).constData()) != 0) {
        fail(QStringLiteral("Cannot move the finished download to %1.").arg(targetPath()), true);
        return;
    }
    QFile::remove(statePath);
    progress_ = DownloadProgress{bytes, bytes, progress_.bytesPerSecond, 0};
    emitProgress();
    setState(State::Finished);
    emit finished(DownloadResult{targetPath(), bytes, fetched_, sha256, resumed_, false});
}

void ModelDownload::fail(const QString& message, bool resumable) {
    if (state_ == State::Failed || state_ == State::Canceled) return;
    dropReply();
    if (resumable) {
        QMetaObject::invokeMethod(writer_, [w = writer_] { w->close(); }, Qt::QueuedConnection);
    } else if (state_ == State::Downloading || state_ == State::Verifying) {
        // Nothing worth resuming (404, refused, wrong checksum): leave no partial behind.
        const QString partialPath = partialPathFor(targetPath());
        const QString statePath = partialStatePathFor(targetPath());
        QMetaObject::invokeMethod(writer_, [w = writer_, partialPath, statePath] { w->discard(partialPath, statePath); },
                                  Qt::QueuedConnection);
    }
    errorMessage_ = message;
    canResume_ = resumable;
    setState(State::Failed);
    emit failed(message);
}

} // namespace lucent::library
