#pragma once
/// @file
/// @brief The forward pass's kernels on the device, each recorded into a ComputeBatch. Kernels
/// that read another's output need a ComputeBatch::barrier() between them (the caller knows the
/// dependencies); kernels with several passes insert their own. All arithmetic is fp32; fp16 is
/// only a storage format (KV cache, F16 weights). Every kernel has a CPU counterpart in
/// inference/cpu/ that tests/vulkan compares it with.

#include "inference/vulkan/ComputeBatch.h"
#include "inference/vulkan/DeviceInfo.h"
#include "inference/vulkan/DeviceTensor.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace lucent::vk {

/// @brief Workgroup size of the kernels (a power of two; specialization constant 0).
constexpr uint32_t kKernelWorkgroup = 64;

/// @brief y[i] += x[i mod period] over n floats (period 0: n; a bias of `period` floats is added
/// to every token of a batch).
void recordAdd(ComputeBatch& batch, const BufferRange& y, const BufferRange& x, uint32_t n, uint32_t period = 0);

/// @brief gate = silu(gate) · up over n floats.
void recordSwiglu(ComputeBatch& batch, const BufferRange& gate, const BufferRange& up, uint32_t n);

/// @brief out[r] = rmsNorm(x[r]) · weight for `rows` rows of n floats (out may be x).
void recordRmsNorm(ComputeBatch& batch, const BufferRange& x, const BufferRange& weight, const BufferRange& out, uint32_t n,
                   uint32_t rows, float eps);

/// @brief Whether kernels are chosen for a CPU device (lavapipe: SIMD-lane attention, texel
/// loads, prompts through the mat-vec) rather than for a GPU. LUCENT_VK_KERNELS=gpu makes a CPU
/// device take a GPU's choices, so lavapipe tests the kernels real GPUs run (with
/// LP_NATIVE_VECTOR_WIDTH=1024 at NVIDIA's subgroup size of 32, 512 at 16, 128 at 4).
bool choosesCpuKernels(const DeviceInfo& device);

/// @brief Whether kernels sum with subgroup arithmetic (where the device has it; LUCENT_VK_SUBGROUPS=0
/// takes the shared-memory sums of devices without it, to test them).
bool usesSubgroupArithmetic(const DeviceInfo& device);

/// @brief How the decode mat-vec kernel is laid out on a device (its specialization constants).
struct MatVecShape {
    uint32_t workgroup = 64; ///< invocations per workgroup (a power of two)
    uint32_t rows = 2;       ///< rows per workgroup
    bool subgroups = false;  ///< sums with subgroup arithmetic (the _sg shader variants)
    bool texels = false;     ///< quantized weights and x read as uniform texel buffers (the _tx variants)
    uint32_t batchTokens = 0; ///< tokens per workgroup when a prompt batch runs the mat-vec; 0: batches take recordMatMul
};

/// @brief The mat-vec layout for `device` (LUCENT_VK_MATVEC="workgroup,rows[,batchTokens]" overrides it).
MatVecShape matVecShape(const DeviceInfo& device);

/// @brief RMSNorm done by a mat-vec as it loads x: y = W·(rmsNorm(x)·weight), x being the residual
/// stream itself (saves the rmsnorm kernel, its normalized copy and a barrier).
struct FusedRmsNorm {
    BufferRange weight; ///< the norm's n floats
    float eps = 0;
};

/// @brief What a mat-vec does besides W·x (each saves a kernel and a barrier).
struct MatVecEpilogue {
    const BufferRange* bias = nullptr;  ///< y[row] += bias[row]
    bool accumulate = false;            ///< y += W·x instead of y = W·x (the residual add)
    const FusedRmsNorm* norm = nullptr; ///< x normalized on the way in (a prologue, strictly)
};

/// @brief Whether recordMatVec takes an epilogue for `w` (false: Q4_0/Q8_0 rows of an odd number
/// of blocks, which go to the tiled kernel).
bool matVecFuses(const DeviceTensor& w);

