#pragma once
/// @file
/// @brief What a Session needs from a compute backend (CPU, Vulkan): evaluate tokens into a KV
/// cache it owns and return the logits of the last one.

#include "inference/core/Expected.h"
#include "inference/model/ModelConfig.h"

#include <cstdint>
#include <span>

namespace lucent {

/// @brief A loaded model on one device with a KV cache of contextLength() positions.
class Backend {
public:
    virtual ~Backend() = default;

    /// @brief The model's hyperparameters.
    virtual const ModelConfig& config() const = 0;
    /// @brief Positions the KV cache holds.
    virtual uint32_t contextLength() const = 0;
    /// @brief Evaluates `tokens` at positions pos, pos+1, … (writing their keys and values into the
    /// cache, attending to every cached position before them) and writes the n_vocab logits of the
    /// last token to `logitsOut`. Positions ≥ pos + tokens.size() are left as they were and are
    /// ignored by later calls until overwritten. Errors: a token id outside the vocabulary,
    /// positions past the context.
    virtual Expected<void> eval(std::span<const int32_t> tokens, int pos, float* logitsOut) = 0;
};

} // namespace lucent
