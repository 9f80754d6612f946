#pragma once
/// @file
/// @brief Which markers a model family puts around its reasoning, and how to tell from its template.

#include <string_view>

namespace lucent {

/// @brief The reasoning markers of a model family. Only markers with a citable source are listed;
/// Cohere's `<|START_THINKING|>` is left out on purpose: its answer sits in further markers
/// (`<|START_RESPONSE|>`) this split would leave in the content.
enum class ThinkingFormat {
    /// No reasoning markers: every byte is answer.
    None,
    /// `<think>…</think>`: DeepSeek-R1 and its distills, Qwen3, QwQ (llama.cpp `common_chat_parse_deepseek_r1`,
    /// DeepSeek-R1 / Qwen3 chat templates).
    Think,
    /// `[THINK]…[/THINK]`: Mistral's Magistral (llama.cpp `common_chat_parse_magistral`).
    BracketThink,
    /// `<seed:think>…</seed:think>`: ByteDance Seed-OSS (llama.cpp `common_chat_parse_seed_oss`).
    SeedThink,
    /// `<|begin_of_thought|>…<|end_of_thought|>`: Sky-T1 / Bespoke-Stratos / OpenThoughts fine-tunes
    /// (Open WebUI `DEFAULT_REASONING_TAGS`). Their `<|begin_of_solution|>` markers stay in the content.
    BeginOfThought,
    /// `◁think▷…◁/think▷`: Moonshot Kimi-VL-Thinking (Open WebUI `DEFAULT_REASONING_TAGS`).
    KimiThink,
};

/// @brief The opening and closing marker of a format (both empty for None).
struct ThinkingMarkers {
    std::string_view open;
    std::string_view close;
};

/// @brief The markers of `format`.
ThinkingMarkers thinkingMarkers(ThinkingFormat format);

/// @brief A stable lower-case name ("think", "bracket-think", …) for logs and settings files.
std::string_view thinkingFormatName(ThinkingFormat format);

/// @brief The format whose closing marker a chat template mentions (templates strip old reasoning
/// by splitting on it), or None when it mentions none of them.
ThinkingFormat detectThinkingFormat(std::string_view chatTemplate);

/// @brief True when a rendered prompt ends with the opening marker (trailing whitespace allowed),
/// as DeepSeek-R1's template does with `<think>\n`: the reply then starts inside the reasoning and
/// only its close marker will be generated. Pass the result to ThinkingParser.
bool promptOpensReasoning(std::string_view renderedPrompt, ThinkingFormat format);

} // namespace lucent
