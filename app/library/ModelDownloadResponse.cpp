// ModelDownload: what the server answered — status codes, ranges, bytes, errors and stalls.
#include "app/library/HashingFileWriter.h"
#include "app/library/HttpHeaders.h"
#include "app/library/ModelDownload.h"

#include <QLocale>

namespace lucent::library {

namespace {

int httpStatus(const QNetworkReply* reply) {
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

bool isRedirect(int status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

QString bytesText(qint64 bytes) { return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat); }

} // namespace

void ModelDownload::emitProgress() {
    progress_.bytesPerSecond = rate_.bytesPerSecond();
    progress_.etaSeconds = progress_.totalBytes > 0 ? rate_.etaSeconds(progress_.totalBytes - progress_.receivedBytes) : -1;
    emit progressChanged(progress_);
}

void ModelDownload::restartFromZero(const QString& why) {
    emit notice(why);
    QMetaObject::invokeMethod(writer_, [w = writer_] { w->restart(); }, Qt::QueuedConnection);
    offset_ = 0;
    resumed_ = false;
    progress_.receivedBytes = fetched_ = 0;
}

// Called before the first byte is stored: decides whether the body continues the partial, replaces
// it, or is an error. Returns false when the reply was dealt with (failed or re-sent).
bool ModelDownload::acceptHeaders() {
    headersHandled_ = true;
    const int status = httpStatus(reply_);
    const QString etag = QString::fromLatin1(reply_->rawHeader("ETag"));
    const QString lastModified = QString::fromLatin1(reply_->rawHeader("Last-Modified"));
    qint64 total = -1;
    if (status == 206) {
        const ContentRange range = parseContentRange(reply_->rawHeader("Content-Range"));
        if (range.first != offset_) {
            // A range we did not ask for: start over rather than splice bytes from the wrong place.
            dropReply();
            restartFromZero(QStringLiteral("The server answered with the wrong part of the file; downloading it again from the start."));
            sendRequest(0);
            return false;
        }
        total = range.total;
    } else if (status == 200) {
        total = finalContentLength(reply_->rawHeader("Content-Length"));
        if (offset_ > 0) {
            const bool changed = !partial_.etag.isEmpty() && !etag.isEmpty() && etag != partial_.etag;
            restartFromZero(changed ? QStringLiteral("%1 changed on the server since the download was paused; downloading "
                                                     "it again from the start.").arg(request_.fileName)
                                    : QStringLiteral("The server does not support resuming downloads; downloading %1 "
                                                     "again from the start.").arg(request_.fileName));
        }
    } else if (status == 416) {
        return handleRangeNotSatisfiable();
    } else {
        const QString reason = reply_->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        const QString url = reply_->url().toString();
        if (status == 404)
            fail(QStringLiteral("%1 was not found on the server (HTTP 404): %2").arg(request_.fileName, url), false);
        else if (status == 401 || status == 403)
            fail(QStringLiteral("The server refused access to %1 (HTTP %2 %3). Gated models need an account and an "
                                "accepted licence on the website.").arg(url).arg(status).arg(reason), false);
        else
            fail(QStringLiteral("The server answered HTTP %1 %2 for %3.").arg(status).arg(reason, url), status >= 500);
        return false;
    }
    partial_.totalBytes = total;
    partial_.etag = etag;
    partial_.lastModified = lastModified;
    if (auto saved = savePartialDownload(partialStatePathFor(targetPath()), partial_); !saved) {
        fail(QString::fromStdString(saved.error().message), false);
        return false;
    }
    progress_.totalBytes = total;
    if (total > 0 && !hasFreeSpaceFor(total - offset_)) return false;
    return true;
}

bool ModelDownload::handleRangeNotSatisfiable() {
    const ContentRange range = parseContentRange(reply_->rawHeader("Content-Range"));
    dropReply();
    if (offset_ > 0 && range.total == offset_) {
        // The partial already holds every byte (the app stopped between the last byte and the rename).
        partial_.totalBytes = range.total;
        progress_.totalBytes = range.total;
        finishTransfer();
        return false;
    }
    if (offset_ > 0 && !restartedOnce_) {
        restartedOnce_ = true;
        restartFromZero(QStringLiteral("The server could not continue the download from %1 (HTTP 416: the file on the "
                                       "server is %2); downloading it again from the start.")
                            .arg(bytesText(offset_), range.total >= 0 ? bytesText(range.total) : QStringLiteral("of unknown size")));
        sendRequest(0);
        return false;
    }
    fail(QStringLiteral("The server refused the byte range for %1 (HTTP 416).").arg(request_.fileName), false);
    return false;
}

void ModelDownload::onReadyRead() {
    if (!reply_) return;
    // An error page is judged when it has finished: aborting it mid-way makes Qt report the error twice.
    if (!headersHandled_ && httpStatus(reply_) >= 400) return;
    // The body of a redirect Qt is following is not part of the file.
    if (!headersHandled_ && isRedirect(httpStatus(reply_))) {
        reply_->readAll();
        return;
    }
    if (!headersHandled_ && !acceptHeaders()) return;
    const QByteArray data = reply_->readAll();
    if (data.isEmpty()) return;
    stallTimer_.start(request_.stallTimeoutMs);
    fetched_ += data.size();
    progress_.receivedBytes += data.size();
    rate_.add(data.size());
    QMetaObject::invokeMethod(writer_, [w = writer_, data] { w->append(data); }, Qt::QueuedConnection);
    emitProgress();
}

void ModelDownload::onReplyFinished() {
    if (!reply_) return;
    stallTimer_.stop();
    const QNetworkReply::NetworkError error = reply_->error();
    if (!headersHandled_ && httpStatus(reply_) != 0 && !acceptHeaders()) return;
    if (reply_ && reply_->bytesAvailable() > 0) onReadyRead();
    if (!reply_) return;
    if (error != QNetworkReply::NoError) {
        fail(networkErrorMessage(error), progress_.receivedBytes > 0);
        return;
    }
    const qint64 total = progress_.totalBytes;
    if (total >= 0 && progress_.receivedBytes != total) {
        fail(QStringLiteral("The connection ended after %1 of %2; the download can be resumed.")
                 .arg(bytesText(progress_.receivedBytes), bytesText(total)),
             true);
        return;
    }
    dropReply();
    finishTransfer();
}

void ModelDownload::onStalled() {
    fail(QStringLiteral("The server sent nothing for %1 seconds; the download stopped at %2 and can be resumed.")
             .arg(request_.stallTimeoutMs / 1000.0, 0, 'g', 3)
             .arg(bytesText(progress_.receivedBytes)),
         true);
}

QString ModelDownload::networkErrorMessage(QNetworkReply::NetworkError error) const {
    const QString host = request_.url.host();
    const QString got = bytesText(progress_.receivedBytes);
    switch (error) {
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("Cannot find the server %1. Check the address and the internet connection.").arg(host);
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("The server %1 refused the connection.").arg(host);
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::ProxyConnectionClosedError:
        return QStringLiteral("The connection to %1 was cut after %2; the download can be resumed.").arg(host, got);
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return QStringLiteral("The connection to %1 timed out after %2; the download can be resumed.").arg(host, got);
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("The secure connection to %1 failed (certificate or TLS problem).").arg(host);
    case QNetworkReply::TooManyRedirectsError:
        return QStringLiteral("%1 redirected too many times.").arg(request_.url.toString());
    case QNetworkReply::InsecureRedirectError:
        return QStringLiteral("%1 redirected from https to plain http; the download was stopped.").arg(request_.url.toString());
    default:
        return QStringLiteral("The download from %1 failed after %2: %3.").arg(host, got, reply_ ? reply_->errorString() : QString());
    }
}

} // namespace lucent::library
