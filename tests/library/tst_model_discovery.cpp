// Discovery of models other apps keep, on fixture trees shaped like each app's folders (LM Studio,
// Ollama manifests + blobs, GPT4All, Hugging Face snapshots symlinked into blobs/, llama.cpp cache,
// a user folder), the facts read from each GGUF, and the memory estimate.
#include "app/library/ModelDiscovery.h"
#include "app/library/OllamaStore.h"
#include "tests/model/ModelFixtures.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lucent::library;

namespace {

void makeModel(const QString& path, const std::string& arch, const std::string& type, uint32_t layers = 2) {
    QDir().mkpath(QFileInfo(path).path());
    lucent::testing::TestModelSpec spec;
    spec.arch = arch;
    spec.type = type;
    spec.nEmbd = 64;
    spec.nHead = 4;
    spec.nHeadKv = 2;
    spec.nFf = 128;
    spec.nLayer = layers;
    spec.nCtxTrain = 8192;
    auto written = lucent::testing::writeModel(spec, path.toStdString(), lucent::testing::syntheticVocab(64));
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
}

void writeText(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

const QString kBlobHex = QString(64, 'a');

} // namespace

class TestModelDiscovery : public QObject {
    Q_OBJECT
    QTemporaryDir home_;
    DiscoveryRoots roots_;

