#pragma once
/// @file
/// @brief The sampler's stages as small pure functions, so each can be tested on hand-made logits.
/// Semantics follow llama.cpp's samplers (src/llama-sampling.cpp); see each function.

#include "inference/generation/PenaltyHistory.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lucent {

/// @brief A token still in the running and its (possibly penalised) logit.
struct TokenCandidate {
    int32_t id;
    float logit;
};

/// @brief The tokens still in the running, in the order the stages left them.
struct CandidateList {
    std::vector<TokenCandidate> tokens;
    /// True once a stage sorted them by descending logit (ties: lower id first).
    bool sorted = false;
};

/// @brief The one total order every stage uses: higher logit first, then lower id. Being total, the
/// result of a partial sort does not depend on the standard library's algorithm.
inline bool ranksBefore(const TokenCandidate& a, const TokenCandidate& b) {
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

/// @brief Repeat, frequency and presence penalties, in place, for the tokens in `history` only.
/// Repeat divides a positive logit and multiplies a zero or negative one; then
/// `count × frequency + presence` is subtracted. Ids outside `logits` are ignored.
void applyPenalties(std::span<float> logits, const PenaltyHistory& history, float repeat, float frequency,
                    float presence);

/// @brief The index of the largest logit, lowest index on ties; NaN never wins. -1 when every
/// logit is NaN or the span is empty. (A lone -inf row still yields its first index.)
int32_t argmaxToken(std::span<const float> logits);

/// @brief Fills `out` with every token that can be drawn, in id order. NaN and -inf logits are left
/// out (they can never be drawn); +inf becomes the largest finite float so the arithmetic stays finite.
void collectCandidates(std::span<const float> logits, CandidateList& out);

/// @brief Keeps the k best (llama.cpp top-k); k ≤ 0 does nothing, k > size keeps all. Leaves the list
/// sorted. Selection is a bounded heap of the best k (nth_element when k is over 1/8 of the list):
/// about one comparison per token, never a sort of the whole vocabulary.
void keepTopK(CandidateList& list, int32_t k);

/// @brief Keeps the smallest best-first prefix whose softmax probability (temperature 1, over the
/// current list) reaches p, and at least one token (llama.cpp top-p). p ≥ 1 does nothing. A sorted or
/// short list is (left) sorted. A long unsorted list (> 1024, no top-k before) is not sorted, which
/// would cost tens of milliseconds on 152k tokens: a logit histogram finds the tokens certainly in the
/// set (kept in id order) and only the boundary ones are sorted and appended best first.
void keepTopP(CandidateList& list, float p);

/// @brief Drops tokens whose probability is below p × the best one's, i.e. whose logit is below
/// max + ln p (llama.cpp min-p); p ≤ 0 does nothing. Keeps the order; the best token always stays.
void keepMinP(CandidateList& list, float p);

/// @brief Softmax of logit / temperature over the list, in list order (temperature > 0), into
/// `probabilities` (resized; passed in so the caller can reuse its buffer).
void softmaxProbabilities(const CandidateList& list, float temperature, std::vector<double>& probabilities);

/// @brief The uniform number in [0, 1) made from one raw 32-bit std::mt19937 draw: draw / 2^32.
/// Done by hand because std::uniform_real_distribution differs between standard libraries.
double uniformFromDraw(uint32_t draw);

/// @brief Index chosen by inverse-CDF walk: the first i whose running probability sum exceeds
/// u × total. Tokens of probability 0 are never chosen. `probabilities` must not be empty.
std::size_t pickByUniform(std::span<const double> probabilities, double u);

} // namespace lucent
