import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Where the question is typed: Enter sends, Shift+Enter starts a new line; Stop while a reply streams.
Rectangle {
    id: composer
    property bool generating: false
    signal send(string text)
    signal stop()

    function focusInput() { input.forceActiveFocus() }
    function submit() {
        if (composer.generating || input.text.trim().length === 0) return
        composer.send(input.text)
        input.text = ""
    }

    radius: Theme.radius * 1.5
    color: Theme.surface
    border.color: input.activeFocus ? Theme.accent : Theme.border
    implicitHeight: Math.min(row.implicitHeight, 220) + Theme.spacing
    opacity: enabled ? 1.0 : 0.6

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: Theme.spacing / 2
        spacing: Theme.spacing

        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            TextArea {
                id: input
                objectName: "composerInput"
                wrapMode: TextEdit.Wrap
                placeholderText: composer.enabled ? qsTr("Message (Enter to send, Shift+Enter for a new line)") : qsTr("Open a model first")
                Accessible.name: qsTr("Message")
                background: null
                color: Theme.text
                font.pixelSize: 15
                Keys.onPressed: (event) => {
                    if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && !(event.modifiers & Qt.ShiftModifier)) {
                        composer.submit()
                        event.accepted = true
                    }
                }
            }
        }
        Button {
            objectName: "sendButton"
            Layout.alignment: Qt.AlignBottom
            text: composer.generating ? qsTr("Stop") : qsTr("Send")
            highlighted: !composer.generating
            enabled: composer.generating || input.text.trim().length > 0
            Accessible.name: composer.generating ? qsTr("Stop generating") : qsTr("Send message")
            onClicked: composer.generating ? composer.stop() : composer.submit()
        }
    }
}
