#pragma once
/// @file
/// @brief One reply of a conversation: the prompt built with the model's chat template, tokens
/// generated on its backend (reusing the KV cache of earlier turns), the text split into reasoning
/// and answer as it streams. Shared by the app's inference worker and `lucent-cli generate`.

#include "inference/chat/ChatTemplate.h"
#include "inference/engine/LoadedModel.h"
#include "inference/generation/ThinkingParser.h"
#include "inference/model/Session.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace lucent {

/// @brief How a reply is generated.
struct ReplyOptions {
    SamplerSettings sampling;
    int maxTokens = 2048;
    /// A prompt longer than the context: false → an error; true → its oldest tokens are dropped.
    bool truncatePrompt = false;
    /// Set from any thread to stop within one token.
    const std::atomic<bool>* cancel = nullptr;
};

/// @brief A prompt ready to generate from.
struct ChatPrompt {
    std::vector<int32_t> tokens;
    /// The template opened the reasoning block (DeepSeek-R1 ends the prompt with `<think>\n`).
    bool opensReasoning = false;
    std::string text; ///< the rendered template (empty for raw token prompts)
};

/// @brief A finished reply.
struct Reply {
    std::vector<int32_t> tokens; ///< generated ids, end-of-generation token excluded
    std::string text;            ///< every generated token detokenized
    std::string reasoning;       ///< text's reasoning part (markers removed)
    std::string content;         ///< text's answer part
    StopReason stop = StopReason::TokenLimit;
    bool reasoningUnterminated = false; ///< stopped while still thinking
    std::chrono::milliseconds reasoningTime{0};
    int promptTokens = 0;  ///< evaluated for this reply
    int reusedTokens = 0;  ///< already in the KV cache from earlier turns
    double promptMs = 0;
    double generationMs = 0;
};

/// @brief Called for each generated token with what it added to either side (often nothing while a
/// character or marker is incomplete); return false to stop.
using ReplyDeltaFn = std::function<bool(const ThinkingDelta& delta)>;

/// @brief Renders `messages` with the model's chat template (generation prompt on) and tokenizes it
/// with special tokens; BOS is added when the vocabulary wants one and the template did not write it.
Expected<ChatPrompt> buildChatPrompt(const LoadedModel& model, const std::vector<ChatMessage>& messages);

/// @brief Raw text as a prompt (no template): BOS when the vocabulary wants one, special-token text
/// kept as plain text.
ChatPrompt buildRawPrompt(const LoadedModel& model, std::string_view text);

/// @brief Generates a reply to `prompt` on `session` (which must run on `model`'s backend).
Expected<Reply> generateReply(LoadedModel& model, Session& session, const ChatPrompt& prompt, const ReplyOptions& options,
                              const ReplyDeltaFn& onDelta = {});

} // namespace lucent
