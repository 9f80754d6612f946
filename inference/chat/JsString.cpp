#include "inference/chat/JsString.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace lucent::jinja {
namespace {

// Decodes the code point at text[i] and advances i; invalid bytes decode as U+FFFD (the input
// comes from JSON or template text, which is valid UTF-8 in practice).
char32_t decode(std::string_view text, size_t& i) {
    const auto lead = static_cast<unsigned char>(text[i++]);
    if (lead < 0x80) return lead;
    const int extra = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : -1;
    if (extra < 0) return 0xfffd;
    char32_t cp = lead & (0x3f >> extra);
    for (int k = 0; k < extra; ++k) {
        if (i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) return 0xfffd;
        cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3f);
    }
    return cp;
}

void encode(char32_t cp, std::string& out) {
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate is written as U+FFFD
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xc0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xe0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    } else {
        out.push_back(char(0xf0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3f)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    }
}

std::u16string toUtf16(std::string_view text) {
    std::u16string out;
    for (size_t i = 0; i < text.size();) {
        const char32_t cp = decode(text, i);
        if (cp >= 0x10000) {
            out.push_back(char16_t(0xd800 + ((cp - 0x10000) >> 10)));
            out.push_back(char16_t(0xdc00 + ((cp - 0x10000) & 0x3ff)));
        } else {
            out.push_back(char16_t(cp));
        }
    }
    return out;
}

std::string fromUtf16(const std::u16string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        char32_t cp = text[i];
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.size() && text[i + 1] >= 0xdc00 && text[i + 1] <= 0xdfff)
            cp = 0x10000 + ((cp - 0xd800) << 10) + (text[++i] - 0xdc00);
        encode(cp, out);
    }
    return out;
}

std::string icuCase(std::string_view text, bool upper) {
    auto unicode = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    if (upper) unicode.toUpper(icu::Locale::getRoot());
    else unicode.toLower(icu::Locale::getRoot());
    std::string out;
    unicode.toUTF8String(out);
    return out;
}

bool isAsciiWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

} // namespace

size_t utf16Length(std::string_view text) {
    size_t units = 0;
    for (size_t i = 0; i < text.size();) units += decode(text, i) >= 0x10000 ? 2 : 1;
    return units;
}

std::string utf16At(std::string_view text, long long index, bool& found) {
    const std::u16string units = toUtf16(text);
    const long long n = static_cast<long long>(units.size());
    if (index < 0) index += n;
    found = index >= 0 && index < n;
    if (!found) return {};
    std::string out;
    encode(units[size_t(index)], out);
    return out;
}

std::vector<std::string> codePoints(std::string_view text) {
    std::vector<std::string> out;
    for (size_t i = 0; i < text.size();) {
        const size_t start = i;
        decode(text, i);
        out.emplace_back(text.substr(start, i - start));
    }
    return out;
}

bool isJsWhitespace(char32_t c) {
    switch (c) {
    case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x20: case 0xa0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000: case 0xfeff:
        return true;
    default:
        return c >= 0x2000 && c <= 0x200a;
    }
}

std::string jsTrimStart(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
        size_t next = i;
        if (!isJsWhitespace(decode(text, next))) break;
        i = next;
    }
    return std::string(text.substr(i));
}

std::string jsTrimEnd(std::string_view text) {
    size_t keep = 0; // end of the last non-whitespace code point
    for (size_t i = 0; i < text.size();)
        if (!isJsWhitespace(decode(text, i))) keep = i;
    return std::string(text.substr(0, keep));
}

std::string jsTrim(std::string_view text) { return jsTrimEnd(jsTrimStart(text)); }

std::vector<std::string_view> jsWords(std::string_view text) {
    std::vector<std::string_view> words;
    size_t wordStart = std::string_view::npos;
    for (size_t i = 0; i < text.size();) {
        const size_t start = i;
        const bool space = isJsWhitespace(decode(text, i));
        if (!space && wordStart == std::string_view::npos) wordStart = start;
        if (space && wordStart != std::string_view::npos) {
            words.push_back(text.substr(wordStart, start - wordStart));
            wordStart = std::string_view::npos;
        }
    }
    if (wordStart != std::string_view::npos) words.push_back(text.substr(wordStart));
    return words;
}

