import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Lucent.Chat

// Which model answers: name, architecture, size, quantization, device; open another; settings.
ToolBar {
    id: bar
    required property ModelController models
    signal openRequested()
    signal settingsRequested()
    topPadding: 6
    bottomPadding: 6

    background: Rectangle { color: Theme.background; Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border } }

    function humanBytes(bytes) {
        if (bytes >= 1e9) return qsTr("%1 GB").arg((bytes / 1e9).toFixed(1))
        return qsTr("%1 MB").arg((bytes / 1e6).toFixed(0))
    }
    function humanParameters(n) {
        if (n >= 1e9) return qsTr("%1B parameters").arg((n / 1e9).toFixed(1))
        return qsTr("%1M parameters").arg((n / 1e6).toFixed(1))
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing

        BusyIndicator { running: bar.models.loading; visible: running; implicitWidth: 28; implicitHeight: 28 }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                font.bold: true
                color: Theme.text
                text: bar.models.loading ? qsTr("Loading model… %1%").arg(Math.floor(bar.models.loadProgress * 100)) : bar.models.loaded ? bar.models.name : qsTr("No model loaded")
            }
            ProgressBar {
                Layout.fillWidth: true
                visible: bar.models.loading
                value: bar.models.loadProgress
                Accessible.name: qsTr("Loading the model")
            }
            Label {
                Layout.fillWidth: true
                visible: bar.models.loaded
                elide: Text.ElideRight
                font.pixelSize: 12
                color: Theme.mutedText
                text: bar.models.loaded
                      ? [bar.models.info.architecture, bar.humanParameters(bar.models.info.parameters), bar.models.info.quantization,
                         bar.humanBytes(bar.models.info.fileBytes), bar.models.info.device,
                         qsTr("%1 tokens context").arg(bar.models.info.contextLength)].join(" · ")
                      : ""
            }
        }
        Button {
            text: qsTr("Models…")
            enabled: !bar.models.loading
            Accessible.name: qsTr("Choose a model")
            onClicked: bar.openRequested()
        }
        ToolButton {
            text: "⚙"
            Accessible.name: qsTr("Chat settings")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Settings (Ctrl+,)")
            onClicked: bar.settingsRequested()
        }
    }
}
