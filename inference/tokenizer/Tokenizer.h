#pragma once
/// @file
/// @brief Text ↔ token ids for a model's vocabulary: added/special tokens, normalization,
/// pre-tokenization and BPE (byte-level) or SentencePiece, and the inverse.

#include "inference/tokenizer/BpeModel.h"
#include "inference/tokenizer/PreTokenizer.h"
#include "inference/tokenizer/SpmModel.h"
#include "inference/tokenizer/Vocabulary.h"

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lucent {

class GgufFile;

/// @brief How to tokenize.
struct TokenizeOptions {
    bool addBos = false;      ///< prepend BOS (when the vocabulary has one)
    bool parseSpecial = false; ///< control-token text ("<|im_start|>") becomes that token, not plain text
};

/// @brief A ready tokenizer. Heavy to create (indexes the vocabulary), cheap to use; thread-safe.
class Tokenizer {
public:
    static Expected<Tokenizer> create(VocabularyData data);
    /// @brief The tokenizer a GGUF describes (`tokenizer.ggml.*`); errors name what is missing.
    static Expected<Tokenizer> fromGguf(const GgufFile& file);

    Tokenizer(Tokenizer&&) noexcept;
    Tokenizer& operator=(Tokenizer&&) noexcept;
    ~Tokenizer();

    std::vector<int32_t> tokenize(std::string_view text, TokenizeOptions options = {}) const;
    /// @brief The bytes a token stands for (may be part of a UTF-8 character). Control tokens give
    /// their text when `renderSpecial`, else nothing.
    std::string tokenToPiece(int32_t id, bool renderSpecial = true) const;
    /// @brief All pieces joined, invalid UTF-8 replaced by U+FFFD.
    std::string detokenize(std::span<const int32_t> ids, bool renderSpecial = true) const;

    const Vocabulary& vocabulary() const { return *vocabulary_; }
    /// @brief True when the text is NFC-normalized before tokenizing (Qwen's tokenizers do).
    bool normalizesNfc() const { return nfc_; }

private:
    Tokenizer() = default;
    void encodeFragment(std::string_view text, bool atStart, std::vector<int32_t>& out) const;

    std::unique_ptr<Vocabulary> vocabulary_; // stable address for the models
    std::optional<PreTokenizer> preTokenizer_;
    std::unique_ptr<BpeModel> bpe_;
    std::unique_ptr<SpmModel> spm_;
    bool nfc_ = false;
    std::array<bool, 256> addedFirstBytes_{}; // quick skip for bytes no added token starts with
};

} // namespace lucent
