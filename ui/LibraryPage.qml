import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Lucent.Chat

// The model library: models to download (the recommended one marked), the ones already on this
// computer (Lucent's and other apps', used in place), whether each fits, and an open-file button.
Popup {
    id: page
    required property LibraryController library
    required property ModelController models
    modal: true
    focus: true
    padding: Theme.spacing * 2
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 80 : 900, 900)
    height: parent ? parent.height - 80 : 700
    background: Rectangle { color: Theme.background; radius: Theme.radius; border.color: Theme.border }

    function humanBytes(bytes) {
        if (bytes >= 1e9) return qsTr("%1 GB").arg((bytes / 1e9).toFixed(1))
        return qsTr("%1 MB").arg((bytes / 1e6).toFixed(0))
    }
    function humanEta(seconds) {
        if (seconds < 0) return ""
        if (seconds >= 3600) return qsTr("%1 h %2 min left").arg(Math.floor(seconds / 3600)).arg(Math.floor(seconds % 3600 / 60))
        if (seconds >= 60) return qsTr("%1 min left").arg(Math.ceil(seconds / 60))
        return qsTr("%1 s left").arg(seconds)
    }

    FileDialog {
        id: openFile
        title: qsTr("Open a GGUF model")
        nameFilters: [qsTr("GGUF models (*.gguf)"), qsTr("All files (*)")]
        onAccepted: { page.models.load(selectedFile); page.close() }
    }
    FolderDialog {
        id: addFolder
        title: qsTr("Add a folder with models")
        onAccepted: page.library.addFolder(selectedFolder)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            Label { text: qsTr("Models"); font.pixelSize: 20; font.bold: true; color: Theme.text; Layout.fillWidth: true }
            BusyIndicator { running: page.library.scanning; visible: running; implicitWidth: 24; implicitHeight: 24 }
            Button { text: qsTr("Add folder…"); onClicked: addFolder.open() }
            Button { text: qsTr("Open file…"); onClicked: openFile.open() }
            ToolButton { text: "✕"; Accessible.name: qsTr("Close"); onClicked: page.close() }
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.mutedText
            text: (page.library.deviceName.length > 0
                   ? qsTr("Models are sized for %1 (%2 of graphics memory).").arg(page.library.deviceName).arg(page.humanBytes(page.library.memoryBudget))
                   : qsTr("No graphics card found: models run on the processor, with about %1 of memory for a model.").arg(page.humanBytes(page.library.memoryBudget)))
                  + " " + qsTr("Downloads go to %1. Models other apps keep are used where they are.").arg(page.library.modelsFolder)
        }

        ListView {
            id: list
            objectName: "libraryList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 4
            model: page.library.models
            section.property: "kind"
            section.delegate: Label {
                required property string section
                text: section === "catalog" ? qsTr("Available to download") : qsTr("On this computer")
                font.bold: true
                color: Theme.mutedText
                topPadding: Theme.spacing
            }
            ScrollBar.vertical: ScrollBar {}
            delegate: Rectangle {
                id: row
                required property string kind
                required property string entryId
                required property string title
                required property string detail
                required property string source
                required property string path
                required property var sizeBytes
                required property bool fits
                required property bool recommended
                required property var estimateBytes
                required property string downloadState
                required property real progress
                required property real bytesPerSecond
                required property var etaSeconds
                required property string message
                required property string problem
                width: ListView.view.width
                implicitHeight: rowLayout.implicitHeight + Theme.spacing * 2
                radius: Theme.radius
                color: recommended ? Theme.userBubble : Theme.surface
                Accessible.name: title

                RowLayout {
                    id: rowLayout
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 2
                        RowLayout {
                            Label { text: row.title; font.bold: true; color: Theme.text; elide: Text.ElideRight; Layout.fillWidth: true }
                            Label { visible: row.recommended; text: qsTr("Recommended for this computer"); color: Theme.accent; font.pixelSize: 12 }
                        }
                        Label {
                            Layout.fillWidth: true
                            elide: Text.ElideRight
                            color: Theme.mutedText
                            font.pixelSize: 12
                            text: [row.detail, row.kind === "local" ? row.source : "", page.humanBytes(Number(row.sizeBytes)),
                                   row.fits ? qsTr("fits (about %1)").arg(page.humanBytes(Number(row.estimateBytes)))
                                            : qsTr("needs about %1, more than there is").arg(page.humanBytes(Number(row.estimateBytes)))]
                                  .filter(s => s.length > 0).join(" · ")
                        }
                        Label {
                            visible: row.problem.length > 0 || row.message.length > 0
                            Layout.fillWidth: true
                            wrapMode: Text.Wrap
                            color: row.downloadState === "failed" || row.problem.length > 0 ? Theme.error : Theme.mutedText
                            font.pixelSize: 12
                            text: row.problem.length > 0 ? row.problem : row.message
                        }
                        ProgressBar {
                            visible: row.downloadState.length > 0 && row.downloadState !== "failed"
                            Layout.fillWidth: true
                            value: row.progress
                            Accessible.name: qsTr("Download progress")
                        }
                        Label {
                            visible: row.downloadState === "downloading"
                            color: Theme.mutedText
                            font.pixelSize: 12
                            text: qsTr("%1%, %2/s, %3").arg(Math.floor(row.progress * 100)).arg(page.humanBytes(row.bytesPerSecond))
                                  .arg(page.humanEta(Number(row.etaSeconds)))
                        }
                    }
                    Button {
                        visible: row.path.length > 0 && row.problem.length === 0
                        text: page.models.path === row.path ? qsTr("Loaded") : qsTr("Use")
                        enabled: page.models.path !== row.path && !page.models.loading
                        highlighted: row.recommended
                        onClicked: { page.library.open(row.path); page.close() }
                    }
                    Button {
                        visible: row.kind === "catalog" && row.path.length === 0 && row.downloadState !== "downloading" && row.downloadState !== "verifying"
                        text: row.downloadState === "paused" ? qsTr("Resume") : qsTr("Download")
                        highlighted: row.recommended
                        Accessible.name: qsTr("Download %1").arg(row.title)
                        onClicked: page.library.download(row.entryId)
                    }
                    Button {
                        visible: row.downloadState === "downloading"
                        text: qsTr("Pause")
                        onClicked: page.library.pause(row.entryId)
                    }
                    Button {
                        visible: row.downloadState === "downloading" || row.downloadState === "paused"
                        text: qsTr("Cancel")
                        onClicked: page.library.cancel(row.entryId)
                    }
                }
            }
        }
    }
}
