import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Lucent.Chat

// The conversation on screen: the model bar, error banners, the messages and the composer.
Item {
    id: page
    required property ChatController chat
    required property ModelController models
    signal settingsRequested()
    signal libraryRequested()

    function focusComposer() { composer.focusInput() }

    FileDialog {
        id: openModel
        title: qsTr("Open a GGUF model")
        nameFilters: [qsTr("GGUF models (*.gguf)"), qsTr("All files (*)")]
        onAccepted: page.models.load(selectedFile)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ModelBar {
            Layout.fillWidth: true
            models: page.models
            onOpenRequested: page.libraryRequested()
            onSettingsRequested: page.settingsRequested()
        }

        ErrorBanner {
            Layout.fillWidth: true
            message: page.models.error
            actionText: qsTr("Open another model")
            onAction: openModel.open()
            onDismissed: page.models.dismissError()
        }
        ErrorBanner {
            Layout.fillWidth: true
            message: page.chat.error
            actionText: page.chat.errorAction === "newChat" ? qsTr("New chat") : page.models.loaded ? "" : qsTr("Open model")
            onAction: {
                if (page.chat.errorAction === "newChat") { page.chat.dismissError(); page.chat.newChat() }
                else openModel.open()
            }
            onDismissed: page.chat.dismissError()
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: messages
                anchors.fill: parent
                anchors.topMargin: Theme.spacing
                clip: true
                spacing: Theme.spacing * 2
                model: page.chat.messages
                // Keep the newest text in view while it streams, unless the reader scrolled up.
                property bool followTail: true
                onMovementEnded: followTail = atYEnd
                onContentHeightChanged: if (followTail) positionViewAtEnd()
                onCountChanged: { followTail = true; positionViewAtEnd() }
                delegate: MessageDelegate {
                    width: messages.width
                    chat: page.chat
                }
                ScrollBar.vertical: ScrollBar {}
                Connections {
                    target: page.chat
                    function onShowRow(row) { if (row >= 0) { messages.followTail = false; messages.positionViewAtIndex(row, ListView.Center) } }
                }
            }

            ColumnLayout {
                anchors.centerIn: parent
                visible: messages.count === 0
                width: Math.min(parent.width - 4 * Theme.spacing, 480)
                spacing: Theme.spacing
                Label {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    font.pixelSize: 22
                    color: Theme.text
                    text: page.models.loaded ? qsTr("What would you like to ask?") : qsTr("Open a model to start chatting")
                }
                Label {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    color: Theme.mutedText
                    text: page.models.loaded
                          ? qsTr("Everything stays on this computer.")
                          : qsTr("Lucent runs GGUF models such as DeepSeek-R1-Distill-Qwen on your own hardware.")
                }
                Button {
                    Layout.alignment: Qt.AlignHCenter
                    visible: !page.models.loaded && !page.models.loading
                    text: qsTr("Choose a model…")
                    onClicked: page.libraryRequested()
                }
            }
        }

        Composer {
            id: composer
            Layout.fillWidth: true
            Layout.maximumWidth: Theme.contentWidth
            Layout.alignment: Qt.AlignHCenter
            Layout.margins: Theme.spacing * 2
            enabled: page.models.loaded
            generating: page.chat.generating
            onSend: (text) => page.chat.send(text)
            onStop: page.chat.stop()
        }
    }
}
