#pragma once
/// @file
/// @brief Parses template tokens into a syntax tree (recursive descent, bounded nesting).

#include "inference/chat/JinjaAst.h"
#include "inference/chat/JinjaLexer.h"

namespace lucent::jinja {

/// @brief The tree of a whole template; errors name the construct and "line L:C".
Expected<NodePtr> parseTemplate(const std::vector<Token>& tokens);

} // namespace lucent::jinja
