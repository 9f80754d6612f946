#include "inference/chat/JinjaInterpreter.h"

#include "inference/chat/JinjaRuntime.h"
#include "inference/chat/JsString.h"

#include <exception>

namespace lucent::jinja {
namespace {

using K = Node::Kind;

struct BreakSignal {};
struct ContinueSignal {};

// Names visible at one level; looked up through the parents. Loops and macro calls open a level,
// `if` does not (as in the reference).
struct Scope {
    Scope* parent = nullptr;
    std::vector<std::pair<std::string, Value>> names;

    Value lookup(const std::string& name) const {
        for (const Scope* s = this; s; s = s->parent)
            for (const auto& [key, value] : s->names)
                if (key == name) return value;
        return {};
    }
    void set(const std::string& name, Value value) {
        for (auto& [key, existing] : names)
            if (key == name) {
                existing = std::move(value);
                return;
            }
        names.emplace_back(name, std::move(value));
    }
};

class Interpreter {
public:
    Interpreter(const RenderLimits& limits) : limits_(limits) {}

    const Node* errorNode() const { return current_; }

    void block(const Node& node, Scope& scope, std::string& out) {
        for (const auto& child : node.children) statement(*child, scope, out);
    }

private:
    // Remembers the node being evaluated; an error keeps the innermost one (for "line L:C").
    struct Locate {
        Interpreter& self;
        const Node* saved;
        int exceptions;
        Locate(Interpreter& interpreter, const Node& node)
            : self(interpreter), saved(interpreter.current_), exceptions(std::uncaught_exceptions()) {
            self.current_ = &node;
            if (++self.steps_ > self.limits_.maxSteps) raise("the template runs too long (a loop without end?)");
        }
        ~Locate() {
            if (std::uncaught_exceptions() == exceptions) self.current_ = saved;
        }
    };

    void append(std::string& out, const std::string& text) {
        out += text;
        if (out.size() > limits_.maxOutputBytes) raise("the template's output grows beyond 16 MiB");
    }

    void statement(const Node& node, Scope& scope, std::string& out) {
        Locate here(*this, node);
        switch (node.kind) {
        case K::Text: append(out, node.text); return;
        case K::Output: {
            const Value value = eval(*node.children[0], scope);
            if (!value.isNone() && !value.isUndefined()) append(out, toDisplayString(value));
            return;
        }
        case K::If:
            block(eval(*node.children[0], scope).truthy() ? *node.children[1] : *node.children[2], scope, out);
            return;
        case K::For: forLoop(node, scope, out); return;
        case K::Set: assign(node, scope); return;
        case K::Macro: defineMacro(node, scope); return;
        case K::Break: throw BreakSignal{};
        case K::Continue: throw ContinueSignal{};
        default: { // an expression used as a statement cannot occur; render it like output
            const Value value = eval(node, scope);
            if (!value.isNone() && !value.isUndefined()) append(out, toDisplayString(value));
        }
        }
    }

    void bind(const std::vector<std::string>& names, const Value& item, Scope& scope) {
        if (names.size() == 1) {
            scope.set(names[0], item);
            return;
        }
        if (!item.isArray()) raise("cannot unpack a " + item.typeName() + " into " + std::to_string(names.size()) + " names");
        if (item.asArray().size() != names.size())
            raise(std::string("too ") + (item.asArray().size() < names.size() ? "few" : "many") + " items to unpack");
        for (size_t i = 0; i < names.size(); ++i) scope.set(names[i], item.asArray()[i]);
    }

    void forLoop(const Node& node, Scope& scope, std::string& out) {
        Scope loopScope{&scope, {}};
        const Value iterable = eval(*node.children[0], loopScope);
        Array source;
        if (iterable.isArray()) source = iterable.asArray();
        else if (iterable.isObject())
            for (const auto& entry : iterable.asObject().entries) source.emplace_back(entry.first);
        else if (iterable.isString()) // beyond the reference (which refuses): characters, as Python does
            for (auto& cp : codePoints(iterable.asString())) source.emplace_back(std::move(cp));
        else raise("cannot loop over a " + iterable.typeName());

        Array items;
        if (const Node* filter = node.children[1].get()) {
            for (const auto& item : source) {
                Scope testScope{&loopScope, {}};
                bind(node.names, item, testScope);
                if (eval(*filter, testScope).truthy()) items.push_back(item);
            }
        } else {
            items = std::move(source);
        }

        bool noIteration = true; // as in the reference, an iteration ended by continue/break does not count
        const auto count = int64_t(items.size());
        for (int64_t i = 0; i < count; ++i) {
            if (++steps_ > limits_.maxSteps) raise("the template runs too long (a loop without end?)");
            auto loop = std::make_shared<Object>();
            loop->entries = {{"index", Value(i + 1)},
                             {"index0", Value(i)},
                             {"revindex", Value(count - i)},
                             {"revindex0", Value(count - i - 1)},
                             {"first", Value(i == 0)},
                             {"last", Value(i == count - 1)},
                             {"length", Value(count)},
                             {"previtem", i > 0 ? items[size_t(i - 1)] : Value()},
                             {"nextitem", i < count - 1 ? items[size_t(i + 1)] : Value()}};
            loopScope.set("loop", Value(loop));
            bind(node.names, items[size_t(i)], loopScope);
            try {
                block(*node.children[2], loopScope, out);
            } catch (const ContinueSignal&) {
                continue;
            } catch (const BreakSignal&) {
                break;
            }
            noIteration = false;
        }
        if (noIteration) block(*node.children[3], loopScope, out);
    }

