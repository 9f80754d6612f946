import QtQuick

// Message text, selectable. Answers are Markdown (Qt's md4c-based reader); questions are plain text.
TextEdit {
    id: body
    property bool markdown: true
    readOnly: true
    selectByMouse: true
    wrapMode: TextEdit.Wrap
    textFormat: markdown ? TextEdit.MarkdownText : TextEdit.PlainText
    color: Theme.text
    selectionColor: Theme.selection
    selectedTextColor: Theme.text
    font.pixelSize: 15
    Accessible.role: Accessible.StaticText
    Accessible.name: text
    onLinkActivated: (link) => Qt.openUrlExternally(link)
}
