// lucent_bench_vulkan_kernels: device time of the decode mat-vec for each weight type on the
// matrix shapes of a model's forward pass, and the device's read bandwidth (a probe kernel), so
// kernel work can be judged without the rest of the model and on a busy machine (the minimum of
// many runs is what the kernel costs; the median shows the noise).
//
//   lucent_bench_vulkan_kernels [--device I] [--types Q4_0,Q8_0,Q4_K,Q6_K] [--shape 1.5b|7b|tiny]
//                               [--runs 20] [--bandwidth-mib 512] [--attention KVLEN[,TOKENS]] [--kv-cache f16|q8_0]
//                               [--prompt TOKENS]
//
// --prompt times a prompt batch of TOKENS tokens through each matrix three ways: the fp32 tiles
// (recordMatMul), the integer dot-product tiles with the activations' 8-bit conversion (Q4_0, Q8_0
// and K-quants on devices with VK_KHR_shader_integer_dot_product, accelerated or not), and the
// mat-vec run on the whole batch (what CPU devices use) — the choices matMulUsesIntegerDot and
// MatVecShape::batchTokens make, to be measured on each kind of GPU.
// --attention times only attention over a KV cache (fp16, or --kv-cache q8_0: 8-bit blocks) of KVLEN positions with the shape's heads
// (1.5b: 12/2 heads of 128; 7b: 28/4) for TOKENS query tokens (default 1: decode), to judge long
// contexts (a reasoning trace of 8,000 tokens) against the mat-vecs of one token.
//
// Prints one line per type and matrix: rows×cols, min and median ms per mat-vec, weights per
// second and weight bytes per second; then the bandwidth probe. LUCENT_VK_MATVEC="workgroup,rows"
// overrides the mat-vec layout (see inference/vulkan/Kernels.h) for tuning.
#include "inference/quant/Quantize.h"
#include "inference/vulkan/ComputeBatch.h"
#include "inference/vulkan/DeviceBuffer.h"
#include "inference/vulkan/DeviceTensor.h"
#include "inference/vulkan/Kernels.h"
#include "inference/vulkan/PipelineCache.h"
#include "inference/vulkan/StagingUploader.h"
#include "inference/vulkan/VulkanContext.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace lucent;
using namespace lucent::vk;

namespace {

struct Options {
    std::optional<int> device;
    std::vector<TensorType> types{TensorType::Q4_0, TensorType::Q8_0, TensorType::Q4_K, TensorType::Q6_K};
    std::string shape = "1.5b";
    int runs = 20;
    uint64_t bandwidthMib = 512;
    uint32_t attentionKv = 0, attentionTokens = 1; ///< --attention: only attention
    KvCacheType kvCache = KvCacheType::F16;        ///< --kv-cache
    uint32_t promptTokens = 0;                     ///< --prompt: prompt-batch kernels instead of the decode mat-vec
};

struct Matrix {
    const char* name;
    uint64_t rows, cols;
};

std::vector<Matrix> matricesOf(const std::string& shape) {
    if (shape == "tiny") return {{"small", 64, 512}, {"odd", 37, 768}};
    if (shape == "7b")
        return {{"attn_q/o", 3584, 3584}, {"attn_k/v", 512, 3584}, {"ffn_gate/up", 18944, 3584}, {"ffn_down", 3584, 18944}, {"output", 152064, 3584}};
    return {{"attn_q/o", 1536, 1536}, {"attn_k/v", 256, 1536}, {"ffn_gate/up", 8960, 1536}, {"ffn_down", 1536, 8960}, {"output", 151936, 1536}};
}

std::optional<TensorType> typeNamed(const std::string& name) {
    for (TensorType t : {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0,
                         TensorType::Q5_1, TensorType::Q8_0, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K})
        if (tensorTypeName(t) == name) return t;
    return std::nullopt;
}

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--device" && hasValue) o.device = std::atoi(argv[++i]);
        else if (a == "--shape" && hasValue) o.shape = argv[++i];
        else if (a == "--runs" && hasValue) o.runs = std::max(1, std::atoi(argv[++i]));
        else if (a == "--bandwidth-mib" && hasValue) o.bandwidthMib = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--attention" && hasValue) {
            unsigned kv = 0, tokens = 1;
            if (std::sscanf(argv[++i], "%u,%u", &kv, &tokens) < 1 || kv == 0 || tokens == 0) {
                std::fprintf(stderr, "error: --attention takes KVLEN[,TOKENS]\n");
                return false;
            }
            o.attentionKv = kv;
            o.attentionTokens = tokens;
        }
        else if (a == "--prompt" && hasValue) {
            o.promptTokens = uint32_t(std::max(0, std::atoi(argv[++i])));
            if (o.promptTokens < 2) {
                std::fprintf(stderr, "error: --prompt takes a batch of at least 2 tokens\n");
                return false;
            }
        } else if (a == "--kv-cache" && hasValue) {
            const std::string type = argv[++i];
            if (type != "f16" && type != "q8_0") {
                std::fprintf(stderr, "error: --kv-cache takes f16 or q8_0\n");
                return false;
            }
            o.kvCache = type == "q8_0" ? KvCacheType::Q8_0 : KvCacheType::F16;
        } else if (a == "--types" && hasValue) {
            o.types.clear();
            std::string list = argv[++i];
            for (size_t start = 0; start <= list.size();) {
                const size_t end = std::min(list.find(',', start), list.size());
                auto type = typeNamed(list.substr(start, end - start));
                if (!type) {
                    std::fprintf(stderr, "error: unknown weight type '%s'\n", list.substr(start, end - start).c_str());
                    return false;
                }
                o.types.push_back(*type);
                start = end + 1;
            }
        } else {
            std::fprintf(stderr, "error: unknown option %s\n", a.c_str());
            return false;
        }
    }
    return true;
}

