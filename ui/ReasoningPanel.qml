import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The model's reasoning, apart from its answer: open and live while it thinks ("Thinking… 12 s"),
// folded to "Thought for 14 s" when the answer begins; click to open or fold again.
Rectangle {
    id: panel
    objectName: "reasoningPanel"
    readonly property string headerText: header.text
    property string reasoning
    property bool thinking: false
    property bool streaming: false
    property real reasoningMs: 0
    property bool answered: false // the answer has begun
    property bool expanded: !answered
    property real startedAt: 0
    property real elapsedSeconds: 0

    radius: Theme.radius
    color: Theme.reasoningBackground
    border.color: Theme.border
    implicitHeight: layout.implicitHeight + Theme.spacing
    Accessible.role: Accessible.Grouping
    Accessible.name: header.text

    onThinkingChanged: if (thinking) { startedAt = Date.now(); expanded = true }
    // The answer begins: fold the reasoning away. A reply that ended while still thinking keeps it open,
    // since the reasoning is all there is to read.
    onAnsweredChanged: if (answered) expanded = false
    Component.onCompleted: {
        if (thinking) startedAt = Date.now()
        body.text = reasoning
    }

    Timer {
        running: panel.thinking
        interval: 250
        repeat: true
        triggeredOnStart: true
        onTriggered: panel.elapsedSeconds = (Date.now() - panel.startedAt) / 1000
    }

    readonly property real shownSeconds: thinking ? elapsedSeconds : reasoningMs / 1000

    // Streamed reasoning only grows: append the new tail (the document lays out just its last
    // paragraph again) instead of replacing the whole text every frame.
    onReasoningChanged: {
        const shown = body.length
        if (reasoning.length >= shown && reasoning.startsWith(body.text)) {
            if (reasoning.length > shown) body.insert(shown, reasoning.slice(shown))
        } else {
            body.text = reasoning
        }
    }

    ColumnLayout {
        id: layout
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.spacing / 2
        spacing: 0

        ItemDelegate {
            id: headerButton
            Layout.fillWidth: true
            Accessible.name: header.text
            Accessible.role: Accessible.Button
            onClicked: panel.expanded = !panel.expanded
            contentItem: RowLayout {
                Label { text: panel.expanded ? "▾" : "▸"; color: Theme.reasoningText }
                Label {
                    id: header
                    Layout.fillWidth: true
                    color: Theme.reasoningText
                    font.italic: panel.thinking
                    text: panel.thinking ? qsTr("Thinking… %1 s").arg(Math.floor(panel.shownSeconds))
                        : panel.reasoningMs > 0 ? qsTr("Thought for %1 s").arg(Math.max(1, Math.round(panel.shownSeconds)))
                        : qsTr("Reasoning")
                }
            }
        }

        ScrollView {
            id: scroller
            visible: panel.expanded
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(body.implicitHeight, panel.thinking ? 240 : 480)
            clip: true
            ScrollBar.horizontal.policy: ScrollBar.AlwaysOff
            TextEdit {
                id: body
                objectName: "reasoningBody"
                width: scroller.availableWidth
                padding: Theme.spacing
                readOnly: true
                selectByMouse: true
                wrapMode: TextEdit.Wrap
                textFormat: TextEdit.PlainText
                color: Theme.reasoningText
                selectionColor: Theme.selection
                font.pixelSize: 14
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Reasoning")
                // While thinking, follow the newest line.
                onImplicitHeightChanged: if (panel.thinking) scroller.ScrollBar.vertical.position = 1.0 - scroller.ScrollBar.vertical.size
            }
        }
    }
}
