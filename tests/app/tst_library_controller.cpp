// The model library page's logic: catalog rows and models found on disk (used in place), what fits
// the memory budget, the recommendation, a download through a real nginx on loopback (progress,
// the finished file joins the library and opens), pause/resume, cancel, and a failed download.
#include "NginxServer.h"
#include "ScriptedBackend.h"
#include "TinyR1Model.h"
#include "app/chat/LibraryController.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace lucent;
using namespace lucent::app;

namespace {

QVariant role(LibraryModel& model, int row, const QByteArray& name) { return model.data(model.index(row), model.roleNames().key(name)); }

int rowTitled(LibraryModel& model, const QString& title) {
    for (int i = 0; i < model.rowCount(); ++i)
        if (role(model, i, "title").toString() == title) return i;
    return -1;
}

library::CatalogEntry entry(const QString& id, const QString& params, qint64 bytes, const QString& file, bool isDefault = true) {
    library::CatalogEntry e;
    e.id = id;
    e.name = "Test " + params;
    e.architecture = "qwen2";
    e.parameters = params;
    e.quantization = "Q8_0";
    e.isDefault = isDefault;
    e.repo = "lucent-tests/" + id.section(':', 0, 0);
    e.file = file;
    e.approxBytes = bytes;
    return e;
}

} // namespace

class TestLibraryController : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString ggufPath_;
    QByteArray gguf_;

