#include "inference/model/Session.h"

#include <algorithm>
#include <chrono>

namespace lucent {
namespace {

// Prompt tokens per backend call: the cancel flag is checked between chunks, so a long prompt
// can be abandoned quickly.
constexpr size_t kPromptChunk = 64;

double millisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

bool cancelled(const GenerateOptions& options) { return options.cancel && options.cancel->load(std::memory_order_relaxed); }

} // namespace

Session::Session(Backend& backend, std::vector<int32_t> endOfGeneration)
    : backend_(backend), endOfGeneration_(std::move(endOfGeneration)), logits_(backend.config().nVocab) {
    cached_.reserve(backend_.contextLength());
}

bool Session::isEndOfGeneration(int32_t token) const {
    return std::find(endOfGeneration_.begin(), endOfGeneration_.end(), token) != endOfGeneration_.end();
}

Expected<void> Session::evaluate(std::span<const int32_t> tokens, const GenerateOptions& options) {
    for (size_t start = 0; start < tokens.size(); start += kPromptChunk) {
        if (cancelled(options)) return fail("Generation was cancelled.");
        const auto chunk = tokens.subspan(start, std::min(kPromptChunk, tokens.size() - start));
        if (auto done = backend_.eval(chunk, int(cached_.size()), logits_.data()); !done) return done;
        cached_.insert(cached_.end(), chunk.begin(), chunk.end());
    }
    return {};
}

Expected<void> Session::evaluatePrompt(std::span<const int32_t> prompt, const GenerateOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    last_ = {};
    if (prompt.empty()) return fail("The prompt is empty.");
    const size_t context = backend_.contextLength();
    if (prompt.size() >= context) {
        if (!options.truncatePrompt)
            return fail("The prompt has " + std::to_string(prompt.size()) + " tokens but the context holds only " +
                        std::to_string(context) + "; shorten it or use a longer context.");
        const size_t room = std::clamp<size_t>(size_t(std::max(options.maxTokens, 1)), 1, context / 2);
        last_.truncatedTokens = int(prompt.size() - (context - room));
        prompt = prompt.subspan(size_t(last_.truncatedTokens));
    }
    // Reuse the longest common prefix, but evaluate at least the last token for its logits.
    const size_t common = size_t(std::mismatch(cached_.begin(), cached_.end(), prompt.begin(), prompt.end()).first - cached_.begin());
    const size_t reuse = std::min(common, prompt.size() - 1);
    cached_.resize(reuse);
    last_.reusedTokens = int(reuse);
    last_.promptTokens = int(prompt.size() - reuse);
    auto done = evaluate(prompt.subspan(reuse), options);
    last_.promptMs = millisecondsSince(start);
    return done;
}

Expected<GenerateResult> Session::generate(std::span<const int32_t> prompt, const GenerateOptions& options, const SampleFn& sample,
                                           const TokenFn& onToken) {
    if (auto done = evaluatePrompt(prompt, options); !done) {
        if (!cancelled(options)) return fail(done.error());
        GenerateResult result = last_;
        result.stop = StopReason::Cancelled;
        return result;
    }
    GenerateResult result = last_;
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
        if (int(result.tokens.size()) >= options.maxTokens) {
            result.stop = StopReason::TokenLimit;
            break;
        }
        if (cancelled(options)) {
            result.stop = StopReason::Cancelled;
            break;
        }
        const int32_t token = sample(logits_);
        if (isEndOfGeneration(token)) {
            result.stop = StopReason::EndOfGeneration;
            break;
        }
        result.tokens.push_back(token);
        if (!onToken(token)) {
            result.stop = StopReason::Cancelled;
            break;
        }
        if (int(result.tokens.size()) >= options.maxTokens) {
            result.stop = StopReason::TokenLimit;
            break;
        }
        if (cached_.size() >= backend_.contextLength()) {
            result.stop = StopReason::ContextFull;
            break;
        }
        if (cancelled(options)) {
            result.stop = StopReason::Cancelled;
            break;
        }
        if (auto done = backend_.eval(std::span(&token, 1), int(cached_.size()), logits_.data()); !done) return fail(done.error());
        cached_.push_back(token);
    }
    result.generationMs = millisecondsSince(start);
    return result;
}

} // namespace lucent
