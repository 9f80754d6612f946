#pragma once
/// @file
/// @brief JSON text → template values, as the reference receives them from JSON.parse.

#include "inference/chat/JinjaValue.h"
#include "inference/core/Expected.h"

#include <nlohmann/json_fwd.hpp>

#include <string_view>

namespace lucent::jinja {

/// @brief Parses JSON text into values; numbers with an integral value become integers (JavaScript
/// has no 1.0), objects keep their key order.
Expected<Value> valueFromJson(std::string_view json);
/// @brief The same for an already parsed document.
Expected<Value> valueFromJson(const nlohmann::ordered_json& json);

} // namespace lucent::jinja
