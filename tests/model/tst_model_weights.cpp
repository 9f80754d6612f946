// ModelConfig and ModelWeights: the three architectures load with the right hyperparameters, and
// hostile metadata (lying shapes, missing tensors, unknown architectures) gives errors that name
// the culprit.
#include "ModelFixtures.h"
#include "inference/model/ModelConfig.h"
#include "inference/model/ModelWeights.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lucent;
using namespace lucent::testing;

Q_DECLARE_METATYPE(Damage)

class TestModelWeights : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string qwen2Path_;

    std::string path(const char* name) const { return (dir_.path() + "/" + name).toStdString(); }

    // Loads the damaged copy and returns the error message (empty when it loaded).
    QString loadError(const Damage& damage) {
        auto source = GgufFile::open(qwen2Path_);
        if (!source) return "source: " + QString::fromStdString(source.error().message);
        auto bytes = damagedCopy(*source, damage);
        if (!bytes) return "rewrite: " + QString::fromStdString(bytes.error().message);
        auto file = GgufFile::fromMemory(*bytes, "damaged.gguf");
        if (!file) return "gguf: " + QString::fromStdString(file.error().message);
        auto config = readModelConfig(*file);
        if (!config) return QString::fromStdString(config.error().message);
        auto weights = loadModelWeights(*file, *config);
        if (!weights) return QString::fromStdString(weights.error().message);
        return {};
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qwen2Path_ = path("qwen2.gguf");
        TestModelSpec spec;
        spec.nEmbd = 384, spec.nHead = 12, spec.nHeadKv = 2, spec.nFf = 512; // the 1.5B's GQA ratio 6
        QVERIFY(writeModel(spec, qwen2Path_));
    }

    void architecturesLoad_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<bool>("tied");
        QTest::addColumn<QString>("type");
        QTest::newRow("qwen2 Q4_K_M") << "qwen2" << false << "Q4_K_M";
        QTest::newRow("llama Q8_0 tied") << "llama" << true << "Q8_0";
        QTest::newRow("qwen3 BF16") << "qwen3" << false << "BF16";
    }
    void architecturesLoad() {
        QFETCH(QString, arch);
        QFETCH(bool, tied);
        QFETCH(QString, type);
        TestModelSpec spec;
        spec.arch = arch.toStdString();
        spec.tied = tied;
        spec.type = type.toStdString();
        spec.ropeFreqs = arch == "llama";
        spec.nEmbd = 256, spec.nHead = 14, spec.nHeadKv = 2, spec.headDim = 32, spec.nFf = 512, spec.nLayer = 3;
        const std::string p = path("arch.gguf");
        QVERIFY(writeModel(spec, p));
        auto file = GgufFile::open(p);
        QVERIFY(file);
        auto config = readModelConfig(*file);
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        QCOMPARE(config->archName, arch.toStdString());
        QCOMPARE(config->nLayer, 3u);
        QCOMPARE(config->nHead, 14u);
        QCOMPARE(config->gqaRatio(), 7u);
        QCOMPARE(config->headDim, 32u);
        QCOMPARE(config->nVocab, 512u);
        QCOMPARE(config->ropeType, arch == "llama" ? RopeType::Norm : RopeType::Neox);
        auto weights = loadModelWeights(*file, *config);
        QVERIFY2(weights, weights ? "" : weights.error().message.c_str());
        QCOMPARE(weights->tiedEmbeddings, tied);
        QCOMPARE(weights->output.data == weights->tokenEmbd.data, tied);
        QCOMPARE(weights->ropeFreqs.present(), arch == "llama");
        QCOMPARE(weights->layers[0].bq.present(), arch == "qwen2");
        QCOMPARE(weights->layers[0].qNorm.present(), arch == "qwen3");
        QCOMPARE(weights->layers[2].wq.rows, uint64_t(14 * 32));
    }

    void hostileMetadataIsNamed_data() {
        QTest::addColumn<Damage>("damage");
        QTest::addColumn<QStringList>("mustMention");
        auto u32 = [](uint32_t v) { return GgufValue::unsignedInt(GgufType::U32, v); };
        QTest::newRow("unknown architecture") << Damage{{{"general.architecture", GgufValue::string("gptneox")}}, {}, {}, {}, {}}
                                              << QStringList{"gptneox", "not supported"};
        QTest::newRow("no architecture") << Damage{{}, {"general.architecture"}, {}, {}, {}} << QStringList{"architecture"};
        QTest::newRow("n_embd lies") << Damage{{{"qwen2.embedding_length", u32(512)}}, {}, {}, {}, {}}
                                     << QStringList{"n_embd 512", "token_embd.weight", "384×512"};
        QTest::newRow("attn_q shape lies") << Damage{{}, {}, {}, {{"blk.0.attn_q.weight", {192, 768}}}, {}}
                                           << QStringList{"'blk.0.attn_q.weight' is 192×768", "n_embd 384"};
        QTest::newRow("ffn_down rows lie") << Damage{{}, {}, {}, {{"blk.1.ffn_down.weight", {256, 768}}}, {}}
                                           << QStringList{"n_ff 512", "blk.1.ffn_down.weight"};
        QTest::newRow("n_ff lies") << Damage{{{"qwen2.feed_forward_length", u32(1024)}}, {}, {}, {}, {}}
                                   << QStringList{"n_ff 1024", "blk.0.ffn_gate.weight"};
        QTest::newRow("missing tensor") << Damage{{}, {}, {"blk.1.ffn_up.weight"}, {}, {}} << QStringList{"blk.1.ffn_up.weight", "lacks"};
        QTest::newRow("missing bias (qwen2)") << Damage{{}, {}, {"blk.0.attn_k.bias"}, {}, {}} << QStringList{"blk.0.attn_k.bias"};
        QTest::newRow("missing output norm") << Damage{{}, {}, {"output_norm.weight"}, {}, {}} << QStringList{"output_norm.weight"};
        QTest::newRow("heads not a multiple") << Damage{{{"qwen2.attention.head_count_kv", u32(5)}}, {}, {}, {}, {}}
                                              << QStringList{"n_head 12", "n_head_kv 5"};
        QTest::newRow("no block count") << Damage{{}, {"qwen2.block_count"}, {}, {}, {}} << QStringList{"qwen2.block_count"};
        QTest::newRow("absurd layer count") << Damage{{{"qwen2.block_count", u32(4000000000u)}}, {}, {}, {}, {}}
                                            << QStringList{"block_count", "4000000000"};
        QTest::newRow("more layers than tensors") << Damage{{{"qwen2.block_count", u32(3)}}, {}, {}, {}, {}}
                                                  << QStringList{"blk.2.attn_norm.weight"};
        QTest::newRow("negative epsilon") << Damage{{{"qwen2.attention.layer_norm_rms_epsilon", GgufValue::floating(GgufType::F32, -1.0)}}, {}, {}, {}, {}}
                                          << QStringList{"layer_norm_rms_epsilon"};
        QTest::newRow("norm in F16") << Damage{{}, {}, {}, {}, {{"blk.0.ffn_norm.weight", TensorType::F16}}}
                                     << QStringList{"blk.0.ffn_norm.weight", "F16"};
        QTest::newRow("no vocabulary") << Damage{{}, {"tokenizer.ggml.tokens"}, {}, {}, {}} << QStringList{"vocabulary"};
    }
    void hostileMetadataIsNamed() {
        QFETCH(Damage, damage);
        QFETCH(QStringList, mustMention);
        const QString error = loadError(damage);
        QVERIFY2(!error.isEmpty(), "the damaged model loaded");
        for (const QString& part : mustMention) QVERIFY2(error.contains(part), qPrintable("'" + part + "' not in: " + error));
    }

    void undamagedCopyLoads() { QCOMPARE(loadError({}), QString()); }
};

QTEST_GUILESS_MAIN(TestModelWeights)
#include "tst_model_weights.moc"
