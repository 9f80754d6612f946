#include "inference/chat/ModelChatTemplate.h"

#include "inference/gguf/GgufFile.h"

namespace lucent {

ChatTemplateOptions ModelChatTemplate::options() const {
    ChatTemplateOptions options;
    options.bosToken = bosToken;
    options.eosToken = eosToken;
    return options;
}

Expected<ModelChatTemplate> chatTemplateFromGguf(const GgufFile& file) {
    const auto source = file.getString("tokenizer.chat_template");
    if (!source)
        return fail(file.name() + " has no chat template (tokenizer.chat_template is missing); give it a raw prompt instead.");
    auto parsed = ChatTemplate::parse(*source);
    if (!parsed) return fail(file.name() + ": " + parsed.error().message);
    ModelChatTemplate result{std::move(*parsed), {}, {}};
    // The template prints the token texts, not ids (R1 writes {{ bos_token }} itself).
    const auto tokens = file.getStringArray("tokenizer.ggml.tokens");
    auto tokenText = [&](const char* key) -> std::string {
        const auto id = file.getUInt(key);
        if (!tokens || !id || *id >= tokens->size()) return {};
        return std::string((*tokens)[*id]);
    };
    result.bosToken = tokenText("tokenizer.ggml.bos_token_id");
    result.eosToken = tokenText("tokenizer.ggml.eos_token_id");
    return result;
}

} // namespace lucent
