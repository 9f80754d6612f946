#include "inference/generation/ThinkingFormat.h"

#include <array>

namespace lucent {

namespace {

bool isAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

} // namespace

ThinkingMarkers thinkingMarkers(ThinkingFormat format) {
    switch (format) {
    case ThinkingFormat::None: return {"", ""};
    case ThinkingFormat::Think: return {"<think>", "</think>"};
    case ThinkingFormat::BracketThink: return {"[THINK]", "[/THINK]"};
    case ThinkingFormat::SeedThink: return {"<seed:think>", "</seed:think>"};
    case ThinkingFormat::BeginOfThought: return {"<|begin_of_thought|>", "<|end_of_thought|>"};
    case ThinkingFormat::KimiThink: return {"\u25c1think\u25b7", "\u25c1/think\u25b7"};
    }
    return {"", ""};
}

std::string_view thinkingFormatName(ThinkingFormat format) {
    switch (format) {
    case ThinkingFormat::None: return "none";
    case ThinkingFormat::Think: return "think";
    case ThinkingFormat::BracketThink: return "bracket-think";
    case ThinkingFormat::SeedThink: return "seed-think";
    case ThinkingFormat::BeginOfThought: return "begin-of-thought";
    case ThinkingFormat::KimiThink: return "kimi-think";
    }
    return "none";
}

ThinkingFormat detectThinkingFormat(std::string_view chatTemplate) {
    // Most specific first: none of these closing markers contains another.
    static constexpr std::array candidates = {
        ThinkingFormat::SeedThink, ThinkingFormat::BeginOfThought, ThinkingFormat::KimiThink,
        ThinkingFormat::BracketThink, ThinkingFormat::Think,
    };
    for (ThinkingFormat format : candidates) {
        if (chatTemplate.find(thinkingMarkers(format).close) != std::string_view::npos) return format;
    }
    // Some templates only ever open the block (the model writes the close).
    for (ThinkingFormat format : candidates) {
        if (chatTemplate.find(thinkingMarkers(format).open) != std::string_view::npos) return format;
    }
    return ThinkingFormat::None;
}

bool promptOpensReasoning(std::string_view renderedPrompt, ThinkingFormat format) {
    const std::string_view open = thinkingMarkers(format).open;
    if (open.empty()) return false;
    while (!renderedPrompt.empty() && isAsciiSpace(renderedPrompt.back())) renderedPrompt.remove_suffix(1);
    return renderedPrompt.ends_with(open);
}

} // namespace lucent
