#pragma once
/// @file
/// @brief One model download: HTTP with redirects, progress (bytes, speed, ETA), pause and resume —
/// also across app restarts — with Range/If-Range, cancel, a free-space check, SHA-256 computed while
/// the bytes arrive (off the GUI thread) and an atomic rename once complete and verified.
///
/// Until then the bytes live in `<file>.partial` next to `<file>.partial.json` (PartialDownload), so a
/// failed or interrupted download never leaves a file that looks complete.

#include "app/library/DownloadRequest.h"
#include "app/library/PartialDownload.h"
#include "app/library/TransferRate.h"

#include <QFutureWatcher>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <QTimer>

class QNetworkAccessManager;

namespace lucent::library {

class HashingFileWriter;

/// @brief Where a download stands, for a progress bar.
struct DownloadProgress {
    qint64 receivedBytes = 0;  ///< bytes of the file on disk so far (resumed part included)
    qint64 totalBytes = -1;    ///< full size; -1 while unknown
    double bytesPerSecond = 0; ///< over the last few seconds
    qint64 etaSeconds = -1;    ///< -1 while unknown
};

/// @brief What a finished download produced.
struct DownloadResult {
    QString path;             ///< the complete, verified file
    qint64 bytes = 0;         ///< its size
    qint64 fetchedBytes = 0;  ///< bytes transferred by this run (less than `bytes` after a resume)
    QString sha256;           ///< lower-case hex of the whole file
    bool resumed = false;     ///< this run continued an earlier partial download
    bool alreadyPresent = false; ///< the file was already in the folder: nothing was downloaded
};

/// @brief Downloads one file. Lives on the thread that calls it (the GUI thread); disk writes and
/// hashing run on its own worker thread. start() again after pause() or a resumable failure resumes.
class ModelDownload : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Checking, Downloading, Verifying, Paused, Finished, Failed, Canceled };
    Q_ENUM(State)

    /// @brief `network` may be shared; when null the download makes its own.
    explicit ModelDownload(DownloadRequest request, QNetworkAccessManager* network = nullptr, QObject* parent = nullptr);
    ~ModelDownload() override;

    const DownloadRequest& request() const { return request_; }
    State state() const { return state_; }
    DownloadProgress progress() const { return progress_; }
    /// @brief directory/fileName.
    QString targetPath() const;
    /// @brief The message of the last failure; empty otherwise.
    QString errorMessage() const { return errorMessage_; }
    /// @brief After a failure: whether start() would continue from the kept partial.
    bool canResume() const { return canResume_; }

public slots:
    /// @brief Starts or resumes. Finishes at once, without network, when the file is already there.
    void start();
    /// @brief Stops and keeps the partial for a later start() (also after an app restart).
    void pause();
    /// @brief Stops and deletes the partial.
    void cancel();

signals:
    void stateChanged(lucent::library::ModelDownload::State state);
    void progressChanged(const lucent::library::DownloadProgress& progress);
    /// @brief Something the user should know that is not a failure ("the server cannot resume;
    /// starting again from the beginning").
    void notice(const QString& message);
    void finished(const lucent::library::DownloadResult& result);
    /// @brief A sentence for the user; canResume() says whether start() continues.
    void failed(const QString& message);

private:
    // ModelDownload.cpp: lifecycle
    void setState(State state);
    void checkExistingFile();
    void beginTransfer();
    void sendRequest(qint64 offset);
    bool hasFreeSpaceFor(qint64 bytes);
    void finishTransfer();
    void onWriterFinished(const QString& sha256, qint64 bytes);
    void fail(const QString& message, bool resumable);
    void dropReply();
    // ModelDownloadResponse.cpp: what the server answered
    void onReadyRead();
    void onReplyFinished();
    void onStalled();
    bool acceptHeaders();
    bool handleRangeNotSatisfiable();
    void restartFromZero(const QString& why);
    void emitProgress();
    QString networkErrorMessage(QNetworkReply::NetworkError error) const;

    DownloadRequest request_;
    QNetworkAccessManager* network_;
    QPointer<QNetworkReply> reply_;
    QThread writerThread_;
    HashingFileWriter* writer_; ///< lives on writerThread_
    QFutureWatcher<QString> existingHash_;
    QTimer stallTimer_;
    TransferRate rate_;
    PartialDownload partial_;
    State state_ = State::Idle;
    DownloadProgress progress_;
    QString errorMessage_;
    bool canResume_ = false;
    bool headersHandled_ = false;
    qint64 offset_ = 0;        ///< where this request starts in the file
    qint64 fetched_ = 0;       ///< bytes received by this run
    bool resumed_ = false;
    bool restartedOnce_ = false;
};

} // namespace lucent::library

Q_DECLARE_METATYPE(lucent::library::DownloadProgress)
Q_DECLARE_METATYPE(lucent::library::DownloadResult)
