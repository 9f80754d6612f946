#pragma once
/// @file
/// @brief String behaviour of the reference renderer (@huggingface/jinja runs on JavaScript): lengths
/// and indexes count UTF-16 units, trimming uses JavaScript's whitespace set, case mapping is
/// Unicode's (ICU), numbers print as JavaScript prints them. Rendering byte-identically needs these.

#include <string>
#include <string_view>
#include <vector>

namespace lucent::jinja {

/// @brief Length in UTF-16 code units (what `"…".length` gives in JavaScript).
size_t utf16Length(std::string_view text);
/// @brief The UTF-16 unit at `index` (negative counts from the end) as UTF-8; a lone surrogate
/// becomes U+FFFD, as Node.js writes it. `found` false when out of range.
std::string utf16At(std::string_view text, long long index, bool& found);
/// @brief The code points of `text`, each as its UTF-8 bytes.
std::vector<std::string> codePoints(std::string_view text);

std::string jsTrim(std::string_view text);
std::string jsTrimStart(std::string_view text);
std::string jsTrimEnd(std::string_view text);
/// @brief Runs of non-whitespace (JavaScript's \S+), in order.
std::vector<std::string_view> jsWords(std::string_view text);
bool isJsWhitespace(char32_t c);

std::string jsUpper(std::string_view text);
std::string jsLower(std::string_view text);
/// @brief `/\b\w/g → upper`: the first ASCII letter of every ASCII word upper-cased, nothing lowered.
std::string jsTitle(std::string_view text);
/// @brief First UTF-16 unit upper-cased, the rest unchanged.
std::string jsCapitalize(std::string_view text);

/// @brief JavaScript's Number#toString (shortest round-trip digits, exponent outside 1e-7..1e21).
std::string jsNumberToString(double value);
/// @brief parseInt(text, 10) / parseFloat(text); false when JavaScript would give NaN.
bool jsParseInt(std::string_view text, double& out);
bool jsParseFloat(std::string_view text, double& out);

} // namespace lucent::jinja
