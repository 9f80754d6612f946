import QtQuick
import QtTest
import Lucent

// A code block: the language label, the Copy button (text to the clipboard, "Copied" for a moment),
// colours arriving from KDE's highlighter, plain text for an unknown language.
// The objects under test live in `stage`: a TestCase is invisible, so its own children get no mouse events.
Item {
    id: stage
    width: 640
    height: 400

    TestCase {
        name: "CodeBlock"
        when: windowShown

        Component { id: blockComponent; CodeBlock { width: 600 } }
        SignalSpy { id: copiedSpy; signalName: "copied" }
        TextEdit { id: pasteTarget; visible: false }

        function test_copyAndColours() {
            const block = createTemporaryObject(blockComponent, stage, { code: "def f(x):\n    return x", language: "python" })
            copiedSpy.target = block
            tryVerify(() => block.highlighted, 5000, "KDE's highlighter coloured the code")
            verify(block.shownHtml.indexOf("<span style=") >= 0, block.shownHtml)
            const button = findChild(block, "copyCodeButton")
            compare(button.text, "Copy")
            waitForRendering(block)
            mouseClick(button)
            compare(copiedSpy.count, 1)
            compare(button.text, "Copied")
            pasteTarget.text = ""
            pasteTarget.paste()
            compare(pasteTarget.text, "def f(x):\n    return x")
            tryCompare(button, "text", "Copy", 3000)
        }

        function test_unknownLanguageIsPlain() {
            const block = createTemporaryObject(blockComponent, stage, { code: "<tag> & stuff", language: "" })
            tryVerify(() => block.highlighted, 5000)
            compare(block.shownHtml, "<pre>&lt;tag&gt; &amp; stuff</pre>")
        }
    }
}
