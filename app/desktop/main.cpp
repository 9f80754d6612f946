// lucent: the desktop chat app.
#include "app/desktop/DesktopApp.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQuickStyle>

#include <cstdio>

int main(int argc, char** argv) {
    QGuiApplication application(argc, argv);
    QGuiApplication::setApplicationName("Lucent");
    QGuiApplication::setOrganizationName("Lucent");
    QGuiApplication::setApplicationVersion(LUCENT_VERSION);
    QQuickStyle::setStyle("Fusion");

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main", "A private, offline chat app for reasoning models."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({"data-dir", QCoreApplication::translate("main", "Folder with lucent.db (default: the app-data folder)."), "DIR"});
    parser.addOption({"model", QCoreApplication::translate("main", "GGUF model to load."), "FILE"});
    parser.addOption({"theme", QCoreApplication::translate("main", "system, light or dark."), "THEME", "system"});
    parser.process(application);

    lucent::app::DesktopOptions options;
    options.dataDir = parser.value("data-dir");
    options.modelPath = parser.value("model");
    options.theme = parser.value("theme");
    auto app = lucent::app::DesktopApp::start(std::move(options));
    if (!app) {
        std::fprintf(stderr, "error: %s\n", app.error().message.c_str());
        return 1;
    }
    return application.exec();
}
