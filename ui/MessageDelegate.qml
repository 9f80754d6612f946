import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Lucent.Chat

// One message: the question on the right; the answer on the left with its reasoning panel, branch
// navigation (‹ 2/3 ›), copy / edit / regenerate, and the model and speed in small print.
Item {
    id: delegate
    required property ChatController chat
    required property var messageId
    required property string role
    required property string content
    required property string reasoning
    required property var reasoningMs
    required property bool streaming
    required property bool thinking
    required property int siblingIndex
    required property int siblingCount
    required property string model
    required property real tokensPerSecond
    required property var tokens
    required property string finishReason

    readonly property bool isUser: role === "user"
    property bool editing: false
    implicitHeight: column.implicitHeight

    ColumnLayout {
        id: column
        width: Math.min(parent.width - Theme.spacing * 4, Theme.contentWidth)
        anchors.horizontalCenter: parent.horizontalCenter
        spacing: 4

        // Made only when shown: a hidden panel would still lay out every streamed piece.
        Loader {
            Layout.fillWidth: true
            active: !delegate.isUser && !delegate.chat.hideReasoning && delegate.reasoning.length > 0
            visible: active
            sourceComponent: ReasoningPanel {
                reasoning: delegate.reasoning
                thinking: delegate.thinking
                streaming: delegate.streaming
                reasoningMs: Number(delegate.reasoningMs)
                answered: delegate.content.length > 0
            }
        }

        Rectangle {
            id: bubble
            visible: !delegate.editing && (delegate.content.length > 0 || (delegate.streaming && delegate.reasoning.length === 0))
            Layout.alignment: delegate.isUser ? Qt.AlignRight : Qt.AlignLeft
            Layout.maximumWidth: delegate.isUser ? column.width * 0.8 : column.width
            Layout.preferredWidth: delegate.isUser ? Math.min(text.implicitWidth + 2 * Theme.spacing + 4, column.width * 0.8) : column.width
            implicitHeight: (answer.visible ? answer.implicitHeight : text.implicitHeight) + (delegate.isUser ? 2 * Theme.spacing : 0)
            radius: Theme.radius
            color: delegate.isUser ? Theme.userBubble : "transparent"

            MessageText {
                id: text
                visible: delegate.isUser || delegate.content.length === 0
                anchors.fill: parent
                anchors.margins: delegate.isUser ? Theme.spacing : 0
                markdown: false
                text: delegate.content.length > 0 || !delegate.streaming || delegate.reasoning.length > 0 ? delegate.content : "…"
            }
            MarkdownView {
                id: answer
                visible: !delegate.isUser && delegate.content.length > 0
                width: parent.width
                markdown: delegate.isUser ? "" : delegate.content
            }
        }

        ColumnLayout {
            visible: delegate.editing
            Layout.fillWidth: true
            TextArea {
                id: editor
                Layout.fillWidth: true
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Edit message")
            }
            RowLayout {
                Layout.alignment: Qt.AlignRight
                Button { text: qsTr("Cancel"); onClicked: delegate.editing = false }
                Button {
                    text: qsTr("Send")
                    highlighted: true
                    onClicked: { delegate.chat.editMessage(delegate.messageId, editor.text); delegate.editing = false }
                }
            }
        }

        RowLayout {
            Layout.alignment: delegate.isUser ? Qt.AlignRight : Qt.AlignLeft
            spacing: 2
            visible: !delegate.streaming && !delegate.editing

            RowLayout {
                visible: delegate.siblingCount > 1
                spacing: 0
                ToolButton {
                    text: "‹"
                    enabled: delegate.siblingIndex > 0 && !delegate.chat.generating
                    Accessible.name: qsTr("Previous version")
                    onClicked: delegate.chat.showSibling(delegate.messageId, -1)
                }
                Label {
                    text: qsTr("%1/%2").arg(delegate.siblingIndex + 1).arg(delegate.siblingCount)
                    color: Theme.mutedText
                    font.pixelSize: 12
                }
                ToolButton {
                    text: "›"
                    enabled: delegate.siblingIndex + 1 < delegate.siblingCount && !delegate.chat.generating
                    Accessible.name: qsTr("Next version")
                    onClicked: delegate.chat.showSibling(delegate.messageId, +1)
                }
            }
            ToolButton {
                text: qsTr("Copy")
                font.pixelSize: 12
                Accessible.name: qsTr("Copy message")
                onClicked: delegate.chat.copyToClipboard(delegate.content)
            }
            ToolButton {
                visible: delegate.isUser
                enabled: !delegate.chat.generating
                text: qsTr("Edit")
                font.pixelSize: 12
                Accessible.name: qsTr("Edit message")
                onClicked: { editor.text = delegate.content; delegate.editing = true }
            }
            ToolButton {
                visible: !delegate.isUser
                enabled: !delegate.chat.generating
                text: qsTr("Regenerate")
                font.pixelSize: 12
                Accessible.name: qsTr("Regenerate answer")
                onClicked: delegate.chat.regenerate(delegate.messageId)
            }
            Label {
                visible: !delegate.isUser && delegate.model.length > 0
                color: Theme.mutedText
                font.pixelSize: 11
                text: {
                    const parts = [delegate.model]
                    if (delegate.tokensPerSecond > 0) parts.push(qsTr("%1 tokens/s").arg(delegate.tokensPerSecond.toFixed(1)))
                    const tokens = Number(delegate.tokens)
                    if (tokens > 0) parts.push(tokens === 1 ? qsTr("1 token") : qsTr("%1 tokens").arg(tokens))
                    if (tokens > 0 && delegate.tokensPerSecond > 0) parts.push(qsTr("%1 s").arg((tokens / delegate.tokensPerSecond).toFixed(1)))
                    if (delegate.finishReason === "cancelled") parts.push(qsTr("stopped"))
                    else if (delegate.finishReason === "length") parts.push(qsTr("cut off at the token limit"))
                    else if (delegate.finishReason === "error") parts.push(qsTr("failed"))
                    return parts.join(" · ")
                }
            }
        }
    }
}
