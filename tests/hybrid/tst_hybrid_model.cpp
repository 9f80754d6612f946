// Partial offload on lavapipe (picked explicitly, validation layers on): the first n layers on the
// device, the rest on the CPU, against the whole model on the CPU and on the device, for tiny
// 4-layer models of every architecture and several weight types; then the split a memory budget
// chooses, and what happens when nothing or not enough fits.
#include "ModelFixtures.h"
#include "inference/engine/LoadedModel.h"
#include "inference/hybrid/HybridModel.h"
#include "inference/hybrid/OffloadPlan.h"
#include "inference/hybrid/OpenOffloaded.h"
#include "inference/vulkan/DeviceList.h"
#include "inference/vulkan/VulkanInstance.h"
#include "tests/vulkan/VulkanTestSupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace lucent;
using namespace lucent::testing;

namespace {

constexpr uint32_t kLayers = 4;
constexpr uint32_t kContext = 64;

std::vector<int32_t> somePrompt(size_t n, int32_t vocab) {
    std::vector<int32_t> tokens(n);
    for (size_t i = 0; i < n; ++i) tokens[i] = int32_t((i * 7919 + 13) % size_t(vocab));
    return tokens;
}

int32_t argmax(const std::vector<float>& logits) { return int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin()); }

/// Whether the top two logits are clearly apart, so that rounding cannot swap them.
bool clearWinner(const std::vector<float>& logits) {
    std::vector<float> sorted = logits;
    std::nth_element(sorted.begin(), sorted.begin() + 1, sorted.end(), std::greater<float>());
    return sorted[0] - sorted[1] > 0.05f;
}

/// lavapipe's index in listDevices(), if there is one.
std::optional<int> lavapipeIndex(std::vector<vk::DeviceInfo>* devicesOut = nullptr) {
    auto instance = vk::VulkanInstance::create({.validation = false, .log = [](vk::LogLevel, std::string_view) {}});
    if (!instance) return std::nullopt;
    const auto devices = vk::listDevices(**instance);
    if (devicesOut) *devicesOut = devices;
    for (size_t i = 0; i < devices.size(); ++i)
        if (devices[i].kind == vk::DeviceKind::Cpu && devices[i].supported()) return int(i);
    return std::nullopt;
}

} // namespace

