// Parity with llama.cpp: the models of tests/model/data/llama_parity.json are rebuilt in-process
// (lucent_testmodel is deterministic given the seed) and run on the CPU backend; llama.cpp's
// top-10 logits after prompt positions up to 1,099 and along its 32-token greedy continuation must
// match, and so must the greedy tokens wherever llama.cpp's choice is clear. The comparison and its
// tolerances live in tests/tools/LlamaParity (shared with tst_vulkan_llama_parity).
#include "LlamaParity.h"
#include "inference/cpu/CpuModel.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lucent;
using namespace lucent::testing;

class TestLlamaParity : public QObject {
    Q_OBJECT
    QJsonArray cases_;
    QTemporaryDir dir_;
    ParityModelWriter writer_;

    std::unique_ptr<CpuModel> openCase(const QJsonObject& c) {
        const std::string path = (dir_.path() + "/model.gguf").toStdString();
        auto written = writer_.write(c, path);
        if (!written) qFatal("%s", written.error().message.c_str());
        auto model = CpuModel::open(path, {2048, 0, 256});
        if (!model) qFatal("%s", model.error().message.c_str());
        QFile::remove(QString::fromStdString(path));
        return std::move(*model);
    }

private slots:
    void initTestCase() {
        auto cases = readParityCases(QStringLiteral(LUCENT_SOURCE_DIR) + "/tests/model/data/llama_parity.json");
        QVERIFY2(cases, cases ? "" : cases.error().message.c_str());
        cases_ = *cases;
        QVERIFY(cases_.size() >= 19);
        QVERIFY(dir_.isValid());
        if (!ParityModelWriter::hasTokenizer(cases_[0].toObject())) QSKIP("npm reference packages missing: run scripts/install-reference.sh");
    }

    void matchesLlamaCpp_data() {
        QTest::addColumn<int>("index");
        for (int i = 0; i < cases_.size(); ++i) QTest::newRow(qPrintable(cases_[i].toObject()["name"].toString())) << i;
    }
    void matchesLlamaCpp() {
        QFETCH(int, index);
        const QJsonObject c = cases_[index].toObject();
        auto model = openCase(c);
        const float tolerance = parityTolerance(c["type"].toString());
        auto measured = checkLlamaParity(*model, c, tolerance);
        QVERIFY2(measured, measured ? "" : measured.error().message.c_str());
        QCOMPARE(measured->greedySteps, c["greedy"].toArray().size());
        qInfo("%s: largest scaled logit difference %.5f (tolerance %.2f), %d of %d greedy choices clear", qPrintable(c["name"].toString()),
              double(measured->worstDifference), double(tolerance), measured->clearChoices,
              measured->greedySteps);
    }

    // The harness must catch a wrong logit and a wrong greedy token: llama.cpp's data, altered.
    void detectsMismatches_data() {
        QTest::addColumn<QString>("alteration");
        QTest::addColumn<QString>("expected");
        QTest::newRow("logit after 1 token") << "logit" << "after 1 prompt tokens: logit of token";
        QTest::newRow("greedy token") << "token" << "greedy token";
    }
    void detectsMismatches() {
        QFETCH(QString, alteration);
        QFETCH(QString, expected);
        QJsonObject c = cases_[0].toObject(); // qwen2 Q8_0: its first greedy choice is clear
        if (alteration == "logit") {
            QJsonArray points = c["checkpoints"].toArray();
            QJsonObject first = points[0].toObject();
            QJsonArray top = first["top"].toArray();
            QJsonArray best = top[0].toArray();
            best[1] = best[1].toDouble() + 0.5; // 4× the quantized bound at this magnitude
            top[0] = best;
            first["top"] = top;
            points[0] = first;
            c["checkpoints"] = points;
        } else {
            QJsonArray greedy = c["greedy"].toArray();
            QJsonObject step = greedy[0].toObject();
            step["token"] = step["token"].toInt() + 1;
            greedy[0] = step;
            c["greedy"] = greedy;
        }
        auto model = openCase(c);
        auto measured = checkLlamaParity(*model, c, parityTolerance(c["type"].toString()));
        QVERIFY(!measured);
        QVERIFY2(QString::fromStdString(measured.error().message).contains(expected), measured.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestLlamaParity)
#include "tst_llama_parity.moc"
