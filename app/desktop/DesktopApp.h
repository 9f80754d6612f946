#pragma once
/// @file
/// @brief The desktop app put together: the chat database, the model and chat controllers, the QML
/// window. main() and the end-to-end tests start it the same way.

#include "app/chat/ChatController.h"
#include "app/chat/LibraryController.h"
#include "app/chat/ModelController.h"

#include <QQmlApplicationEngine>
#include <QString>

#include <memory>
#include <optional>

class QQuickWindow;

namespace lucent::app {

/// @brief What the app starts with.
struct DesktopOptions {
    QString dataDir;          ///< holds lucent.db and lucent.ini; empty: the platform's app-data folder
    QString modelPath;        ///< load this model; empty: the one used last time, if it still exists
    QString theme = "system"; ///< system, light or dark
    std::unique_ptr<ChatBackend> backend; ///< null: the engine (tests may script one)
    /// Where to look for models other apps keep; empty: the usual places under the home folder.
    std::optional<library::DiscoveryRoots> discoveryRoots;
};

/// @brief The running app.
class DesktopApp {
public:
    /// @brief Opens the database and shows the window. Errors (a locked or damaged database, a
    /// data folder that cannot be created) are sentences for the user.
    static Expected<std::unique_ptr<DesktopApp>> start(DesktopOptions options);
    ~DesktopApp();

    ChatController& chat() { return *chat_; }
    ModelController& models() { return *models_; }
    LibraryController& library() { return *library_; }
    QQuickWindow* window() const;
    QQmlApplicationEngine& engine() { return engine_; }

private:
    DesktopApp() = default;

    QString settingsPath_;
    std::unique_ptr<ModelController> models_;
    std::unique_ptr<ChatController> chat_;
    std::unique_ptr<LibraryController> library_;
    QQmlApplicationEngine engine_;
};

} // namespace lucent::app
