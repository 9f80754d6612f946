#pragma once
/// @file
/// @brief GPT-2's byte ↔ printable-character map used by byte-level BPE vocabularies.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lucent {

/// @brief Maps each byte of `bytes` to its printable stand-in (UTF-8), e.g. ' ' → "Ġ".
std::string bytesToSymbols(std::string_view bytes);
/// @brief Inverts bytesToSymbols; nothing when `symbols` holds a character outside the map.
std::optional<std::string> symbolsToBytes(std::string_view symbols);

} // namespace lucent
