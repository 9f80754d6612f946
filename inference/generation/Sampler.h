#pragma once
/// @file
/// @brief Chooses the next token from the logits, llama.cpp-style, reproducibly for a seed.

#include "inference/core/Expected.h"
#include "inference/generation/PenaltyHistory.h"
#include "inference/generation/SamplerSettings.h"
#include "inference/generation/SamplerStages.h"

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace lucent {

/// @brief One sampler per generated reply (or conversation): call `sample` for each position, then
/// `accept` the token you keep so the penalties see it.
///
/// The draw, so that a seed means the same tokens on every platform: each non-greedy `sample` takes
/// exactly one 32-bit value from `std::mt19937(seed)` (whose output the C++ standard fixes),
/// turns it into u = draw / 2^32, and walks the surviving tokens in the order the stages leave them
/// (id order when no stage sorts; see SamplerStages.h — every order used is a fixed total order,
/// never a library's choice) until the running probability exceeds u. Greedy sampling draws nothing.
/// Softmax uses std::exp, so a draw landing within rounding distance of a boundary between two
/// tokens could still differ between C libraries; no other step depends on the platform.
class Sampler {
public:
    /// @brief A sampler for valid settings, or the sentence saying which setting is out of range.
    static Expected<Sampler> create(const SamplerSettings& settings);

    /// @brief The next token. `logits` (one per vocabulary entry) are changed in place by the
    /// penalties. NaN logits are skipped (never chosen); fails only when no token can be chosen
    /// (every logit NaN or -inf), which means the model's numbers broke down.
    Expected<int32_t> sample(std::span<float> logits);

    /// @brief Adds a token to the penalty history (the generated token; the prompt's too if wanted).
    void accept(int32_t token) { history_.accept(token); }

    /// @brief Forgets the history and restarts the random sequence from the seed.
    void reset();

    const SamplerSettings& settings() const { return settings_; }

private:
    explicit Sampler(const SamplerSettings& settings);

    SamplerSettings settings_;
    std::mt19937 rng_;
    PenaltyHistory history_;
    // Reused so sampling does not allocate per token.
    CandidateList candidates_;
    std::vector<double> probabilities_;
};

} // namespace lucent
