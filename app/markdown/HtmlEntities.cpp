#include "app/markdown/HtmlEntities.h"

#include <QHash>

namespace lucent::app {
namespace {

// The named references answers actually contain: markup escapes, typography, arrows, maths and
// currency. HTML's full list has over 2,000 names; one this table lacks is shown as written.
const QHash<QString, char32_t>& names() {
    static const QHash<QString, char32_t> map = {
        {"amp", U'&'},       {"lt", U'<'},         {"gt", U'>'},         {"quot", U'"'},      {"apos", U'\''},
        {"nbsp", 0xA0},      {"ensp", 0x2002},     {"emsp", 0x2003},     {"thinsp", 0x2009},  {"shy", 0xAD},
        {"copy", 0xA9},      {"reg", 0xAE},        {"trade", 0x2122},    {"deg", 0xB0},       {"para", 0xB6},
        {"sect", 0xA7},      {"middot", 0xB7},     {"bull", 0x2022},     {"hellip", 0x2026},  {"mdash", 0x2014},
        {"ndash", 0x2013},   {"lsquo", 0x2018},    {"rsquo", 0x2019},    {"ldquo", 0x201C},   {"rdquo", 0x201D},
        {"laquo", 0xAB},     {"raquo", 0xBB},      {"dagger", 0x2020},   {"prime", 0x2032},   {"times", 0xD7},
        {"divide", 0xF7},    {"plusmn", 0xB1},     {"minus", 0x2212},    {"le", 0x2264},      {"ge", 0x2265},
        {"ne", 0x2260},      {"asymp", 0x2248},    {"equiv", 0x2261},    {"infin", 0x221E},   {"sum", 0x2211},
        {"prod", 0x220F},    {"radic", 0x221A},    {"part", 0x2202},     {"nabla", 0x2207},   {"isin", 0x2208},
        {"forall", 0x2200},  {"exist", 0x2203},    {"empty", 0x2205},    {"cap", 0x2229},     {"cup", 0x222A},
        {"and", 0x2227},     {"or", 0x2228},       {"not", 0xAC},        {"sup2", 0xB2},      {"sup3", 0xB3},
        {"frac12", 0xBD},    {"frac14", 0xBC},     {"frac34", 0xBE},     {"micro", 0xB5},     {"alpha", 0x3B1},
        {"beta", 0x3B2},     {"gamma", 0x3B3},     {"delta", 0x3B4},     {"epsilon", 0x3B5},  {"lambda", 0x3BB},
        {"mu", 0x3BC},       {"pi", 0x3C0},        {"sigma", 0x3C3},     {"theta", 0x3B8},    {"omega", 0x3C9},
        {"Delta", 0x394},    {"Sigma", 0x3A3},     {"Omega", 0x3A9},     {"larr", 0x2190},    {"rarr", 0x2192},
        {"uarr", 0x2191},    {"darr", 0x2193},     {"harr", 0x2194},     {"lArr", 0x21D0},    {"rArr", 0x21D2},
        {"hArr", 0x21D4},    {"euro", 0x20AC},     {"pound", 0xA3},      {"yen", 0xA5},       {"cent", 0xA2},
        {"check", 0x2713},   {"star", 0x2606},     {"hearts", 0x2665},   {"iexcl", 0xA1},     {"iquest", 0xBF},
        {"auml", 0xE4},      {"ouml", 0xF6},       {"uuml", 0xFC},       {"Auml", 0xC4},      {"Ouml", 0xD6},
        {"Uuml", 0xDC},      {"szlig", 0xDF},      {"eacute", 0xE9},     {"egrave", 0xE8},    {"agrave", 0xE0},
        {"ccedil", 0xE7},    {"ntilde", 0xF1},     {"zwj", 0x200D},      {"zwnj", 0x200C},    {"lrm", 0x200E},
        {"rlm", 0x200F},
    };
    return map;
}

QString fromCodePoint(char32_t c) {
    // NUL, surrogates and values past Unicode are not characters: the replacement character stands in.
    if (c == 0 || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) c = 0xFFFD;
    return QString::fromUcs4(&c, 1);
}

} // namespace

QString decodeEntity(const QString& entity) {
    if (entity.size() < 3 || !entity.startsWith('&') || !entity.endsWith(';')) return {};
    const QStringView body = QStringView(entity).mid(1, entity.size() - 2);
    if (body.startsWith('#')) {
        const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
        const QStringView digits = body.mid(hex ? 2 : 1);
        if (digits.isEmpty() || digits.size() > 8) return fromCodePoint(0xFFFD);
        bool ok = false;
        const uint value = digits.toUInt(&ok, hex ? 16 : 10);
        return fromCodePoint(ok ? char32_t(value) : 0xFFFD);
    }
    const auto it = names().constFind(body.toString());
    return it == names().cend() ? QString() : fromCodePoint(*it);
}

} // namespace lucent::app
