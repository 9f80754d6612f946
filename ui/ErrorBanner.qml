import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A problem the user should know about, with an optional action and a dismiss button.
Rectangle {
    id: banner
    property string message
    property string actionText
    signal action()
    signal dismissed()

    visible: message.length > 0
    implicitHeight: visible ? row.implicitHeight + Theme.spacing * 2 : 0
    color: Theme.errorBackground
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: Theme.spacing
        Label {
            Layout.fillWidth: true
            text: banner.message
            wrapMode: Text.Wrap
            color: Theme.error
        }
        Button { visible: banner.actionText.length > 0; text: banner.actionText; onClicked: banner.action() }
        ToolButton { text: "✕"; Accessible.name: qsTr("Dismiss"); onClicked: banner.dismissed() }
    }
}
