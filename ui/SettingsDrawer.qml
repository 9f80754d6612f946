import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Lucent.Chat

// This chat's settings: system prompt, sampling, reply length, context, seed, reasoning panels.
Drawer {
    id: drawer
    required property ChatController chat
    required property ModelController models
    edge: Qt.RightEdge
    width: Math.min(420, parent ? parent.width * 0.9 : 420)

    component NumberSetting: RowLayout {
        id: setting
        property string label
        property string key
        property real from
        property real to
        property int decimals: 2
        Layout.fillWidth: true
        Label { text: setting.label; color: Theme.text; Layout.fillWidth: true }
        SpinBox {
            id: spin
            readonly property real factor: Math.pow(10, setting.decimals)
            from: setting.from * factor
            to: setting.to * factor
            stepSize: setting.decimals > 0 ? factor / 20 : 1
            editable: true
            value: Number(drawer.chat.settings[setting.key]) * factor
            Accessible.name: setting.label
            textFromValue: (v, locale) => Number(v / factor).toLocaleString(locale, 'f', setting.decimals)
            valueFromText: (text, locale) => Math.round(Number.fromLocaleString(locale, text) * factor)
            onValueModified: drawer.chat.setSetting(setting.key, setting.decimals > 0 ? value / factor : value)
        }
    }

    background: Rectangle { color: Theme.background; border.color: Theme.border }

    ScrollView {
        anchors.fill: parent
        anchors.margins: Theme.spacing * 2
        ColumnLayout {
            width: drawer.width - Theme.spacing * 4
            spacing: Theme.spacing

            Label { text: qsTr("Chat settings"); font.pixelSize: 18; font.bold: true; color: Theme.text }
            Label { text: qsTr("System prompt"); color: Theme.mutedText }
            TextArea {
                Layout.fillWidth: true
                Layout.preferredHeight: 100
                wrapMode: TextEdit.Wrap
                text: drawer.chat.systemPrompt
                placeholderText: qsTr("How the assistant should behave (optional)")
                Accessible.name: qsTr("System prompt")
                onEditingFinished: drawer.chat.systemPrompt = text
            }
            NumberSetting { label: qsTr("Temperature"); key: "temperature"; from: 0; to: 2 }
            NumberSetting { label: qsTr("Top-p"); key: "topP"; from: 0; to: 1 }
            NumberSetting { label: qsTr("Top-k"); key: "topK"; from: 0; to: 1000; decimals: 0 }
            NumberSetting { label: qsTr("Min-p"); key: "minP"; from: 0; to: 1 }
            NumberSetting { label: qsTr("Repeat penalty"); key: "repeatPenalty"; from: 0.5; to: 2 }
            NumberSetting { label: qsTr("Max tokens"); key: "maxTokens"; from: 1; to: 131072; decimals: 0 }
            NumberSetting { label: qsTr("Seed (-1: random)"); key: "seed"; from: -1; to: 2147483647; decimals: 0 }
            RowLayout {
                Layout.fillWidth: true
                Label { text: qsTr("Context length (next load)"); color: Theme.text; Layout.fillWidth: true }
                SpinBox {
                    from: 256; to: 131072; stepSize: 1024; editable: true
                    value: drawer.models.contextLength
                    Accessible.name: qsTr("Context length")
                    onValueModified: drawer.models.contextLength = value
                }
            }
            Switch {
                text: qsTr("8-bit KV cache (next load)")
                checked: drawer.models.quantizedKvCache
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Keeps the GPU's memory of the chat in 8 bits: long conversations fit in less memory, answers change very slightly.")
                Accessible.name: qsTr("8-bit KV cache")
                onToggled: drawer.models.quantizedKvCache = checked
            }
            Switch {
                text: qsTr("Hide reasoning panels in this chat")
                checked: drawer.chat.hideReasoning
                onToggled: drawer.chat.hideReasoning = checked
            }
        }
    }
}
