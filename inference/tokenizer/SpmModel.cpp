#include "inference/tokenizer/SpmModel.h"

#include "inference/tokenizer/Utf8.h"

#include <cstdio>
#include <queue>
#include <string>

namespace lucent {
namespace {

constexpr std::string_view kSpace = "\xe2\x96\x81"; // ▁

struct Piece {
    size_t start, length;
    int prev, next;
};

struct Candidate {
    float score;
    int left;
    size_t totalLength;
    bool operator<(const Candidate& other) const { // max-heap: higher score, then leftmost
        return score != other.score ? score < other.score : left > other.left;
    }
};

} // namespace

SpmModel::SpmModel(const Vocabulary& vocabulary) : vocabulary_(&vocabulary) {
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        byteTokens_[size_t(b)] = vocabulary.find(name).value_or(-1);
    }
}

void SpmModel::encode(std::string_view input, bool addSpacePrefix, std::vector<int32_t>& out) const {
    std::string text;
    if (addSpacePrefix) text += kSpace;
    for (char c : input) {
        if (c == ' ') text += kSpace;
        else text.push_back(c);
    }
    std::vector<Piece> pieces;
    for (size_t i = 0; i < text.size();) {
        const size_t length = std::min(utf8SequenceLength(static_cast<unsigned char>(text[i])), text.size() - i);
        pieces.push_back({i, length, int(pieces.size()) - 1, int(pieces.size()) + 1});
        i += length;
    }
    if (pieces.empty()) return;
    pieces.back().next = -1;

    const std::string_view view(text);
    std::priority_queue<Candidate> queue;
    auto consider = [&](int left) {
        if (left < 0 || pieces[size_t(left)].next < 0) return;
        const Piece& a = pieces[size_t(left)];
        const Piece& b = pieces[size_t(a.next)];
        if (const auto id = vocabulary_->find(view.substr(a.start, a.length + b.length)))
            queue.push({vocabulary_->data().scores[size_t(*id)], left, a.length + b.length});
    };
    for (int i = 0; i + 1 < int(pieces.size()); ++i) consider(i);
    while (!queue.empty()) {
        const Candidate best = queue.top();
        queue.pop();
        Piece& a = pieces[size_t(best.left)];
        if (a.length == 0 || a.next < 0) continue;
        Piece& b = pieces[size_t(a.next)];
        if (a.length + b.length != best.totalLength) continue;
        a.length += b.length;
        b.length = 0;
        a.next = b.next;
        if (a.next >= 0) pieces[size_t(a.next)].prev = best.left;
        consider(a.prev);
        consider(best.left);
    }
    for (int i = 0; i >= 0; i = pieces[size_t(i)].next) {
        const auto piece = view.substr(pieces[size_t(i)].start, pieces[size_t(i)].length);
        if (const auto id = vocabulary_->find(piece)) {
            out.push_back(*id);
            continue;
        }
        for (unsigned char byte : piece) { // byte fallback, else the unknown token
            if (byteTokens_[byte] >= 0) out.push_back(byteTokens_[byte]);
            else if (vocabulary_->data().unk) out.push_back(*vocabulary_->data().unk);
        }
    }
}

} // namespace lucent
