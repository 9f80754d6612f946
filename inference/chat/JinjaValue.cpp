#include "inference/chat/JinjaValue.h"

#include "inference/chat/JsString.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lucent::jinja {

const Value* Object::find(std::string_view key) const {
    for (const auto& [k, v] : entries)
        if (k == key) return &v;
    return nullptr;
}

void Object::set(const std::string& key, Value value) {
    for (auto& [k, v] : entries)
        if (k == key) {
            v = std::move(value);
            return;
        }
    entries.emplace_back(key, std::move(value));
}

const void* Value::identity() const {
    if (isArray()) return &asArray();
    if (std::holds_alternative<std::shared_ptr<Object>>(data_)) return &asObject();
    if (isFunction()) return &asFunction();
    return nullptr;
}

bool Value::truthy() const {
    if (isUndefined() || isNone()) return false;
    if (isBool()) return asBool();
    if (isInt()) return asInt() != 0;
    if (isFloat()) return std::get<double>(data_) != 0.0;
    if (isString()) return !asString().empty();
    if (isArray()) return !asArray().empty();
    if (isObject()) return !asObject().entries.empty();
    return true; // namespaces and functions
}

std::string Value::typeName() const {
    if (isUndefined()) return "undefined";
    if (isNone()) return "none";
    if (isBool()) return "boolean";
    if (isInt()) return "integer";
    if (isFloat()) return "float";
    if (isString()) return "string";
    if (isArray()) return "list";
    if (isNamespace()) return "namespace";
    if (isObject()) return "dict";
    return "function";
}

Value CallArguments::get(size_t index, std::string_view name) const {
    if (index < positional.size()) return positional[index];
    return keyword(name);
}

Value CallArguments::keyword(std::string_view name) const {
    for (const auto& [key, value] : keywords)
        if (key == name) return value;
    return {};
}

namespace {

std::string jsonString(const std::string& text, bool ensureAscii) {
    std::string out = "\"";
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char escape[8];
                std::snprintf(escape, sizeof escape, "\\u%04x", c);
                out += escape;
            } else if (c >= 0x80 && ensureAscii) {
                // Decode one UTF-8 character and write it as \uXXXX (UTF-16, with surrogates).
                uint32_t cp = c & (c >= 0xf0 ? 0x07 : c >= 0xe0 ? 0x0f : 0x1f);
                const int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
                for (int k = 0; k < extra && i + 1 < text.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[++i]) & 0x3f);
                char escape[16];
                if (cp >= 0x10000) {
                    cp -= 0x10000;
                    std::snprintf(escape, sizeof escape, "\\u%04x\\u%04x", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
                } else {
                    std::snprintf(escape, sizeof escape, "\\u%04x", cp);
                }
                out += escape;
            } else if (c == 0x7f && ensureAscii) {
                out += "\\u007f";
            } else {
                out.push_back(char(c));
            }
        }
    }
    return out + "\"";
}

} // namespace

std::string toJson(const Value& value, const JsonFormat& format, int depth) {
    if (value.isUndefined()) return format.undefinedAsNull ? "null" : "undefined";
    if (value.isNone()) return "null";
    if (value.isBool()) return value.asBool() ? "true" : "false";
    if (value.isInt()) return std::to_string(value.asInt());
    if (value.isFloat()) {
        const double d = value.asNumber();
        return std::isfinite(d) ? jsNumberToString(d) : "null";
    }
    if (value.isString()) return jsonString(value.asString(), format.ensureAscii);
    if (value.isFunction()) return "null";
    const int indent = format.indent;
    const std::string itemSeparator = !format.itemSeparator.empty() ? format.itemSeparator : indent ? "," : ", ";
    const std::string keySeparator = !format.keySeparator.empty() ? format.keySeparator : ": ";
    const std::string pad = "\n" + std::string(size_t(std::max(indent, 0) * depth), ' ');
    const std::string childPad = pad + std::string(size_t(std::max(indent, 0)), ' ');
    std::vector<std::string> parts;
    if (value.isArray()) {
        for (const auto& item : value.asArray()) parts.push_back(toJson(item, format, depth + 1));
    } else {
        auto entries = value.asObject().entries;
        if (format.sortKeys)
            std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [key, item] : entries)
            parts.push_back((indent ? childPad : "") + jsonString(key, format.ensureAscii) + keySeparator + toJson(item, format, depth + 1));
    }
    const char open = value.isArray() ? '[' : '{', close = value.isArray() ? ']' : '}';
    std::string out(1, open);
    if (indent && !parts.empty()) {
        for (size_t i = 0; i < parts.size(); ++i)
            out += (i ? itemSeparator : "") + (value.isArray() ? childPad : "") + parts[i];
        return out + pad + close;
    }
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? itemSeparator : "") + parts[i];
    return out + close;
}

std::string toDisplayString(const Value& value) {
    if (value.isUndefined() || value.isNone()) return ""; // printing nothing, as the reference does
    if (value.isBool()) return value.asBool() ? "true" : "false";
    if (value.isInt()) return std::to_string(value.asInt());
    if (value.isFloat()) {
        const double d = value.asNumber();
        if (d == 0 && std::signbit(d)) return "-0.0";
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e21) {
            char buffer[400];
            std::snprintf(buffer, sizeof buffer, "%.1f", d);
            return buffer;
        }
        return jsNumberToString(d);
    }
    if (value.isString()) return value.asString();
    if (value.isFunction()) return "[function]";
    JsonFormat format;
    format.undefinedAsNull = false;
    return toJson(value, format);
}

namespace {
// JavaScript's ToNumber for a string: surrounding whitespace ignored, "" is 0, junk is NaN.
double stringToNumber(const std::string& text) {
    const std::string trimmed = jsTrim(text);
    if (trimmed.empty()) return 0.0;
    char* end = nullptr;
    const double value = std::strtod(trimmed.c_str(), &end);
    return end == trimmed.c_str() + trimmed.size() ? value : NAN;
}
} // namespace

bool looselyEqual(const Value& a, const Value& b) {
    const bool aNullish = a.isNone() || a.isUndefined(), bNullish = b.isNone() || b.isUndefined();
    if (aNullish || bNullish) return aNullish && bNullish;
    if (a.isString() && b.isString()) return a.asString() == b.asString();
    const bool aNumeric = a.isNumber() || a.isBool(), bNumeric = b.isNumber() || b.isBool();
    if (aNumeric && bNumeric) return a.asNumber() == b.asNumber();
    if (aNumeric && b.isString()) return a.asNumber() == stringToNumber(b.asString());
    if (a.isString() && bNumeric) return stringToNumber(a.asString()) == b.asNumber();
    if (a.identity() && b.identity()) return a.identity() == b.identity();
    return false;
}

bool strictlyEqual(const Value& a, const Value& b) {
    if (a.isUndefined() || b.isUndefined()) return a.isUndefined() && b.isUndefined();
    if (a.isNone() || b.isNone()) return a.isNone() && b.isNone();
    if (a.isBool() || b.isBool()) return a.isBool() && b.isBool() && a.asBool() == b.asBool();
    if (a.isNumber() || b.isNumber()) return a.isNumber() && b.isNumber() && a.asNumber() == b.asNumber();
    if (a.isString() || b.isString()) return a.isString() && b.isString() && a.asString() == b.asString();
    return a.identity() == b.identity();
}

} // namespace lucent::jinja
