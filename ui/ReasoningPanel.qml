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

    onThinkingChanged: {
        if (thinking) { startedAt = Date.now(); expanded = true }
        else if (shownFrom > 0) showAll()
    }
    // The answer begins: fold the reasoning away. A reply that ended while still thinking keeps it open,
    // since the reasoning is all there is to read.
    onAnsweredChanged: if (answered) expanded = false
    Component.onCompleted: {
        if (thinking) startedAt = Date.now()
        showAll()
    }

    Timer {
        running: panel.thinking
        interval: 250
        repeat: true
        triggeredOnStart: true
        onTriggered: panel.elapsedSeconds = (Date.now() - panel.startedAt) / 1000
    }

    readonly property real shownSeconds: thinking ? elapsedSeconds : reasoningMs / 1000

    // While the model thinks, the panel shows only the newest text (between one and two windows of
    // `liveWindow` characters) and appends each streamed piece, so the document lays out just its
    // last paragraph: a model that writes one endless paragraph cannot make every frame lay out more
    // and more text. When thinking ends, the whole reasoning is shown, selectable and copyable.
    readonly property int liveWindow: 600
    property int shownFrom: 0 // index in `reasoning` of the first character shown (after any "…")
    function showAll() { shownFrom = 0; body.text = reasoning }
    onReasoningChanged: {
        const shown = body.length - (shownFrom > 0 ? 1 : 0)
        if (!thinking || reasoning.length - shownFrom < shown) { showAll(); return }
        if (reasoning.length - shownFrom > 2 * liveWindow) {
            shownFrom = reasoning.length - liveWindow
            body.text = "…" + reasoning.slice(shownFrom)
        } else if (reasoning.length - shownFrom > shown) {
            body.insert(body.length, reasoning.slice(shownFrom + shown))
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
