// GgufWriter → GgufFile: every metadata type, arrays, versions 2 and 3, alignments, tensors.
#include "GgufSamples.h"
#include "inference/gguf/GgufFile.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lucent;

class TestGgufRoundtrip : public QObject {
    Q_OBJECT

private slots:
    void everyValueTypeReadsBack_data() {
        QTest::addColumn<uint32_t>("version");
        QTest::addColumn<uint32_t>("alignment");
        QTest::newRow("v3 align 32") << 3u << 32u;
        QTest::newRow("v2 align 32") << 2u << 32u;
        QTest::newRow("v3 align 64") << 3u << 64u;
        QTest::newRow("v3 align 1") << 3u << 1u;
        QTest::newRow("v3 align 4096") << 3u << 4096u;
    }
    void everyValueTypeReadsBack() {
        QFETCH(uint32_t, version);
        QFETCH(uint32_t, alignment);
        const auto bytes = testing::sampleWriter(version, alignment).toBytes();
        auto file = GgufFile::fromMemory(bytes, "sample.gguf");
        QVERIFY2(file.ok(), file.ok() ? "" : file.error().message.c_str());
        QCOMPARE(file->version(), version);
        QCOMPARE(file->alignment(), uint64_t(alignment));
        QCOMPARE(file->dataOffset() % alignment, uint64_t(0));
        QCOMPARE(*file->getString("general.architecture"), std::string_view("qwen2"));
        QCOMPARE(*file->getUInt("test.u8"), uint64_t(200));
        QCOMPARE(*file->getInt("test.i8"), int64_t(-100));
        QCOMPARE(*file->getUInt("test.u16"), uint64_t(60000));
        QCOMPARE(*file->getInt("test.i16"), int64_t(-30000));
        QCOMPARE(*file->getUInt("test.u32"), uint64_t(4000000000u));
        QCOMPARE(*file->getInt("test.i32"), int64_t(-2000000000));
        QCOMPARE(*file->getUInt("test.u64"), uint64_t(18000000000000000000ull));
        QVERIFY(!file->getInt("test.u64")); // does not fit int64
        QVERIFY(!file->getUInt("test.i8")); // negative
        QCOMPARE(*file->getInt("test.i64"), int64_t(-9000000000000000000ll));
        QCOMPARE(*file->getFloat("test.f32"), 0.5);
        QCOMPARE(*file->getFloat("test.f64"), 1e-300);
        QCOMPARE(*file->getBool("test.bool"), true);
        QCOMPARE(*file->getString("test.string"), std::string_view("héllo ✓"));
        QVERIFY(!file->getString("test.u8")); // wrong type → nothing
        QVERIFY(!file->find("missing"));
        const auto tokens = *file->getStringArray("tokenizer.ggml.tokens");
        QCOMPARE(tokens.size(), size_t(4));
        QCOMPARE(tokens[3], std::string_view("ü"));
        QCOMPARE(tokens[2], std::string_view(""));
        QCOMPARE(*file->getIntArray("tokenizer.ggml.token_type"), (std::vector<int64_t>{1, 1, 3, 4}));
        QCOMPARE(*file->getFloatArray("tokenizer.ggml.scores"), (std::vector<float>{0.0f, -1.0f, -2.5f, 3.0f}));
        const auto* nested = file->find("test.nested");
        QVERIFY(nested && nested->asArray() && nested->asArray()->size() == 2);
        QCOMPARE(*nested->asArray()->at(0).asArray()->at(0).asUInt(), uint64_t(1));
        QCOMPARE(file->metadata().front().first, std::string("general.architecture")); // file order kept

        QCOMPARE(file->tensors().size(), size_t(4));
        const auto* a = file->findTensor("a.f32");
        QVERIFY(a);
        QCOMPARE(a->shape, (std::vector<uint64_t>{8, 3}));
        QCOMPARE(a->bytes, uint64_t(96));
        const auto data = file->tensorData(*a);
        QCOMPARE(data.size(), size_t(96));
        QCOMPARE(int(data[95]), 95);
        const auto* q = file->findTensor("c.q6_k");
        QCOMPARE(q->type, TensorType::Q6_K);
        QCOMPARE(int(file->tensorData(*q)[209]), 0x22);
        QCOMPARE(file->findTensor("d.f16")->elements, uint64_t(16));
        for (const auto& tensor : file->tensors()) QCOMPARE(tensor.offset % alignment, uint64_t(0));
    }

    void writesAndMapsARealFile() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/model.gguf").toStdString();
        auto written = testing::sampleWriter().write(path);
        QVERIFY(written.ok());
        QVERIFY(!QFile::exists(QString::fromStdString(path + ".partial")));
        auto file = GgufFile::open(path);
        QVERIFY2(file.ok(), file.ok() ? "" : file.error().message.c_str());
        QCOMPARE(file->name(), std::string("model.gguf"));
        QCOMPARE(file->fileSize(), uint64_t(QFileInfo(QString::fromStdString(path)).size()));
        // Same bytes as toBytes().
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto expected = testing::sampleWriter().toBytes();
        QCOMPARE(f.readAll(), QByteArray(reinterpret_cast<const char*>(expected.data()), qsizetype(expected.size())));
        // Moving the file keeps tensor data valid (the mapping moves with it).
        GgufFile moved = std::move(*file);
        QCOMPARE(int(moved.tensorData(*moved.findTensor("a.f32"))[1]), 1);
    }

    void writeFailsClearlyWithoutLeavingAFile() {
        auto result = testing::sampleWriter().write("/nonexistent-dir/model.gguf");
        QVERIFY(!result.ok());
        QVERIFY(QString::fromStdString(result.error().message).contains("cannot create"));
    }

    void writerRejectsInconsistentTensors() {
        GgufWriter writer;
        QVERIFY(!writer.addTensor("x", {33}, TensorType::Q4_0, std::vector<uint8_t>(18)).ok());
        QVERIFY(!writer.addTensor("x", {32}, TensorType::Q4_0, std::vector<uint8_t>(17)).ok());
        QVERIFY(!writer.addTensor("x", {}, TensorType::F32, {}).ok());
        QVERIFY(writer.addTensor("x", {32}, TensorType::Q4_0, std::vector<uint8_t>(18)).ok());
    }
};

QTEST_GUILESS_MAIN(TestGgufRoundtrip)
#include "tst_gguf_roundtrip.moc"
