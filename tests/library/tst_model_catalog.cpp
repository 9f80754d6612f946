// The built-in catalog (every family the issue names, Hugging Face URLs, no invented hashes) and how
// user input becomes a download: catalog ids, owner/repo/file, URLs, and their errors.
#include "app/library/ModelCatalog.h"

#include <QSet>
#include <QTest>

using namespace lucent::library;

class TestModelCatalog : public QObject {
    Q_OBJECT
private slots:
    void builtInCatalogCoversTheFamilies() {
        const QList<CatalogEntry>& catalog = builtInCatalog();
        QSet<QString> models, defaults;
        for (const CatalogEntry& entry : catalog) {
            models.insert(entry.id.section(':', 0, 0));
            if (entry.isDefault) defaults.insert(entry.id.section(':', 0, 0));
            QCOMPARE(entry.url().toString(), "https://huggingface.co/" + entry.repo + "/resolve/main/" + entry.file);
            QVERIFY2(entry.file.contains(entry.quantization), qPrintable(entry.id));
            QVERIFY(entry.approxBytes > 500'000'000 && entry.approxBytes < 20'000'000'000);
            // No hash could be verified offline, so none may appear (a later verified one must be 64 hex).
            QVERIFY2(entry.sha256.isEmpty() || entry.sha256.size() == 64, qPrintable(entry.id));
        }
        const QSet<QString> expected{"r1-distill-qwen-1.5b", "r1-distill-qwen-7b", "r1-distill-qwen-14b", "r1-distill-llama-8b",
                                     "qwen3-4b", "qwen3-8b", "llama-3.2-3b"};
        QCOMPARE(models, expected);
        QCOMPARE(defaults, expected); // each model has exactly one default quantization…
        QCOMPARE(qsizetype(std::count_if(catalog.begin(), catalog.end(), [](const auto& e) { return e.isDefault; })), expected.size());
    }

    void resolve_data() {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("fileName");
        QTest::newRow("catalog id") << "qwen3-4b:q8_0" << "https://huggingface.co/Qwen/Qwen3-4B-GGUF/resolve/main/Qwen3-4B-Q8_0.gguf" << "Qwen3-4B-Q8_0.gguf";
        QTest::newRow("bare id picks the default") << "R1-Distill-Qwen-1.5B"
            << "https://huggingface.co/bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF/resolve/main/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf"
            << "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf";
        QTest::newRow("owner/repo/file") << "unsloth/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf"
            << "https://huggingface.co/unsloth/Qwen3-8B-GGUF/resolve/main/Qwen3-8B-Q4_K_M.gguf" << "Qwen3-8B-Q4_K_M.gguf";
        QTest::newRow("hf:// with a folder") << "hf://owner/repo/Q4_K_M/model.gguf"
            << "https://huggingface.co/owner/repo/resolve/main/Q4_K_M/model.gguf" << "model.gguf";
        QTest::newRow("URL") << "http://127.0.0.1:8080/models/x.gguf?download=1" << "http://127.0.0.1:8080/models/x.gguf?download=1" << "x.gguf";
    }
    void resolve() {
        QFETCH(QString, reference);
        QFETCH(QString, url);
        QFETCH(QString, fileName);
        auto resolved = resolveModelReference(builtInCatalog(), reference);
        QVERIFY2(resolved.ok(), resolved.ok() ? "" : resolved.error().message.c_str());
        QCOMPARE(resolved->url.toString(), url);
        QCOMPARE(resolved->fileName, fileName);
        QCOMPARE(resolved->entry.has_value(), !url.startsWith("http://") && reference.count('/') == 0);
    }

    void resolveErrors_data() {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << "  " << "Name a model";
        QTest::newRow("unknown id") << "gpt-5" << "neither a catalog id";
        QTest::newRow("climbs out") << "owner/repo/../../etc/passwd" << "not a file name inside a repository";
        QTest::newRow("bad owner") << "-x/repo/file.gguf" << "not a Hugging Face repository";
        QTest::newRow("URL without file") << "https://example.com/" << "does not end in a file name";
    }
    void resolveErrors() {
        QFETCH(QString, reference);
        QFETCH(QString, message);
        auto resolved = resolveModelReference(builtInCatalog(), reference);
        QVERIFY(!resolved.ok());
        QVERIFY2(QString::fromStdString(resolved.error().message).contains(message), resolved.error().message.c_str());
    }

    void parseCatalogErrors_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        const QByteArray entry = R"({"id":"a:q8_0","name":"A","repo":"o/r","file":"a.gguf","sha256":null})";
        QTest::newRow("not JSON") << QByteArray("{") << "not valid JSON";
        QTest::newRow("duplicate") << "{\"models\":[" + entry + "," + entry + "]}" << "lists a:q8_0 twice";
        QTest::newRow("bad hash") << QByteArray(R"({"models":[{"id":"a","name":"A","repo":"o/r","file":"a.gguf","sha256":"abc"}]})") << "not 64 hex";
        QTest::newRow("bad repo") << QByteArray(R"({"models":[{"id":"a","name":"A","repo":"r","file":"a.gguf"}]})") << "owner/name";
    }
    void parseCatalogErrors() {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        auto parsed = parseCatalog(json);
        QVERIFY(!parsed.ok());
        QVERIFY2(QString::fromStdString(parsed.error().message).contains(message), parsed.error().message.c_str());
    }
};

QTEST_MAIN(TestModelCatalog)
#include "tst_model_catalog.moc"
