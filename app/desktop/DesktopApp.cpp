#include "app/desktop/DesktopApp.h"

#include <QDir>
#include <QFileInfo>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Lucent_ChatPlugin)
Q_IMPORT_QML_PLUGIN(Lucent_MarkdownPlugin)
Q_IMPORT_QML_PLUGIN(Lucent_HighlightPlugin)
Q_IMPORT_QML_PLUGIN(LucentPlugin)

namespace lucent::app {

Expected<std::unique_ptr<DesktopApp>> DesktopApp::start(DesktopOptions options) {
    QString dataDir = options.dataDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : options.dataDir;
    if (!QDir().mkpath(dataDir)) return fail("cannot create the data folder " + dataDir.toStdString() + ".");
    auto store = ChatStore::open(QDir(dataDir).filePath("lucent.db").toStdString());
    if (!store) return fail(store.error());

    std::unique_ptr<DesktopApp> app(new DesktopApp());
    app->settingsPath_ = QDir(dataDir).filePath("lucent.ini");
    app->models_ = std::make_unique<ModelController>(std::move(options.backend));
    app->chat_ = std::make_unique<ChatController>(std::move(*store), *app->models_);
    const QString modelsFolder = QDir(dataDir).filePath("models");
    // Models are sized for the GPU the engine will pick (its own memory), else for this computer's RAM.
    const auto gpu = options.discoveryRoots ? std::nullopt : LibraryController::bestGpu();
    app->library_ = std::make_unique<LibraryController>(
        options.discoveryRoots ? *options.discoveryRoots : library::DiscoveryRoots::standard(QDir::homePath(), modelsFolder),
        *app->models_, gpu ? gpu->first : 0, gpu ? gpu->second : QString());

    QSettings settings(app->settingsPath_, QSettings::IniFormat);
    app->models_->setContextLength(settings.value("model/context", 4096).toInt());
    app->models_->setQuantizedKvCache(settings.value("model/kvCache8bit", false).toBool());
    ModelController* models = app->models_.get();
    const QString settingsPath = app->settingsPath_;
    QObject::connect(models, &ModelController::modelReady, models, [models, settingsPath] {
        QSettings saved(settingsPath, QSettings::IniFormat); // the next start loads the same model
        saved.setValue("model/path", models->path());
        saved.setValue("model/context", models->contextLength());
        saved.setValue("model/kvCache8bit", models->quantizedKvCache());
    });

    app->engine_.setInitialProperties({{"chat", QVariant::fromValue(app->chat_.get())},
                                       {"models", QVariant::fromValue(app->models_.get())},
                                       {"library", QVariant::fromValue(app->library_.get())},
                                       {"themeMode", options.theme}});
    app->engine_.load(QUrl("qrc:/qt/qml/Lucent/Main.qml"));
    if (app->engine_.rootObjects().isEmpty()) return fail("the user interface failed to load (see the messages above).");

    const QString model = !options.modelPath.isEmpty() ? options.modelPath : settings.value("model/path").toString();
    if (!model.isEmpty() && (QFileInfo(model).isFile() || !options.modelPath.isEmpty())) app->models_->load(model);
    return app;
}

DesktopApp::~DesktopApp() {
    // QML first (it references the controllers), then the chat (finishing a streaming reply), then the worker.
    for (QObject* root : engine_.rootObjects()) delete root;
    library_.reset();
    chat_.reset();
    models_.reset();
}

QQuickWindow* DesktopApp::window() const {
    const auto roots = engine_.rootObjects();
    return roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(roots.first());
}

} // namespace lucent::app
