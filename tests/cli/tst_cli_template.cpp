// lucent-cli template: the GGUF's own chat template rendered for a messages file, through the real
// binary — the same bytes @huggingface/jinja gives (tests/chat/data/expected.json), and clear errors.
#include "CliRunner.h"
#include "TinyR1Model.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace lucent::testing;

namespace {

const QString kSource = QStringLiteral(LUCENT_SOURCE_DIR);
using Json = nlohmann::ordered_json;

Json readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    return Json::parse(file.readAll().toStdString());
}

} // namespace

class TestCliTemplate : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString withTemplate_, withoutTemplate_;

    QString writeFile(const QString& name, const QByteArray& bytes) {
        QFile file(dir_.filePath(name));
        if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(file.fileName()));
        file.write(bytes);
        return file.fileName();
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        withTemplate_ = dir_.filePath("r1.gguf");
        auto written = writeTinyR1Model(withTemplate_.toStdString(), R1Template::Distill, tinyModelSpec(1));
        QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
        withoutTemplate_ = dir_.filePath("plain.gguf");
        QVERIFY(writeTinyR1Model(withoutTemplate_.toStdString(), R1Template::None, tinyModelSpec(1)).ok());
    }

    // Every conversation of the conformance set, with and without the generation prompt.
    void rendersLikeTheReference() {
        const Json conversations = readJson(kSource + "/tests/chat/data/conversations.json")["conversations"];
        const Json cases = readJson(kSource + "/tests/chat/data/expected.json")["cases"];
        int compared = 0;
        for (const auto& c : cases) {
            if (c["template"] != "deepseek-r1-distill-qwen") continue;
            Json messages;
            for (const auto& conversation : conversations)
                if (conversation["name"] == c["conversation"]) messages = conversation["messages"];
            const QString file = writeFile("messages.json", QByteArray::fromStdString(messages.dump()));
            QStringList args = {"template", withTemplate_, "--messages", file, "--json"};
            if (!c["add_generation_prompt"].get<bool>()) args << "--no-generation-prompt";
            const CliResult result = runCli(args);
            QVERIFY2(result.exitCode == 0, result.err.constData());
            QCOMPARE(result.json()["text"].toString().toStdString(), c["text"].get<std::string>());
            ++compared;
        }
        QCOMPARE(compared, 30);
    }

    void plainTextWithoutJson() {
        const QString file = writeFile("hello.json", R"([{"role":"user","content":"Hello"}])");
        const CliResult result = runCli({"template", withTemplate_, "--messages", file});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(QString::fromUtf8(result.out), QStringLiteral("<｜begin▁of▁sentence｜><｜User｜>Hello<｜Assistant｜>"));
    }

    void errors_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no template in the model") << "no-template" << "has no chat template";
        QTest::newRow("messages not JSON") << "not-json" << "not valid JSON";
        QTest::newRow("messages not a list") << "object" << "must be a JSON list";
        QTest::newRow("message without role") << "no-role" << "\"role\"";
        QTest::newRow("missing messages file") << "missing-file" << "cannot read";
        QTest::newRow("no --messages") << "no-option" << "--messages";
        QTest::newRow("model not a GGUF") << "not-gguf" << "GGUF";
    }
    void errors() {
        QFETCH(QString, kind);
        QFETCH(QString, mentions);
        QString model = withTemplate_;
        QString messages = writeFile("ok.json", R"([{"role":"user","content":"Hi"}])");
        if (kind == "no-template") model = withoutTemplate_;
        if (kind == "not-json") messages = writeFile("bad.json", "[{\"role\": ");
        if (kind == "object") messages = writeFile("object.json", R"({"role":"user","content":"Hi"})");
        if (kind == "no-role") messages = writeFile("norole.json", R"([{"content":"Hi"}])");
        if (kind == "missing-file") messages = dir_.filePath("does-not-exist.json");
        if (kind == "not-gguf") model = messages;
        QStringList args = {"template", model, "--json"};
        if (kind != "no-option") args << "--messages" << messages;
        const CliResult result = runCli(args);
        QVERIFY(result.exitCode != 0);
        QVERIFY(result.out.isEmpty());
        const QString err = QString::fromUtf8(result.err).trimmed();
        QVERIFY2(err.startsWith("error: ") && !err.contains('\n'), qPrintable(err));
        QVERIFY2(err.contains(mentions), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCliTemplate)
#include "tst_cli_template.moc"
