#pragma once
/// @file
/// @brief A model's chat template (the GGUF's `tokenizer.chat_template`, Jinja) turned into prompt text,
/// rendered the way Hugging Face's reference renderer (@huggingface/jinja) does, byte for byte.

#include "inference/chat/JinjaValue.h"
#include "inference/core/Expected.h"

#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lucent {

namespace jinja {
struct Node;
}

/// @brief One turn of a conversation as the app stores it.
struct ChatMessage {
    std::string role; ///< "system", "user" or "assistant"
    std::string content;
    /// Reasoning of an assistant turn, kept apart from the answer. Passed to templates as
    /// `reasoning_content` (Qwen3 uses it; R1 templates drop reasoning from history).
    std::optional<std::string> reasoning;
};

/// @brief Everything a template sees besides the messages.
struct ChatTemplateOptions {
    std::string bosToken;
    std::string eosToken;
    bool addGenerationPrompt = true;
    /// Extra top-level variables (e.g. `enable_thinking`), as a dict; undefined when none.
    jinja::Value extraVariables;
    /// The clock behind `strftime_now` (Llama 3.x writes today's date); local time now when empty.
    std::function<std::tm()> now;
};

/// @brief A parsed chat template; cheap to render many times.
class ChatTemplate {
public:
    /// @brief Parses `source`; a template that fails gives an error naming the construct and line.
    static Expected<ChatTemplate> parse(std::string_view source);

    /// @brief Renders the conversation (messages as the app keeps them).
    Expected<std::string> render(const std::vector<ChatMessage>& messages, const ChatTemplateOptions& options) const;

    /// @brief Renders messages given as a JSON array of objects (any extra fields are passed through).
    Expected<std::string> renderJson(std::string_view messagesJson, const ChatTemplateOptions& options) const;

    /// @brief Renders messages already converted to template values (a list of dicts).
    Expected<std::string> renderValue(const jinja::Value& messages, const ChatTemplateOptions& options) const;

private:
    std::shared_ptr<const jinja::Node> program_;
};

} // namespace lucent