class TestHybridModel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    int lavapipe_ = -1;
    vk::DeviceInfo lavapipeInfo_;

    std::string writeTinyModel(const QString& name, const std::string& arch, const std::string& type, bool tied = false) {
        TestModelSpec spec;
        spec.arch = arch;
        spec.type = type;
        spec.nLayer = kLayers;
        spec.tied = tied;
        spec.ropeFreqs = arch == "llama";
        spec.nHead = 8, spec.nHeadKv = 2, spec.headDim = 32;
        const std::string path = (dir_.path() + "/" + name + ".gguf").toStdString();
        auto written = writeModel(spec, path);
        if (!written) qFatal("%s", written.error().message.c_str());
        return path;
    }

    vk::ContextOptions onLavapipe() const {
        vk::ContextOptions options;
        options.device = lavapipe_;
        options.instance.validation = true;
        return options;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        std::vector<vk::DeviceInfo> devices;
        const auto index = lavapipeIndex(&devices);
        if (!index) QSKIP("no lavapipe (mesa-vulkan-drivers) device");
        lavapipe_ = *index;
        lavapipeInfo_ = devices[size_t(*index)];
    }

    // Logits after a prompt (in two batches: maxBatch 4, 7 tokens), a second prompt piece, then
    // greedy decoding, with n = 1, 2 and L − 1 layers on the GPU: within the NMSE bound
    // tst_vulkan_model allows between the Vulkan and CPU backends, against both; greedy tokens
    // equal while the winner is clear; the KV positions of both stages continue across evals.
    void matchesCpuAndVulkan_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("tied");
        QTest::newRow("qwen2 F32") << "qwen2" << "F32" << false;
        QTest::newRow("llama F16 (rope_freqs)") << "llama" << "F16" << false;
        QTest::newRow("qwen3 Q8_0 tied") << "qwen3" << "Q8_0" << true;
        QTest::newRow("llama Q4_0") << "llama" << "Q4_0" << false;
        QTest::newRow("qwen2 Q4_K_M") << "qwen2" << "Q4_K_M" << false;
    }
    void matchesCpuAndVulkan() {
        QFETCH(QString, arch);
        QFETCH(QString, type);
        QFETCH(bool, tied);
        const std::string path = writeTinyModel(QTest::currentDataTag(), arch.toStdString(), type.toStdString(), tied);
        // tst_vulkan_model's bounds between the two backends: fp32 activations on the device, the CPU
        // rounds them to 8-bit blocks for quantized weights. Its float bound (1e-8) is for 2-layer
        // models; rounding differences add up layer by layer and these have 4 (Vulkan vs CPU measured
        // up to 1.1e-8 here), so twice that.
        const double bound = type.startsWith("F") ? 2e-8 : 5e-3;

        auto cpu = CpuModel::open(path, {kContext, 1, 4});
        QVERIFY2(cpu, cpu ? "" : cpu.error().message.c_str());
        vk::VulkanModelOptions whole;
        whole.contextLength = kContext;
        whole.maxBatch = 4;
        whole.device = onLavapipe();
        auto gpu = vk::VulkanModel::open(path, whole);
        QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
        std::vector<std::unique_ptr<HybridModel>> hybrids;
        for (uint32_t n : {1u, 2u, kLayers - 1}) {
            HybridOptions options;
            options.gpuLayers = n;
            options.contextLength = kContext;
            options.threads = 1;
            options.maxBatch = 4;
            options.device = onLavapipe();
            auto hybrid = HybridModel::open(path, options);
            QVERIFY2(hybrid, hybrid ? "" : hybrid.error().message.c_str());
            QCOMPARE((*hybrid)->gpuLayers(), n);
            QCOMPARE((*hybrid)->gpu().layerCount(), n);
            QCOMPARE((*hybrid)->cpu().firstLayer(), n);
            hybrids.push_back(std::move(*hybrid));
        }

        const uint32_t vocab = (*cpu)->config().nVocab;
        std::vector<float> cpuLogits(vocab), gpuLogits(vocab);
        std::vector<std::vector<float>> hybridLogits(hybrids.size(), std::vector<float>(vocab));
        auto evalAll = [&](std::span<const int32_t> tokens, int pos) -> bool {
            if (!(*cpu)->eval(tokens, pos, cpuLogits.data()) || !(*gpu)->eval(tokens, pos, gpuLogits.data())) return false;
            for (size_t i = 0; i < hybrids.size(); ++i) {
                auto ran = hybrids[i]->eval(tokens, pos, hybridLogits[i].data());
                if (!ran) qWarning("%s", ran.error().message.c_str());
                if (!ran) return false;
            }
            return true;
        };
        auto compareAll = [&](const char* when) {
            const auto backends = vk::test::compare(gpuLogits, cpuLogits);
            qInfo("%s, Vulkan vs CPU: NMSE %.3g", when, backends.nmse);
            QVERIFY(backends.nmse < bound);
            for (size_t i = 0; i < hybrids.size(); ++i) {
                const auto toCpu = vk::test::compare(hybridLogits[i], cpuLogits);
                const auto toGpu = vk::test::compare(hybridLogits[i], gpuLogits);
                qInfo("%s, %u GPU layers: NMSE %.3g vs CPU, %.3g vs Vulkan (max |diff| %.3g, %.3g)", when, hybrids[i]->gpuLayers(), toCpu.nmse,
                      toGpu.nmse, toCpu.maxAbs, toGpu.maxAbs);
                QVERIFY(toCpu.nmse < bound);
                QVERIFY(toGpu.nmse < bound);
            }
        };

        const auto prompt = somePrompt(7, int32_t(vocab)); // batches of 4 + 3 through both stages
        QVERIFY(evalAll(prompt, 0));
        compareAll("prompt");
        const int32_t more[] = {7, 8, 9};
        QVERIFY(evalAll(more, 7));
        compareAll("second prompt piece");

        int pos = 10, compared = 0;
        for (int step = 0; step < 6; ++step, ++pos) {
            const int32_t next = argmax(cpuLogits);
            if (clearWinner(cpuLogits)) {
                for (const auto& logits : hybridLogits) QCOMPARE(argmax(logits), next);
                ++compared;
            }
            if (clearWinner(gpuLogits))
                for (const auto& logits : hybridLogits) QCOMPARE(argmax(logits), argmax(gpuLogits));
            const int32_t token[] = {next};
            QVERIFY(evalAll(token, pos));
        }
        compareAll("after 6 greedy steps");
        qInfo("greedy steps compared: %d of 6", compared);
        QVERIFY(compared >= 3);

        QCOMPARE((*gpu)->context().validationErrors(), 0);
        for (const auto& hybrid : hybrids) QCOMPARE(hybrid->gpu().context().validationErrors(), 0);
    }

    // The budget picks the split: a budget of exactly what k layers need picks k, a byte less k − 1;
    // the whole model is a plain VulkanModel, nothing fitting a plain CpuModel; the estimate covers
    // what the device really allocates. The description and OpenedBackend say what was chosen.
    void budgetChoosesTheSplit() {
        const std::string path = writeTinyModel("budget", "qwen2", "Q8_0");
        auto file = GgufFile::open(path);
        QVERIFY(file);
        auto config = readModelConfig(*file);
        auto weights = loadModelWeights(*file, *config);
        QVERIFY(config && weights);
        const OffloadNeeds needs = offloadNeeds(*config, *weights, kContext, 256, bindingAlignmentOf(lavapipeInfo_));
        QCOMPARE(needs.layers(), kLayers);
        qInfo("shared %llu, per layer %llu, head %llu bytes", (unsigned long long)needs.sharedBytes,
              (unsigned long long)needs.layerBytes[0], (unsigned long long)needs.headBytes);

        for (uint32_t k = 0; k <= kLayers; ++k) {
            for (bool exact : {true, false}) {
                if (k == 0 && exact) continue;
                if (!exact && k == kLayers) continue;
                // exact: what k layers need; otherwise one byte short of k + 1
                const uint64_t budget = exact ? needs.bytesFor(k) : needs.bytesFor(k + 1) - 1;
                LoadOptions options;
                options.backend = BackendChoice::Vulkan;
                options.device = lavapipe_;
                options.validation = true;
                options.contextLength = kContext;
                options.threads = 1;
                options.vramBudgetBytes = budget;
                auto reopened = GgufFile::open(path);
                QVERIFY(reopened);
                auto opened = openBackend(path, std::move(*reopened), options);
                QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
                qInfo("budget %llu: %s", (unsigned long long)budget, opened->device.c_str());
                QCOMPARE(opened->gpuLayers, k);
                Backend* backend = opened->backend.get();
                if (k == 0) {
                    QVERIFY(dynamic_cast<CpuModel*>(backend));
                    QVERIFY(!opened->vulkan);
                } else if (k == kLayers) {
                    auto* whole = dynamic_cast<vk::VulkanModel*>(backend);
                    QVERIFY(whole);
                    QCOMPARE(opened->device, std::string("llvmpipe (Vulkan, CPU)"));
                    QVERIFY(whole->deviceBytes() <= budget);
                    QVERIFY(whole->deviceBytes() * 100 >= budget * 95);
                } else {
                    auto* hybrid = dynamic_cast<HybridModel*>(backend);
                    QVERIFY(hybrid);
                    QCOMPARE(hybrid->gpuLayers(), k);
                    QCOMPARE(opened->device, "llvmpipe (Vulkan, CPU) — " + std::to_string(k) + " of 4 layers, rest on CPU (1 threads)");
                    // the estimate is what the device holds, give or take alignment
                    qInfo("  device bytes %llu of an estimate of %llu", (unsigned long long)hybrid->gpu().deviceBytes(),
                          (unsigned long long)needs.bytesFor(k));
                    QVERIFY(hybrid->gpu().deviceBytes() <= needs.bytesFor(k));
                    QVERIFY(hybrid->gpu().deviceBytes() * 100 >= needs.bytesFor(k) * 95);
                }
                std::vector<float> logits(backend->config().nVocab);
                const int32_t tokens[] = {1, 2, 3};
                QVERIFY(backend->eval(tokens, 0, logits.data()));
            }
        }
    }

    // Forcing more layers than the budget holds is one sentence saying how many fit; more than the
    // model has, too. Forcing 0 puts the model on the CPU.
    void forcedSplitsThatCannotBe() {
        const std::string path = writeTinyModel("forced", "llama", "Q4_0");
        auto file = GgufFile::open(path);
        auto config = readModelConfig(*file);
        auto weights = loadModelWeights(*file, *config);
        const OffloadNeeds needs = offloadNeeds(*config, *weights, kContext, 256, bindingAlignmentOf(lavapipeInfo_));
        auto load = [&](std::optional<uint32_t> layers, std::optional<uint64_t> budget) {
            LoadOptions options;
            options.backend = BackendChoice::Vulkan;
            options.device = lavapipe_;
            options.contextLength = kContext;
            options.gpuLayers = layers;
            options.vramBudgetBytes = budget;
            auto mapped = GgufFile::open(path);
            if (!mapped) qFatal("%s", mapped.error().message.c_str());
            return openBackend(path, std::move(*mapped), options);
        };
        auto tooMany = load(3, needs.bytesFor(2));
        QVERIFY(!tooMany);
        qInfo("%s", tooMany.error().message.c_str());
        QVERIFY(tooMany.error().message.find("3 layers on llvmpipe") != std::string::npos);
        QVERIFY(tooMany.error().message.find("at most 2 fit") != std::string::npos);
        auto past = load(5, std::nullopt);
        QVERIFY(!past);
        QVERIFY(past.error().message.find("This model has 4 layers") != std::string::npos);
        auto none = load(0, std::nullopt);
        QVERIFY2(none, none ? "" : none.error().message.c_str());
        QCOMPARE(none->gpuLayers, 0u);
        QVERIFY(dynamic_cast<CpuModel*>(none->backend.get()));
        auto two = load(2, std::nullopt); // forced below what fits
        QVERIFY(two);
        QCOMPARE(two->gpuLayers, 2u);
    }

    void refusesBadInput() {
        const std::string path = writeTinyModel("bad", "qwen3", "F32");
        HybridOptions options;
        options.contextLength = 16;
        options.device = onLavapipe();
        for (uint32_t layers : {0u, kLayers}) {
            options.gpuLayers = layers;
            auto refused = HybridModel::open(path, options);
            QVERIFY(!refused);
            QVERIFY(refused.error().message.find("1 to 3 layers on the GPU") != std::string::npos);
        }
        options.gpuLayers = 2;
        auto hybrid = HybridModel::open(path, options);
        QVERIFY2(hybrid, hybrid ? "" : hybrid.error().message.c_str());
        std::vector<float> logits((*hybrid)->config().nVocab);
        const int32_t outside[] = {int32_t((*hybrid)->config().nVocab)};
        QVERIFY(!(*hybrid)->eval(outside, 0, logits.data()));
        const int32_t one[] = {5};
        auto full = (*hybrid)->eval(one, 16, logits.data());
        QVERIFY(!full);
        QVERIFY(full.error().message.find("context is full") != std::string::npos);
        QVERIFY((*hybrid)->eval(one, 15, logits.data()));
        QCOMPARE((*hybrid)->gpu().context().validationErrors(), 0);
        // each stage on its own refuses what only the other can do
        vk::VulkanModelOptions first;
        first.contextLength = 16;
        first.device = onLavapipe();
        first.layers = 2;
        auto gpu = vk::VulkanModel::open(path, first);
        QVERIFY(gpu);
        auto logitsFromFirstStage = (*gpu)->eval(one, 0, logits.data());
        QVERIFY(!logitsFromFirstStage);
        qInfo("%s", logitsFromFirstStage.error().message.c_str());
        auto cpu = CpuModel::open(path, {16, 1, 4, 2});
        QVERIFY(cpu);
        QVERIFY(!(*cpu)->eval(one, 0, logits.data()));
        QVERIFY(!CpuModel::open(path, {16, 1, 4, kLayers + 1}));
        auto whole = vk::VulkanModel::open(path, {16, 4, onLavapipe(), {}, 0});
        QVERIFY(whole);
        std::vector<float> hidden((*whole)->config().nEmbd);
        QVERIFY(!(*whole)->evalHidden(one, 0, hidden.data()));
    }
};

QTEST_GUILESS_MAIN(TestHybridModel)
#include "tst_hybrid_model.moc"
