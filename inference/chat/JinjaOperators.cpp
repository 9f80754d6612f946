// Binary operators with the reference's rules: integer arithmetic stays integer, `/` is always a
// float, `%` keeps the dividend's sign (JavaScript), `+` concatenates when either side is a string.
#include "inference/chat/JinjaRuntime.h"
#include "inference/chat/JsString.h"

#include <cmath>

namespace lucent::jinja {
namespace {

Value numeric(double result, bool isFloat) {
    if (isFloat || !std::isfinite(result) || std::fabs(result) > 9.007199254740992e15) return Value(result);
    return Value(int64_t(result));
}

bool containsValue(const Array& items, const Value& needle) {
    for (const auto& item : items)
        if (strictlyEqual(item, needle)) return true;
    return false;
}

} // namespace

std::string concatenationText(const Value& value) {
    if (value.isString()) return value.asString();
    if (value.isBool()) return value.asBool() ? "true" : "false";
    if (value.isInt()) return std::to_string(value.asInt());
    if (value.isFloat()) return jsNumberToString(value.asNumber()); // 1.0 → "1", as JavaScript writes it
    if (value.isArray()) { // Array#toString of wrapped values
        std::string out;
        for (size_t i = 0; i < value.asArray().size(); ++i) out += i ? ",[object Object]" : "[object Object]";
        return out;
    }
    if (value.isAttributeContainer()) return "[object Map]";
    return "";
}

Value binaryOperation(const std::string& op, const Value& left, const Value& right) {
    if (op == "==") return Value(looselyEqual(left, right));
    if (op == "!=") return Value(!looselyEqual(left, right));
    if (left.isUndefined() || right.isUndefined()) {
        if (right.isUndefined() && (op == "in" || op == "not in")) return Value(op == "not in");
        raise("cannot apply '" + op + "' to an undefined value");
    }
    if (left.isNone() || right.isNone()) raise("cannot apply '" + op + "' to none");
    if (op == "~") return Value(concatenationText(left) + concatenationText(right));

    const bool leftNumeric = left.isNumber() || left.isBool(), rightNumeric = right.isNumber() || right.isBool();
    if (op == "**" && leftNumeric && rightNumeric) {
        const double a = left.asNumber(), b = right.asNumber();
        if (a == 0 && b < 0) raise("0 cannot be raised to a negative power");
        const double result = std::pow(a, b);
        if (!std::isfinite(result)) raise("the power is not a finite real number");
        return numeric(result, left.isFloat() || right.isFloat() || b < 0);
    }
    if (left.isNumber() && right.isNumber()) {
        const double a = left.asNumber(), b = right.asNumber();
        const bool isFloat = left.isFloat() || right.isFloat();
        if (op == "+") return numeric(a + b, isFloat);
        if (op == "-") return numeric(a - b, isFloat);
        if (op == "*") return numeric(a * b, isFloat);
        if (op == "/") return Value(a / b);
        if (op == "//") return numeric(std::floor(a / b), isFloat);
        if (op == "%") return numeric(std::fmod(a, b), isFloat);
        if (op == "<") return Value(a < b);
        if (op == ">") return Value(a > b);
        if (op == "<=") return Value(a <= b);
        if (op == ">=") return Value(a >= b);
    } else if (left.isArray() && right.isArray()) {
        if (op == "+") {
            Array joined = left.asArray();
            joined.insert(joined.end(), right.asArray().begin(), right.asArray().end());
            return Value::array(std::move(joined));
        }
    } else if (right.isArray()) {
        if (op == "in") return Value(containsValue(right.asArray(), left));
        if (op == "not in") return Value(!containsValue(right.asArray(), left));
    }
    if ((left.isString() || right.isString()) && op == "+") return Value(concatenationText(left) + concatenationText(right));
    if (left.isString() && right.isString()) {
        const std::string &a = left.asString(), &b = right.asString();
        if (op == "in") return Value(b.find(a) != std::string::npos);
        if (op == "not in") return Value(b.find(a) == std::string::npos);
        // Beyond the reference (which refuses): Python compares strings by code point.
        if (op == "<") return Value(a < b);
        if (op == ">") return Value(a > b);
        if (op == "<=") return Value(a <= b);
        if (op == ">=") return Value(a >= b);
    }
    if (left.isString() && right.isObject()) {
        const bool has = right.asObject().find(left.asString()) != nullptr;
        if (op == "in") return Value(has);
        if (op == "not in") return Value(!has);
    }
    raise("cannot apply '" + op + "' to a " + left.typeName() + " and a " + right.typeName());
}

} // namespace lucent::jinja
