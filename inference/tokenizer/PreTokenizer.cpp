#include "inference/tokenizer/PreTokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <map>

namespace lucent {
namespace {

// GPT-4-style splitting shared by Qwen2 and Llama 3; they differ in how many digits stay together.
// "(?i:'s|'t|…)" is spelled out with ASCII classes: a caseless match would also accept "'ſ" (U+017F).
constexpr const char* kContractions = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
std::string gpt4Style(const char* digits) {
    return std::string(kContractions) + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|" + digits +
           "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
}

const std::map<std::string, std::vector<std::string>, std::less<>>& patternTable() {
    static const std::map<std::string, std::vector<std::string>, std::less<>> table = {
        {"qwen2", {gpt4Style("\\p{N}")}},
        {"deepseek-r1-qwen", {gpt4Style("\\p{N}")}},
        {"llama-bpe", {gpt4Style("\\p{N}{1,3}")}},
        {"llama3", {gpt4Style("\\p{N}{1,3}")}},
        // DeepSeek-V3 / R1: digits in threes, then runs of CJK ideographs and kana, then the rest.
        {"deepseek-v3",
         {"\\p{N}{1,3}", "[\\x{4e00}-\\x{9fa5}\\x{3040}-\\x{309f}\\x{30a0}-\\x{30ff}]+",
          "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
          "| ?[\\p{P}\\p{S}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"}},
        // DeepSeek LLM (7B/67B), from its tokenizer.json: newlines alone, cased-script words with an
        // optional leading space, ASCII/fullwidth punctuation runs, trailing whitespace, CJK and
        // Hangul runs, digit runs. Code points are escaped: NFC would turn some endpoints (U+1F7D,
        // U+2126 …) into lookalikes and break the ranges.
        {"deepseek-llm",
         {"[\\r\\n]", "\\s?[A-Za-z\\x{b5}\\x{c0}-\\x{d6}\\x{d8}-\\x{f6}\\x{f8}-\\x{1ba}\\x{1bc}-\\x{1bf}\\x{1c4}-\\x{293}\\x{295}-\\x{2af}\\x{370}-\\x{373}\\x{376}\\x{377}\\x{37b}-\\x{37d}\\x{37f}\\x{386}\\x{388}-\\x{38a}\\x{38c}\\x{38e}-\\x{3a1}\\x{3a3}-\\x{3f5}\\x{3f7}-\\x{481}\\x{48a}-\\x{52f}\\x{531}-\\x{556}\\x{10a0}-\\x{10c5}\\x{13a0}-\\x{13f5}\\x{13f8}-\\x{13fd}\\x{1c90}-\\x{1cba}\\x{1cbd}-\\x{1cbf}\\x{1d00}-\\x{1d2b}\\x{1d6b}-\\x{1d77}\\x{1d79}-\\x{1d9a}\\x{1e00}-\\x{1f15}\\x{1f18}-\\x{1f1d}\\x{1f20}-\\x{1f45}\\x{1f48}-\\x{1f4d}\\x{1f50}-\\x{1f57}\\x{1f59}\\x{1f5b}\\x{1f5d}\\x{1f5f}-\\x{1f7d}\\x{1f80}-\\x{1fb4}\\x{1fb6}-\\x{1fbc}\\x{1fbe}\\x{1fc2}-\\x{1fc4}\\x{1fc6}-\\x{1fcc}\\x{1fd0}-\\x{1fd3}\\x{1fd6}-\\x{1fdb}\\x{1fe0}-\\x{1fec}\\x{1ff2}-\\x{1ff4}\\x{1ff6}-\\x{1ffc}\\x{2102}\\x{2107}\\x{210a}-\\x{2113}\\x{2115}\\x{2119}-\\x{211d}\\x{2124}\\x{2126}\\x{2128}\\x{212a}-\\x{212d}\\x{212f}-\\x{2134}\\x{2139}\\x{213c}-\\x{213f}\\x{2145}-\\x{2149}\\x{214e}\\x{2183}\\x{2184}\\x{2c00}-\\x{2c7b}\\x{2c7e}-\\x{2ce4}\\x{2ceb}-\\x{2cee}\\x{2cf2}\\x{2cf3}\\x{a640}-\\x{a66d}\\x{a680}-\\x{a69b}\\x{a722}-\\x{a76f}\\x{a771}-\\x{a787}\\x{a78b}-\\x{a78e}\\x{ab70}-\\x{abbf}\\x{fb00}-\\x{fb06}\\x{fb13}-\\x{fb17}\\x{ff21}-\\x{ff3a}\\x{ff41}-\\x{ff5a}\\x{10400}-\\x{1044f}\\x{104b0}-\\x{104d3}\\x{104d8}-\\x{104fb}\\x{10c80}-\\x{10cb2}\\x{10cc0}-\\x{10cf2}\\x{118a0}-\\x{118df}\\x{1e900}-\\x{1e943}]+",
          "\\s?[!-/:-~\\x{ff01}-\\x{ff0f}\\x{ff1a}-\\x{ff5e}\\x{2018}-\\x{201f}\\x{3000}-\\x{3002}]+", "\\s+$",
          "[\\x{4e00}-\\x{9fa5}\\x{0800}-\\x{4e00}\\x{ac00}-\\x{d7ff}]+", "\\p{N}+"}},
    };
    return table;
}

struct JitStack {
    pcre2_jit_stack* stack = pcre2_jit_stack_create(32 * 1024, 4 * 1024 * 1024, nullptr);
    pcre2_match_context* context = pcre2_match_context_create(nullptr);
    JitStack() { pcre2_jit_stack_assign(context, nullptr, stack); }
    ~JitStack() {
        pcre2_match_context_free(context);
        pcre2_jit_stack_free(stack);
    }
};

} // namespace

struct PreTokenizer::Pattern {
    pcre2_code* code = nullptr;
    ~Pattern() { pcre2_code_free(code); }
};

PreTokenizer::PreTokenizer(PreTokenizer&&) noexcept = default;
PreTokenizer& PreTokenizer::operator=(PreTokenizer&&) noexcept = default;
PreTokenizer::~PreTokenizer() = default;

std::vector<std::string> PreTokenizer::supportedNames() {
    std::vector<std::string> names;
    for (const auto& [name, patterns] : patternTable()) names.push_back(name);
    return names;
}

Expected<PreTokenizer> PreTokenizer::forName(std::string_view pre) {
    const auto& table = patternTable();
    const auto it = table.find(pre);
    if (it == table.end()) {
        std::string names;
        for (const auto& name : supportedNames()) names += (names.empty() ? "" : ", ") + name;
        return fail("the model's pre-tokenizer '" + std::string(pre) + "' is not supported (supported: " + names + ").");
    }
    PreTokenizer tokenizer;
    for (const auto& source : it->second) {
        int errorCode = 0;
        PCRE2_SIZE errorOffset = 0;
        auto pattern = std::make_unique<Pattern>();
        pattern->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(),
                                      PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &errorCode, &errorOffset, nullptr);
        if (!pattern->code) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(errorCode, message, sizeof message);
            return fail("internal error: pre-tokenizer pattern for '" + std::string(pre) + "' does not compile: " +
                        reinterpret_cast<const char*>(message));
        }
        pcre2_jit_compile(pattern->code, PCRE2_JIT_COMPLETE); // falls back to the interpreter if unavailable
        tokenizer.patterns_.push_back(std::move(pattern));
    }
    return tokenizer;
}