    void assign(const Node& node, Scope& scope) {
        Value value;
        if (node.children[0]->kind == K::Block) {
            std::string text;
            block(*node.children[0], scope, text);
            value = Value(std::move(text));
        } else {
            value = eval(*node.children[0], scope);
        }
        if (node.flag) {
            bind(node.names, value, scope);
        } else if (node.names.size() == 2) {
            const Value target = scope.lookup(node.names[0]);
            if (!target.isNamespace()) raise("'" + node.names[0] + "' is not a namespace(); only namespace attributes can be set");
            target.asObject().set(node.names[1], std::move(value));
        } else {
            scope.set(node.names[0], std::move(value));
        }
    }

    void defineMacro(const Node& node, Scope& scope) {
        const Node* macro = &node;
        scope.set(node.text, makeFunction([this, macro](const CallArguments& args) { return callMacro(*macro, args); }));
    }

    Value callMacro(const Node& macro, const CallArguments& args) {
        if (++callDepth_ > limits_.maxCallDepth) raise("macro '" + macro.text + "' calls itself too deeply");
        Scope macroScope{callScope_, {}}; // the reference resolves names from the call site
        const size_t params = macro.names.size();
        std::vector<const Node*> pendingDefaults(params, nullptr);
        auto keywords = args.keywords;
        for (size_t i = 0; i < params; ++i) {
            Value value;
            bool given = false;
            if (i < args.positional.size()) {
                value = args.positional[i];
                given = true;
            } else {
                for (auto it = keywords.begin(); it != keywords.end(); ++it)
                    if (it->first == macro.names[i]) {
                        value = it->second;
                        given = true;
                        keywords.erase(it);
                        break;
                    }
            }
            if (!given) pendingDefaults[i] = macro.children[i].get();
            macroScope.set(macro.names[i], value);
        }
        auto kwargs = std::make_shared<Object>();
        for (auto& [key, value] : keywords) kwargs->set(key, value);
        macroScope.set("kwargs", Value(kwargs));
        Array varargs;
        for (size_t i = params; i < args.positional.size(); ++i) varargs.push_back(args.positional[i]);
        macroScope.set("varargs", Value::array(std::move(varargs)));
        for (size_t i = 0; i < params; ++i)
            if (pendingDefaults[i]) macroScope.set(macro.names[i], eval(*pendingDefaults[i], macroScope));
        std::string out;
        block(*macro.children.back(), macroScope, out);
        --callDepth_;
        return Value(std::move(out));
    }

    CallArguments arguments(const Node& node, size_t first, Scope& scope) {
        CallArguments args;
        const size_t keywordStart = node.children.size() - node.names.size();
        for (size_t i = first; i < keywordStart; ++i) args.positional.push_back(eval(*node.children[i], scope));
        for (size_t i = keywordStart; i < node.children.size(); ++i)
            args.keywords.emplace_back(node.names[i - keywordStart], eval(*node.children[i], scope));
        return args;
    }

    Value checked(Value value) const {
        if (value.isString() && value.asString().size() > limits_.maxOutputBytes) raise("a string in the template grows beyond 16 MiB");
        if (value.isArray() && value.asArray().size() > limits_.maxListLength) raise("a list in the template grows too long");
        return value;
    }

