#pragma once
/// @file
/// @brief Reads a Hugging Face tokenizer (tokenizer.json + tokenizer_config.json) into the
/// `tokenizer.ggml.*` data a GGUF carries, converting the way llama.cpp's converter does.

#include <QString>
#include <optional>
#include <string>
#include <vector>

namespace lucent::testing {

/// @brief GGUF token types.
enum TokenType : int32_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

/// @brief What a GGUF stores about its tokenizer.
struct GgufVocab {
    std::string model = "gpt2"; ///< tokenizer.ggml.model
    std::string pre;            ///< tokenizer.ggml.pre
    std::vector<std::string> tokens;
    std::vector<int32_t> tokenTypes;
    std::vector<std::string> merges; ///< "a b"
    std::optional<int32_t> bos, eos, pad;
    bool addBos = false;
    bool addEos = false;
    std::string chatTemplate;
};

/// @brief Options for readHfTokenizer.
struct HfTokenizerOptions {
    QString addedTokensFile; ///< replaces tokenizer.json's added tokens (R1-distill's added_tokens.json)
    std::string pre;         ///< tokenizer.ggml.pre; inferred from the pre-tokenizer regex when empty
    int vocabPad = 0;        ///< pad with [PAD<id>] tokens up to this size (GGUFs of Qwen pad to 151936)
};

/// @brief Reads `dir`/tokenizer.json (+ tokenizer_config.json when present). On failure returns
/// nothing and sets `error`.
std::optional<GgufVocab> readHfTokenizer(const QString& dir, const HfTokenizerOptions& options, QString& error);

} // namespace lucent::testing
