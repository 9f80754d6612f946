#pragma once
/// @file
/// @brief The pieces the interpreter evaluates with (internal to inference/chat): operators, member
/// access and built-in methods, filters, tests and globals, each as @huggingface/jinja defines them.
/// Runtime errors travel as RuntimeError inside the interpreter and become an Error at its edge.

#include "inference/chat/JinjaValue.h"

#include <ctime>
#include <functional>
#include <string>
#include <vector>

namespace lucent::jinja {

/// @brief A template error while rendering ("cannot apply filter …"); never leaves the module.
struct RuntimeError {
    std::string message;
};
[[noreturn]] void raise(std::string message);

/// @brief Wraps a built-in as a callable value.
Value makeFunction(Function function);

/// @brief `object.property` / `object[property]`: dict entries, list/string indexes (negative from
/// the end), then built-in methods (string split/strip/…, dict get/items/keys/values); else undefined.
Value memberOf(const Value& object, const Value& property);

/// @brief Python's str.replace as the reference does it (count < 0: every occurrence; an empty
/// `from` inserts `to` between code points and at both ends).
std::string replaceText(const std::string& text, const std::string& from, const std::string& to, int64_t count);

/// @brief `left op right` for the arithmetic, comparison, `~`, `in` and `not in` operators.
Value binaryOperation(const std::string& op, const Value& left, const Value& right);
/// @brief The text JavaScript's String(value) gives (what `~` and string `+` concatenate).
std::string concatenationText(const Value& value);

/// @brief `operand | name` (called: `operand | name(args)`; some filters differ between the forms,
/// as in the reference).
Value applyFilter(const std::string& name, const Value& operand, const CallArguments& args, bool called);

/// @brief `operand is name(args…)`; false for unknown operands, error for unknown tests.
bool applyTest(const std::string& name, const Value& operand, const std::vector<Value>& args);
bool isKnownTest(const std::string& name);

/// @brief The global functions: namespace(), range(), raise_exception(), strftime_now().
void addGlobals(Object& globals, std::function<std::tm()> now, size_t maxRangeLength);

} // namespace lucent::jinja
