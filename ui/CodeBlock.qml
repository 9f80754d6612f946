import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Lucent.Highlight

// A fenced code block: language label, Copy button, code coloured with KDE's syntax definitions.
Rectangle {
    id: block
    objectName: "codeBlock"
    property string code
    property string language
    readonly property bool highlighted: colours.highlighted
    readonly property string shownHtml: colours.html
    signal copied()

    radius: Theme.radius
    color: Theme.codeBackground
    border.color: Theme.border
    implicitHeight: layout.implicitHeight
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Code block, %1").arg(language.length > 0 ? language : qsTr("plain text"))

    HighlightedCode {
        id: colours
        code: block.code
        language: block.language
        dark: Theme.dark
    }

    ColumnLayout {
        id: layout
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing
            Label {
                text: block.language.length > 0 ? block.language : qsTr("code")
                color: Theme.mutedText
                font.pixelSize: 12
                Layout.fillWidth: true
            }
            ToolButton {
                id: copyButton
                objectName: "copyCodeButton"
                property bool done: false
                text: done ? qsTr("Copied") : qsTr("Copy")
                font.pixelSize: 12
                Accessible.name: qsTr("Copy code")
                onClicked: {
                    chatClipboard.text = block.code
                    chatClipboard.selectAll()
                    chatClipboard.copy()
                    done = true
                    resetCopied.restart()
                    block.copied()
                }
                Timer { id: resetCopied; interval: 1500; onTriggered: copyButton.done = false }
            }
        }
        Rectangle { Layout.fillWidth: true; height: 1; color: Theme.border }
        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: codeText.implicitHeight + 2
            ScrollBar.vertical.policy: ScrollBar.AlwaysOff
            TextEdit {
                id: codeText
                padding: Theme.spacing
                text: colours.html
                textFormat: TextEdit.RichText
                readOnly: true
                selectByMouse: true
                color: Theme.text
                selectionColor: Theme.selection
                font.family: "monospace"
                font.pixelSize: 14
                Accessible.role: Accessible.StaticText
                Accessible.name: block.code
            }
        }
    }
    // The clipboard through a hidden text field (QML has no clipboard type of its own).
    TextEdit { id: chatClipboard; visible: false }
}
