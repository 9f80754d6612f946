#pragma once
/// @file
/// @brief Turns generated ids into text as they arrive, never emitting half a UTF-8 character.

#include "inference/tokenizer/Tokenizer.h"

#include <string>

namespace lucent {

/// @brief Feed ids one at a time; get back only complete characters.
class StreamingDetokenizer {
public:
    explicit StreamingDetokenizer(const Tokenizer& tokenizer, bool renderSpecial = false)
        : tokenizer_(&tokenizer), renderSpecial_(renderSpecial) {}

    /// @brief The text that became complete with this token (possibly empty).
    std::string push(int32_t id);
    /// @brief What is left at the end; bytes that never formed a character become U+FFFD.
    std::string finish();

private:
    const Tokenizer* tokenizer_;
    bool renderSpecial_;
    std::string pending_;
};

} // namespace lucent
