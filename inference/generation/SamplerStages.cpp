#include "inference/generation/SamplerStages.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace lucent {

void applyPenalties(std::span<float> logits, const PenaltyHistory& history, float repeat, float frequency,
                    float presence) {
    for (const auto& [token, count] : history.counts()) {
        if (token < 0 || std::size_t(token) >= logits.size()) continue;
        float& logit = logits[std::size_t(token)];
        // Dividing a negative logit would make the token *more* likely, hence the sign split.
        logit = logit <= 0.0f ? logit * repeat : logit / repeat;
        logit -= float(count) * frequency + presence;
    }
}

int32_t argmaxToken(std::span<const float> logits) {
    int32_t best = -1;
    for (std::size_t i = 0; i < logits.size(); ++i) {
        if (std::isnan(logits[i])) continue;
        if (best < 0 || logits[i] > logits[std::size_t(best)]) best = int32_t(i);
    }
    return best;
}

void collectCandidates(std::span<const float> logits, CandidateList& out) {
    out.tokens.clear();
    out.sorted = false;
    out.tokens.reserve(logits.size());
    constexpr float largest = std::numeric_limits<float>::max();
    for (std::size_t i = 0; i < logits.size(); ++i) {
        const float logit = logits[i];
        if (std::isnan(logit) || logit == -std::numeric_limits<float>::infinity()) continue;
        out.tokens.push_back({int32_t(i), std::min(logit, largest)});
    }
}

namespace {

/// Keeps the best `keep` of `tokens` sorted at the front: a heap of the best so far, whose root is
/// the worst kept, rejects most of a large vocabulary with a single comparison.
void selectBest(std::vector<TokenCandidate>& tokens, std::size_t keep) {
    if (keep * 8 >= tokens.size()) {
        if (keep < tokens.size()) std::nth_element(tokens.begin(), tokens.begin() + std::ptrdiff_t(keep), tokens.end(), ranksBefore);
        tokens.resize(keep);
        std::sort(tokens.begin(), tokens.end(), ranksBefore);
        return;
    }
    const auto heapEnd = tokens.begin() + std::ptrdiff_t(keep);
    std::make_heap(tokens.begin(), heapEnd, ranksBefore);
    for (auto it = heapEnd; it != tokens.end(); ++it) {
        if (!ranksBefore(*it, tokens.front())) continue;
        std::pop_heap(tokens.begin(), heapEnd, ranksBefore);
        *(heapEnd - 1) = *it;
        std::push_heap(tokens.begin(), heapEnd, ranksBefore);
    }
    tokens.resize(keep);
    std::sort_heap(tokens.begin(), tokens.end(), ranksBefore);
}

} // namespace

void keepTopK(CandidateList& list, int32_t k) {
    if (k <= 0 || list.tokens.empty()) return;
    const std::size_t keep = std::min(std::size_t(k), list.tokens.size());
    if (list.sorted) {
        list.tokens.resize(keep);
        return;
    }
    selectBest(list.tokens, keep);
    list.sorted = true;
}

namespace {

float maxLogit(const CandidateList& list) {
    if (list.sorted) return list.tokens.front().logit;
    float best = list.tokens.front().logit;
    for (const TokenCandidate& t : list.tokens) best = std::max(best, t.logit);
    return best;
}

} // namespace