    Value eval(const Node& node, Scope& scope) {
        Locate here(*this, node);
        switch (node.kind) {
        case K::Literal: return node.value;
        case K::Identifier: return scope.lookup(node.text);
        case K::List:
        case K::Tuple: {
            Array items;
            for (const auto& child : node.children) items.push_back(eval(*child, scope));
            return Value::array(std::move(items));
        }
        case K::Dict: {
            auto object = std::make_shared<Object>();
            for (size_t i = 0; i + 1 < node.children.size(); i += 2) {
                const Value key = eval(*node.children[i], scope);
                if (!key.isString()) raise("dict keys must be strings, not " + key.typeName());
                object->set(key.asString(), eval(*node.children[i + 1], scope));
            }
            return Value(object);
        }
        case K::Member: {
            const Value object = eval(*node.children[0], scope);
            if (!node.text.empty()) return memberOf(object, Value(node.text));
            if (node.children[1]->kind == K::Slice) return slice(object, *node.children[1], scope);
            return memberOf(object, eval(*node.children[1], scope));
        }
        case K::Call: {
            CallArguments args = arguments(node, 1, scope);
            const Value callee = eval(*node.children[0], scope);
            if (!callee.isFunction()) raise("cannot call a " + callee.typeName());
            Scope* const saved = callScope_;
            callScope_ = &scope;
            Value result = callee.asFunction()(args);
            callScope_ = saved;
            return checked(std::move(result));
        }
        case K::Filter: {
            const Value operand = eval(*node.children[0], scope);
            return checked(applyFilter(node.text, operand, arguments(node, 1, scope), node.flag));
        }
        case K::Test: {
            const Value operand = eval(*node.children[0], scope);
            std::vector<Value> args;
            for (size_t i = 1; i < node.children.size(); ++i) args.push_back(eval(*node.children[i], scope));
            if (!isKnownTest(node.text)) raise("unknown test '" + node.text + "'");
            return Value(applyTest(node.text, operand, args) != node.flag);
        }
        case K::Unary: {
            const Value operand = eval(*node.children[0], scope);
            if (node.text == "not") return Value(!operand.truthy());
            const double sign = node.text == "-" ? -1.0 : 1.0;
            if (operand.isInt() || operand.isBool()) return Value(int64_t(sign * operand.asNumber()));
            if (operand.isFloat()) return Value(sign * operand.asNumber());
            raise("cannot apply '" + node.text + "' to a " + operand.typeName());
        }
        case K::Binary: {
            const Value left = eval(*node.children[0], scope);
            if (node.text == "and") return left.truthy() ? eval(*node.children[1], scope) : left;
            if (node.text == "or") return left.truthy() ? left : eval(*node.children[1], scope);
            return checked(binaryOperation(node.text, left, eval(*node.children[1], scope)));
        }
        case K::Ternary:
            if (eval(*node.children[0], scope).truthy()) return eval(*node.children[1], scope);
            return node.children[2] ? eval(*node.children[2], scope) : Value();
        default: raise("this statement cannot be used as a value");
        }
    }

    // Python slicing of a list, or of a string's code points.
    Value slice(const Value& object, const Node& node, Scope& scope) {
        if (!object.isArray() && !object.isString()) raise("only lists and strings can be sliced, not a " + object.typeName());
        int64_t bounds[3] = {0, 0, 1};
        bool given[3] = {false, false, false};
        for (int i = 0; i < 3; ++i) {
            if (!node.children[size_t(i)]) continue;
            const Value v = eval(*node.children[size_t(i)], scope);
            if (v.isUndefined()) continue;
            if (!v.isInt()) raise("slice bounds must be integers");
            bounds[i] = v.asInt();
            given[i] = true;
        }
        Array items;
        if (object.isArray()) items = object.asArray();
        else for (auto& cp : codePoints(object.asString())) items.emplace_back(std::move(cp));
        const auto n = int64_t(items.size());
        const int64_t step = bounds[2];
        if (step == 0) raise("slice step cannot be zero");
        int64_t start, stop;
        if (step > 0) {
            start = !given[0] ? 0 : bounds[0] < 0 ? std::max<int64_t>(n + bounds[0], 0) : std::min(bounds[0], n);
            stop = !given[1] ? n : bounds[1] < 0 ? std::max<int64_t>(n + bounds[1], 0) : std::min(bounds[1], n);
        } else {
            start = !given[0] ? n - 1 : bounds[0] < 0 ? std::max<int64_t>(n + bounds[0], -1) : std::min(bounds[0], n - 1);
            stop = !given[1] ? -1 : bounds[1] < -1 ? std::max<int64_t>(n + bounds[1], -1) : std::min(bounds[1], n - 1);
        }
        Array out;
        for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) out.push_back(items[size_t(i)]);
        if (object.isArray()) return Value::array(std::move(out));
        std::string text;
        for (const auto& piece : out) text += piece.asString();
        return Value(std::move(text));
    }

    const RenderLimits& limits_;
    const Node* current_ = nullptr;
    Scope* callScope_ = nullptr;
    uint64_t steps_ = 0;
    int callDepth_ = 0;
};

std::tm localNow() {
    const std::time_t t = std::time(nullptr);
    std::tm local{};
    localtime_r(&t, &local);
    return local;
}

} // namespace

Expected<std::string> renderTemplate(const Node& program, const Object& variables, std::function<std::tm()> now,
                                     const RenderLimits& limits) {
    Interpreter interpreter(limits);
    Scope global;
    Object globals;
    addGlobals(globals, now ? std::move(now) : std::function<std::tm()>(localNow), limits.maxListLength);
    for (auto& entry : globals.entries) global.names.push_back(entry);
    for (const auto& [name, value] : variables.entries) global.set(name, value);
    std::string out;
    try {
        interpreter.block(program, global, out);
        return out;
    } catch (const RuntimeError& e) {
        const Node* at = interpreter.errorNode();
        const std::string where = at ? "chat template line " + std::to_string(at->line) + ":" + std::to_string(at->column) + ": " : "chat template: ";
        return fail(where + e.message + ".");
    } catch (const BreakSignal&) {
        return fail("chat template: 'break' is used outside a loop.");
    } catch (const ContinueSignal&) {
        return fail("chat template: 'continue' is used outside a loop.");
    }
}

} // namespace lucent::jinja