/// @brief y[t] = W · x[t] (+ epilogue) for nTokens tokens (x: nTokens × w.cols floats, y: nTokens ×
/// w.rows), one dispatch per slice of W. Any weight type; fp32 accumulation.
void recordMatVec(ComputeBatch& batch, const DeviceTensor& w, const BufferRange& x, const BufferRange& y, uint32_t nTokens = 1,
                  const MatVecEpilogue& epilogue = {});

/// @brief out[t] = silu(gate · x[t]) · (up · x[t]): SwiGLU's input in one kernel that reads both
/// matrices; where gate and up are placed or typed differently, two mat-vecs into out and
/// upScratch and a SwiGLU kernel. With `norm`, x[t] is normalized on the way in.
void recordGatedMatVec(ComputeBatch& batch, const DeviceTensor& gate, const DeviceTensor& up, const BufferRange& x, const BufferRange& out,
                       const BufferRange& upScratch, uint32_t nTokens = 1, const FusedRmsNorm* norm = nullptr);

/// @brief y[t] = W · x[t] for a batch of nTokens tokens, as recordMatVec, with a tiled
/// matrix-matrix kernel (64 rows × 32 tokens per workgroup, each weight dequantized once per
/// tile into shared memory, fp32 accumulation): what prompt processing uses. Given `quantizedX`
/// (recordQuantizeActivations of x) and a weight type integerDotAvailable for, the tiles hold int8
/// and the sums are integer dot products (matmul_dot.comp), as llama.cpp's MMQ kernels compute.
void recordMatMul(ComputeBatch& batch, const DeviceTensor& w, const BufferRange& x, const BufferRange& y, uint32_t nTokens,
                  const BufferRange* quantizedX = nullptr);

/// @brief Whether recordMatMul can multiply weights of `type` with integer dot products on
/// `device`: Q4_0, Q8_0, Q4_K, Q5_K and Q6_K where the device has VK_KHR_shader_integer_dot_product.
bool integerDotAvailable(const DeviceInfo& device, TensorType type);

/// @brief Whether prompts should take that path: where it is available and the device's packed
/// int8 dot product is accelerated. LUCENT_VK_INTEGER_DOT=1 turns it on wherever it is available
/// (tests on lavapipe), 0 off.
bool matMulUsesIntegerDot(const DeviceInfo& device, TensorType type);

/// @brief Bytes per token of recordQuantizeActivations' output for rows of `cols` floats.
constexpr uint64_t quantizedActivationBytes(uint32_t cols) { return uint64_t(cols) / 32 * 36; }

/// @brief xq = x as 8-bit blocks of 32 with Q8_0's rounding (36 bytes a block: 32 quants packed
/// four to a word, then d as a float) for nTokens rows of `cols` floats (a multiple of 32).
void recordQuantizeActivations(ComputeBatch& batch, const BufferRange& x, const BufferRange& xq, uint32_t cols, uint32_t nTokens);

/// @brief out[t] = row tokenIds[t] of `table`, dequantized (out: nTokens × table.cols floats).
/// Token ids are read on the device, so a recorded batch serves any token.
void recordEmbed(ComputeBatch& batch, const DeviceTensor& table, const BufferRange& tokenIds, uint32_t nTokens, const BufferRange& out);

/// @brief Head layout of attention and RoPE.
struct HeadShape {
    uint32_t nHead = 0;
    uint32_t nHeadKv = 0;
    uint32_t headDim = 0; ///< even, ≤ 256
    uint32_t nRot = 0;    ///< dims RoPE rotates (≤ headDim, even)
    bool neox = false;    ///< NEOX pairing (qwen2/qwen3) instead of NORM (llama)
    uint32_t kvDim() const { return nHeadKv * headDim; }
};

/// @brief What the KV cache stores: fp16, or 8-bit blocks of 32 with Q8_0's values (0.56× the
/// memory: longer contexts on the same GPU; int8 quants, then one scale per block stored as fp32).
enum class KvCacheType { F16, Q8_0 };

