#include "inference/tokenizer/ByteLevel.h"

#include <array>
#include <unordered_map>

namespace lucent {
namespace {

// Printable bytes stand for themselves; the other 68 bytes are shifted to U+0100 onwards, in
// byte order — GPT-2's bytes_to_unicode.
struct ByteMap {
    std::array<std::string, 256> symbol;
    std::unordered_map<uint32_t, uint8_t> byteOf;
    ByteMap() {
        uint32_t next = 256;
        for (uint32_t b = 0; b < 256; ++b) {
            const bool printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae);
            const uint32_t cp = printable ? b : next++;
            std::string utf8;
            if (cp < 0x80) utf8.push_back(char(cp));
            else {
                utf8.push_back(char(0xc0 | (cp >> 6)));
                utf8.push_back(char(0x80 | (cp & 0x3f)));
            }
            symbol[b] = utf8;
            byteOf[cp] = uint8_t(b);
        }
    }
};

const ByteMap& byteMap() {
    static const ByteMap map;
    return map;
}

} // namespace

std::string bytesToSymbols(std::string_view bytes) {
    const auto& map = byteMap();
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) out += map.symbol[b];
    return out;
}

std::optional<std::string> symbolsToBytes(std::string_view symbols) {
    const auto& map = byteMap();
    std::string out;
    out.reserve(symbols.size());
    for (size_t i = 0; i < symbols.size();) {
        const auto c = static_cast<unsigned char>(symbols[i]);
        uint32_t cp;
        if (c < 0x80) {
            cp = c;
            i += 1;
        } else if ((c & 0xe0) == 0xc0 && i + 1 < symbols.size()) {
            cp = uint32_t(c & 0x1f) << 6 | (static_cast<unsigned char>(symbols[i + 1]) & 0x3f);
            i += 2;
        } else {
            return std::nullopt; // 3- and 4-byte characters never stand for a byte
        }
        const auto it = map.byteOf.find(cp);
        if (it == map.byteOf.end()) return std::nullopt;
        out.push_back(char(it->second));
    }
    return out;
}

} // namespace lucent