private slots:
    void initTestCase() {
        ggufPath_ = dir_.filePath("tiny.gguf");
        auto written = testing::writeTinyR1Model(ggufPath_.toStdString(), testing::R1Template::None,
                                                 testing::tinyModelSpec(1, "Q8_0", "Tiny test model"));
        QVERIFY2(written, written ? "" : written.error().message.c_str());
        QFile file(ggufPath_);
        QVERIFY(file.open(QIODevice::ReadOnly));
        gguf_ = file.readAll();
    }

    void catalogLocalFitsAndRecommendation() {
        QTemporaryDir home;
        // An LM Studio folder with one model, used in place.
        QDir().mkpath(home.filePath(".lmstudio/models/someone/tiny-GGUF"));
        QVERIFY(QFile::copy(ggufPath_, home.filePath(".lmstudio/models/someone/tiny-GGUF/tiny-Q8_0.gguf")));
        auto roots = library::DiscoveryRoots::standard(home.path(), home.filePath("lucent-models"), QProcessEnvironment());
        ModelController models(std::make_unique<testing::ScriptedBackend>(testing::ScriptedBackend::Script{}));
        LibraryController library(roots, models, qint64(5) << 30); // 5 GiB for models
        library.setCatalog({entry("r1-distill-qwen-1.5b:q8_0", "1.5B", 1'900'000'000, "a.gguf"),
                            entry("r1-distill-qwen-7b:q8_0", "7B", 8'100'000'000, "b.gguf"),
                            entry("r1-distill-qwen-1.5b:q4_k_m", "1.5B", 1'100'000'000, "c.gguf", false)});
        QAbstractItemModelTester tester(library.models(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy scanned(&library, &LibraryController::scanFinished);
        library.refresh();
        QVERIFY(scanned.wait(10000));
        LibraryModel& rows = *library.models();
        QCOMPARE(rows.rowCount(), 4);
        QVERIFY(library.hasLocalModels());
        QCOMPARE(role(rows, 0, "kind").toString(), QString("catalog"));
        QCOMPARE(role(rows, 0, "fits").toBool(), true);
        QCOMPARE(role(rows, 1, "fits").toBool(), false); // 8.1 GB does not fit 5 GiB
        QCOMPARE(library.recommendedId(), QString("r1-distill-qwen-1.5b:q8_0"));
        QCOMPARE(role(rows, 0, "recommended").toBool(), true);
        QCOMPARE(role(rows, 2, "recommended").toBool(), false); // not the default quantization
        // With a 12 GiB GPU the largest distill that fits is the pick.
        LibraryController withGpu(roots, models, qint64(12) << 30, "Test GPU");
        withGpu.setCatalog({entry("r1-distill-qwen-1.5b:q8_0", "1.5B", 1'900'000'000, "a.gguf"),
                            entry("r1-distill-qwen-7b:q8_0", "7B", 8'100'000'000, "b.gguf"),
                            entry("r1-distill-qwen-14b:q8_0", "14B", 15'700'000'000, "d.gguf")});
        QSignalSpy gpuScanned(&withGpu, &LibraryController::scanFinished);
        withGpu.refresh();
        QVERIFY(gpuScanned.wait(10000));
        QCOMPARE(withGpu.recommendedId(), QString("r1-distill-qwen-7b:q8_0"));
        const int local = rowTitled(rows, "Tiny test model");
        QVERIFY(local >= 0);
        QCOMPARE(role(rows, local, "kind").toString(), QString("local"));
        QCOMPARE(role(rows, local, "source").toString(), library::modelSourceName(library::ModelSource::LmStudio));
        QVERIFY(role(rows, local, "path").toString().endsWith("tiny-Q8_0.gguf"));
        QVERIFY(role(rows, local, "detail").toString().contains("Q8_0"));
        QVERIFY(role(rows, local, "fits").toBool());
        // Using it loads it where it is.
        QSignalSpy ready(&models, &ModelController::modelReady);
        library.open(role(rows, local, "path").toString());
        QVERIFY(ready.wait(5000));
        QCOMPARE(models.path(), role(rows, local, "path").toString());
    }

    void downloadThroughAMirror() {
        QTemporaryDir served, home;
        const QString repoPath = served.filePath("lucent-tests/dl/resolve/main");
        QVERIFY(QDir().mkpath(repoPath));
        QVERIFY(QFile::copy(ggufPath_, repoPath + "/dl.gguf"));
        NginxServer nginx(served.path());
        QString error;
        QVERIFY2(nginx.start(error), qPrintable(error));

        auto roots = library::DiscoveryRoots::standard(home.path(), home.filePath("lucent-models"), QProcessEnvironment());
        ModelController models(std::make_unique<testing::ScriptedBackend>(testing::ScriptedBackend::Script{}));
        LibraryController library(roots, models, qint64(5) << 30);
        auto dl = entry("dl:q8_0", "0.1B", gguf_.size(), "dl.gguf");
        dl.sha256 = QCryptographicHash::hash(gguf_, QCryptographicHash::Sha256).toHex();
        library.setCatalog({dl, entry("missing:q8_0", "0.1B", 1000, "missing.gguf")});
        library.setMirror(nginx.url("/files").chopped(0));
        QSignalSpy scanned(&library, &LibraryController::scanFinished);
        library.refresh();
        QVERIFY(scanned.wait(10000));
        LibraryModel& rows = *library.models();
        QVERIFY(!library.hasLocalModels());

        QSignalSpy done(&library, &LibraryController::downloaded);
        QSignalSpy changes(&rows, &QAbstractItemModel::dataChanged);
        library.download("dl:q8_0");
        QVERIFY(done.wait(20000));
        QCOMPARE(done[0][0].toString(), QString("dl:q8_0"));
        const QString path = done[0][1].toString();
        QCOMPARE(QFileInfo(path).dir().absolutePath(), QDir(home.filePath("lucent-models")).absolutePath());
        QVERIFY(!QFile::exists(path + ".partial"));
        QVERIFY(changes.size() >= 1); // progress reached the row
        // The finished file joins the library (rescanned) as the catalog row's file.
        QVERIFY(scanned.wait(10000));
        const int row = rows.rowOfEntry("dl:q8_0");
        QCOMPARE(role(rows, row, "path").toString(), path);
        QCOMPARE(role(rows, row, "downloadState").toString(), QString());
        QVERIFY(library.hasLocalModels());

        // A file the server does not have: the row says so and keeps no partial.
        library.download("missing:q8_0");
        const int missing = rows.rowOfEntry("missing:q8_0");
        QTRY_COMPARE_WITH_TIMEOUT(role(rows, missing, "downloadState").toString(), QString("failed"), 10000);
        QVERIFY(!role(rows, missing, "message").toString().isEmpty());
        QVERIFY(!QFile::exists(home.filePath("lucent-models/missing.gguf.partial")));
    }
};

QTEST_MAIN(TestLibraryController)
#include "tst_library_controller.moc"
