// Markdown export: what a person reads — the branch on screen, reasoning folded away.
#include "storage/ChatExport.h"

#include "storage/ChatStore.h"

#include <cstdio>
#include <ctime>

namespace lucent {
namespace {

std::string utcTime(std::int64_t milliseconds) {
    const std::time_t seconds = static_cast<std::time_t>(milliseconds / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &parts);
    return text;
}

std::string oneLine(std::string text) {
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text;
}

std::string roleHeading(const Message& message) {
    switch (message.role) {
    case Role::System: return "System";
    case Role::User: return "User";
    case Role::Tool: return "Tool";
    case Role::Assistant: break;
    }
    std::string heading = "Assistant";
    if (!message.model.empty()) heading += " · " + oneLine(message.model);
    if (message.stats.tokensPerSecond > 0) {
        char speed[32];
        std::snprintf(speed, sizeof speed, " · %.1f tok/s", message.stats.tokensPerSecond);
        heading += speed;
    }
    if (message.finishReason && *message.finishReason != FinishReason::Stop)
        heading += " · " + std::string(finishReasonName(*message.finishReason));
    if (!message.finishReason) heading += " · unfinished";
    return heading;
}

void appendMessage(std::string& out, const Message& message) {
    out += "### " + roleHeading(message) + "\n\n";
    if (!message.reasoning.empty()) {
        char summary[64];
        if (message.stats.reasoningMs > 0)
            std::snprintf(summary, sizeof summary, "Reasoning (%.1f s)",
                          static_cast<double>(message.stats.reasoningMs) / 1000.0);
        else
            std::snprintf(summary, sizeof summary, "Reasoning");
        // Blank lines around the body let Markdown inside <details> render as Markdown.
        out += "<details>\n<summary>" + std::string(summary) + "</summary>\n\n" + message.reasoning +
               "\n\n</details>\n\n";
    }
    out += message.content + "\n\n";
}

Expected<void> appendConversation(std::string& out, ChatStore& store, ConversationId id) {
    auto header = store.conversation(id);
    if (!header) return fail(header.error());
    auto path = store.activePath(id);
    if (!path) return fail(path.error());
    auto all = store.messages(id);
    if (!all) return fail(all.error());

    out += "# " + (header->title.empty() ? std::string("Untitled conversation") : oneLine(header->title)) + "\n\n";
    out += "*" + utcTime(header->createdAt);
    if (!header->model.empty()) out += " · " + oneLine(header->model);
    out += " · " + std::to_string(path->size()) + " messages";
    if (all->size() > path->size())
        out += " shown, " + std::to_string(all->size() - path->size()) +
               " more on other branches (in the JSON export)";
    out += "*\n\n";
    if (!header->systemPrompt.empty()) out += "**System prompt:** " + header->systemPrompt + "\n\n";
    for (const Message& message : *path) appendMessage(out, message);
    return {};
}

} // namespace

Expected<std::string> exportMarkdown(ChatStore& store, std::optional<ConversationId> conversation) {
    auto ids = exportedConversations(store, conversation);
    if (!ids) return fail(ids.error());
    std::string out;
    for (std::size_t i = 0; i < ids->size(); ++i) {
        if (i > 0) out += "---\n\n";
        if (auto appended = appendConversation(out, store, (*ids)[i]); !appended) return fail(appended.error());
    }
    return out;
}

} // namespace lucent
