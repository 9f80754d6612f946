// Filters (`value | name(args)`), following the reference filter by filter and type by type.
#include "inference/chat/JinjaRuntime.h"
#include "inference/chat/JsString.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace lucent::jinja {
namespace {

// Orders values for sort/dictsort: numbers (and booleans) by value, strings case-insensitively unless
// asked, none with none; other mixes are an error.
int compareValues(const Value& a, const Value& b, bool caseSensitive) {
    if (a.isNone() && b.isNone()) return 0;
    if (a.isUndefined() && b.isUndefined()) return 0;
    if (a.isNone() || b.isNone() || a.isUndefined() || b.isUndefined())
        raise("cannot compare a " + a.typeName() + " with a " + b.typeName());
    const bool aNumeric = a.isNumber() || a.isBool(), bNumeric = b.isNumber() || b.isBool();
    if (aNumeric && bNumeric) return a.asNumber() < b.asNumber() ? -1 : a.asNumber() > b.asNumber() ? 1 : 0;
    if (a.isString() && b.isString()) {
        const std::string x = caseSensitive ? a.asString() : jsLower(a.asString());
        const std::string y = caseSensitive ? b.asString() : jsLower(b.asString());
        return x < y ? -1 : x > y ? 1 : 0;
    }
    raise("cannot compare a " + a.typeName() + " with a " + b.typeName());
}

// "a.b.0": dict keys and list indexes, undefined when a step is missing.
Value attributePath(const Value& item, const std::string& path) {
    Value value = item;
    size_t from = 0;
    for (;;) {
        const size_t dot = path.find('.', from);
        const std::string part = path.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
        if (value.isAttributeContainer()) {
            const Value* found = value.asObject().find(part);
            value = found ? *found : Value();
        } else if (value.isArray()) {
            double index = 0;
            if (!jsParseInt(part, index) || index < 0 || index >= double(value.asArray().size())) return {};
            value = value.asArray()[size_t(index)];
        } else {
            return {};
        }
        if (dot == std::string::npos) return value;
        from = dot + 1;
    }
}

constexpr size_t kKeywordOnly = SIZE_MAX; // a position no call has: only the keyword counts

bool booleanArgument(const CallArguments& args, size_t index, const char* name, bool fallback) {
    const Value value = args.get(index, name);
    if (value.isUndefined()) return fallback;
    if (!value.isBool()) raise(std::string(name) + " must be true or false");
    return value.asBool();
}

std::string indentText(const std::string& text, const std::string& pad, bool first, bool blank) {
    std::string out;
    size_t from = 0;
    for (int line = 0;; ++line) {
        const size_t newline = text.find('\n', from);
        const std::string part = text.substr(from, newline == std::string::npos ? std::string::npos : newline - from);
        if (!((!first && line == 0) || (!blank && part.empty()))) out += pad;
        out += part;
        if (newline == std::string::npos) return out;
        out += '\n';
        from = newline + 1;
    }
}

std::string joinText(const Value& operand, const std::string& separator) {
    std::string out;
    if (operand.isString()) {
        const auto points = codePoints(operand.asString());
        for (size_t i = 0; i < points.size(); ++i) out += (i ? separator : "") + points[i];
        return out;
    }
    const auto& items = operand.asArray();
    for (size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + concatenationText(items[i]);
    return out;
}

Value tojson(const Value& operand, const CallArguments& args) {
    JsonFormat format;
    const Value indent = args.keyword("indent");
    if (indent.isInt()) format.indent = int(std::clamp<int64_t>(indent.asInt(), 0, 64));
    else if (!indent.isUndefined() && !indent.isNone()) raise("tojson's indent must be a number");
    format.ensureAscii = booleanArgument(args, kKeywordOnly, "ensure_ascii", false);
    format.sortKeys = booleanArgument(args, kKeywordOnly, "sort_keys", false);
    const Value separators = args.keyword("separators");
    if (separators.isArray()) {
        const auto& pair = separators.asArray();
        if (pair.size() != 2 || !pair[0].isString() || !pair[1].isString()) raise("tojson's separators must be two strings");
        format.itemSeparator = pair[0].asString();
        format.keySeparator = pair[1].asString();
    } else if (!separators.isUndefined() && !separators.isNone()) {
        raise("tojson's separators must be two strings");
    }
    return Value(toJson(operand, format));
}

Value sortList(const Array& items, const CallArguments& args) {
    const bool reverse = booleanArgument(args, 0, "reverse", false);
    const bool caseSensitive = booleanArgument(args, 1, "case_sensitive", false);
    const Value attribute = args.get(2, "attribute");
    if (!attribute.isUndefined() && !attribute.isNone() && !attribute.isString() && !attribute.isInt())
        raise("sort's attribute must be a string or an integer");
    auto key = [&](const Value& item) {
        if (attribute.isString()) return attributePath(item, attribute.asString());
        if (attribute.isInt()) return attributePath(item, std::to_string(attribute.asInt()));
        return item;
    };
    Array sorted = items;
    std::stable_sort(sorted.begin(), sorted.end(), [&](const Value& a, const Value& b) {
        const int order = compareValues(key(a), key(b), caseSensitive);
        return reverse ? order > 0 : order < 0;
    });
    return Value::array(std::move(sorted));
}

Value selectOrReject(const Array& items, const CallArguments& args, bool select) {
    for (const auto& item : items)
        if (!item.isAttributeContainer()) raise(std::string(select ? "selectattr" : "rejectattr") + " works on a list of dicts only");
    const Value attribute = args.get(0, "attribute");
    if (!attribute.isString()) raise("selectattr/rejectattr need an attribute name");
    const Value test = args.get(1, "test");
    std::vector<Value> testArgs;
    if (args.positional.size() > 2) testArgs.assign(args.positional.begin() + 2, args.positional.end());
    Array out;
    for (const auto& item : items) {
        const Value* value = item.asObject().find(attribute.asString());
        bool result = false;
        if (value && !value->isUndefined()) result = test.isString() ? applyTest(test.asString(), *value, testArgs) : value->truthy();
        if (result == select) out.push_back(item);
    }
    return Value::array(std::move(out));
}

Value mapAttribute(const Array& items, const CallArguments& args) {
    const Value attribute = args.keyword("attribute");
    if (!attribute.isString()) raise("map() is supported with attribute='name' only");
    const Value fallback = args.keyword("default");
    Array out;
    for (const auto& item : items) {
        if (!item.isAttributeContainer()) raise("map(attribute=…) works on a list of dicts only");
        const Value value = attributePath(item, attribute.asString());
        out.push_back(value.isUndefined() ? fallback : value);
    }
    return Value::array(std::move(out));
}

Value unique(const Array& items) {
    Array out;
    for (const auto& item : items) {
        const bool seen = std::any_of(out.begin(), out.end(), [&](const Value& kept) { return strictlyEqual(kept, item); });
        if (!seen) out.push_back(item);
    }
    return Value::array(std::move(out));
}

Value dictsort(const Object& object, const CallArguments& args) {
    const bool caseSensitive = booleanArgument(args, 0, "case_sensitive", false);
    const Value by = args.get(1, "by");
    if (!by.isUndefined() && !(by.isString() && (by.asString() == "key" || by.asString() == "value")))
        raise("dictsort's by must be 'key' or 'value'");
    const bool byValue = by.isString() && by.asString() == "value";
    const bool reverse = booleanArgument(args, 2, "reverse", false);
    Array pairs;
    for (const auto& [key, value] : object.entries) pairs.push_back(Value::array({Value(key), value}));
    std::stable_sort(pairs.begin(), pairs.end(), [&](const Value& a, const Value& b) {
        const int order = compareValues(a.asArray()[byValue], b.asArray()[byValue], caseSensitive);
        return reverse ? order > 0 : order < 0;
    });
    return Value::array(std::move(pairs));
}

Value numberFilter(const std::string& name, const Value& operand, const CallArguments& args, bool called) {
    const bool toInt = name == "int";
    if (operand.isString()) {
        double parsed = 0;
        const bool ok = toInt ? jsParseInt(operand.asString(), parsed) : jsParseFloat(operand.asString(), parsed);
        if (!ok) {
            const Value fallback = args.get(0, "default");
            if (!fallback.isUndefined()) return fallback;
            return toInt ? Value(int64_t(0)) : Value(0.0);
        }
        return toInt ? Value(int64_t(parsed)) : Value(parsed);
    }
    if (operand.isBool()) return toInt ? Value(int64_t(operand.asBool())) : Value(operand.asBool() ? 1.0 : 0.0);
    if (operand.isNumber()) {
        if (called) return operand; // the reference returns numbers unchanged from int(…)/float(…)
        return toInt ? Value(int64_t(std::floor(operand.asNumber()))) : Value(operand.asNumber());
    }
    raise("cannot apply filter '" + name + "' to a " + operand.typeName());
}

} // namespace

Value applyFilter(const std::string& name, const Value& operand, const CallArguments& args, bool called) {
    if (name == "safe") return operand;
    if (name == "tojson") return tojson(operand, args);
    if (name == "default" || name == "d") {
        const Value fallback = args.positional.empty() ? Value("") : args.positional[0];
        const bool boolean = booleanArgument(args, 1, "boolean", false);
        return operand.isUndefined() || (boolean && !operand.truthy()) ? fallback : operand;
    }
    if (name == "join" && (operand.isString() || operand.isArray())) {
        const Value separator = args.get(0, "d");
        if (!separator.isUndefined() && !separator.isString()) raise("join's separator must be a string");
        if (operand.isString() && !called) return operand;
        return Value(joinText(operand, separator.isString() ? separator.asString() : ""));
    }
    if ((name == "int" || name == "float") && !operand.isArray() && !operand.isAttributeContainer())
        return numberFilter(name, operand, args, called);

    if (operand.isArray()) {
        const Array& items = operand.asArray();
        if (name == "list") return operand;
        if (name == "first") return items.empty() ? Value() : items.front();
        if (name == "last") return items.empty() ? Value() : items.back();
        if (name == "length" || name == "count") return Value(int64_t(items.size()));
        if (name == "reverse") return Value::array(Array(items.rbegin(), items.rend()));
        if (name == "sort") return sortList(items, args);
        if (name == "unique") return unique(items);
        if (name == "string") {
            JsonFormat format;
            format.undefinedAsNull = false;
            return Value(toJson(operand, format));
        }
        if (name == "selectattr" || name == "rejectattr") return selectOrReject(items, args, name == "selectattr");
        if (name == "map") return mapAttribute(items, args);
    } else if (operand.isString()) {
        const std::string& text = operand.asString();
        if (name == "length" || name == "count") return Value(int64_t(utf16Length(text)));
        if (name == "upper") return Value(jsUpper(text));
        if (name == "lower") return Value(jsLower(text));
        if (name == "title") return Value(jsTitle(text));
        if (name == "capitalize") return Value(jsCapitalize(text));
        if (name == "trim") return Value(jsTrim(text));
        if (name == "string") return operand;
        if (name == "indent") {
            const Value width = args.get(0, "width");
            if (!width.isUndefined() && !width.isInt() && !width.isString()) raise("indent's width must be a number");
            const std::string pad = width.isString() ? width.asString() : std::string(size_t(width.isInt() ? std::clamp<int64_t>(width.asInt(), 0, 256) : 4), ' ');
            return Value(indentText(text, pad, args.get(1, "first").truthy(), args.get(2, "blank").truthy()));
        }
        if (name == "replace") {
            const Value from = args.get(0, "old"), to = args.get(1, "new");
            if (!from.isString() || !to.isString()) raise("replace needs two strings");
            const Value count = args.get(2, "count");
            return Value(replaceText(text, from.asString(), to.asString(), count.isInt() ? count.asInt() : -1));
        }
    } else if (operand.isNumber()) {
        if (name == "abs") return operand.isInt() ? Value(int64_t(std::llabs(operand.asInt()))) : Value(std::fabs(operand.asNumber()));
        if (name == "string") return Value(toDisplayString(operand));
    } else if (operand.isObject()) {
        if (name == "items") return memberOf(operand, Value("items")).asFunction()(args);
        if (name == "length" || name == "count") return Value(int64_t(operand.asObject().entries.size()));
        if (name == "dictsort") return dictsort(operand.asObject(), args);
        if (name == "keys" || name == "values") return memberOf(operand, Value(name)).asFunction()(args);
    } else if (operand.isBool()) {
        if (name == "bool") return operand;
        if (name == "string") return Value(operand.asBool() ? "true" : "false");
    }
    raise("cannot apply filter '" + name + "' to a " + operand.typeName());
}

} // namespace lucent::jinja
