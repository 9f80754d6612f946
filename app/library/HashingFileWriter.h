#pragma once
/// @file
/// @brief Appends a download's bytes to its partial file and hashes them as they pass, on a worker
/// thread: the GUI thread never waits for the disk or SHA-256, and the hash is ready the moment the
/// last byte is written.

#include <QCryptographicHash>
#include <QFile>
#include <QObject>

namespace lucent::library {

/// @brief Lives on a worker thread; the download calls its functions there with queued invocations
/// (they run in call order) and hears back through the signals.
class HashingFileWriter : public QObject {
    Q_OBJECT
public:
    HashingFileWriter();

    /// @brief Opens `path` for appending, keeps its first `keepBytes` (re-hashing them, so a resumed
    /// download ends with the hash of the whole file) and drops anything after. Emits opened() or failed().
    void open(const QString& path, qint64 keepBytes);
    /// @brief Appends and hashes. Ignored after a failure.
    void append(const QByteArray& data);
    /// @brief Empties the file and the hash (the server sent the whole file instead of the rest).
    void restart();
    /// @brief Flushes and closes; emits finished() with the hex SHA-256 and the file size.
    void finish();
    /// @brief Flushes and closes (pause): the partial stays for a later resume.
    void close();
    /// @brief Closes the file and deletes `partialPath` and `statePath` (cancel, checksum mismatch).
    void discard(const QString& partialPath, const QString& statePath);

signals:
    void opened(qint64 keptBytes);
    void finished(const QString& sha256, qint64 bytes);
    void failed(const QString& message);

private:
    bool writeFailed(const QString& what);

    QFile file_;
    QCryptographicHash hash_{QCryptographicHash::Sha256};
    qint64 bytes_ = 0;
    bool failed_ = false;
};

/// @brief SHA-256 of a whole file in lower-case hex; empty when it cannot be read. Blocking: run it
/// off the GUI thread (QtConcurrent).
QString sha256OfFile(const QString& path);

} // namespace lucent::library
