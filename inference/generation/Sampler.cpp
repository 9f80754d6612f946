#include "inference/generation/Sampler.h"

#include <limits>

namespace lucent {

Expected<Sampler> Sampler::create(const SamplerSettings& settings) {
    if (auto valid = validateSamplerSettings(settings); !valid) return fail(valid.error());
    return Sampler(settings);
}

Sampler::Sampler(const SamplerSettings& settings)
    : settings_(settings), rng_(settings.seed), history_(settings.penaltyLastN) {}

void Sampler::reset() {
    history_.clear();
    rng_.seed(settings_.seed);
}

Expected<int32_t> Sampler::sample(std::span<float> logits) {
    const SamplerSettings& s = settings_;
    static constexpr const char* noChoice =
        "The model produced no usable scores for the next token (every value is NaN or minus infinity); "
        "the model file may be damaged or the compute backend misbehaving.";

    // penalties
    if (s.penaltyLastN != 0 && (s.repeatPenalty != 1.0f || s.frequencyPenalty != 0.0f || s.presencePenalty != 0.0f))
        applyPenalties(logits, history_, s.repeatPenalty, s.frequencyPenalty, s.presencePenalty);

    // greedy: the filters cannot change the argmax, so skip them
    if (s.greedy || s.temperature <= 0.0f) {
        const int32_t best = argmaxToken(logits);
        if (best < 0 || logits[std::size_t(best)] == -std::numeric_limits<float>::infinity()) return fail(noChoice);
        return best;
    }

    collectCandidates(logits, candidates_);
    if (candidates_.tokens.empty()) return fail(noChoice);

    // filters, then temperature inside the softmax, then the draw
    keepTopK(candidates_, s.topK);
    keepTopP(candidates_, s.topP);
    keepMinP(candidates_, s.minP);
    softmaxProbabilities(candidates_, s.temperature, probabilities_);
    const double u = uniformFromDraw(uint32_t(rng_()));
    return candidates_.tokens[pickByUniform(probabilities_, u)].id;
}

} // namespace lucent
