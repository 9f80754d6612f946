#pragma once
/// @file
/// @brief The sampler options of `lucent-cli generate`: --greedy, --temp, --top-k, --top-p, --min-p,
/// --repeat-penalty and --seed, checked before the model is loaded.

#include "app/cli/CliIo.h"
#include "inference/generation/SamplerSettings.h"

#include <cstdint>
#include <optional>

namespace lucent::cli {

/// @brief The seed when --seed is not given: fixed, so two identical commands give identical text.
constexpr uint32_t kDefaultSeed = 0;

/// @brief Adds the sampler options to `parser`.
void addSamplingOptions(QCommandLineParser& parser);

/// @brief The sampler options as given. Options left out stay empty so that the model family's
/// recommended values (LoadedModel::recommendedSampling) or llama.cpp's defaults apply.
struct SamplingChoices {
    bool greedy = false;
    std::optional<float> temperature, topP, minP, repeatPenalty;
    std::optional<int32_t> topK;
    uint32_t seed = kDefaultSeed;

    /// @brief `defaults` with every given option put over it.
    SamplerSettings over(SamplerSettings defaults) const;
};

/// @brief Reads and range-checks the sampler options; prints `error: …` and returns nothing when one
/// is malformed or out of range, or when --greedy is combined with a sampling option.
std::optional<SamplingChoices> readSamplingOptions(CliIo& io, const QCommandLineParser& parser);

} // namespace lucent::cli
