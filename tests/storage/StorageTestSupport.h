#pragma once
// Small helpers shared by the storage tests.

#include "inference/core/Expected.h"
#include "storage/Database.h"
#include "storage/Statement.h"

#include <QCryptographicHash>
#include <QFile>
#include <QString>
#include <QtGlobal>
#include <utility>

/// Unwraps a result the test needs to go on; a failure ends the test run loudly with its message.
template <typename T>
T must(lucent::Expected<T> result, const char* what = "storage call") {
    if (!result) qFatal("%s failed: %s", what, result.error().message.c_str());
    return std::move(*result);
}

inline void must(lucent::Expected<void> result, const char* what = "storage call") {
    if (!result) qFatal("%s failed: %s", what, result.error().message.c_str());
}

/// SHA-256 of a file's bytes ("" when it cannot be read): proves a file was left untouched.
inline QByteArray fileHash(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
}

/// The first line of PRAGMA integrity_check: "ok" for a sound file.
inline QString integrityCheck(lucent::Database& db) {
    auto check = must(db.prepare("PRAGMA integrity_check"), "integrity_check");
    if (!must(check.step(), "integrity_check")) return {};
    return QString::fromStdString(check.columnText(0));
}
