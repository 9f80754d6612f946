#include "inference/tokenizer/Tokenizer.h"

#include "inference/tokenizer/ByteLevel.h"
#include "inference/tokenizer/Utf8.h"

namespace lucent {
namespace {

// Hugging Face tokenizers of these families NFC-normalize their input (tokenizer.json
// "normalizer": NFC); llama.cpp skips it, but the models were trained on normalized text.
bool usesNfc(std::string_view pre) { return pre == "qwen2" || pre == "deepseek-r1-qwen"; }

// Llama 3's tokenizer.json sets "ignore_merges": a pre-token already in the vocabulary is one token.
bool ignoresMerges(std::string_view pre) { return pre == "llama-bpe" || pre == "llama3"; }

} // namespace

Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Expected<Tokenizer> Tokenizer::create(VocabularyData data) {
    auto vocabulary = Vocabulary::create(std::move(data));
    if (!vocabulary) return fail(vocabulary.error());
    Tokenizer tokenizer;
    tokenizer.vocabulary_ = std::make_unique<Vocabulary>(std::move(*vocabulary));
    for (const int32_t id : tokenizer.vocabulary_->addedTokens())
        tokenizer.addedFirstBytes_[static_cast<unsigned char>(tokenizer.vocabulary_->text(id)[0])] = true;
    const auto& d = tokenizer.vocabulary_->data();
    if (d.model == "gpt2") {
        auto pre = PreTokenizer::forName(d.pre);
        if (!pre) return fail(pre.error());
        tokenizer.preTokenizer_ = std::move(*pre);
        tokenizer.bpe_ = std::make_unique<BpeModel>(*tokenizer.vocabulary_, ignoresMerges(d.pre));
        tokenizer.nfc_ = usesNfc(d.pre);
    } else {
        tokenizer.spm_ = std::make_unique<SpmModel>(*tokenizer.vocabulary_);
    }
    return tokenizer;
}

void Tokenizer::encodeFragment(std::string_view text, bool atStart, std::vector<int32_t>& out) const {
    if (text.empty()) return;
    if (spm_) {
        spm_->encode(text, atStart, out);
        return;
    }
    const std::string normalized = nfc_ ? normalizeNfc(text) : std::string(text);
    for (const auto piece : preTokenizer_->split(normalized)) bpe_->encode(bytesToSymbols(piece), out);
}

std::vector<int32_t> Tokenizer::tokenize(std::string_view input, TokenizeOptions options) const {
    const std::string text = repairUtf8(input);
    const auto& v = *vocabulary_;
    std::vector<int32_t> ids;
    if (options.addBos && v.data().bos) ids.push_back(*v.data().bos);

    // Added tokens are cut out first (leftmost, longest match); user-defined ones always,
    // control tokens only when parsing special text — as llama.cpp does.
    size_t fragmentStart = 0;
    bool atStart = true;
    for (size_t i = 0; i < text.size();) {
        std::optional<int32_t> match;
        if (!addedFirstBytes_[static_cast<unsigned char>(text[i])]) {
            ++i;
            continue;
        }
        for (const int32_t id : v.addedTokens()) {
            if (!options.parseSpecial && v.kind(id) == TokenKind::Control) continue;
            const std::string& token = v.text(id);
            if (text.compare(i, token.size(), token) == 0) {
                match = id;
                break; // longest first
            }
        }
        if (!match) {
            ++i;
            continue;
        }
        encodeFragment(std::string_view(text).substr(fragmentStart, i - fragmentStart), atStart, ids);
        ids.push_back(*match);
        i += v.text(*match).size();
        fragmentStart = i;
        atStart = false;
    }
    encodeFragment(std::string_view(text).substr(fragmentStart), atStart, ids);
    return ids;
}

std::string Tokenizer::tokenToPiece(int32_t id, bool renderSpecial) const {
    const auto& v = *vocabulary_;
    if (id < 0 || size_t(id) >= v.size()) return {};
    const std::string& text = v.text(id);
    switch (v.kind(id)) {
    case TokenKind::Control: return renderSpecial ? text : std::string();
    case TokenKind::Unused: return {};
    case TokenKind::UserDefined: return text; // stored as plain text, not byte-mapped
    case TokenKind::Byte:
        if (text.size() == 6 && text.starts_with("<0x")) return std::string(1, char(std::stoi(text.substr(3, 2), nullptr, 16)));
        return text;
    default: break;
    }
    if (spm_) {
        std::string out;
        for (size_t i = 0; i < text.size();) {
            if (text.compare(i, 3, "\xe2\x96\x81") == 0) {
                out.push_back(' ');
                i += 3;
            } else {
                out.push_back(text[i++]);
            }
        }
        return out;
    }
    return symbolsToBytes(text).value_or(text);
}

std::string Tokenizer::detokenize(std::span<const int32_t> ids, bool renderSpecial) const {
    std::string out;
    for (const int32_t id : ids) out += tokenToPiece(id, renderSpecial);
    return repairUtf8(out);
}

} // namespace lucent
