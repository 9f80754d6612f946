#pragma once
/// @file
/// @brief The knobs of the sampler, with llama.cpp's meanings and defaults.

#include "inference/core/Expected.h"

#include <cstdint>

namespace lucent {

/// @brief How the next token is chosen from the logits. Stages run in llama.cpp's order:
/// penalties → top-k → top-p → min-p → temperature → seeded draw.
struct SamplerSettings {
    /// Divides the logits before the draw; ≤ 0 means greedy (argmax after the penalties).
    float temperature = 0.8f;
    /// Keep only the k most likely tokens; 0 disables.
    int32_t topK = 40;
    /// Keep the smallest most-likely set whose probability reaches p (at least one token); 1 disables.
    float topP = 0.95f;
    /// Drop tokens less likely than minP × the most likely one; 0 disables.
    float minP = 0.05f;
    /// Divides positive logits and multiplies negative ones of recently seen tokens; 1 disables.
    float repeatPenalty = 1.0f;
    /// Subtracted once from the logit of every recently seen token; 0 disables.
    float presencePenalty = 0.0f;
    /// Subtracted from a recently seen token's logit once per occurrence; 0 disables.
    float frequencyPenalty = 0.0f;
    /// How many accepted tokens the penalties look back on; 0 disables them, -1 means all of them.
    int32_t penaltyLastN = 64;
    /// Seeds the std::mt19937 behind the draw; the same seed gives the same tokens everywhere.
    uint32_t seed = 0;
    /// Always take the most likely token (after the penalties), whatever the other settings say.
    bool greedy = false;
};

/// @brief Checks every field is in range; the error names the setting and the allowed range.
Expected<void> validateSamplerSettings(const SamplerSettings& settings);

} // namespace lucent
