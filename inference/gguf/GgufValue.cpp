#include "inference/gguf/GgufValue.h"

#include <limits>

namespace lucent {

std::string_view ggufTypeName(GgufType type) {
    switch (type) {
    case GgufType::U8: return "u8";
    case GgufType::I8: return "i8";
    case GgufType::U16: return "u16";
    case GgufType::I16: return "i16";
    case GgufType::U32: return "u32";
    case GgufType::I32: return "i32";
    case GgufType::F32: return "f32";
    case GgufType::Bool: return "bool";
    case GgufType::String: return "string";
    case GgufType::Array: return "array";
    case GgufType::U64: return "u64";
    case GgufType::I64: return "i64";
    case GgufType::F64: return "f64";
    }
    return "unknown";
}

bool isIntegerType(GgufType type) {
    switch (type) {
    case GgufType::U8: case GgufType::I8: case GgufType::U16: case GgufType::I16:
    case GgufType::U32: case GgufType::I32: case GgufType::U64: case GgufType::I64:
        return true;
    default:
        return false;
    }
}

GgufValue GgufValue::unsignedInt(GgufType type, uint64_t value) {
    GgufValue v;
    v.type_ = type;
    v.data_ = value;
    return v;
}

GgufValue GgufValue::signedInt(GgufType type, int64_t value) {
    GgufValue v;
    v.type_ = type;
    v.data_ = value;
    return v;
}

GgufValue GgufValue::floating(GgufType type, double value) {
    GgufValue v;
    v.type_ = type;
    v.data_ = value;
    return v;
}

GgufValue GgufValue::boolean(bool value) {
    GgufValue v;
    v.type_ = GgufType::Bool;
    v.data_ = value;
    return v;
}

GgufValue GgufValue::string(std::string value) {
    GgufValue v;
    v.type_ = GgufType::String;
    v.data_ = std::move(value);
    return v;
}

GgufValue GgufValue::array(GgufType elementType, Array elements) {
    GgufValue v;
    v.type_ = GgufType::Array;
    v.elementType_ = elementType;
    v.data_ = std::move(elements);
    return v;
}

std::optional<uint64_t> GgufValue::asUInt() const {
    if (const auto* u = std::get_if<uint64_t>(&data_)) return *u;
    if (const auto* i = std::get_if<int64_t>(&data_); i && *i >= 0) return static_cast<uint64_t>(*i);
    return std::nullopt;
}

std::optional<int64_t> GgufValue::asInt() const {
    if (const auto* i = std::get_if<int64_t>(&data_)) return *i;
    if (const auto* u = std::get_if<uint64_t>(&data_);
        u && *u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return static_cast<int64_t>(*u);
    return std::nullopt;
}

std::optional<double> GgufValue::asFloat() const {
    if (const auto* d = std::get_if<double>(&data_)) return *d;
    if (const auto* u = std::get_if<uint64_t>(&data_)) return static_cast<double>(*u);
    if (const auto* i = std::get_if<int64_t>(&data_)) return static_cast<double>(*i);
    return std::nullopt;
}

std::optional<bool> GgufValue::asBool() const {
    if (const auto* b = std::get_if<bool>(&data_)) return *b;
    return std::nullopt;
}

std::optional<std::string_view> GgufValue::asString() const {
    if (const auto* s = std::get_if<std::string>(&data_)) return std::string_view(*s);
    return std::nullopt;
}

const GgufValue::Array* GgufValue::asArray() const { return std::get_if<Array>(&data_); }

} // namespace lucent
