#pragma once
/// @file
/// @brief Splits text into pre-tokens with the regular expressions of each vocabulary family
/// (Hugging Face `Split` with behaviour "Isolated": matches and the text between them are pieces).

#include "inference/core/Expected.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lucent {

/// @brief A sequence of compiled Unicode regexes (PCRE2, UTF + UCP, JIT when available).
class PreTokenizer {
public:
    /// @brief The pre-tokenizer for a `tokenizer.ggml.pre` name; unknown names are an error that
    /// lists the supported ones.
    static Expected<PreTokenizer> forName(std::string_view pre);
    /// @brief Names this build supports.
    static std::vector<std::string> supportedNames();

    PreTokenizer(PreTokenizer&&) noexcept;
    PreTokenizer& operator=(PreTokenizer&&) noexcept;
    ~PreTokenizer();

    /// @brief Pieces of `text` (valid UTF-8), in order; their concatenation is `text`.
    std::vector<std::string_view> split(std::string_view text) const;

private:
    struct Pattern;
    PreTokenizer() = default;
    std::vector<std::unique_ptr<Pattern>> patterns_;
};

} // namespace lucent
