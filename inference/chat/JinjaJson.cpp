#include "inference/chat/JinjaJson.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace lucent::jinja {
namespace {

constexpr int kMaxJsonDepth = 64;

Expected<Value> convert(const nlohmann::ordered_json& json, int depth) {
    if (depth > kMaxJsonDepth) return fail("the JSON nests too deeply (more than 64 levels).");
    switch (json.type()) {
    case nlohmann::ordered_json::value_t::null: return Value(None{});
    case nlohmann::ordered_json::value_t::boolean: return Value(json.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer: return Value(json.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: return Value(int64_t(json.get<uint64_t>()));
    case nlohmann::ordered_json::value_t::number_float: {
        const double d = json.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.007199254740992e15) return Value(int64_t(d));
        return Value(d);
    }
    case nlohmann::ordered_json::value_t::string: return Value(json.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        Array items;
        for (const auto& item : json) {
            auto value = convert(item, depth + 1);
            if (!value) return value;
            items.push_back(std::move(*value));
        }
        return Value::array(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
        auto object = std::make_shared<Object>();
        for (const auto& [key, item] : json.items()) {
            auto value = convert(item, depth + 1);
            if (!value) return value;
            object->set(key, std::move(*value));
        }
        return Value(object);
    }
    default: return fail("a JSON value of an unknown kind.");
    }
}

} // namespace

Expected<Value> valueFromJson(const nlohmann::ordered_json& json) { return convert(json, 0); }

Expected<Value> valueFromJson(std::string_view text) {
    const auto json = nlohmann::ordered_json::parse(text, nullptr, false);
    if (json.is_discarded()) return fail("not valid JSON.");
    return convert(json, 0);
}

} // namespace lucent::jinja
