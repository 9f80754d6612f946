#include "inference/tokenizer/BpeModel.h"

#include "inference/tokenizer/Utf8.h"

#include <queue>
#include <string_view>

namespace lucent {
namespace {

constexpr size_t kCacheLimit = 1 << 16;

struct Symbol {
    size_t start, length;
    int prev, next; // -1 at the ends
};

struct Candidate {
    int32_t rank;
    int left;          // index of the left symbol
    size_t totalLength; // both symbols' lengths when queued: a stale candidate no longer matches
    bool operator>(const Candidate& other) const {
        return rank != other.rank ? rank > other.rank : left > other.left;
    }
};

} // namespace

void BpeModel::encode(const std::string& symbols, std::vector<int32_t>& out) const {
    if (ignoreMerges_)
        if (const auto id = vocabulary_->find(symbols)) {
            out.push_back(*id);
            return;
        }
    {
        std::lock_guard lock(cacheMutex_);
        if (const auto it = cache_.find(symbols); it != cache_.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    auto ids = merge(symbols);
    out.insert(out.end(), ids.begin(), ids.end());
    std::lock_guard lock(cacheMutex_);
    if (cache_.size() >= kCacheLimit) cache_.clear();
    cache_.emplace(symbols, std::move(ids));
}

std::vector<int32_t> BpeModel::merge(const std::string& word) const {
    const std::string_view text(word);
    std::vector<Symbol> symbols;
    for (size_t i = 0; i < text.size();) {
        const size_t length = std::min(utf8SequenceLength(static_cast<unsigned char>(text[i])), text.size() - i);
        symbols.push_back({i, length, int(symbols.size()) - 1, int(symbols.size()) + 1});
        i += length;
    }
    if (!symbols.empty()) symbols.back().next = -1;

    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    auto consider = [&](int left) {
        if (left < 0 || symbols[size_t(left)].next < 0) return;
        const Symbol& a = symbols[size_t(left)];
        const Symbol& b = symbols[size_t(a.next)];
        if (const auto rank = vocabulary_->mergeRank(text.substr(a.start, a.length), text.substr(b.start, b.length)))
            queue.push({*rank, left, a.length + b.length});
    };
    for (int i = 0; i + 1 < int(symbols.size()); ++i) consider(i);

    while (!queue.empty()) {
        const Candidate best = queue.top();
        queue.pop();
        Symbol& a = symbols[size_t(best.left)];
        if (a.length == 0 || a.next < 0) continue; // merged away
        Symbol& b = symbols[size_t(a.next)];
        if (a.length + b.length != best.totalLength) continue; // one side changed since queued
        a.length += b.length;
        b.length = 0;
        a.next = b.next;
        if (a.next >= 0) symbols[size_t(a.next)].prev = best.left;
        consider(a.prev);
        consider(best.left);
    }

    std::vector<int32_t> ids;
    for (int i = symbols.empty() ? -1 : 0; i >= 0; i = symbols[size_t(i)].next) {
        const auto piece = text.substr(symbols[size_t(i)].start, symbols[size_t(i)].length);
        if (const auto id = vocabulary_->find(piece)) {
            ids.push_back(*id);
            continue;
        }
        // Not in the vocabulary (a vocabulary without all 256 byte symbols): fall back to characters.
        for (size_t k = 0; k < piece.size();) {
            const size_t length = std::min(utf8SequenceLength(static_cast<unsigned char>(piece[k])), piece.size() - k);
            if (const auto id = vocabulary_->find(piece.substr(k, length))) ids.push_back(*id);
            k += length;
        }
    }
    return ids;
}

} // namespace lucent
