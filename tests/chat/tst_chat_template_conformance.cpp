// Chat templates rendered byte-identically to @huggingface/jinja: every real template of
// tests/chat/templates × every conversation of tests/chat/data/conversations.json × variants, against
// tests/chat/data/expected.json (regenerate: node tests/reference/gen-chat-reference.mjs).
#include "inference/chat/ChatTemplate.h"
#include "inference/chat/JinjaJson.h"

#include <QFile>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <map>

using namespace lucent;

namespace {

// nlohmann's ordered JSON keeps key order (QJsonObject sorts keys, and tojson output depends on order).
using Json = nlohmann::ordered_json;

Json readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    return Json::parse(file.readAll().toStdString());
}

const QString kChatDir = QStringLiteral(LUCENT_SOURCE_DIR "/tests/chat");

// The first line where two texts differ, for a readable failure.
QString firstDifference(const std::string& actual, const std::string& expected) {
    size_t i = 0;
    while (i < actual.size() && i < expected.size() && actual[i] == expected[i]) ++i;
    const size_t from = i > 40 ? i - 40 : 0;
    return QStringLiteral("at byte %1:\n  lucent:    %2\n  reference: %3")
        .arg(i)
        .arg(QString::fromStdString(actual.substr(from, 100)).toHtmlEscaped())
        .arg(QString::fromStdString(expected.substr(from, 100)).toHtmlEscaped());
}

} // namespace

class TestChatTemplateConformance : public QObject {
    Q_OBJECT

    std::map<QString, ChatTemplate> templates_;
    std::map<std::string, Json> conversations_;
    Json cases_;

    const ChatTemplate& templateNamed(const QString& name) {
        auto it = templates_.find(name);
        if (it != templates_.end()) return it->second;
        QFile file(kChatDir + "/templates/" + name + ".jinja");
        if (!file.open(QIODevice::ReadOnly)) qFatal("missing template %s", qPrintable(name));
        auto parsed = ChatTemplate::parse(file.readAll().toStdString());
        if (!parsed) qFatal("%s: %s", qPrintable(name), parsed.error().message.c_str());
        return templates_.emplace(name, std::move(*parsed)).first->second;
    }

private slots:
    void initTestCase() {
        const Json file = readJson(kChatDir + "/data/conversations.json");
        for (const auto& c : file["conversations"])
            conversations_[c["name"].get<std::string>()] = c["messages"];
        QVERIFY(conversations_.size() >= 10);
        cases_ = readJson(kChatDir + "/data/expected.json")["cases"];
    }

    void render_data() {
        QTest::addColumn<int>("index");
        QVERIFY(cases_.size() >= 300);
        for (size_t i = 0; i < cases_.size(); ++i) {
            const Json& c = cases_[i];
            std::string extras;
            for (const auto& [key, value] : c["extra"].items()) extras += " +" + key;
            const std::string label = std::to_string(i) + " " + c["template"].get<std::string>() + "/" +
                                      c["conversation"].get<std::string>() + "/" +
                                      (c["add_generation_prompt"].get<bool>() ? "prompt" : "no-prompt") + extras;
            QTest::newRow(label.c_str()) << int(i);
        }
    }

    void render() {
        QFETCH(int, index);
        const Json& expected = cases_[size_t(index)];
        const ChatTemplate& chatTemplate = templateNamed(QString::fromStdString(expected["template"].get<std::string>()));
        ChatTemplateOptions options;
        options.bosToken = expected["bos_token"].get<std::string>();
        options.eosToken = expected["eos_token"].get<std::string>();
        options.addGenerationPrompt = expected["add_generation_prompt"].get<bool>();
        auto extra = jinja::valueFromJson(expected["extra"]);
        QVERIFY(extra.ok());
        options.extraVariables = *extra;
        options.now = [] { // what the generator fixed: 2026-11-22 10:30
            std::tm t{};
            t.tm_year = 2026 - 1900;
            t.tm_mon = 10;
            t.tm_mday = 22;
            t.tm_hour = 10;
            t.tm_min = 30;
            return t;
        };
        if (!expected["fixed_now"].get<bool>()) options.now = [] { return std::tm{}; }; // must not be called: a date_string is given
        const Json& messages = conversations_.at(expected["conversation"].get<std::string>());
        const auto rendered = chatTemplate.renderJson(messages.dump(), options);
        if (expected.contains("error")) {
            QVERIFY2(!rendered.ok(), "the reference refuses this conversation; Lucent rendered it");
            QVERIFY2(rendered.error().message.find(expected["error"].get<std::string>()) != std::string::npos,
                     rendered.error().message.c_str());
            return;
        }
        QVERIFY2(rendered.ok(), rendered.ok() ? "" : rendered.error().message.c_str());
        const std::string want = expected["text"].get<std::string>();
        QVERIFY2(*rendered == want, qPrintable(firstDifference(*rendered, want)));
    }
};

QTEST_GUILESS_MAIN(TestChatTemplateConformance)
#include "tst_chat_template_conformance.moc"
