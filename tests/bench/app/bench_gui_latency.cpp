// lucent_bench_gui_latency [--tokens N] [--model FILE]
// The desktop app, offscreen, streaming a reply at the engine's full speed (a tiny test model makes
// hundreds of tokens per second): how long does the GUI thread ever go without running its event
// loop? A 1 ms timer records the gaps between its firings while the reply streams; the report gives
// the longest gap, the 99th percentile and the number of gaps over one 60 Hz frame (16 ms).
// Exit code 1 when the reply failed.
#include "TinyR1Model.h"
#include "app/desktop/DesktopApp.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQuickStyle>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace lucent;

namespace {

QString makeModel(const QString& dir) {
    const QString path = dir + "/bench-r1.gguf";
    auto written = testing::writeTinyR1Model(path.toStdString(), testing::R1Template::Think, testing::tinyModelSpec(2, "Q8_0"));
    if (!written) qFatal("cannot write the test model: %s", written.error().message.c_str());
    return path;
}

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_QUICK_BACKEND", "software");
    QGuiApplication application(argc, argv);
    QQuickStyle::setStyle("Fusion");
    QCommandLineParser parser;
    parser.addOption({"tokens", "Tokens to stream.", "N", "3000"});
    parser.addOption({"model", "GGUF model (default: a tiny R1-shaped test model).", "FILE"});
    parser.addOption({"hide-reasoning", "Hide the reasoning panel (isolates its cost)."});
    parser.process(application);

    QTemporaryDir dir;
    app::DesktopOptions options;
    options.dataDir = dir.filePath("data");
    options.modelPath = parser.isSet("model") ? parser.value("model") : makeModel(dir.path());
    auto started = app::DesktopApp::start(std::move(options));
    if (!started) qFatal("%s", started.error().message.c_str());
    app::DesktopApp& app = **started;
    app.models().setContextLength(parser.value("tokens").toInt() + 256);
    QElapsedTimer loading;
    loading.start();
    while (!app.models().loaded() && loading.elapsed() < 60000) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!app.models().loaded()) qFatal("the model did not load: %s", qPrintable(app.models().error()));
    app.chat().setSetting("maxTokens", parser.value("tokens").toInt());
    app.chat().setHideReasoning(parser.isSet("hide-reasoning"));

    std::vector<double> gaps;
    std::vector<std::pair<double, double>> longGaps; // (gap, when it ended) for gaps over a frame
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    double last = 0;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const double now = clock.nsecsElapsed() / 1e6;
        gaps.push_back(now - last);
        if (now - last > 16.0) longGaps.emplace_back(now - last, now);
        last = now;
    });
    QElapsedTimer streaming;
    QObject::connect(&app.chat(), &app::ChatController::generatingChanged, [&] {
        if (app.chat().generating()) return;
        probe.stop();
        application.quit();
    });
    app.chat().send("Write a very long story about a lighthouse keeper.");
    clock.start();
    streaming.start();
    probe.start();
    application.exec();

    auto* messages = app.chat().messages();
    const int tokens = messages->data(messages->index(1), messages->roleNames().key("tokens")).toInt();
    const double tps = messages->data(messages->index(1), messages->roleNames().key("tokensPerSecond")).toDouble();
    if (gaps.size() < 10 || tokens == 0) {
        std::fprintf(stderr, "error: the reply did not stream (%d tokens).\n", tokens);
        return 1;
    }
    std::vector<double> sorted = gaps;
    std::sort(sorted.begin(), sorted.end());
    const double p99 = sorted[size_t(double(sorted.size() - 1) * 0.99)];
    const long over = std::count_if(gaps.begin(), gaps.end(), [](double g) { return g > 16.0; });
    std::printf("streamed %d tokens at %.0f tokens/s in %.0f ms; GUI event loop: %zu timer firings, "
                "longest gap %.2f ms, p99 %.2f ms, median %.2f ms, gaps over 16 ms: %ld\n",
                tokens, tps, streaming.elapsed() * 1.0, gaps.size(), sorted.back(), p99, sorted[sorted.size() / 2], over);
    std::sort(longGaps.rbegin(), longGaps.rend());
    for (size_t i = 0; i < std::min<size_t>(longGaps.size(), 5); ++i)
        std::printf("  gap of %.1f ms ending %.0f ms into the reply\n", longGaps[i].first, longGaps[i].second);
    return 0;
}