std::vector<std::string_view> PreTokenizer::split(std::string_view text) const {
    thread_local JitStack jit;
    std::vector<std::string_view> pieces{text};
    for (const auto& pattern : patterns_) {
        std::vector<std::string_view> next;
        pcre2_match_data* match = pcre2_match_data_create_from_pattern(pattern->code, nullptr);
        for (const std::string_view piece : pieces) {
            size_t last = 0, offset = 0;
            const auto* subject = reinterpret_cast<PCRE2_SPTR>(piece.data());
            while (offset < piece.size()) {
                const int rc = pcre2_match(pattern->code, subject, piece.size(), offset, PCRE2_NO_UTF_CHECK, match, jit.context);
                if (rc < 0) break;
                const PCRE2_SIZE* range = pcre2_get_ovector_pointer(match);
                const size_t start = range[0], end = range[1];
                if (end == start) { // empty match: step over one character
                    offset = start + 1;
                    while (offset < piece.size() && (static_cast<unsigned char>(piece[offset]) & 0xc0) == 0x80) ++offset;
                    continue;
                }
                if (start > last) next.push_back(piece.substr(last, start - last));
                next.push_back(piece.substr(start, end - start));
                last = offset = end;
            }
            if (last < piece.size()) next.push_back(piece.substr(last));
        }
        pcre2_match_data_free(match);
        pieces = std::move(next);
    }
    return pieces;
}

} // namespace lucent
