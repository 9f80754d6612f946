#include "storage/SearchTokenizer.h"

#include "storage/Database.h"

#include <new>
#include <string>
#include <string_view>
#include <sqlite3.h>

namespace lucent {
namespace {

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

/// Our tokenizer object: unicode61, created with the same arguments, does the real work.
struct WordsTokenizer {
    fts5_tokenizer unicode61;
    Fts5Tokenizer* inner;
};

/// Forwards unicode61's tokens of one stretch of text, moving offsets back to the whole text.
struct ShiftedSink {
    void* context;
    TokenCallback emit;
    int offset;
};

/// unicode61's remove_diacritics only knows Latin letters. Greek accents and dialytika, the final
/// sigma and Russian ё are folded here, so "ελληνικα" finds "Ελληνικά" and "еж" finds "ёж".
/// Every pair is two UTF-8 bytes on both sides, so the token keeps its length.
char32_t foldBeyondLatin(char32_t c) {
    switch (c) {
    case 0x03AC: return 0x03B1; // ά → α
    case 0x03AD: return 0x03B5; // έ → ε
    case 0x03AE: return 0x03B7; // ή → η
    case 0x03AF: case 0x0390: case 0x03CA: return 0x03B9; // ί ΐ ϊ → ι
    case 0x03CC: return 0x03BF; // ό → ο
    case 0x03CD: case 0x03B0: case 0x03CB: return 0x03C5; // ύ ΰ ϋ → υ
    case 0x03CE: return 0x03C9; // ώ → ω
    case 0x03C2: return 0x03C3; // ς → σ
    case 0x0451: return 0x0435; // ё → е
    default: return c;
    }
}

int forwardShifted(void* sink, int flags, const char* token, int size, int start, int end) {
    auto* shifted = static_cast<ShiftedSink*>(sink);
    const std::string_view text(token, static_cast<std::size_t>(size));
    if (text.find_first_of("\xCE\xCF\xD1") == std::string_view::npos) // the common case: no copy
        return shifted->emit(shifted->context, flags, token, size, start + shifted->offset,
                             end + shifted->offset);
    std::string folded(text);
    for (std::size_t i = 0; i + 1 < folded.size(); ++i) {
        const auto lead = static_cast<unsigned char>(folded[i]);
        if (lead != 0xCE && lead != 0xCF && lead != 0xD1) continue; // Greek and Cyrillic ё
        const char32_t c = (char32_t(lead & 0x1F) << 6) | (static_cast<unsigned char>(folded[i + 1]) & 0x3F);
        const char32_t base = foldBeyondLatin(c);
        folded[i] = static_cast<char>(0xC0 | (base >> 6));
        folded[i + 1] = static_cast<char>(0x80 | (base & 0x3F));
        ++i;
    }
    return shifted->emit(shifted->context, flags, folded.data(), size, start + shifted->offset,
                         end + shifted->offset);
}

/// Decodes the UTF-8 sequence at `text`; a malformed byte counts as one non-letter byte.
char32_t decodeUtf8(const unsigned char* text, int available, int& length) {
    const unsigned char lead = text[0];
    length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || length > available) {
        length = 1;
        return 0xFFFD;
    }
    if (length == 1) return lead;
    char32_t codePoint = lead & (0x7F >> length);
    for (int i = 1; i < length; ++i) {
        if ((text[i] & 0xC0) != 0x80) {
            length = 1;
            return 0xFFFD;
        }
        codePoint = (codePoint << 6) | (text[i] & 0x3F);
    }
    return codePoint;
}

int createWords(void* api, const char** arguments, int argumentCount, Fts5Tokenizer** out) {
    auto* fts5 = static_cast<fts5_api*>(api);
    void* unicodeContext = nullptr;
    fts5_tokenizer unicode61{};
    if (int rc = fts5->xFindTokenizer(fts5, "unicode61", &unicodeContext, &unicode61); rc != SQLITE_OK)
        return rc;
    Fts5Tokenizer* inner = nullptr;
    if (int rc = unicode61.xCreate(unicodeContext, arguments, argumentCount, &inner); rc != SQLITE_OK)
        return rc;
    auto* words = new (std::nothrow) WordsTokenizer{unicode61, inner};
    if (!words) {
        unicode61.xDelete(inner);
        return SQLITE_NOMEM;
    }
    *out = reinterpret_cast<Fts5Tokenizer*>(words);
    return SQLITE_OK;
}

void deleteWords(Fts5Tokenizer* tokenizer) {
    auto* words = reinterpret_cast<WordsTokenizer*>(tokenizer);
    words->unicode61.xDelete(words->inner);
    delete words;
}

int tokenizeWords(Fts5Tokenizer* tokenizer, void* context, int flags, const char* text, int size,
                  TokenCallback emit) {
    auto* words = reinterpret_cast<WordsTokenizer*>(tokenizer);
    const auto* bytes = reinterpret_cast<const unsigned char*>(text);
    auto flushSpaced = [&](int begin, int end) {
        if (begin == end) return SQLITE_OK;
        ShiftedSink sink{context, emit, begin};
        return words->unicode61.xTokenize(words->inner, &sink, flags, text + begin, end - begin,
                                          forwardShifted);
    };
    int stretchStart = 0;
    for (int position = 0; position < size;) {
        int length = 1;
        const char32_t codePoint = decodeUtf8(bytes + position, size - position, length);
        if (isIndexedPerCharacter(codePoint)) {
            if (int rc = flushSpaced(stretchStart, position); rc != SQLITE_OK) return rc;
            if (int rc = emit(context, 0, text + position, length, position, position + length);
                rc != SQLITE_OK)
                return rc;
            stretchStart = position + length;
        }
        position += length;
    }
    return flushSpaced(stretchStart, size);
}

} // namespace

bool isIndexedPerCharacter(char32_t c) {
    return (c >= 0x0E00 && c <= 0x0EFF)      // Thai, Lao
           || (c >= 0x1000 && c <= 0x109F)   // Myanmar
           || (c >= 0x1780 && c <= 0x17FF)   // Khmer
           || (c >= 0x3040 && c <= 0x30FF)   // Hiragana, Katakana
           || (c >= 0x3100 && c <= 0x312F)   // Bopomofo
           || (c >= 0x3400 && c <= 0x4DBF)   // CJK Extension A
           || (c >= 0x4E00 && c <= 0x9FFF)   // CJK Unified Ideographs
           || (c >= 0xAC00 && c <= 0xD7AF)   // Hangul syllables
           || (c >= 0xF900 && c <= 0xFAFF)   // CJK Compatibility Ideographs
           || (c >= 0xFF66 && c <= 0xFF9F)   // half-width Katakana
           || (c >= 0x20000 && c <= 0x3FFFF); // CJK Extensions B and later
}

Expected<void> registerSearchTokenizer(Database& db) {
    // FTS5 hands out its API through a pointer-typed SQL value (see "Extending FTS5").
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &statement, nullptr) != SQLITE_OK) {
        sqlite3_finalize(statement);
        return fail(Error{"This SQLite library lacks full-text search (FTS5), which Lucent needs."});
    }
    fts5_api* api = nullptr;
    sqlite3_bind_pointer(statement, 1, &api, "fts5_api_ptr", nullptr);
    sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (!api) return fail(Error{"This SQLite library lacks full-text search (FTS5), which Lucent needs."});
    static fts5_tokenizer words{createWords, deleteWords, tokenizeWords};
    if (int rc = api->xCreateTokenizer(api, kSearchTokenizerName, api, &words, nullptr); rc != SQLITE_OK)
        return fail(db.errorFor(rc));
    return {};
}

} // namespace lucent
