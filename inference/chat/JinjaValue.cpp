#include "inference/chat/JinjaValue.h"

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
    for (const auto& [key, value] : keywords)
        if (key == name) return value;
    return {};
}

namespace {

// Shortest text that reads back as the same double, like JavaScript's Number#toString.
std::string shortestDouble(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    char buffer[32];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
        if (std::strtod(buffer, nullptr) == value) break;
    }
    std::string text = buffer;
    // %g writes 1e+21 where JavaScript writes 1e+21 too, but 1e-07 where it writes 1e-7.
    if (const auto e = text.find("e"); e != std::string::npos) {
        std::string mantissa = text.substr(0, e), exponent = text.substr(e + 1);
        const char sign = exponent[0];
        exponent = exponent.substr(1);
        while (exponent.size() > 1 && exponent[0] == '0') exponent.erase(0, 1);
        text = mantissa + "e" + sign + exponent;
    }
    return text;
}

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

std::string toJson(const Value& value, int indent, bool ensureAscii, int depth) {
    if (value.isNone() || value.isUndefined()) return "null";
    if (value.isBool()) return value.asBool() ? "true" : "false";
    if (value.isInt()) return std::to_string(value.asInt());
    if (value.isFloat()) {
        const double d = value.asNumber();
        return std::isfinite(d) ? shortestDouble(d) : "null";
    }
    if (value.isString()) return jsonString(value.asString(), ensureAscii);
    const std::string itemSeparator = indent ? "," : ", ";
    const std::string pad = indent ? "\n" + std::string(size_t(indent * depth), ' ') : "";
    const std::string childPad = indent ? pad + std::string(size_t(indent), ' ') : "";
    std::string out;
    if (value.isArray()) {
        const auto& items = value.asArray();
        if (items.empty()) return "[]";
        out = "[";
        for (size_t i = 0; i < items.size(); ++i)
            out += (i ? itemSeparator : "") + childPad + toJson(items[i], indent, ensureAscii, depth + 1);
        return out + pad + "]";
    }
    if (value.isAttributeContainer()) {
        const auto& entries = value.asObject().entries;
        if (entries.empty()) return "{}";
        out = "{";
        for (size_t i = 0; i < entries.size(); ++i)
            out += (i ? itemSeparator : "") + childPad + jsonString(entries[i].first, ensureAscii) + ": " +
                   toJson(entries[i].second, indent, ensureAscii, depth + 1);
        return out + pad + "}";
    }
    return "null";
}

std::string toDisplayString(const Value& value) {
    if (value.isUndefined() || value.isNone()) return ""; // printing nothing, as the reference does
    if (value.isBool()) return value.asBool() ? "true" : "false";
    if (value.isInt()) return std::to_string(value.asInt());
    if (value.isFloat()) {
        const double d = value.asNumber();
        if (d == 0 && std::signbit(d)) return "-0.0";
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e21) {
            char buffer[64];
            std::snprintf(buffer, sizeof buffer, "%.1f", d);
            return buffer;
        }
        return shortestDouble(d);
    }
    if (value.isString()) return value.asString();
    if (value.isFunction()) return "[function]";
    return toJson(value);
}

bool looselyEqual(const Value& a, const Value& b) {
    if ((a.isNone() || a.isUndefined()) && (b.isNone() || b.isUndefined())) return true;
    const bool aNumeric = a.isNumber() || a.isBool(), bNumeric = b.isNumber() || b.isBool();
    if (aNumeric && bNumeric) return a.asNumber() == b.asNumber();
    if (a.isString() && b.isString()) return a.asString() == b.asString();
    if (a.identity() && b.identity()) return a.identity() == b.identity();
    return false;
}

} // namespace lucent::jinja
