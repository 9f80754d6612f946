#include "NginxServer.h"

#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace {

constexpr auto kNginx = "/usr/sbin/nginx";

quint16 freeLoopbackPort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
    return probe.serverPort();
}

} // namespace

NginxServer::NginxServer(QString root) : root_(std::move(root)) { process_.setProcessChannelMode(QProcess::MergedChannels); }

NginxServer::~NginxServer() { stop(); }

bool NginxServer::start(QString& error) {
    if (port_ == 0) port_ = freeLoopbackPort();
    const QString d = dir_.path();
    const QString config = QStringLiteral(R"(daemon off;
master_process off;
worker_processes 1;
error_log %1/error.log;
pid %1/nginx.pid;
events { worker_connections 64; }
http {
  log_format ranges '$status "$request" range=$http_range if_range=$http_if_range';
  access_log %1/access.log ranges;
  client_body_temp_path %1/body;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:%2;
    location /files/ { alias %3/; }
    location /redirect/ { rewrite ^/redirect/(.*)$ /files/$1 redirect; }
    location /throttled/ { alias %3/; limit_rate 2m; }
    location /slow/ { alias %3/; limit_rate 1; }
    location /norange/ { alias %3/; max_ranges 0; }
  }
}
)").arg(d).arg(port_).arg(root_);
    QFile file(d + "/nginx.conf");
    if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0) {
        error = "cannot write the nginx config";
        return false;
    }
    file.close();
    process_.start(kNginx, {"-e", d + "/error.log", "-p", d, "-c", d + "/nginx.conf"});
    if (!process_.waitForStarted(5000)) {
        error = "nginx did not start: " + process_.errorString();
        return false;
    }
    for (int attempt = 0; attempt < 100; ++attempt) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port_);
        if (socket.waitForConnected(100)) return true;
        if (process_.state() == QProcess::NotRunning) break;
        QThread::msleep(50);
    }
    QFile log(d + "/error.log");
    log.open(QIODevice::ReadOnly);
    error = "nginx is not listening on port " + QString::number(port_) + ": " + QString::fromUtf8(process_.readAll()) +
            QString::fromUtf8(log.readAll());
    return false;
}

void NginxServer::kill() {
    if (process_.state() == QProcess::NotRunning) return;
    process_.kill();
    process_.waitForFinished(5000);
}

void NginxServer::stop() {
    if (process_.state() == QProcess::NotRunning) return;
    process_.terminate();
    if (!process_.waitForFinished(5000)) kill();
}

QString NginxServer::url(const QString& path) const { return QStringLiteral("http://127.0.0.1:%1%2").arg(port_).arg(path); }

QString NginxServer::accessLog() const {
    QFile file(dir_.path() + "/access.log");
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}
