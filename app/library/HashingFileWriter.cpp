#include "app/library/HashingFileWriter.h"

#include <QFileInfo>

namespace lucent::library {

namespace {

constexpr qint64 kReadChunk = 1 << 20;

// Hashes the first `limit` bytes of an open file; returns how many were read.
qint64 hashPrefix(QFile& file, QCryptographicHash& hash, qint64 limit) {
    QByteArray buffer(kReadChunk, Qt::Uninitialized);
    qint64 done = 0;
    while (done < limit) {
        const qint64 got = file.read(buffer.data(), std::min<qint64>(kReadChunk, limit - done));
        if (got <= 0) break;
        hash.addData(QByteArrayView(buffer.constData(), got));
        done += got;
    }
    return done;
}

} // namespace

HashingFileWriter::HashingFileWriter() = default;

bool HashingFileWriter::writeFailed(const QString& what) {
    failed_ = true;
    const QString message = QStringLiteral("Cannot %1 %2: %3. Check that the disk is not full and the folder is writable.")
                                .arg(what, file_.fileName(), file_.errorString());
    file_.close();
    emit failed(message);
    return false;
}

void HashingFileWriter::open(const QString& path, qint64 keepBytes) {
    file_.close();
    file_.setFileName(path);
    hash_.reset();
    bytes_ = 0;
    failed_ = false;
    if (!file_.open(QIODevice::ReadWrite)) {
        writeFailed(QStringLiteral("open"));
        return;
    }
    const qint64 kept = hashPrefix(file_, hash_, std::min(keepBytes, file_.size()));
    if (!file_.resize(kept) || !file_.seek(kept)) {
        writeFailed(QStringLiteral("prepare"));
        return;
    }
    bytes_ = kept;
    emit opened(kept);
}

void HashingFileWriter::append(const QByteArray& data) {
    if (failed_ || !file_.isOpen()) return;
    if (file_.write(data) != data.size()) {
        writeFailed(QStringLiteral("write to"));
        return;
    }
    hash_.addData(data);
    bytes_ += data.size();
}

void HashingFileWriter::restart() {
    if (failed_ || !file_.isOpen()) return;
    hash_.reset();
    bytes_ = 0;
    if (!file_.resize(0) || !file_.seek(0)) writeFailed(QStringLiteral("empty"));
}

void HashingFileWriter::finish() {
    if (failed_) return;
    if (!file_.isOpen()) {
        emit failed(QStringLiteral("The download finished but its partial file was not open."));
        return;
    }
    if (!file_.flush()) {
        writeFailed(QStringLiteral("write to"));
        return;
    }
    file_.close();
    emit finished(QString::fromLatin1(hash_.result().toHex()), bytes_);
}

void HashingFileWriter::close() {
    if (file_.isOpen()) file_.flush();
    file_.close();
}

void HashingFileWriter::discard(const QString& partialPath, const QString& statePath) {
    file_.close();
    QFile::remove(partialPath);
    QFile::remove(statePath);
}

QString sha256OfFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const qint64 size = file.size();
    if (hashPrefix(file, hash, size) != size) return {};
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace lucent::library
