#pragma once
/// @file
/// @brief Small UTF-8 helpers shared by the tokenizer: validation/repair, NFC, code point walks.

#include <string>
#include <string_view>

namespace lucent {

/// @brief `text` with every invalid UTF-8 sequence replaced by U+FFFD (valid text is unchanged).
std::string repairUtf8(std::string_view text);
/// @brief Unicode NFC of valid UTF-8 (ICU), as Hugging Face's NFC normalizer does.
std::string normalizeNfc(std::string_view text);
/// @brief Length in bytes of the UTF-8 sequence starting with `lead` (1 for invalid lead bytes).
size_t utf8SequenceLength(unsigned char lead);
/// @brief Bytes at the end of `text` that start an incomplete UTF-8 sequence (0..3).
size_t incompleteUtf8Tail(std::string_view text);

} // namespace lucent
