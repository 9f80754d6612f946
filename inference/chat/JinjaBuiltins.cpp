// Member access, built-in methods of strings and dicts, tests and global functions.
#include "inference/chat/JinjaRuntime.h"
#include "inference/chat/JsString.h"

#include <algorithm>
#include <cmath>

namespace lucent::jinja {

void raise(std::string message) { throw RuntimeError{std::move(message)}; }

Value makeFunction(Function function) { return Value(std::make_shared<Function>(std::move(function))); }

namespace {

bool startsOrEndsWith(const std::string& text, const Value& pattern, bool start, const char* name) {
    auto matches = [&](const std::string& p) {
        if (p.size() > text.size()) return false;
        return start ? text.compare(0, p.size(), p) == 0 : text.compare(text.size() - p.size(), p.size(), p) == 0;
    };
    if (pattern.isString()) return matches(pattern.asString());
    if (pattern.isArray()) {
        for (const auto& item : pattern.asArray()) {
            if (!item.isString()) raise(std::string(name) + "() tuple elements must be strings");
            if (matches(item.asString())) return true;
        }
        return false;
    }
    raise(std::string(name) + "() argument must be a string or tuple of strings");
}

Value split(const std::string& text, const CallArguments& args) {
    Value separator = args.get(0, "sep");
    Value maxSplit = args.get(1, "maxsplit");
    if (separator.isUndefined()) separator = Value(None{});
    if (!separator.isString() && !separator.isNone()) raise("split(): the separator must be a string or none");
    if (maxSplit.isUndefined()) maxSplit = Value(-1);
    if (!maxSplit.isInt()) raise("split(): maxsplit must be an integer");
    const int64_t limit = maxSplit.asInt();
    Array parts;
    if (separator.isNone()) { // runs of whitespace, no empty parts at the ends
        const std::string trimmed = jsTrimStart(text);
        for (auto word : jsWords(trimmed)) {
            if (limit != -1 && int64_t(parts.size()) >= limit) {
                parts.emplace_back(std::string(trimmed.substr(size_t(word.data() - trimmed.data()))));
                break;
            }
            parts.emplace_back(std::string(word));
        }
        return Value::array(std::move(parts));
    }
    const std::string& sep = separator.asString();
    if (sep.empty()) raise("split(): empty separator");
    size_t from = 0;
    for (;;) {
        if (limit != -1 && int64_t(parts.size()) >= limit) break;
        const size_t at = text.find(sep, from);
        if (at == std::string::npos) break;
        parts.emplace_back(text.substr(from, at - from));
        from = at + sep.size();
    }
    parts.emplace_back(text.substr(from));
    return Value::array(std::move(parts));
}

} // namespace

std::string replaceText(const std::string& text, const std::string& from, const std::string& to, int64_t count) {
    if (count == 0) return text;
    std::string out;
    int64_t remaining = count < 0 ? INT64_MAX : count;
    if (from.empty()) { // between every code point, and at both ends
        for (const auto& cp : codePoints(text)) {
            if (remaining > 0) out += to, --remaining;
            out += cp;
        }
        if (remaining > 0) out += to;
        return out;
    }
    size_t at = 0;
    for (;;) {
        const size_t hit = remaining > 0 ? text.find(from, at) : std::string::npos;
        if (hit == std::string::npos) break;
        out.append(text, at, hit - at);
        out += to;
        at = hit + from.size();
        --remaining;
    }
    out.append(text, at, std::string::npos);
    return out;
}

namespace {

Value stringMethod(const std::string& text, const std::string& name) {
    if (name == "length") return Value(int64_t(utf16Length(text)));
    using Args = CallArguments;
    if (name == "upper") return makeFunction([text](const Args&) { return Value(jsUpper(text)); });
    if (name == "lower") return makeFunction([text](const Args&) { return Value(jsLower(text)); });
    // The reference strips whitespace only, whatever characters are passed (Python would strip those).
    if (name == "strip") return makeFunction([text](const Args&) { return Value(jsTrim(text)); });
    if (name == "lstrip") return makeFunction([text](const Args&) { return Value(jsTrimStart(text)); });
    if (name == "rstrip") return makeFunction([text](const Args&) { return Value(jsTrimEnd(text)); });
    if (name == "title") return makeFunction([text](const Args&) { return Value(jsTitle(text)); });
    if (name == "capitalize") return makeFunction([text](const Args&) { return Value(jsCapitalize(text)); });
    if (name == "startswith" || name == "endswith") {
        const bool start = name == "startswith";
        return makeFunction([text, start](const Args& args) {
            if (args.positional.empty()) raise(std::string(start ? "startswith" : "endswith") + "() requires an argument");
            return Value(startsOrEndsWith(text, args.positional[0], start, start ? "startswith" : "endswith"));
        });
    }
    if (name == "split") return makeFunction([text](const Args& args) { return split(text, args); });
    if (name == "replace")
        return makeFunction([text](const Args& args) {
            const Value from = args.get(0, "old"), to = args.get(1, "new");
            if (!from.isString() || !to.isString()) raise("replace() needs two strings");
            Value count = args.get(2, "count");
            if (!count.isUndefined() && !count.isNone() && !count.isInt()) raise("replace() count must be an integer or none");
            return Value(replaceText(text, from.asString(), to.asString(), count.isInt() ? count.asInt() : -1));
        });
    return {};
}

Value dictMethod(const Value& dict, const std::string& name) {
    if (name == "get")
        return makeFunction([dict](const CallArguments& args) {
            const Value key = args.get(0, "key");
            if (!key.isString()) raise("a dict key must be a string, not " + key.typeName());
            if (const Value* found = dict.asObject().find(key.asString())) return *found;
            const Value fallback = args.get(1, "default");
            return fallback.isUndefined() ? Value(None{}) : fallback;
        });
    if (name == "items" || name == "keys" || name == "values") {
        return makeFunction([dict, name](const CallArguments&) {
            Array out;
            for (const auto& [key, value] : dict.asObject().entries)
                out.push_back(name == "keys" ? Value(key) : name == "values" ? value : Value::array({Value(key), value}));
            return Value::array(std::move(out));
        });
    }
    if (name == "dictsort")
        return makeFunction([dict](const CallArguments& args) { return applyFilter("dictsort", dict, args, true); });
    return {};
}

} // namespace

Value memberOf(const Value& object, const Value& property) {
    if (object.isAttributeContainer()) {
        if (!property.isString()) raise("cannot look up a " + property.typeName() + " key in a dict");
        if (const Value* found = object.asObject().find(property.asString())) return *found;
        return object.isObject() ? dictMethod(object, property.asString()) : Value();
    }
    if (object.isArray() || object.isString()) {
        if (property.isInt()) {
            if (object.isString()) {
                bool found = false;
                std::string unit = utf16At(object.asString(), property.asInt(), found);
                return found ? Value(std::move(unit)) : Value();
            }
            const auto& items = object.asArray();
            int64_t index = property.asInt();
            if (index < 0) index += int64_t(items.size());
            return index >= 0 && index < int64_t(items.size()) ? items[size_t(index)] : Value();
        }
        if (!property.isString()) raise("cannot index a " + object.typeName() + " with a " + property.typeName());
        if (object.isString()) return stringMethod(object.asString(), property.asString());
        return property.asString() == "length" ? Value(int64_t(object.asArray().size())) : Value();
    }
    if (!property.isString()) raise("cannot look up a " + property.typeName() + " in a " + object.typeName());
    return {}; // undefined.x, none.x, 3.x: undefined, as in the reference
}

// ---- tests ------------------------------------------------------------------------------------

bool isKnownTest(const std::string& name) {
    static const char* const names[] = {"boolean", "callable", "odd",     "even",     "false",   "true",      "none",
                                        "string",  "number",   "integer", "iterable", "mapping", "sequence",  "lower",
                                        "upper",   "defined",  "undefined", "equalto", "eq",     "divisibleby", "float"};
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

bool applyTest(const std::string& name, const Value& operand, const std::vector<Value>& args) {
    if (name == "boolean") return operand.isBool();
    if (name == "callable") return operand.isFunction();
    if (name == "odd" || name == "even") {
        if (!operand.isInt()) raise("cannot test '" + name + "' on a " + operand.typeName());
        return (operand.asInt() % 2 != 0) == (name == "odd");
    }
    if (name == "false") return operand.isBool() && !operand.asBool();
    if (name == "true") return operand.isBool() && operand.asBool();
    if (name == "none") return operand.isNone();
    if (name == "string") return operand.isString();
    if (name == "number") return operand.isNumber();
    if (name == "integer") return operand.isInt();
    if (name == "float") return operand.isFloat();
    if (name == "iterable") return operand.isArray() || operand.isString();
    if (name == "mapping") return operand.isObject();
    if (name == "sequence") return operand.isArray() || operand.isObject() || operand.isString();
    if (name == "lower") return operand.isString() && operand.asString() == jsLower(operand.asString());
    if (name == "upper") return operand.isString() && operand.asString() == jsUpper(operand.asString());
    if (name == "defined") return !operand.isUndefined();
    if (name == "undefined") return operand.isUndefined();
    if (name == "equalto" || name == "eq") return strictlyEqual(operand, args.empty() ? Value() : args[0]);
    if (name == "divisibleby") {
        if (!operand.isInt() || args.empty() || !args[0].isInt() || args[0].asInt() == 0)
            raise("'divisibleby' needs two integers, the second not zero");
        return operand.asInt() % args[0].asInt() == 0;
    }
    raise("unknown test '" + name + "'");
}

// ---- globals ----------------------------------------------------------------------------------

namespace {

const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November", "December"};

// %Y %m %d %b %B %H %M %% as the reference formats them (English month names); others kept as written.
std::string strftimeSubset(const std::string& format, const std::tm& t) {
    auto pad2 = [](int n) { return (n < 10 ? "0" : "") + std::to_string(n); };
    std::string out;
    for (size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 == format.size()) {
            out.push_back(format[i]);
            continue;
        }
        const char code = format[i + 1];
        const std::string month = kMonths[std::clamp(t.tm_mon, 0, 11)];
        switch (code) {
        case 'Y': out += std::to_string(t.tm_year + 1900); break;
        case 'm': out += pad2(t.tm_mon + 1); break;
        case 'd': out += pad2(t.tm_mday); break;
        case 'b': out += month.substr(0, 3); break;
        case 'B': out += month; break;
        case 'H': out += pad2(t.tm_hour); break;
        case 'M': out += pad2(t.tm_min); break;
        case '%': out += '%'; break;
        default: out += format.substr(i, 2); break;
        }
        ++i;
    }
    return out;
}

int64_t integerArgument(const Value& value, const char* what) {
    if (value.isInt()) return value.asInt();
    if (value.isFloat() && value.asNumber() == std::floor(value.asNumber())) return int64_t(value.asNumber());
    raise(std::string("range() ") + what + " must be an integer");
}

} // namespace

void addGlobals(Object& globals, std::function<std::tm()> now, size_t maxRangeLength) {
    globals.set("namespace", makeFunction([](const CallArguments& args) {
        if (args.positional.size() > 1) raise("namespace() takes at most one positional argument");
        auto space = std::make_shared<Object>();
        space->isNamespace = true;
        if (!args.positional.empty()) {
            const Value& source = args.positional[0];
            if (source.isObject()) {
                for (const auto& [key, value] : source.asObject().entries) space->set(key, value);
            } else if (source.isArray()) {
                for (const auto& pair : source.asArray()) {
                    if (!pair.isArray() || pair.asArray().size() != 2 || !pair.asArray()[0].isString())
                        raise("namespace() expects a dict or a list of [key, value] pairs");
                    space->set(pair.asArray()[0].asString(), pair.asArray()[1]);
                }
            } else {
                raise("namespace() cannot read a " + source.typeName());
            }
        }
        for (const auto& [key, value] : args.keywords) space->set(key, value);
        return Value(space);
    }));
    globals.set("raise_exception", makeFunction([](const CallArguments& args) -> Value {
        const Value message = args.get(0, "message");
        raise("the template refused the conversation: " + toDisplayString(message));
    }));
    globals.set("range", makeFunction([maxRangeLength](const CallArguments& args) {
        if (args.positional.empty()) raise("range() needs at least one argument");
        int64_t start = 0, stop = 0, step = 1;
        if (args.positional.size() == 1) {
            stop = integerArgument(args.positional[0], "stop");
        } else {
            start = integerArgument(args.positional[0], "start");
            stop = integerArgument(args.positional[1], "stop");
            if (args.positional.size() > 2) step = integerArgument(args.positional[2], "step");
        }
        if (step == 0) raise("range() step must not be zero");
        Array out;
        for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (out.size() >= maxRangeLength) raise("range() is too long for a chat template");
            out.emplace_back(i);
        }
        return Value::array(std::move(out));
    }));
    globals.set("strftime_now", makeFunction([now](const CallArguments& args) {
        const Value format = args.get(0, "format");
        if (!format.isString()) raise("strftime_now() needs a format string");
        return Value(strftimeSubset(format.asString(), now()));
    }));
}

} // namespace lucent::jinja