/// `rows` rows of random weights in `type`: 64 quantized rows repeated (speed does not depend on the values).
std::vector<uint8_t> randomRows(TensorType type, uint64_t rows, uint64_t cols) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    const uint64_t pattern = std::min<uint64_t>(rows, 64);
    std::vector<float> values(pattern * cols);
    for (float& v : values) v = uniform(rng);
    const uint64_t rowSize = rowBytes(type, cols);
    std::vector<uint8_t> bytes(rows * rowSize);
    for (uint64_t r = 0; r < pattern; ++r) quantizeRow(type, values.data() + r * cols, bytes.data() + r * rowSize, cols);
    for (uint64_t r = pattern; r < rows; ++r) std::memcpy(bytes.data() + r * rowSize, bytes.data() + (r % pattern) * rowSize, rowSize);
    return bytes;
}

struct Timing {
    double minMs = 0, medianMs = 0;
};

template <typename Record> Expected<Timing> timeBatches(ComputeBatch& batch, int runs, Record record) {
    std::vector<double> ms;
    for (int run = 0; run <= runs; ++run) { // run 0 compiles the pipeline and warms caches
        batch.begin();
        record();
        const auto start = std::chrono::steady_clock::now();
        if (auto ran = batch.submitAndWait(); !ran) return fail(ran.error());
        if (run > 0) ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    return Timing{ms.front(), ms[ms.size() / 2]};
}

/// Attention alone: nTokens query tokens over kvLen cached positions (+ the batch's own).
int benchAttention(const Options& o, VulkanContext& device, ComputeBatch& batch) {
    const HeadShape heads = o.shape == "7b" ? HeadShape{28, 4, 128, 128, true} : HeadShape{12, 2, 128, 128, true};
    const uint32_t n = o.attentionTokens, positions = o.attentionKv + n;
    const uint32_t splits = n == 1 ? attentionSplits(o.attentionKv + 1) : 4;
    auto q = DeviceBuffer::create(device, uint64_t(n) * heads.nHead * heads.headDim * 4, MemoryUse::Device);
    const uint64_t cacheBytes = kvCacheBytes(heads.kvDim(), o.kvCache, positions);
    auto keys = DeviceBuffer::create(device, cacheBytes, MemoryUse::Device);
    auto values = DeviceBuffer::create(device, cacheBytes, MemoryUse::Device);
    auto partials = DeviceBuffer::create(device, attentionPartialBytes(heads, splits, n), MemoryUse::Device);
    auto out = DeviceBuffer::create(device, uint64_t(n) * heads.nHead * heads.headDim * 4, MemoryUse::Device);
    auto position = DeviceBuffer::create(device, 4, MemoryUse::Upload); // token 0 sees positions [0, attentionKv]
    if (!q || !keys || !values || !partials || !out || !position) {
        std::fprintf(stderr, "error: out of device memory for the KV cache\n");
        return 1;
    }
    batch.begin(); // fp16 0.5 everywhere (some bytes and scales in an 8-bit cache): the values do not change the work
    batch.fill(wholeBuffer(**keys), 0x38003800u);
    batch.fill(wholeBuffer(**values), 0x38003800u);
    batch.fill(wholeBuffer(**q), 0x3f000000u);
    if (auto ran = batch.submitAndWait(); !ran) return 1;
    std::memcpy((*position)->mapped(), &o.attentionKv, 4);
    auto timing = timeBatches(batch, o.runs, [&] {
        recordAttention(batch, heads, wholeBuffer(**position), splits, wholeBuffer(**q),
                        {wholeBuffer(**keys), wholeBuffer(**values), o.kvCache, positions}, wholeBuffer(**partials), wholeBuffer(**out), n);
    });
    if (!timing) {
        std::fprintf(stderr, "error: %s\n", timing.error().message.c_str());
        return 1;
    }
    const double readBytes = 2.0 * double(kvCacheBytes(heads.kvDim(), o.kvCache, o.attentionKv + 1)); // keys and values
    std::printf("attention %u/%u heads of %u, %u positions (%s cache), %u token(s), %u splits: min %.3f ms, median %.3f ms, %.2f GB/s of cache\n",
                heads.nHead, heads.nHeadKv, heads.headDim, o.attentionKv + 1, o.kvCache == KvCacheType::Q8_0 ? "8-bit" : "fp16", n, splits,
                timing->minMs, timing->medianMs, readBytes / timing->minMs / 1e6);
    return 0;
}

/// One prompt batch through `w` with each kernel that can run it; a line per kernel.
int benchPrompt(const Options& o, VulkanContext& device, ComputeBatch& batch, const DeviceTensor& w, const char* name) {
    const uint32_t n = o.promptTokens, cols = uint32_t(w.cols);
    auto x = DeviceBuffer::create(device, uint64_t(n) * cols * 4, MemoryUse::Device);
    auto xq = DeviceBuffer::create(device, std::max<uint64_t>(4, quantizedActivationBytes(cols) * n), MemoryUse::Device);
    auto y = DeviceBuffer::create(device, uint64_t(n) * w.rows * 4, MemoryUse::Device);
    if (!x || !xq || !y) {
        std::fprintf(stderr, "error: out of device memory for a batch of %u tokens\n", n);
        return 1;
    }
    batch.begin();
    batch.fill(wholeBuffer(**x), 0x3f000000u); // 0.5
    if (auto ran = batch.submitAndWait(); !ran) return 1;
    const BufferRange quantized = wholeBuffer(**xq);
    const bool integerDot = integerDotAvailable(device.info(), w.type); // accelerated or not
    const struct {
        const char* kernel;
        bool available;
        std::function<void()> record;
    } ways[] = {
        {"fp32 tiles", true, [&] { recordMatMul(batch, w, wholeBuffer(**x), wholeBuffer(**y), n); }},
        {"int8 tiles", integerDot,
         [&] {
             recordQuantizeActivations(batch, wholeBuffer(**x), quantized, cols, n);
             batch.barrier();
             recordMatMul(batch, w, wholeBuffer(**x), wholeBuffer(**y), n, &quantized);
         }},
        {"mat-vec", true, [&] { recordMatVec(batch, w, wholeBuffer(**x), wholeBuffer(**y), n); }},
    };
    for (const auto& way : ways) {
        if (!way.available) continue;
        auto timing = timeBatches(batch, o.runs, way.record);
        if (!timing) {
            std::fprintf(stderr, "error: %s\n", timing.error().message.c_str());
            return 1;
        }
        const double flops = 2.0 * double(w.rows) * double(w.cols) * n;
        std::printf("%-6s %-12s %7llu×%-6llu %-10s %9.3f %9.3f %10.1f\n", std::string(tensorTypeName(w.type)).c_str(), name,
                    static_cast<unsigned long long>(w.rows), static_cast<unsigned long long>(w.cols), way.kernel, timing->minMs,
                    timing->medianMs, flops / timing->minMs / 1e6);
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o)) return 2;
    ContextOptions contextOptions;
    contextOptions.device = o.device;
    auto context = VulkanContext::create(contextOptions);
    if (!context) {
        std::fprintf(stderr, "error: %s\n", context.error().message.c_str());
        return 1;
    }
    VulkanContext& device = **context;
    PipelineCache pipelines(device);
    auto batch = ComputeBatch::create(device, pipelines);
    if (!batch) {
        std::fprintf(stderr, "error: %s\n", batch.error().message.c_str());
        return 1;
    }
    if (o.attentionKv > 0) return benchAttention(o, device, **batch);
    const MatVecShape layout = matVecShape(device.info());
    std::printf("device: %s; mat-vec: %u invocations × %u rows per workgroup, %s\n", device.info().name.c_str(), layout.workgroup, layout.rows,
                layout.subgroups ? "subgroup sums" : "shared-memory sums");
    if (o.promptTokens > 0)
        std::printf("prompt batch of %u tokens\n%-6s %-12s %14s %-10s %9s %9s %10s\n", o.promptTokens, "type", "matrix", "rows×cols", "kernel",
                    "min ms", "median", "GFLOP/s");
    else
        std::printf("%-6s %-12s %14s %9s %9s %10s %9s\n", "type", "matrix", "rows×cols", "min ms", "median", "Gweight/s", "GB/s");
    for (TensorType type : o.types) {
        for (const Matrix& m : matricesOf(o.shape)) {
            const std::vector<TensorShape> shapes{{m.name, type, m.cols, m.rows}};
            auto store = TensorStore::create(device, shapes);
            auto uploader = StagingUploader::create(device);
            if (!store || !uploader) {
                std::fprintf(stderr, "error: %s\n", (!store ? store.error() : uploader.error()).message.c_str());
                return 1;
            }
            const std::vector<uint8_t> bytes = randomRows(type, m.rows, m.cols);
            if (auto up = (*store)->upload(**uploader, 0, bytes.data()); !up || !(*uploader)->finish()) {
                std::fprintf(stderr, "error: the upload failed\n");
                return 1;
            }
            if (o.promptTokens > 0) {
                if (int failed = benchPrompt(o, device, **batch, (*store)->tensor(0), m.name)) return failed;
                continue;
            }
            auto x = DeviceBuffer::create(device, m.cols * 4, MemoryUse::Upload);
            auto y = DeviceBuffer::create(device, m.rows * 4, MemoryUse::Device);
            if (!x || !y) return 1;
            std::vector<float> xs(m.cols, 0.5f);
            std::memcpy((*x)->mapped(), xs.data(), xs.size() * 4);
            const DeviceTensor& w = (*store)->tensor(0);
            auto timing = timeBatches(**batch, o.runs, [&] { recordMatVec(**batch, w, wholeBuffer(**x), wholeBuffer(**y)); });
            if (!timing) {
                std::fprintf(stderr, "error: %s\n", timing.error().message.c_str());
                return 1;
            }
            const double weights = double(m.rows) * double(m.cols);
            std::printf("%-6s %-12s %7llu×%-6llu %9.3f %9.3f %10.2f %9.2f\n", std::string(tensorTypeName(type)).c_str(), m.name,
                        static_cast<unsigned long long>(m.rows), static_cast<unsigned long long>(m.cols), timing->minMs, timing->medianMs,
                        weights / timing->minMs / 1e6, double(bytes.size()) / timing->minMs / 1e6);
        }
    }
    if (o.promptTokens > 0) return 0;
    // bandwidth probe: one device-local buffer read once per run
    const uint64_t bytes = std::min<uint64_t>(o.bandwidthMib << 20, device.limits().maxBindingBytes) / 16 * 16;
    auto source = DeviceBuffer::create(device, bytes, MemoryUse::Device);
    constexpr uint32_t kProbeWorkgroup = 256, kPerInvocation = 16;
    const uint64_t words = bytes / 16, groups = (words + kProbeWorkgroup * kPerInvocation - 1) / (kProbeWorkgroup * kPerInvocation);
    auto sink = DeviceBuffer::create(device, groups * 4, MemoryUse::Device);
    if (!source || !sink) return 1;
    // the fill writes the buffer once more: time it alone and subtract
    auto fillOnly = timeBatches(**batch, o.runs, [&] { (*batch)->fill(wholeBuffer(**source), 0x3c003c00u); });
    if (!fillOnly) return 1;
    const bool texelsToo = bytes / 16 <= device.info().caps.maxTexelBufferElements;
    for (bool texels : {false, true}) {
        if (texels && !texelsToo) break;
        auto timing = timeBatches(**batch, o.runs, [&] {
            (*batch)->fill(wholeBuffer(**source), 0x3c003c00u);
            (*batch)->barrier();
            const struct {
                uint32_t words, perInvocation;
            } push{uint32_t(words), kPerInvocation};
            const auto [gx, gy] = (*batch)->groups1D(groups);
            const BufferRange read = texels ? asTexels(wholeBuffer(**source)) : wholeBuffer(**source);
            (*batch)->dispatch(texels ? "bandwidth_tx" : "bandwidth", {kProbeWorkgroup}, {read, wholeBuffer(**sink)}, &push, sizeof push, gx, gy);
        });
        if (!timing) return 1;
        const double readMs = std::max(1e-6, timing->minMs - fillOnly->minMs);
        std::printf("bandwidth probe (%s): %.0f MiB read in %.3f ms = %.1f GB/s\n", texels ? "texel buffer" : "storage buffer",
                    double(bytes) / (1 << 20), readMs, double(bytes) / readMs / 1e6);
    }
    return 0;
}
