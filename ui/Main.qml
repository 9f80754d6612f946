import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Lucent.Chat

// The main window: conversations on the left, the chat on the right.
ApplicationWindow {
    id: window
    required property ChatController chat
    required property ModelController models
    required property LibraryController library
    property string themeMode: "system" // system, light or dark

    SystemPalette { id: systemPalette }
    Component.onCompleted: {
        Theme.dark = themeMode === "dark" || (themeMode === "system" && systemPalette.window.hslLightness < 0.5)
        library.refresh()
    }

    width: 1200
    height: 800
    visible: true
    title: chat.title.length > 0 ? qsTr("%1 — Lucent").arg(chat.title) : qsTr("Lucent")
    color: Theme.background
    palette.window: Theme.background
    palette.windowText: Theme.text
    palette.base: Theme.surface
    palette.text: Theme.text
    palette.button: Theme.surface
    palette.buttonText: Theme.text
    palette.highlight: Theme.highlight
    palette.highlightedText: Theme.highlightedText
    palette.placeholderText: Theme.mutedText
    palette.mid: Theme.border

    Shortcut { sequence: StandardKey.New; onActivated: { window.chat.newChat(); chatPage.focusComposer() } }
    Shortcut { sequence: "Ctrl+K"; onActivated: sidebar.focusSearch() }
    Shortcut { sequence: "Esc"; enabled: window.chat.generating; onActivated: window.chat.stop() }
    Shortcut {
        sequence: "Ctrl+Shift+C"
        onActivated: {
            const code = window.chat.lastCodeBlock()
            if (code.length > 0) window.chat.copyToClipboard(code)
        }
    }
    Shortcut { sequence: "Ctrl+,"; onActivated: settings.open() }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Sidebar {
            id: sidebar
            chat: window.chat
            Layout.preferredWidth: Theme.sidebarWidth
            Layout.fillHeight: true
        }
        Rectangle { Layout.fillHeight: true; width: 1; color: Theme.border }
        ChatPage {
            id: chatPage
            chat: window.chat
            models: window.models
            Layout.fillWidth: true
            Layout.fillHeight: true
            onSettingsRequested: settings.open()
            onLibraryRequested: libraryPage.open()
        }
    }

    LibraryPage {
        id: libraryPage
        library: window.library
        models: window.models
    }
    // A fresh install: no model anywhere → the library opens with its recommendation.
    Connections {
        target: window.library
        function onScanFinished() {
            if (!window.library.hasLocalModels && !window.models.loaded && !window.models.loading) libraryPage.open()
        }
    }

    SettingsDrawer {
        id: settings
        chat: window.chat
        models: window.models
        height: window.height
    }
}
