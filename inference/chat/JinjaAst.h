#pragma once
/// @file
/// @brief The syntax tree of a chat template: statements and expressions as one tagged node type.

#include "inference/chat/JinjaValue.h"

#include <memory>
#include <string>
#include <vector>

namespace lucent::jinja {

/// @brief One node. Which fields matter depends on `kind` (see the comment on each kind).
struct Node {
    enum class Kind {
        Block,      // children: statements
        Text,       // text
        Output,     // children[0]: expression
        If,         // children: condition, then-block, else-block (may be empty Block)
        For,        // names: loop variables; children: iterable, filter (or null), body, else-block
        Set,        // names: target (1 = variable, 2 = namespace attribute, tuple: flag); children: value or body
        Macro,      // text: name; names: parameters; children: defaults (null when none)…, body last
        Break,
        Continue,
        Literal,    // value
        Identifier, // text
        List,       // children: items
        Tuple,      // children: items
        Dict,       // children: key, value, key, value…
        Member,     // children: object, property (computed) — or text: attribute name
        Slice,      // children: start, stop, step (each may be null)
        Call,       // children: callee, arguments…; names: keyword names for the last arguments
        Filter,     // text: filter name; children: operand, arguments…; names: keyword names; flag: written with (…)
        Test,       // text: test name; flag: negated; children: operand, arguments…
        Unary,      // text: operator (not, -, +); children: operand
        Binary,     // text: operator; children: left, right
        Ternary,    // children: condition, if-true, if-false (null for a "select" without else)
    };
    Kind kind;
    int line = 0, column = 0;
    std::string text;
    Value value;
    bool flag = false;
    std::vector<std::string> names;
    std::vector<std::unique_ptr<Node>> children;

    Node(Kind k, int l, int c) : kind(k), line(l), column(c) {}
};

using NodePtr = std::unique_ptr<Node>;

} // namespace lucent::jinja
