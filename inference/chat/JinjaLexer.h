#pragma once
/// @file
/// @brief Turns a template's source into tokens, with the whitespace rules chat templates are
/// rendered with (trim_blocks and lstrip_blocks on, `{%-`/`-%}` trimming, one final newline dropped).

#include "inference/core/Expected.h"

#include <string>
#include <string_view>
#include <vector>

namespace lucent::jinja {

/// @brief A lexical token.
struct Token {
    enum class Type {
        Text, OpenStatement, CloseStatement, OpenExpression, CloseExpression,
        Identifier, Number, String, Operator, // Operator: ( ) [ ] { } , . : | = and + - ~ * / // % ** < > <= >= == !=
        End,
    };
    Type type;
    std::string text;
    int line, column;
};

/// @brief Tokenizes `source`; errors carry "line L:C".
Expected<std::vector<Token>> tokenize(std::string_view source);

} // namespace lucent::jinja
