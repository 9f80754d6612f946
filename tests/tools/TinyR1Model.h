#pragma once
/// @file
/// @brief The tiny R1-distill model of the app, CLI and engine tests: DeepSeek-R1-Distill-Qwen's
/// real vocabulary (Qwen's tokenizer.json from the npm reference package, R1's added tokens) and
/// chat template, with a toy-sized transformer — so one helper, not five copies, knows where the
/// pieces live and how they fit together.

#include "HfTokenizerFiles.h"
#include "TestModel.h"
#include "inference/core/Expected.h"

#include <string>

namespace lucent::testing {

/// @brief Which chat template the model carries (files in tests/chat/templates).
enum class R1Template {
    None,    ///< no tokenizer.chat_template (tests of the fallback), not even Qwen's
    Distill, ///< deepseek-r1-distill-qwen.jinja, as the published GGUFs ship it
    Think,   ///< deepseek-r1-distill-qwen-think.jinja: the prompt ends inside "<think>\n"
};

/// @brief R1-distill's vocabulary as its GGUFs carry it, with `chatTemplate`. Errors name the file
/// that is missing (the npm reference packages: scripts/install-reference.sh).
Expected<GgufVocab> r1DistillVocab(R1Template chatTemplate);

/// @brief A toy shape: n_embd 64, n_ff 128, 4/2 heads, `layers` layers of `type` weights, `name`
/// as general.name. Tokens per second in the thousands on one core.
TestModelSpec tinyModelSpec(uint32_t layers = 2, const std::string& type = "F32", const std::string& name = "lucent-test-model");

/// @brief Writes `spec` with R1-distill's vocabulary and `chatTemplate` to `path` (atomically).
Expected<void> writeTinyR1Model(const std::string& path, R1Template chatTemplate, const TestModelSpec& spec = tinyModelSpec());

} // namespace lucent::testing