std::string jsUpper(std::string_view text) { return icuCase(text, true); }
std::string jsLower(std::string_view text) { return icuCase(text, false); }

std::string jsTitle(std::string_view text) {
    std::string out(text);
    for (size_t i = 0; i < out.size(); ++i)
        if (isAsciiWordChar(out[i]) && (i == 0 || !isAsciiWordChar(out[i - 1])) && out[i] >= 'a' && out[i] <= 'z')
            out[i] = char(out[i] - 'a' + 'A');
    return out;
}

std::string jsCapitalize(std::string_view text) {
    if (text.empty()) return {};
    const std::u16string units = toUtf16(text);
    if (units[0] >= 0xd800 && units[0] <= 0xdfff) return std::string(text); // no case outside the BMP here
    std::string head;
    encode(units[0], head);
    return jsUpper(head) + fromUtf16(units.substr(1));
}

std::string jsNumberToString(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    if (value == 0) return "0";
    // Shortest digits that read back as the same double.
    char buffer[40];
    int precision = 1;
    for (; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*e", precision - 1, value);
        if (std::strtod(buffer, nullptr) == value) break;
    }
    std::string text = buffer;
    const bool negative = text[0] == '-';
    if (negative) text.erase(0, 1);
    const size_t e = text.find('e');
    std::string digits = text.substr(0, e);
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    const int k = int(digits.size());
    const int n = std::atoi(text.c_str() + e + 1) + 1; // value = 0.digits × 10^n
    std::string out;
    if (k <= n && n <= 21) {
        out = digits + std::string(size_t(n - k), '0');
    } else if (0 < n && n <= 21) {
        out = digits.substr(0, size_t(n)) + "." + digits.substr(size_t(n));
    } else if (-6 < n && n <= 0) {
        out = "0." + std::string(size_t(-n), '0') + digits;
    } else {
        const int exponent = n - 1;
        out = digits.substr(0, 1) + (k > 1 ? "." + digits.substr(1) : "") + "e" + (exponent < 0 ? "-" : "+") +
              std::to_string(std::abs(exponent));
    }
    return negative ? "-" + out : out;
}

bool jsParseInt(std::string_view text, double& out) {
    const std::string trimmed = jsTrimStart(text);
    size_t i = 0;
    bool negative = false;
    if (i < trimmed.size() && (trimmed[i] == '+' || trimmed[i] == '-')) negative = trimmed[i++] == '-';
    double value = 0;
    const size_t digitsStart = i;
    while (i < trimmed.size() && trimmed[i] >= '0' && trimmed[i] <= '9') value = value * 10 + (trimmed[i++] - '0');
    if (i == digitsStart) return false;
    out = negative ? -value : value;
    return true;
}

bool jsParseFloat(std::string_view text, double& out) {
    const std::string trimmed = jsTrimStart(text);
    // The longest prefix that is a decimal literal (or Infinity), as parseFloat takes it.
    size_t i = 0;
    if (i < trimmed.size() && (trimmed[i] == '+' || trimmed[i] == '-')) ++i;
    if (trimmed.compare(i, 8, "Infinity") == 0) {
        out = trimmed[0] == '-' ? -INFINITY : INFINITY;
        return true;
    }
    size_t digits = 0;
    while (i < trimmed.size() && std::isdigit(static_cast<unsigned char>(trimmed[i]))) ++i, ++digits;
    if (i < trimmed.size() && trimmed[i] == '.') {
        ++i;
        while (i < trimmed.size() && std::isdigit(static_cast<unsigned char>(trimmed[i]))) ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < trimmed.size() && (trimmed[i] == 'e' || trimmed[i] == 'E')) {
        size_t j = i + 1;
        if (j < trimmed.size() && (trimmed[j] == '+' || trimmed[j] == '-')) ++j;
        if (j < trimmed.size() && std::isdigit(static_cast<unsigned char>(trimmed[j]))) {
            while (j < trimmed.size() && std::isdigit(static_cast<unsigned char>(trimmed[j]))) ++j;
            i = j;
        }
    }
    out = std::strtod(trimmed.substr(0, i).c_str(), nullptr);
    return true;
}

} // namespace lucent::jinja
