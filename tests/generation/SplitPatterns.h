#pragma once
// Every way the tests cut a text into streamed pieces: whole, byte by byte, at each single position,
// random lengths with fixed seeds, and with empty pieces in between.

#include <string>
#include <string_view>
#include <vector>

struct SplitPattern {
    std::string name;
    std::vector<std::string> pieces;
};

std::vector<SplitPattern> splitPatterns(std::string_view text);
