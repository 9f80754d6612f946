#include "SplitPatterns.h"

#include <random>

std::vector<SplitPattern> splitPatterns(std::string_view text) {
    std::vector<SplitPattern> patterns;
    patterns.push_back({"whole", {std::string(text)}});

    SplitPattern bytes{"1-byte pieces", {}};
    for (char c : text) bytes.pieces.emplace_back(1, c);
    patterns.push_back(bytes);

    for (std::size_t at = 0; at <= text.size(); ++at) {
        patterns.push_back({"split at " + std::to_string(at),
                            {std::string(text.substr(0, at)), std::string(text.substr(at))}});
    }

    for (uint32_t seed = 1; seed <= 40; ++seed) {
        std::mt19937 generator(seed);
        SplitPattern random{"random seed " + std::to_string(seed), {}};
        std::size_t at = 0;
        while (at < text.size()) {
            // Mostly short pieces (tokens are 1–6 bytes), sometimes an empty one.
            const std::size_t length = generator() % 8;
            random.pieces.emplace_back(text.substr(at, length));
            at += length;
        }
        patterns.push_back(random);
    }

    SplitPattern withEmpty{"1-byte pieces between empty ones", {""}};
    for (char c : text) {
        withEmpty.pieces.emplace_back(1, c);
        withEmpty.pieces.emplace_back();
    }
    patterns.push_back(withEmpty);
    return patterns;
}
