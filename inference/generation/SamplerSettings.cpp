#include "inference/generation/SamplerSettings.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace lucent {

namespace {

std::string number(float value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", double(value));
    return text;
}

} // namespace

Expected<void> validateSamplerSettings(const SamplerSettings& s) {
    if (!std::isfinite(s.temperature))
        return fail("The temperature must be a finite number (0 or less means greedy).");
    if (s.topK < 0) return fail("Top-k must be 0 (off) or a positive number of tokens, not " + std::to_string(s.topK) + ".");
    if (!(s.topP >= 0.0f && s.topP <= 1.0f))
        return fail("Top-p must be between 0 and 1 (1 turns it off), not " + number(s.topP) + ".");
    if (!(s.minP >= 0.0f && s.minP <= 1.0f))
        return fail("Min-p must be between 0 and 1 (0 turns it off), not " + number(s.minP) + ".");
    if (!(std::isfinite(s.repeatPenalty) && s.repeatPenalty > 0.0f))
        return fail("The repeat penalty must be a positive number (1 turns it off), not " + number(s.repeatPenalty) + ".");
    if (!std::isfinite(s.presencePenalty))
        return fail("The presence penalty must be a finite number (0 turns it off).");
    if (!std::isfinite(s.frequencyPenalty))
        return fail("The frequency penalty must be a finite number (0 turns it off).");
    if (s.penaltyLastN < -1)
        return fail("The penalty window must be -1 (all tokens), 0 (off) or a positive number of tokens, not " +
                    std::to_string(s.penaltyLastN) + ".");
    return {};
}

} // namespace lucent
