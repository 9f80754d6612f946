import QtQuick
import QtTest
import Lucent

// The reasoning panel: live and open while the model thinks, folded to "Thought for N s" when the
// answer begins, reopened by a click, left open when no answer came, selectable, and able to hold
// thousands of lines.
// The objects under test live in `stage`: a TestCase is invisible, so its own children get no mouse events.
Item {
    id: stage
    width: 640
    height: 480

    TestCase {
        name: "ReasoningPanel"
        when: windowShown

        Component { id: panelComponent; ReasoningPanel { width: 600 } }

        function bodyOf(panel) {
            return findChild(panel, "reasoningBody")
        }

        function test_liveThenFolded() {
            const panel = createTemporaryObject(panelComponent, stage, { thinking: true, streaming: true, reasoning: "Let me think." })
            verify(panel.expanded)
            verify(panel.headerText.startsWith("Thinking…"), panel.headerText)
            tryVerify(() => /Thinking… [1-9]/.test(panel.headerText), 3000, "the counter runs while thinking")
            panel.reasoning += " The sky scatters blue light."
            compare(bodyOf(panel).text, "Let me think. The sky scatters blue light.")
            panel.thinking = false
            panel.reasoningMs = 14200
            panel.answered = true
            verify(!panel.expanded)
            compare(panel.headerText, "Thought for 14 s")
            waitForRendering(panel)
            mouseClick(panel, 40, 12)
            verify(panel.expanded, "a click opens it again")
            mouseClick(panel, 40, 12)
            verify(!panel.expanded)
        }

        function test_noAnswerKeepsItOpen() {
            const panel = createTemporaryObject(panelComponent, stage, { thinking: true, streaming: true, reasoning: "Hmm" })
            panel.thinking = false // stopped, or cut off at the token limit, while still thinking
            panel.streaming = false
            verify(panel.expanded)
        }

        function test_finishedReasoningOpensFolded() {
            // A stored conversation: the answer exists, so its reasoning starts folded.
            const panel = createTemporaryObject(panelComponent, stage, { reasoning: "Old thoughts", reasoningMs: 2000, answered: true })
            verify(!panel.expanded)
            compare(panel.headerText, "Thought for 2 s")
        }

        function test_selectableAndLong() {
            const panel = createTemporaryObject(panelComponent, stage, { thinking: true, streaming: true, reasoning: "" })
            const body = bodyOf(panel)
            verify(body.readOnly)
            verify(body.selectByMouse)
            let text = ""
            for (let i = 0; i < 3000; ++i) {
                text += "Step " + i + ": consider the next possibility carefully.\n"
                if (i % 100 === 0) panel.reasoning = text
            }
            panel.reasoning = text
            verify(body.text.length <= 2 * panel.liveWindow + 1, "while thinking only the newest text is laid out")
            verify(text.endsWith(body.text.slice(1)), "the newest text is shown")
            panel.thinking = false
            compare(body.text, text, "the whole reasoning once thinking ends")
            verify(panel.height <= 300, "a long live reasoning scrolls inside the panel: " + panel.height)
            body.selectAll()
            compare(body.selectedText.length, body.text.length)
        }
    }

}