    QString at(const QString& relative) const { return home_.filePath(relative); }

private slots:
    void initTestCase() {
        makeModel(at("lucent/models/mine-Q8_0.gguf"), "qwen2", "Q8_0");
        makeModel(at(".lmstudio/models/bartowski/Tiny-GGUF/Tiny-Q4_K_M.gguf"), "llama", "Q4_K_M");
        makeModel(at(".cache/lm-studio/models/pub/Old-GGUF/Old-F16.gguf"), "qwen2", "F16");
        // Ollama: a manifest names the model layer's blob.
        makeModel(at(".ollama/models/blobs/sha256-" + kBlobHex), "qwen3", "F32", 3);
        writeText(at(".ollama/models/blobs/sha256-" + QString(64, 'b')), "{\"template\": true}");
        writeText(at(".ollama/models/manifests/registry.ollama.ai/library/deepseek-r1/1.5b"),
                  R"({"schemaVersion":2,"layers":[{"mediaType":"application/vnd.ollama.image.template","digest":"sha256:)" +
                      QString(64, 'b').toUtf8() + R"("},{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:)" +
                      kBlobHex.toUtf8() + R"(","size":1}]})");
        writeText(at(".ollama/models/manifests/registry.ollama.ai/someone/tiny/latest"),
                  R"({"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:)" + kBlobHex.toUtf8() + R"("}]})");
        writeText(at(".ollama/models/manifests/registry.ollama.ai/library/evil/x"),
                  R"({"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:../../../etc/passwd"}]})");
        writeText(at(".ollama/models/manifests/registry.ollama.ai/library/gone/x"),
                  R"({"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:)" + QString(64, 'c').toUtf8() + R"("}]})");
        makeModel(at(".local/share/nomic.ai/GPT4All/gpt4all-Q4_0.gguf"), "llama", "Q4_0");
        // Hugging Face hub cache: snapshot files are relative symlinks into blobs/.
        const QString repo = at(".cache/huggingface/hub/models--Qwen--Qwen3-Tiny-GGUF");
        makeModel(repo + "/blobs/0123abcd", "qwen3", "Q8_0");
        QDir().mkpath(repo + "/snapshots/rev1");
        QDir().mkpath(repo + "/snapshots/rev2");
        QVERIFY(QFile::link("../../blobs/0123abcd", repo + "/snapshots/rev1/Qwen3-Tiny-Q8_0.gguf"));
        QVERIFY(QFile::link("../../blobs/0123abcd", repo + "/snapshots/rev2/Qwen3-Tiny-Q8_0.gguf")); // same blob
        QVERIFY(QFile::link("../../blobs/missing", repo + "/snapshots/rev2/broken.gguf"));
        makeModel(at(".cache/llama.cpp/ggml-org_tiny-Q4_0.gguf"), "qwen2", "Q4_0");
        // A user folder: nested model, a non-GGUF named .gguf, a link to a model listed already, other files.
        makeModel(at("Models/nested/deeper/user-F32.gguf"), "llama", "F32");
        writeText(at("Models/notes.gguf"), "not a model");
        writeText(at("Models/readme.txt"), "x");
        QVERIFY(QFile::link(at(".local/share/nomic.ai/GPT4All/gpt4all-Q4_0.gguf"), at("Models/link.gguf")));

        QProcessEnvironment environment; // empty: the standard places
        roots_ = DiscoveryRoots::standard(home_.path(), at("lucent/models"), environment);
        roots_.userFolders = {at("Models")};
    }

    void standardRootsHonourEnvironment() {
        QProcessEnvironment environment;
        environment.insert("LLAMA_CACHE", "/x/llama");
        environment.insert("HF_HOME", "/x/hf");
        environment.insert("OLLAMA_MODELS", "/x/ollama");
        const DiscoveryRoots roots = DiscoveryRoots::standard("/home/u", "/d/models", environment);
        QCOMPARE(roots.llamaCpp, QString("/x/llama"));
        QCOMPARE(roots.huggingFaceHub, QString("/x/hf/hub"));
        QCOMPARE(roots.ollama, QString("/x/ollama"));
        QCOMPARE(roots.lmStudio, QStringList({"/home/u/.lmstudio/models", "/home/u/.cache/lm-studio/models"}));
        QCOMPARE(roots.gpt4All, QString("/home/u/.local/share/nomic.ai/GPT4All"));
        QCOMPARE(DiscoveryRoots::standard("/home/u", {}, {}).huggingFaceHub, QString("/home/u/.cache/huggingface/hub"));
    }

    void ollamaManifestsNameTheirBlobs() {
        const QList<OllamaModel> models = readOllamaStore(at(".ollama/models"));
        QCOMPARE(models.size(), 2); // evil digest and missing blob skipped
        QCOMPARE(models[0].name, QString("deepseek-r1:1.5b"));
        QCOMPARE(models[0].blobPath, at(".ollama/models/blobs/sha256-" + kBlobHex));
        QCOMPARE(models[0].digest, "sha256:" + kBlobHex);
        QCOMPARE(models[1].name, QString("someone/tiny:latest"));
    }

    void findsEveryAppsModelsOnce() {
        const QList<LocalModel> models = discoverModels(roots_);
        QStringList seen;
        for (const LocalModel& model : models)
            seen << modelSourceName(model.source) + " | " + model.displayName + " | " + model.facts.architecture + " " +
                        model.facts.quantization + (model.problem.isEmpty() ? "" : " | problem");
        const QStringList expected = {
            "Lucent | mine-Q8_0.gguf | qwen2 Q8_0",
            "LM Studio | bartowski/Tiny-GGUF/Tiny-Q4_K_M.gguf | llama Q4_K_M",
            "LM Studio | pub/Old-GGUF/Old-F16.gguf | qwen2 F16",
            "Ollama | deepseek-r1:1.5b | qwen3 F32", // someone/tiny:latest is the same blob: listed once
            "GPT4All | gpt4all-Q4_0.gguf | llama Q4_0",
            "Hugging Face cache | Qwen/Qwen3-Tiny-GGUF/Qwen3-Tiny-Q8_0.gguf | qwen3 Q8_0", // two revisions, one blob
            "llama.cpp cache | ggml-org_tiny-Q4_0.gguf | qwen2 Q4_0",
            "Folder | nested/deeper/user-F32.gguf | llama F32",
            "Folder | notes.gguf |   | problem", // listed with the reason; the link to GPT4All's file is not repeated
        };
        QCOMPARE(seen, expected);
        const LocalModel& hf = models[5];
        QCOMPARE(hf.path, QFileInfo(at(".cache/huggingface/hub/models--Qwen--Qwen3-Tiny-GGUF/blobs/0123abcd")).canonicalFilePath());
        QVERIFY(!models[8].problem.isEmpty());
        QCOMPARE(models[8].facts.fileBytes, qint64(11));
    }

    void factsComeFromTheGguf() {
        const QList<LocalModel> models = discoverModels(roots_);
        const ModelFacts& ollama = models[3].facts;
        QCOMPARE(ollama.architecture, QString("qwen3"));
        QCOMPARE(ollama.layers, quint64(3));
        QCOMPARE(ollama.contextLength, quint64(8192));
        QCOMPARE(ollama.headCountKv, quint64(2));
        QCOMPARE(ollama.headDim, quint64(16));
        QVERIFY(ollama.parameters > 0);
        QCOMPARE(ollama.fileBytes, QFileInfo(models[3].path).size());
        QVERIFY(ollama.weightBytes > 0 && qint64(ollama.weightBytes) < ollama.fileBytes);
        // F32 weights: 4 bytes per parameter.
        QCOMPARE(ollama.weightBytes, ollama.parameters * 4);
    }

    void memoryEstimate() {
        ModelFacts facts;
        facts.layers = 28;
        facts.headCountKv = 2;
        facts.headDim = 128;
        facts.weightBytes = 1'000'000'000;
        // R1-Distill-Qwen-1.5B's shape: 2 × 28 × 4096 × 2 × 128 × 2 bytes = 112 MiB at 4k context.
        QCOMPARE(kvCacheBytes(facts, 4096), quint64(2) * 28 * 4096 * 2 * 128 * 2);
        QCOMPARE(kvCacheBytes(facts, 4096), quint64(117'440'512));
        QCOMPARE(estimatedMemoryBytes(facts, 4096), quint64(1'117'440'512));
        QVERIFY(fitsDevice(facts, 4096, 1'117'440'512));
        QVERIFY(!fitsDevice(facts, 4096, 1'117'440'511));
        QVERIFY(fitsDevice(facts, 0, 1'000'000'000));
    }

    void asyncMatchesBlocking() {
        auto future = discoverModelsAsync(roots_);
        future.waitForFinished();
        QCOMPARE(future.result().size(), discoverModels(roots_).size());
    }

    void missingRootsFindNothing() {
        DiscoveryRoots roots = DiscoveryRoots::standard(at("nobody-home"), {}, {});
        roots.userFolders = {at("no-such-folder")};
        QVERIFY(discoverModels(roots).isEmpty());
    }
};

QTEST_MAIN(TestModelDiscovery)
#include "tst_model_discovery.moc"