namespace {

/// Top-p on a large unsorted list without sorting it (sorting 152k tokens costs tens of
/// milliseconds). Tokens are bucketed by how far their logit lies below the best (buckets 1/16 wide,
/// 32 in all, the rest in one last bucket) and the buckets' probability summed best first. Buckets
/// before the one where the sum reaches `target` survive whole, in id order; that bucket, plus the
/// next non-empty one as a margin for rounding, is sorted and walked token by token.
void keepTopPByBuckets(std::vector<TokenCandidate>& tokens, double top, float p) {
    constexpr int perUnit = 16;
    constexpr int buckets = 32 * perUnit;
    auto bucketOf = [&](const TokenCandidate& t) {
        const double distance = (top - double(t.logit)) * perUnit;
        return distance < buckets ? int(distance) : buckets;
    };
    std::vector<double> mass(buckets + 1, 0.0);
    std::vector<int> count(buckets + 1, 0);
    for (const TokenCandidate& t : tokens) {
        const int b = bucketOf(t);
        mass[std::size_t(b)] += std::exp(double(t.logit) - top);
        ++count[std::size_t(b)];
    }
    double total = 0.0;
    for (double m : mass) total += m;
    const double target = double(p) * total;

    int reached = 0;
    double before = 0.0; // probability of the buckets ahead of `reached`
    while (reached < buckets && before + mass[std::size_t(reached)] < target) before += mass[std::size_t(reached++)];
    int last = reached;
    while (last < buckets && count[std::size_t(last + 1)] == 0) ++last;
    if (last < buckets) ++last;

    std::vector<TokenCandidate> boundary;
    std::size_t kept = 0;
    for (const TokenCandidate& t : tokens) {
        const int b = bucketOf(t);
        if (b < reached) tokens[kept++] = t;
        else if (b <= last) boundary.push_back(t);
    }
    tokens.resize(kept);
    std::sort(boundary.begin(), boundary.end(), ranksBefore);
    double cumulative = before;
    for (const TokenCandidate& t : boundary) {
        tokens.push_back(t);
        cumulative += std::exp(double(t.logit) - top);
        if (cumulative >= target) break;
    }
}

} // namespace

void keepTopP(CandidateList& list, float p) {
    if (p >= 1.0f || list.tokens.empty()) return;
    auto& tokens = list.tokens;
    if (!list.sorted && tokens.size() > 1024) {
        keepTopPByBuckets(tokens, maxLogit(list), p);
        return;
    }
    if (!list.sorted) {
        std::sort(tokens.begin(), tokens.end(), ranksBefore);
        list.sorted = true;
    }
    const double top = tokens.front().logit;
    double total = 0.0;
    for (const TokenCandidate& t : tokens) total += std::exp(double(t.logit) - top);
    const double target = double(p) * total;
    double cumulative = 0.0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        cumulative += std::exp(double(tokens[i].logit) - top);
        if (cumulative >= target) {
            tokens.resize(i + 1);
            return;
        }
    }
    // Rounding kept the sum just under p·total: every token stays.
}

void keepMinP(CandidateList& list, float p) {
    if (p <= 0.0f || list.tokens.empty()) return;
    const float top = maxLogit(list);
    const float threshold = top + std::log(p);
    auto& tokens = list.tokens;
    // `logit == top` keeps the best token even if p > 1 or rounding puts the threshold above it.
    std::erase_if(tokens, [&](const TokenCandidate& t) { return t.logit < threshold && t.logit != top; });
}

void softmaxProbabilities(const CandidateList& list, float temperature, std::vector<double>& probabilities) {
    assert(temperature > 0.0f);
    probabilities.resize(list.tokens.size());
    if (list.tokens.empty()) return;
    const double top = maxLogit(list);
    double total = 0.0;
    for (std::size_t i = 0; i < list.tokens.size(); ++i) {
        // (logit − max) / T equals logit / T − max / T, without overflowing for huge logits.
        probabilities[i] = std::exp((double(list.tokens[i].logit) - top) / double(temperature));
        total += probabilities[i];
    }
    for (double& probability : probabilities) probability /= total;
}

double uniformFromDraw(uint32_t draw) { return double(draw) * 0x1p-32; }

std::size_t pickByUniform(std::span<const double> probabilities, double u) {
    assert(!probabilities.empty());
    double total = 0.0;
    for (double probability : probabilities) total += probability;
    const double target = u * total;
    double running = 0.0;
    std::size_t lastPossible = 0;
    for (std::size_t i = 0; i < probabilities.size(); ++i) {
        if (probabilities[i] <= 0.0) continue;
        running += probabilities[i];
        lastPossible = i;
        if (running > target) return i;
    }
    return lastPossible; // u·total rounded up to the full sum
}

} // namespace lucent
