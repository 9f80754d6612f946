#pragma once
/// @file
/// @brief The llama.cpp parity harness shared by tst_llama_parity (CPU backend) and
/// tst_vulkan_llama_parity (Vulkan backend): rebuilds a case's model from the spec recorded by
/// tests/reference/gen-llama-reference.mjs, runs its prompt and greedy continuation on any Backend
/// and compares llama.cpp's top-10 logits and greedy choices.
///
/// Tolerances, from what separates the two implementations (the scaled difference is
/// |ours − llama.cpp| / max(1, |llama.cpp| / 4), so the bound grows with the logit: the
/// tied-embedding model has logits near 120, where 0.25 is 0.2%):
///  - F32/F16/BF16 weights: llama.cpp rounds activations to fp16/bf16 before fp16/bf16 dot
///    products and attention with fp16-rounded queries; Lucent keeps them in fp32. Measured
///    differences stay below ~4e-3 on logits of magnitude ~4: 0.02.
///  - Quantized weights: llama.cpp's CPU build quantizes the activations to 8 bits (Q8_0 blocks of
///    32, Q8_K of 256) for integer dot products, its Vulkan build multiplies fp16/fp32 activations;
///    Lucent multiplies fp32 ones. The 8-bit rounding moves logits by up to ~0.05 here: 0.12
///    against the CPU build; against the Vulkan build (no 8-bit activations) all 15 quantized
///    cases stay below 0.038 on lavapipe: 0.06.
///  - Greedy tokens must be identical where llama.cpp's top-2 gap exceeds that bound; below it the
///    two are tied within rounding and either choice is right.

#include "HfTokenizerFiles.h"
#include "inference/core/Expected.h"
#include "inference/model/Backend.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <map>
#include <string>

namespace lucent::testing {

/// @brief The cases of a parity data file ("cases" of llama_parity.json / llama_parity_vulkan.json).
Expected<QJsonArray> readParityCases(const QString& path);

/// @brief Writes parity cases' models, parsing each vocabulary once (tokenizer.json is large).
class ParityModelWriter {
public:
    /// @brief True when the npm reference package with the case's tokenizer is installed.
    static bool hasTokenizer(const QJsonObject& parityCase);
    /// @brief Writes the case's model to `path`, exactly as gen-llama-reference.mjs had
    /// lucent-make-test-model write it (the tool is deterministic given the seed).
    Expected<void> write(const QJsonObject& parityCase, const std::string& path);

private:
    std::map<QString, GgufVocab> vocabularies_;
};

/// @brief Which llama.cpp build recorded a case's data.
enum class ParityReference { Cpu, Vulkan };

/// @brief The bound on the scaled logit difference for a weight type (see the file comment).
float parityTolerance(const QString& type, ParityReference reference = ParityReference::Cpu);

/// @brief What a passing comparison measured.
struct ParityMeasure {
    float worstDifference = 0.0f; ///< largest scaled logit difference seen
    int clearChoices = 0;         ///< greedy choices whose top-2 gap exceeded the bound (all checked)
    int greedySteps = 0;
};

/// @brief Runs the case on `backend` (freshly loaded from the case's model, context ≥ 1,132): the
/// prompt in pieces ending at the recorded checkpoints (the last past position 1,000), then
/// llama.cpp's greedy continuation token by token; logits may differ by `tolerance` (scaled).
/// Fails with the first mismatch, as a sentence.
Expected<ParityMeasure> checkLlamaParity(Backend& backend, const QJsonObject& parityCase, float tolerance);

} // namespace lucent::testing
