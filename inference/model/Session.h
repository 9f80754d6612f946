#pragma once
/// @file
/// @brief A conversation's state on a Backend: the tokens in its KV cache, prompt-prefix reuse,
/// and the generation loop.

#include "inference/core/Expected.h"
#include "inference/model/Backend.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace lucent {

/// @brief Why generate() stopped.
enum class StopReason {
    EndOfGeneration, ///< the model sampled an end-of-generation token (not reported to onToken)
    TokenLimit,      ///< maxTokens were generated
    Cancelled,       ///< onToken returned false or the cancel flag was set
    ContextFull,     ///< the KV cache has no room for another token
};

/// @brief Options of one generate() call.
struct GenerateOptions {
    int maxTokens = 256;
    /// @brief When the prompt does not fit the context: false → an error; true → drop its oldest
    /// tokens, keeping room for min(maxTokens, context/2) new ones.
    bool truncatePrompt = false;
    /// @brief Checked before every token (and between prompt chunks); may be set from any thread.
    const std::atomic<bool>* cancel = nullptr;
};

/// @brief What generate() did.
struct GenerateResult {
    std::vector<int32_t> tokens; ///< generated tokens, end-of-generation token excluded
    StopReason stop = StopReason::TokenLimit;
    int promptTokens = 0;    ///< prompt tokens evaluated (not reused from the cache)
    int reusedTokens = 0;    ///< prompt tokens already in the cache
    int truncatedTokens = 0; ///< oldest prompt tokens dropped to fit the context
    double promptMs = 0.0;
    double generationMs = 0.0;
};

/// @brief Picks the next token from the logits (it may change them, e.g. for penalties).
using SampleFn = std::function<int32_t(std::span<float> logits)>;
/// @brief Receives each generated token; returning false stops generation.
using TokenFn = std::function<bool(int32_t token)>;

/// @brief Keeps a Backend's KV cache between calls and evaluates only tokens it does not hold.
class Session {
public:
    /// @brief `endOfGeneration`: the ids that end a reply (EOS, <|eot_id|>, <|im_end|> …).
    Session(Backend& backend, std::vector<int32_t> endOfGeneration);

    /// @brief Makes the cache hold exactly `prompt` and leaves the logits after its last token in
    /// logits(). Only the part after the longest common prefix with the cached tokens is
    /// evaluated (the last token always is, for its logits).
    Expected<void> evaluatePrompt(std::span<const int32_t> prompt, const GenerateOptions& options = {});

    /// @brief evaluatePrompt(prompt), then samples, reports and evaluates tokens until an
    /// end-of-generation token, maxTokens, cancellation or a full context.
    Expected<GenerateResult> generate(std::span<const int32_t> prompt, const GenerateOptions& options, const SampleFn& sample,
                                      const TokenFn& onToken);

    /// @brief The tokens whose keys and values the cache holds, in order.
    std::span<const int32_t> cachedTokens() const { return cached_; }
    /// @brief Logits after the last evaluated token (n_vocab values).
    std::span<float> logits() { return logits_; }
    /// @brief Forgets the cache contents (the next prompt is evaluated in full).
    void clear() { cached_.clear(); }
    bool isEndOfGeneration(int32_t token) const;

private:
    Expected<void> evaluate(std::span<const int32_t> tokens, const GenerateOptions& options);

    Backend& backend_;
    std::vector<int32_t> endOfGeneration_;
    std::vector<int32_t> cached_;
    std::vector<float> logits_;
    GenerateResult last_; // prompt statistics of the latest evaluatePrompt
};

} // namespace lucent
