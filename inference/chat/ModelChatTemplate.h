#pragma once
/// @file
/// @brief A model file's chat template with the token texts it is rendered with.

#include "inference/chat/ChatTemplate.h"
#include "inference/core/Expected.h"

#include <string>

namespace lucent {

class GgufFile;

/// @brief `tokenizer.chat_template`, parsed, and the BOS/EOS token texts the template prints.
struct ModelChatTemplate {
    ChatTemplate chatTemplate;
    std::string bosToken;
    std::string eosToken;

    /// @brief Options with this model's BOS/EOS texts and the generation prompt on.
    ChatTemplateOptions options() const;
};

/// @brief Reads the chat template of a model file. Errors: no template ("… has no chat template"),
/// or one that does not parse (naming the construct and line).
Expected<ModelChatTemplate> chatTemplateFromGguf(const GgufFile& file);

} // namespace lucent
