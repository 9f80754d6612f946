import QtQuick
import Lucent.Markdown

// An answer rendered block by block: prose as rich text, code in CodeBlocks. While the answer streams
// only its last block changes; the blocks above keep their items.
Column {
    id: view
    property string markdown
    spacing: Theme.spacing

    Repeater {
        model: MarkdownBlockModel {
            markdown: view.markdown
            dark: Theme.dark
        }
        delegate: Loader {
            required property string kind
            required property string html
            required property string code
            required property string language
            width: view.width
            sourceComponent: kind === "code" ? codeComponent : proseComponent

            Component {
                id: proseComponent
                TextEdit {
                    text: html
                    textFormat: TextEdit.RichText
                    readOnly: true
                    selectByMouse: true
                    wrapMode: TextEdit.Wrap
                    color: Theme.text
                    selectionColor: Theme.selection
                    selectedTextColor: Theme.text
                    font.pixelSize: 15
                    Accessible.role: Accessible.StaticText
                    Accessible.name: getText(0, length)
                    onLinkActivated: (link) => {
                        if (/^(https?|mailto):/i.test(link)) Qt.openUrlExternally(link)
                    }
                    HoverHandler { cursorShape: parent.hoveredLink ? Qt.PointingHandCursor : Qt.IBeamCursor }
                }
            }
            Component {
                id: codeComponent
                CodeBlock {
                    code: parent ? parent.code : ""
                    language: parent ? parent.language : ""
                }
            }
        }
    }
}
