// JSON import: validate the whole file first, then write every conversation in one transaction.
#include "storage/ChatExport.h"

#include "storage/ChatStore.h"

#include <nlohmann/json.hpp>
#include <unordered_set>

namespace lucent {
namespace {

using json = nlohmann::ordered_json;

/// Reads one JSON object field by field; the first problem becomes the error, prefixed with
/// where it is ("conversation 2, message 5").
class FieldReader {
public:
    FieldReader(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

    const std::string& where() const { return where_; }
    const std::optional<std::string>& problem() const { return problem_; }

    std::string text(const char* key, bool required = false) {
        const json* value = find(key, required);
        if (!value) return {};
        if (!value->is_string()) return complain(key, "must be text"), std::string();
        return value->get<std::string>();
    }

    std::int64_t integer(const char* key, bool required = false) {
        const json* value = find(key, required);
        if (!value) return 0;
        if (!value->is_number_integer()) return complain(key, "must be a whole number"), 0;
        return value->get<std::int64_t>();
    }

    std::optional<std::int64_t> optionalInteger(const char* key) {
        const json* value = find(key, false);
        if (!value || value->is_null()) return std::nullopt;
        if (!value->is_number_integer()) return complain(key, "must be a whole number or null"), std::nullopt;
        return value->get<std::int64_t>();
    }

    double number(const char* key) {
        const json* value = find(key, false);
        if (!value) return 0;
        if (!value->is_number()) return complain(key, "must be a number"), 0;
        return value->get<double>();
    }

    bool boolean(const char* key) {
        const json* value = find(key, false);
        if (!value) return false;
        if (!value->is_boolean()) return complain(key, "must be true or false"), false;
        return value->get<bool>();
    }

    /// Settings are stored as the text of a JSON object.
    std::string settings(const char* key) {
        const json* value = find(key, false);
        if (!value) return "{}";
        if (!value->is_object()) return complain(key, "must be an object"), "{}";
        return value->dump(-1, ' ', false, json::error_handler_t::replace);
    }

    const json* array(const char* key) {
        const json* value = find(key, true);
        if (value && !value->is_array()) return complain(key, "must be a list"), nullptr;
        return value;
    }

    void complain(const std::string& key, const std::string& what) {
        if (!problem_) problem_ = where_ + ": \"" + key + "\" " + what + ".";
    }

private:
    const json* find(const char* key, bool required) {
        const auto found = object_.find(key);
        if (found == object_.end()) {
            if (required) complain(key, "is missing");
            return nullptr;
        }
        return &*found;
    }

    const json& object_;
    std::string where_;
    std::optional<std::string> problem_;
};

Expected<Message> readMessage(const json& value, const std::string& where,
                              const std::unordered_set<MessageId>& earlier) {
    if (!value.is_object()) return fail(where + " is not an object.");
    FieldReader fields(value, where);
    Message message;
    message.id = fields.integer("id", true);
    message.parent = fields.optionalInteger("parent");
    const std::string role = fields.text("role", true);
    message.content = fields.text("content", true);
    message.reasoning = fields.text("reasoning");
    message.stats.reasoningMs = fields.integer("reasoning_ms");
    message.model = fields.text("model");
    message.settingsJson = fields.settings("settings");
    message.stats.promptTokens = fields.integer("prompt_tokens");
    message.stats.completionTokens = fields.integer("completion_tokens");
    message.stats.tokensPerSecond = fields.number("tokens_per_second");
    message.createdAt = fields.integer("created_at");
    message.updatedAt = fields.integer("updated_at");
    message.finishedAt = fields.optionalInteger("finished_at");
    std::optional<std::string> finish;
    if (value.contains("finish_reason") && !value["finish_reason"].is_null())
        finish = fields.text("finish_reason");
    if (fields.problem()) return fail(*fields.problem());

    const auto parsedRole = roleFromName(role);
    if (!parsedRole)
        return fail(where + ": role \"" + role + "\" is not one of system, user, assistant, tool.");
    message.role = *parsedRole;
    if (finish) {
        message.finishReason = finishReasonFromName(*finish);
        if (!message.finishReason)
            return fail(where + ": finish_reason \"" + *finish +
                        "\" is not one of stop, length, cancelled, error.");
    }
    if (earlier.count(message.id)) return fail(where + ": id " + std::to_string(message.id) + " is used twice.");
    if (message.parent && !earlier.count(*message.parent))
        return fail(where + ": its parent " + std::to_string(*message.parent) +
                    " is not an earlier message of the same conversation.");
    return message;
}

Expected<ConversationTree> readConversation(const json& value, const std::string& where) {
    if (!value.is_object()) return fail(where + " is not an object.");
    FieldReader fields(value, where);
    ConversationTree tree;
    Conversation& header = tree.conversation;
    header.title = fields.text("title", true);
    header.createdAt = fields.integer("created_at");
    header.updatedAt = fields.integer("updated_at");
    header.pinned = fields.boolean("pinned");
    header.model = fields.text("model");
    header.systemPrompt = fields.text("system_prompt");
    header.settingsJson = fields.settings("settings");
    header.activeLeaf = fields.optionalInteger("active_message");
    const json* messages = fields.array("messages");
    if (fields.problem()) return fail(*fields.problem());

    std::unordered_set<MessageId> seen;
    for (std::size_t i = 0; i < messages->size(); ++i) {
        auto message = readMessage((*messages)[i], where + ", message " + std::to_string(i + 1), seen);
        if (!message) return fail(message.error());
        seen.insert(message->id);
        tree.messages.push_back(std::move(*message));
    }
    if (header.activeLeaf && !seen.count(*header.activeLeaf))
        return fail(where + ": active_message " + std::to_string(*header.activeLeaf) +
                    " is not one of its messages.");
    return tree;
}

} // namespace

Expected<std::vector<ConversationTree>> parseJsonExport(std::string_view text,
                                                        std::string_view sourceName) {
    const std::string source(sourceName);
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& error) {
        return fail(source + " is not valid JSON (at byte " + std::to_string(error.byte) +
                    "); it may be truncated or not an export.");
    }
    if (!document.is_object() || document.value("format", json()) != kExportFormatName)
        return fail(source + " is not a Lucent chat export (it lacks \"format\": \"" +
                    kExportFormatName + "\").");
    const json version = document.value("version", json());
    if (!version.is_number_integer() || version.get<std::int64_t>() < 1)
        return fail(source + ": \"version\" must be a whole number from 1.");
    if (version.get<std::int64_t>() > kExportFormatVersion)
        return fail(source + " was exported by a newer Lucent (format version " +
                    std::to_string(version.get<std::int64_t>()) + "); update Lucent to import it.");
    const auto conversations = document.find("conversations");
    if (conversations == document.end() || !conversations->is_array())
        return fail(source + ": \"conversations\" is missing or is not a list.");

    std::vector<ConversationTree> trees;
    for (std::size_t i = 0; i < conversations->size(); ++i) {
        auto tree = readConversation((*conversations)[i], source + ": conversation " + std::to_string(i + 1));
        if (!tree) return fail(tree.error());
        trees.push_back(std::move(*tree));
    }
    return trees;
}

Expected<std::vector<ConversationId>> importJson(ChatStore& store, std::string_view text,
                                                 std::string_view sourceName) {
    auto trees = parseJsonExport(text, sourceName);
    if (!trees) return fail(trees.error());
    auto created = store.insertTrees(*trees);
    if (!created) return fail(std::string(sourceName) + " was not imported: " + created.error().message);
    return created;
}

} // namespace lucent
