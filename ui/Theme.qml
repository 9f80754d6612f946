pragma Singleton
import QtQuick

// Colours and sizes of the whole UI. `dark` follows the system (the window palette's lightness) unless
// the app sets it (--theme light|dark).
QtObject {
    property bool dark: false

    readonly property color background: dark ? "#1e1f22" : "#ffffff"
    readonly property color sidebar: dark ? "#17181a" : "#f4f5f7"
    readonly property color surface: dark ? "#2b2d31" : "#f2f3f5"
    readonly property color border: dark ? "#3a3c42" : "#d9dce1"
    readonly property color text: dark ? "#e6e6e6" : "#1d1f23"
    readonly property color mutedText: dark ? "#9a9ca3" : "#6a6f78"
    readonly property color accent: dark ? "#7aa2ff" : "#2f5fe0"
    readonly property color accentText: dark ? "#10131a" : "#ffffff"
    readonly property color highlight: dark ? "#34497a" : "#2f5fe0"
    readonly property color highlightedText: "#ffffff"
    readonly property color userBubble: dark ? "#2f3a55" : "#e6edff"
    readonly property color reasoningBackground: dark ? "#24262b" : "#f7f7f9"
    readonly property color reasoningText: dark ? "#a9abb3" : "#5b606a"
    readonly property color codeBackground: dark ? "#16171a" : "#f6f8fa"
    readonly property color error: dark ? "#ff8a80" : "#b3261e"
    readonly property color errorBackground: dark ? "#3b2323" : "#fdecea"
    readonly property color selection: dark ? "#3d5a99" : "#b4cdfd"

    readonly property int spacing: 8
    readonly property int radius: 8
    readonly property int sidebarWidth: 280
    readonly property int contentWidth: 820
}
