import QtQuick
import QtTest
import Lucent

// The composer: Enter sends, Shift+Enter adds a line, blank text is not sent, Stop while generating.
// The objects under test live in `stage`: a TestCase is invisible, so its own children get no mouse events.
Item {
    id: stage
    width: 640
    height: 200

    TestCase {
        name: "Composer"
        when: windowShown

        Component { id: composerComponent; Composer { width: 600 } }
        SignalSpy { id: sendSpy; signalName: "send" }
        SignalSpy { id: stopSpy; signalName: "stop" }

        function make(properties) {
            const composer = createTemporaryObject(composerComponent, stage, properties || {})
            sendSpy.clear(); stopSpy.clear()
            sendSpy.target = composer
            stopSpy.target = composer
            composer.focusInput()
            return composer
        }

        function test_enterSends() {
            const composer = make()
            keyClick(Qt.Key_H); keyClick(Qt.Key_I)
            keyClick(Qt.Key_Return)
            compare(sendSpy.count, 1)
            compare(sendSpy.signalArguments[0][0], "hi")
            compare(findChild(composer, "composerInput").text, "", "the field is cleared after sending")
        }

        function test_shiftEnterIsANewLine() {
            const composer = make()
            keyClick(Qt.Key_A)
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            keyClick(Qt.Key_B)
            compare(sendSpy.count, 0)
            compare(findChild(composer, "composerInput").text, "a\nb")
            keyClick(Qt.Key_Enter)
            compare(sendSpy.count, 1)
            compare(sendSpy.signalArguments[0][0], "a\nb")
        }

        function test_blankIsNotSent() {
            make()
            keyClick(Qt.Key_Space)
            keyClick(Qt.Key_Return)
            compare(sendSpy.count, 0)
        }

        function test_stopWhileGenerating() {
            const composer = make({ generating: true })
            keyClick(Qt.Key_X)
            keyClick(Qt.Key_Return)
            compare(sendSpy.count, 0, "no second question while a reply streams")
            const button = findChild(composer, "sendButton")
            compare(button.text, "Stop")
            waitForRendering(composer)
            mouseClick(button)
            compare(stopSpy.count, 1)
        }
    }

}