/// @brief One layer's KV cache: `capacity` positions of shape.kvDim() elements in each buffer.
struct KvCacheView {
    BufferRange keys, values;
    KvCacheType type = KvCacheType::F16;
    uint32_t capacity = 0;
};

/// @brief Bytes of one layer's key (or value) cache of `capacity` positions of kvDim elements.
uint64_t kvCacheBytes(uint32_t kvDim, KvCacheType type, uint32_t capacity);

/// @brief Why `type` cannot hold this head layout's cache (8-bit blocks need head sizes that are
/// multiples of 32), or nothing.
std::optional<std::string> kvCacheUnsupported(const HeadShape& shape, KvCacheType type);

/// @brief Float index of the first block scale in an 8-bit cache buffer (after its quants; 0: fp16).
uint32_t kvScaleBase(const HeadShape& shape, const KvCacheView& cache);

/// @brief Floats of the cos/sin table for nTokens positions.
size_t ropeTableFloats(const HeadShape& shape, uint32_t nTokens);

/// @brief Fills the cos/sin table of positions pos0 … pos0+nTokens−1 with the angles the CPU
/// backend's rope() uses (same fp32 recurrence, same libm), so both rotate by identical angles.
void fillRopeTable(float* table, const HeadShape& shape, uint32_t pos0, uint32_t nTokens, float base, const float* freqFactors);

/// @brief Rotates q (in place) and k of nTokens tokens, and stores k and v as rows of the layer's
/// cache (fp16 or 8-bit blocks) at positions pos0…; q: nTokens × nHead·headDim, k and v: nTokens ×
/// kvDim floats. `position` holds pos0 (one uint32), read on the device: a recorded batch serves
/// any position.
void recordRopeKv(ComputeBatch& batch, const HeadShape& shape, const BufferRange& position, uint32_t nTokens, const BufferRange& q,
                  const BufferRange& k, const BufferRange& v, const KvCacheView& cache, const BufferRange& ropeTable);

/// @brief How many splits flash-decoding uses over kvLen positions.
uint32_t attentionSplits(uint32_t kvLen);

/// @brief Bytes of the partial results buffer for `splits` splits of nTokens query tokens.
uint64_t attentionPartialBytes(const HeadShape& shape, uint32_t splits, uint32_t nTokens = 1);

/// @brief out (nHead × headDim floats per token) = softmax(q·Kᵀ/√headDim)·V of nTokens query
/// tokens, token t over cache positions [0, pos0 + t] (the causal mask of a batch whose keys are
/// already in the cache; pos0 is the uint32 in `position`, read on the device), query head h reading KV head h / (nHead/nHeadKv): one pass over
/// `splits` position ranges with an online softmax, a barrier, and a pass merging the splits.
/// The query heads sharing a KV head are computed together (each key and value read once for
/// them all). Variant Auto picks attention_sg on CPU devices (lavapipe: lanes own slices of the
/// head, no shared memory) where the head fits, else the shared-memory kernel; Workgroup forces the
/// latter (tests run both).
enum class AttentionVariant { Auto, Workgroup };
void recordAttention(ComputeBatch& batch, const HeadShape& shape, const BufferRange& position, uint32_t splits, const BufferRange& q,
                     const KvCacheView& cache, const BufferRange& partials, const BufferRange& out, uint32_t nTokens = 1,
                     AttentionVariant variant = AttentionVariant::Auto);

/// @brief Largest k recordTopK supports.
constexpr uint32_t kMaxTopK = 256;

/// @brief Bytes of scratch recordTopK needs for n values.
uint64_t topKScratchBytes(const VulkanContext& context, uint32_t n, uint32_t k);

/// @brief The k largest of n values, descending (ties: lower index first), as k floats in
/// outValues and k uint32 ids in outIds. k = 1 is argmax. Passes separated by barriers.
void recordTopK(ComputeBatch& batch, const BufferRange& values, uint32_t n, uint32_t k, const BufferRange& scratch,
                const BufferRange& outValues, const BufferRange& outIds);

} // namespace lucent::vk
