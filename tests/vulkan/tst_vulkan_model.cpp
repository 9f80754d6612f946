// The whole forward pass on the device against the CPU backend on tiny test models of each
// architecture: logits after a prompt (NMSE, same top token) and greedy continuations.
#include "ModelFixtures.h"
#include "inference/cpu/CpuModel.h"
#include "inference/vulkan/VulkanModel.h"
#include "tests/vulkan/VulkanTestSupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace lucent;
using namespace lucent::testing;

namespace {

std::vector<int32_t> somePrompt(size_t n, int32_t vocab) {
    std::vector<int32_t> tokens(n);
    for (size_t i = 0; i < n; ++i) tokens[i] = int32_t((i * 7919 + 13) % size_t(vocab));
    return tokens;
}

int32_t argmax(const std::vector<float>& logits) { return int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin()); }

} // namespace

class TestVulkanModel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void matchesTheCpuBackend_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("gqa7");
        QTest::addColumn<bool>("tied");
        QTest::newRow("qwen2 F32 gqa6") << "qwen2" << "F32" << false << false;
        QTest::newRow("llama F16 gqa7 (rope_freqs)") << "llama" << "F16" << true << false;
        QTest::newRow("qwen3 Q8_0 gqa6 tied") << "qwen3" << "Q8_0" << false << true;
        QTest::newRow("qwen2 Q4_K_M gqa7") << "qwen2" << "Q4_K_M" << true << false;
        QTest::newRow("llama Q4_0 gqa6") << "llama" << "Q4_0" << false << false;
    }
    void matchesTheCpuBackend() {
        QFETCH(QString, arch);
        QFETCH(QString, type);
        QFETCH(bool, gqa7);
        QFETCH(bool, tied);
        TestModelSpec spec;
        spec.arch = arch.toStdString();
        spec.type = type.toStdString();
        spec.tied = tied;
        spec.ropeFreqs = arch == "llama";
        if (gqa7) spec.nHead = 14, spec.nHeadKv = 2, spec.headDim = 128;
        else spec.nHead = 12, spec.nHeadKv = 2, spec.headDim = 64;
        const std::string path = (dir_.path() + "/" + QTest::currentDataTag() + ".gguf").toStdString();
        auto written = writeModel(spec, path);
        QVERIFY2(written, written ? "" : written.error().message.c_str());

        auto cpu = CpuModel::open(path, {256, 1, 64});
        QVERIFY2(cpu, cpu ? "" : cpu.error().message.c_str());
        vk::VulkanModelOptions options;
        options.contextLength = 256;
        options.device.instance.validation = true;
        uint64_t uploaded = 0;
        options.progress = [&](uint64_t done, uint64_t) { uploaded = done; };
        auto gpu = vk::VulkanModel::open(path, options);
        QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
        QVERIFY(uploaded > 0);

        // the prompt, token by token on both
        const uint32_t vocab = (*cpu)->config().nVocab;
        const auto prompt = somePrompt(7, int32_t(vocab));
        std::vector<float> cpuLogits(vocab), gpuLogits(vocab);
        QVERIFY((*cpu)->eval(prompt, 0, cpuLogits.data()));
        auto ran = (*gpu)->eval(prompt, 0, gpuLogits.data());
        QVERIFY2(ran, ran ? "" : ran.error().message.c_str());
        const auto d = vk::test::compare(gpuLogits, cpuLogits);
        qInfo("logits after the prompt: max |diff| %.3g, NMSE %.3g", d.maxAbs, d.nmse);
        // fp32 activations on the device; the CPU rounds them to 8-bit blocks for quantized weights
        QVERIFY(d.nmse < (type.startsWith("F") ? 1e-8 : 5e-3));

        // greedy continuation: the same tokens while the CPU's top two are clearly apart
        int pos = int(prompt.size());
        int agreed = 0;
        for (int step = 0; step < 6; ++step, ++pos) {
            const int32_t next = argmax(cpuLogits);
            std::vector<float> sorted = cpuLogits;
            std::nth_element(sorted.begin(), sorted.begin() + 1, sorted.end(), std::greater<float>());
            if (sorted[0] - sorted[1] > 0.05f) {
                QCOMPARE(argmax(gpuLogits), next);
                ++agreed;
            }
            const int32_t token[] = {next};
            QVERIFY((*cpu)->eval(token, pos, cpuLogits.data()));
            QVERIFY((*gpu)->eval(token, pos, gpuLogits.data()));
        }
        qInfo("greedy steps compared: %d of 6", agreed);
        QVERIFY(agreed >= 3);
        QCOMPARE((*gpu)->context().validationErrors(), 0);
    }

    // A prompt longer than maxBatch runs as several batches (5 + 5 + 3 tokens, each attending to
    // the cache the earlier ones wrote); the result equals token-by-token evaluation (maxBatch 1,
    // the mat-vec path) and the CPU backend. Then generation continues after the batched prompt.
    void promptInSeveralBatches() {
        TestModelSpec spec;
        spec.arch = "qwen2"; // biases: added to every token of a batch
        spec.type = "F32";
        spec.nHead = 12, spec.nHeadKv = 2, spec.headDim = 64;
        const std::string path = (dir_.path() + "/batches.gguf").toStdString();
        QVERIFY(writeModel(spec, path));
        auto cpu = CpuModel::open(path, {64, 1, 64});
        QVERIFY(cpu);
        const uint32_t vocab = (*cpu)->config().nVocab;
        const auto prompt = somePrompt(13, int32_t(vocab));
        std::vector<float> cpuLogits(vocab);
        QVERIFY((*cpu)->eval(prompt, 0, cpuLogits.data()));
        std::vector<float> batched;
        for (uint32_t maxBatch : {5u, 1u}) {
            vk::VulkanModelOptions options;
            options.contextLength = 64;
            options.maxBatch = maxBatch;
            options.device.instance.validation = true;
            auto gpu = vk::VulkanModel::open(path, options);
            QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
            std::vector<float> logits(vocab);
            auto ran = (*gpu)->eval(prompt, 0, logits.data());
            QVERIFY2(ran, ran ? "" : ran.error().message.c_str());
            const auto d = vk::test::compare(logits, cpuLogits);
            qInfo("maxBatch %u: max |diff| %.3g, NMSE %.3g vs the CPU", maxBatch, d.maxAbs, d.nmse);
            QVERIFY(d.nmse < 1e-8);
            QCOMPARE(argmax(logits), argmax(cpuLogits));
            if (maxBatch == 5) {
                batched = logits;
                // a second prompt piece of 3 tokens after the first 13, then one generated token
                const int32_t more[] = {7, 8, 9};
                QVERIFY((*gpu)->eval(more, 13, logits.data()));
                std::vector<float> cpuMore(vocab);
                QVERIFY((*cpu)->eval(more, 13, cpuMore.data()));
                QVERIFY(vk::test::compare(logits, cpuMore).nmse < 1e-8);
                QVERIFY((*cpu)->eval(prompt, 0, cpuLogits.data())); // back to the prompt's logits
            } else {
                QVERIFY(vk::test::compare(logits, batched).nmse < 1e-9);
            }
            QCOMPARE((*gpu)->context().validationErrors(), 0);
        }
    }

    // A prompt through the integer dot-product mat-mul (GPUs with fast int8 dot products; forced on
    // here, with lavapipe taking a GPU's kernel choices): its activations are rounded to 8-bit
    // blocks as the CPU backend rounds them, so it lands closer to the CPU than the fp32 tiles (not
    // equal: the LM head is a mat-vec with fp32 activations; measured NMSE 3e-5 against 1.3e-4).
    void integerDotPromptMatchesTheCpu_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("type");
        QTest::newRow("qwen2 Q8_0") << "qwen2" << "Q8_0";
        QTest::newRow("llama Q4_0") << "llama" << "Q4_0";
    }
    void integerDotPromptMatchesTheCpu() {
        QFETCH(QString, arch);
        QFETCH(QString, type);
        TestModelSpec spec;
        spec.arch = arch.toStdString();
        spec.type = type.toStdString();
        spec.ropeFreqs = arch == "llama";
        spec.nHead = 12, spec.nHeadKv = 2, spec.headDim = 64;
        const std::string path = (dir_.path() + "/dot-" + QTest::currentDataTag() + ".gguf").toStdString();
        QVERIFY(writeModel(spec, path));
        auto cpu = CpuModel::open(path, {64, 1, 64});
        QVERIFY(cpu);
        const uint32_t vocab = (*cpu)->config().nVocab;
        const auto prompt = somePrompt(13, int32_t(vocab));
        std::vector<float> cpuLogits(vocab);
        QVERIFY((*cpu)->eval(prompt, 0, cpuLogits.data()));

        // a GPU's kernel choices (prompt batches to the tiled mat-mul); the variables CTest set are
        // put back afterwards, for the tests that follow
        struct Environment {
            QByteArray kernels = qgetenv("LUCENT_VK_KERNELS"), integerDot = qgetenv("LUCENT_VK_INTEGER_DOT");
            Environment() { qputenv("LUCENT_VK_KERNELS", "gpu"); }
            ~Environment() {
                restore("LUCENT_VK_KERNELS", kernels);
                restore("LUCENT_VK_INTEGER_DOT", integerDot);
            }
            static void restore(const char* name, const QByteArray& value) {
                if (value.isNull()) qunsetenv(name);
                else qputenv(name, value);
            }
        } environment;
        double nmse[2] = {};
        for (bool integerDot : {false, true}) {
            qputenv("LUCENT_VK_INTEGER_DOT", integerDot ? "1" : "0");
            vk::VulkanModelOptions options;
            options.contextLength = 64;
            options.device.instance.validation = true;
            auto gpu = vk::VulkanModel::open(path, options);
            QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
            if (integerDot && !(*gpu)->context().info().caps.integerDotProduct) QSKIP("the device has no integer dot product");
            std::vector<float> logits(vocab);
            auto ran = (*gpu)->eval(prompt, 0, logits.data());
            QVERIFY2(ran, ran ? "" : ran.error().message.c_str());
            const auto d = vk::test::compare(logits, cpuLogits);
            nmse[integerDot] = d.nmse;
            qInfo("%s tiles: max |diff| %.3g, NMSE %.3g vs the CPU", integerDot ? "integer-dot" : "fp32", d.maxAbs, d.nmse);
            QCOMPARE(argmax(logits), argmax(cpuLogits));
            QCOMPARE((*gpu)->context().validationErrors(), 0);
        }
        QVERIFY(nmse[1] < 1e-4);
        QVERIFY(nmse[1] < nmse[0] / 2);
    }

    // Generation runs one recorded step again and again: the token, the position and the RoPE
    // angles come from a buffer, and the step is recorded anew only when the attention's split count
    // changes (at 129 and 257 positions here). 300 tokens one by one equal the CPU's at every step,
    // and going back to position 5 (a regenerated reply) writes and reads the cache there.
    void recordedDecodeStepFollowsThePosition() {
        TestModelSpec spec;
        spec.arch = "qwen2";
        spec.type = "F32";
        spec.nHead = 12, spec.nHeadKv = 2, spec.headDim = 64;
        const std::string path = (dir_.path() + "/steps.gguf").toStdString();
        QVERIFY(writeModel(spec, path));
        auto cpu = CpuModel::open(path, {320, 1, 64});
        QVERIFY(cpu);
        vk::VulkanModelOptions options;
        options.contextLength = 320;
        options.device.instance.validation = true;
        auto gpu = vk::VulkanModel::open(path, options);
        QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
        const uint32_t vocab = (*cpu)->config().nVocab;
        const auto tokens = somePrompt(300, int32_t(vocab));
        std::vector<float> cpuLogits(vocab), gpuLogits(vocab);
        double worst = 0;
        auto step = [&](int32_t token, int pos) {
            const int32_t one[] = {token};
            QVERIFY((*cpu)->eval(one, pos, cpuLogits.data()));
            auto ran = (*gpu)->eval(one, pos, gpuLogits.data());
            QVERIFY2(ran, ran ? "" : ran.error().message.c_str());
            const double nmse = vk::test::compare(gpuLogits, cpuLogits).nmse;
            worst = std::max(worst, nmse);
            QVERIFY2(nmse < 1e-8, qPrintable(QString("position %1: NMSE %2").arg(pos).arg(nmse)));
        };
        for (int pos = 0; pos < int(tokens.size()); ++pos) {
            step(tokens[size_t(pos)], pos);
            if (QTest::currentTestFailed()) return;
        }
        for (int pos = 5; pos < 9; ++pos) {
            step(int32_t(pos * 31), pos);
            if (QTest::currentTestFailed()) return;
        }
        qInfo("300 + 4 recorded steps: worst NMSE %.3g vs the CPU", worst);
        QCOMPARE((*gpu)->context().validationErrors(), 0);
    }

    // The 8-bit KV cache against the CPU (fp16 cache): the logits after a 40-token prompt (one
    // batch) and 24 generated tokens (recorded steps), NMSE of each printed next to the fp16 cache's
    // — the accuracy the halved cache costs. Random weights give flatter, more sensitive logits than
    // a trained model's.
    void eightBitKvCacheStaysCloseToTheCpu_data() {
        QTest::addColumn<QString>("type");
        QTest::newRow("qwen2 F32") << "F32";
        QTest::newRow("qwen2 Q4_0") << "Q4_0";
    }
    void eightBitKvCacheStaysCloseToTheCpu() {
        QFETCH(QString, type);
        TestModelSpec spec;
        spec.arch = "qwen2";
        spec.type = type.toStdString();
        spec.nHead = 12, spec.nHeadKv = 2, spec.headDim = 64;
        const std::string path = (dir_.path() + "/kv8-" + type + ".gguf").toStdString();
        QVERIFY(writeModel(spec, path));
        auto cpu = CpuModel::open(path, {128, 1, 64});
        QVERIFY(cpu);
        const uint32_t vocab = (*cpu)->config().nVocab;
        const auto prompt = somePrompt(40, int32_t(vocab));
        std::vector<std::vector<float>> reference; // the CPU's logits after the prompt and each step
        std::vector<float> logits(vocab);
        QVERIFY((*cpu)->eval(prompt, 0, logits.data()));
        reference.push_back(logits);
        std::vector<int32_t> generated;
        for (int step = 0; step < 24; ++step) {
            generated.push_back(argmax(logits));
            QVERIFY((*cpu)->eval(std::span(generated).last(1), int(prompt.size()) + step, logits.data()));
            reference.push_back(logits);
        }
        for (vk::KvCacheType cache : {vk::KvCacheType::F16, vk::KvCacheType::Q8_0}) {
            vk::VulkanModelOptions options;
            options.contextLength = 128;
            options.kvCache = cache;
            options.device.instance.validation = true;
            auto gpu = vk::VulkanModel::open(path, options);
            QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
            QVERIFY((*gpu)->eval(prompt, 0, logits.data()));
            double worst = vk::test::compare(logits, reference[0]).nmse, promptNmse = worst;
            int sameTop = argmax(logits) == argmax(reference[0]);
            for (size_t step = 0; step < generated.size(); ++step) { // the CPU's tokens, so both see the same context
                QVERIFY((*gpu)->eval(std::span(generated).subspan(step, 1), int(prompt.size() + step), logits.data()));
                worst = std::max(worst, vk::test::compare(logits, reference[step + 1]).nmse);
                sameTop += argmax(logits) == argmax(reference[step + 1]);
            }
            const bool eightBit = cache == vk::KvCacheType::Q8_0;
            qInfo("%s KV cache: NMSE vs the CPU after the prompt %.3g, worst of 25 %.3g; same top token %d of 25",
                  eightBit ? "8-bit" : "fp16 ", promptNmse, worst, sameTop);
            QVERIFY(worst < (eightBit ? 1e-3 : (type == "F32" ? 1e-8 : 5e-3)));
            QVERIFY(sameTop >= 22);
            QCOMPARE((*gpu)->context().validationErrors(), 0);
        }
    }

    // VK_ERROR_DEVICE_LOST (injected: a real loss cannot be provoked portably) becomes a sentence,
    // every later eval says the same at once instead of hanging, the model can be destroyed, and a
    // model loaded again runs.
    void deviceLostIsAnError() {
        TestModelSpec spec;
        const std::string path = (dir_.path() + "/lost.gguf").toStdString();
        QVERIFY(writeModel(spec, path));
        vk::VulkanModelOptions options;
        options.contextLength = 32;
        options.device.simulateDeviceLostAtSubmit = 2;
        auto gpu = vk::VulkanModel::open(path, options);
        QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
        std::vector<float> logits((*gpu)->config().nVocab);
        const int32_t tokens[] = {1, 2, 3};
        QVERIFY((*gpu)->eval(tokens, 0, logits.data())); // submission 1
        auto lost = (*gpu)->eval(std::span(tokens, 1), 3, logits.data());
        QVERIFY(!lost);
        qInfo("%s", lost.error().message.c_str());
        QVERIFY(lost.error().message.find("stopped responding") != std::string::npos);
        QVERIFY((*gpu)->context().lost());
        auto again = (*gpu)->eval(tokens, 0, logits.data());
        QVERIFY(!again);
        QVERIFY(again.error().message.find("VK_ERROR_DEVICE_LOST") != std::string::npos);
        gpu->reset();
        options.device.simulateDeviceLostAtSubmit = 0;
        auto reloaded = vk::VulkanModel::open(path, options);
        QVERIFY(reloaded);
        QVERIFY((*reloaded)->eval(tokens, 0, logits.data()));
    }

    void refusesBadInput() {
        TestModelSpec spec;
        const std::string path = (dir_.path() + "/small.gguf").toStdString();
        QVERIFY(writeModel(spec, path));
        vk::VulkanModelOptions options;
        options.contextLength = 16;
        auto gpu = vk::VulkanModel::open(path, options);
        QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
        std::vector<float> logits((*gpu)->config().nVocab);
        const int32_t outside[] = {int32_t((*gpu)->config().nVocab)};
        QVERIFY(!(*gpu)->eval(outside, 0, logits.data()));
        const int32_t one[] = {5};
        auto full = (*gpu)->eval(one, 16, logits.data());
        QVERIFY(!full);
        QVERIFY(full.error().message.find("context is full") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestVulkanModel)
#include "tst_vulkan_model.moc"
