#include "inference/chat/ChatTemplate.h"

#include "inference/chat/JinjaInterpreter.h"
#include "inference/chat/JinjaJson.h"
#include "inference/chat/JinjaLexer.h"
#include "inference/chat/JinjaParser.h"

#include <nlohmann/json.hpp>

namespace lucent {

using jinja::Object;
using jinja::Value;

Expected<ChatTemplate> ChatTemplate::parse(std::string_view source) {
    auto tokens = jinja::tokenize(source);
    if (!tokens) return fail(tokens.error());
    auto program = jinja::parseTemplate(*tokens);
    if (!program) return fail(program.error());
    ChatTemplate chatTemplate;
    chatTemplate.program_ = std::shared_ptr<const jinja::Node>(std::move(*program));
    return chatTemplate;
}

Expected<std::string> ChatTemplate::render(const std::vector<ChatMessage>& messages, const ChatTemplateOptions& options) const {
    jinja::Array list;
    for (const auto& message : messages) {
        auto object = std::make_shared<Object>();
        object->set("role", Value(message.role));
        object->set("content", Value(message.content));
        if (message.reasoning) object->set("reasoning_content", Value(*message.reasoning));
        list.emplace_back(object);
    }
    return renderValue(Value::array(std::move(list)), options);
}

Expected<std::string> ChatTemplate::renderJson(std::string_view messagesJson, const ChatTemplateOptions& options) const {
    nlohmann::ordered_json json = nlohmann::ordered_json::parse(messagesJson, nullptr, false);
    if (json.is_discarded()) return fail("the messages are not valid JSON.");
    if (!json.is_array()) return fail("the messages must be a JSON list of {\"role\": …, \"content\": …} objects.");
    for (const auto& message : json)
        if (!message.is_object() || !message.contains("role") || !message["role"].is_string())
            return fail("every message must be a JSON object with a \"role\" string.");
    auto messages = jinja::valueFromJson(json);
    if (!messages) return fail(messages.error());
    return renderValue(*messages, options);
}

Expected<std::string> ChatTemplate::renderValue(const Value& messages, const ChatTemplateOptions& options) const {
    if (!program_) return fail("no chat template was loaded.");
    Object variables;
    variables.set("messages", messages);
    variables.set("bos_token", Value(options.bosToken));
    variables.set("eos_token", Value(options.eosToken));
    variables.set("add_generation_prompt", Value(options.addGenerationPrompt));
    if (options.extraVariables.isObject())
        for (const auto& [name, value] : options.extraVariables.asObject().entries) variables.set(name, value);
    return jinja::renderTemplate(*program_, variables, options.now);
}

} // namespace lucent
