#pragma once
// Test models for tests/model: tiny GGUFs written by lucent_testmodel with a small synthetic
// vocabulary (fast to build), and a rewriter that makes hostile variants of a valid file.

#include "TestModel.h"
#include "inference/gguf/GgufFile.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace lucent::testing {

/// @brief A vocabulary of `n` plain tokens, token 1 BOS and token 2 EOS.
GgufVocab syntheticVocab(int n = 512);

/// @brief Writes `spec` with `vocab` to `path`; QFAIL-style callers check the result.
Expected<void> writeModel(const TestModelSpec& spec, const std::string& path, const GgufVocab& vocab = syntheticVocab());

/// @brief How to damage a model: replaced or dropped metadata, dropped or reshaped tensors.
struct Damage {
    std::map<std::string, GgufValue> setMetadata;
    std::set<std::string> dropMetadata;
    std::set<std::string> dropTensors;
    std::map<std::string, std::vector<uint64_t>> reshapeTensors; ///< same element count
    std::map<std::string, TensorType> retypeTensors;            ///< F32 → F16 re-encoding only
};

/// @brief The bytes of `source` rewritten with `damage` applied.
Expected<std::vector<uint8_t>> damagedCopy(const GgufFile& source, const Damage& damage);

} // namespace lucent::testing
