import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Lucent.Chat

// Conversations grouped by date, pinned first; search over every message; rename, pin, delete (undo).
Rectangle {
    id: sidebar
    required property ChatController chat
    color: Theme.sidebar

    function focusSearch() { searchField.forceActiveFocus(); searchField.selectAll() }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        Button {
            Layout.fillWidth: true
            text: qsTr("New chat")
            icon.name: "document-new"
            Accessible.name: qsTr("New chat")
            onClicked: sidebar.chat.newChat()
        }

        TextField {
            id: searchField
            Layout.fillWidth: true
            placeholderText: qsTr("Search chats (Ctrl+K)")
            Accessible.name: qsTr("Search chats")
            selectByMouse: true
            onTextChanged: searchDelay.restart()
            Keys.onEscapePressed: text = ""
        }
        Timer {
            id: searchDelay
            interval: 150
            onTriggered: results.model = searchField.text.trim().length > 0 ? sidebar.chat.search(searchField.text) : []
        }

        ListView {
            id: results
            visible: searchField.text.trim().length > 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: []
            delegate: ItemDelegate {
                required property var modelData
                width: ListView.view.width
                Accessible.name: modelData.title
                contentItem: ColumnLayout {
                    spacing: 2
                    Label { text: modelData.title; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true; color: Theme.text }
                    Label {
                        text: modelData.snippet
                        textFormat: Text.StyledText
                        wrapMode: Text.Wrap
                        maximumLineCount: 3
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                        color: Theme.mutedText
                    }
                }
                onClicked: sidebar.chat.openMessage(modelData.conversationId, modelData.messageId)
            }
            Label {
                anchors.centerIn: parent
                visible: results.count === 0
                text: qsTr("No messages match.")
                color: Theme.mutedText
            }
        }

        ListView {
            id: list
            visible: !results.visible
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: sidebar.chat.conversations
            section.property: "section"
            section.delegate: Label {
                required property string section
                text: section
                color: Theme.mutedText
                font.pixelSize: 12
                font.bold: true
                topPadding: Theme.spacing
                bottomPadding: 2
                leftPadding: 4
            }
            delegate: ConversationItem {
                width: ListView.view.width
                chat: sidebar.chat
            }
        }

        Rectangle {
            visible: sidebar.chat.canUndoDelete
            Layout.fillWidth: true
            implicitHeight: undoRow.implicitHeight + Theme.spacing
            radius: Theme.radius
            color: Theme.surface
            RowLayout {
                id: undoRow
                anchors.fill: parent
                anchors.margins: 4
                Label { text: qsTr("Chat deleted"); color: Theme.text; Layout.fillWidth: true }
                Button { text: qsTr("Undo"); flat: true; onClicked: sidebar.chat.undoDelete() }
            }
        }
    }
}
