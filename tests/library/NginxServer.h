#pragma once
/// @file
/// @brief A private nginx on a free loopback port for download tests: its own config, logs and pid in
/// a temporary folder, in the foreground (never the system service), stopped by the destructor.

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

/// @brief Serves `root` with the locations the download tests need:
/// /files/ plain, /redirect/ → 302 to /files/, /throttled/ at 2 MB/s, /slow/ at 1 byte/s,
/// /norange/ without Range support (max_ranges 0).
class NginxServer {
public:
    explicit NginxServer(QString root);
    ~NginxServer();
    NginxServer(const NginxServer&) = delete;
    NginxServer& operator=(const NginxServer&) = delete;

    /// @brief Starts (again, on the same port); false with `error` set when nginx does not come up.
    bool start(QString& error);
    /// @brief SIGKILL: connections are cut mid-transfer, as when a server or network dies.
    void kill();
    /// @brief Graceful stop.
    void stop();
    /// @brief http://127.0.0.1:<port><path>
    QString url(const QString& path) const;
    /// @brief The access log so far (one line per request: "<status> <request line> <range>").
    QString accessLog() const;

private:
    QString root_;
    QTemporaryDir dir_;
    QProcess process_;
    quint16 port_ = 0;
};
