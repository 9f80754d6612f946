#pragma once
/// @file
/// @brief Renders a parsed template. Templates come from downloaded files and are untrusted: there is
/// no I/O, and steps, output size, list sizes and macro recursion are bounded, so a hostile template
/// ends with an error instead of hanging or exhausting memory.

#include "inference/chat/JinjaAst.h"
#include "inference/core/Expected.h"

#include <cstdint>
#include <ctime>
#include <functional>
#include <string>

namespace lucent::jinja {

/// @brief Bounds on one render (each far above what real chat templates need).
struct RenderLimits {
    uint64_t maxSteps = 5'000'000;        ///< evaluated nodes and loop iterations (2,000 turns of a real template: < 10 ms)
    size_t maxOutputBytes = 16u << 20;    ///< output and any single string value
    size_t maxListLength = 1'000'000;     ///< any list value, range() included
    int maxCallDepth = 32;                ///< nested macro calls
};

/// @brief Renders `program` with `variables` as top-level names (next to the globals namespace(),
/// range(), raise_exception(), strftime_now() — the latter reading `now`).
/// Errors: "chat template line L:C: …".
Expected<std::string> renderTemplate(const Node& program, const Object& variables, std::function<std::tm()> now,
                                     const RenderLimits& limits = {});

} // namespace lucent::jinja
