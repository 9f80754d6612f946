import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Lucent.Chat

// One conversation in the sidebar: click to open, double-click or the menu to rename, pin or delete.
ItemDelegate {
    id: item
    required property ChatController chat
    required property var conversationId
    required property string title
    required property bool pinned

    highlighted: chat.conversationId === conversationId
    Accessible.name: title
    onClicked: chat.openConversation(conversationId)
    onDoubleClicked: editing = true

    property bool editing: false

    contentItem: RowLayout {
        Label {
            visible: !item.editing
            text: (item.pinned ? "📌 " : "") + item.title
            elide: Text.ElideRight
            color: Theme.text
            Layout.fillWidth: true
        }
        TextField {
            id: editor
            visible: item.editing
            text: item.title
            Layout.fillWidth: true
            Accessible.name: qsTr("Chat title")
            onVisibleChanged: if (visible) { forceActiveFocus(); selectAll() }
            onAccepted: { item.chat.renameConversation(item.conversationId, text); item.editing = false }
            Keys.onEscapePressed: item.editing = false
            onActiveFocusChanged: if (!activeFocus) item.editing = false
        }
        ToolButton {
            text: "⋯"
            Accessible.name: qsTr("Chat actions")
            onClicked: menu.popup()
        }
    }

    TapHandler { acceptedButtons: Qt.RightButton; onTapped: menu.popup() }

    Menu {
        id: menu
        MenuItem { text: qsTr("Rename"); onTriggered: item.editing = true }
        MenuItem { text: item.pinned ? qsTr("Unpin") : qsTr("Pin"); onTriggered: item.chat.setPinned(item.conversationId, !item.pinned) }
        MenuItem { text: qsTr("Delete"); onTriggered: item.chat.deleteConversation(item.conversationId) }
    }
}
