#pragma once
/// @file
/// @brief Values of the chat-template language: undefined, none, bool, int, float, string, list,
/// dict (insertion-ordered), namespace and callables. Lists and dicts are shared by reference,
/// as in Jinja (and compared by identity, as @huggingface/jinja does).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace lucent::jinja {

class Value;
using Array = std::vector<Value>;

/// @brief An insertion-ordered string-keyed map.
struct Object {
    std::vector<std::pair<std::string, Value>> entries;
    bool isNamespace = false;
    const Value* find(std::string_view key) const;
    void set(const std::string& key, Value value);
};

struct Undefined {};
struct None {};
struct CallArguments;
/// @brief A built-in function: positional and keyword arguments → value (errors via Interrupt).
using Function = std::function<Value(const CallArguments&)>;

/// @brief A template value.
class Value {
public:
    Value() : data_(Undefined{}) {}
    Value(None) : data_(None{}) {}
    Value(bool b) : data_(b) {}
    Value(int64_t i) : data_(i) {}
    Value(int i) : data_(int64_t(i)) {}
    Value(double d) : data_(d) {}
    Value(std::string s) : data_(std::move(s)) {}
    Value(const char* s) : data_(std::string(s)) {}
    Value(std::shared_ptr<Array> a) : data_(std::move(a)) {}
    Value(std::shared_ptr<Object> o) : data_(std::move(o)) {}
    Value(std::shared_ptr<Function> f) : data_(std::move(f)) {}

    static Value array(Array items = {}) { return Value(std::make_shared<Array>(std::move(items))); }
    static Value object() { return Value(std::make_shared<Object>()); }

    bool isUndefined() const { return std::holds_alternative<Undefined>(data_); }
    bool isNone() const { return std::holds_alternative<None>(data_); }
    bool isBool() const { return std::holds_alternative<bool>(data_); }
    bool isInt() const { return std::holds_alternative<int64_t>(data_); }
    bool isFloat() const { return std::holds_alternative<double>(data_); }
    bool isNumber() const { return isInt() || isFloat(); }
    bool isString() const { return std::holds_alternative<std::string>(data_); }
    bool isArray() const { return std::holds_alternative<std::shared_ptr<Array>>(data_); }
    bool isObject() const { return std::holds_alternative<std::shared_ptr<Object>>(data_) && !asObject().isNamespace; }
    bool isNamespace() const { return std::holds_alternative<std::shared_ptr<Object>>(data_) && asObject().isNamespace; }
    bool isAttributeContainer() const { return std::holds_alternative<std::shared_ptr<Object>>(data_); }
    bool isFunction() const { return std::holds_alternative<std::shared_ptr<Function>>(data_); }

    bool asBool() const { return std::get<bool>(data_); }
    int64_t asInt() const { return std::get<int64_t>(data_); }
    double asNumber() const { return isInt() ? double(asInt()) : isBool() ? double(asBool()) : std::get<double>(data_); }
    const std::string& asString() const { return std::get<std::string>(data_); }
    Array& asArray() const { return *std::get<std::shared_ptr<Array>>(data_); }
    Object& asObject() const { return *std::get<std::shared_ptr<Object>>(data_); }
    Function& asFunction() const { return *std::get<std::shared_ptr<Function>>(data_); }
    const void* identity() const; ///< the shared list/dict/function, or nullptr

    /// @brief Jinja truthiness: empty strings, lists, dicts, 0, none and undefined are false.
    bool truthy() const;
    /// @brief Type name for messages ("string", "list" …).
    std::string typeName() const;

private:
    std::variant<Undefined, None, bool, int64_t, double, std::string, std::shared_ptr<Array>, std::shared_ptr<Object>,
                 std::shared_ptr<Function>>
        data_;
};

/// @brief Arguments of a call: positional values, then keyword values in call order.
struct CallArguments {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keywords;
    /// @brief Positional `index`, else keyword `name`, else nothing (undefined).
    Value get(size_t index, std::string_view name) const;
    /// @brief Keyword `name` only (filters such as tojson take no positional options).
    Value keyword(std::string_view name) const;
};

/// @brief How tojson writes: Python json.dumps's options as the reference implements them.
struct JsonFormat {
    int indent = 0;            ///< 0: one line
    bool ensureAscii = false;  ///< escape every UTF-16 unit ≥ 0x7f as \uXXXX
    bool sortKeys = false;
    std::string itemSeparator; ///< empty: ", " (or "," when indenting)
    std::string keySeparator;  ///< empty: ": "
    bool undefinedAsNull = true; ///< false: `undefined`, as printing a list does
};

/// @brief JSON as @huggingface/jinja's tojson writes it (non-ASCII kept, ", " and ": ").
std::string toJson(const Value& value, const JsonFormat& format = {}, int depth = 0);
/// @brief The text `{{ value }}` prints.
std::string toDisplayString(const Value& value);
/// @brief `==` as the reference does (JavaScript's `==` on the values): numbers by value, strings by
/// content, a number and a numeric string equal, lists/dicts by identity, none == undefined.
bool looselyEqual(const Value& a, const Value& b);
/// @brief JavaScript's `===` on the values (what `in`, `unique` and the `equalto` test use).
bool strictlyEqual(const Value& a, const Value& b);

} // namespace lucent::jinja
