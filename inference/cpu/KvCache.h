#pragma once
/// @file
/// @brief The f16 key/value cache: per layer, K and V as [position][n_head_kv·head_dim].

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lucent {

/// @brief Keys and values of every layer for `capacity` positions, stored as fp16 bits,
/// position-major so one position of one layer is a contiguous kvDim-long row.
class KvCache {
public:
    KvCache(uint32_t layers, uint32_t capacity, uint32_t kvDim);

    uint32_t capacity() const { return capacity_; }
    uint32_t kvDim() const { return kvDim_; }
    /// @brief Row of `pos` in layer `layer`'s keys.
    uint16_t* keys(uint32_t layer, uint32_t pos) { return data_.data() + offset(layer, 0, pos); }
    uint16_t* values(uint32_t layer, uint32_t pos) { return data_.data() + offset(layer, 1, pos); }
    const uint16_t* keys(uint32_t layer, uint32_t pos) const { return data_.data() + offset(layer, 0, pos); }
    const uint16_t* values(uint32_t layer, uint32_t pos) const { return data_.data() + offset(layer, 1, pos); }
    size_t bytes() const { return data_.size() * sizeof(uint16_t); }

private:
    size_t offset(uint32_t layer, uint32_t which, uint32_t pos) const {
        return ((size_t(layer) * 2 + which) * capacity_ + pos) * kvDim_;
    }
    uint32_t capacity_;
    uint32_t kvDim_;
    std::vector<uint16_t> data_;
};

} // namespace lucent
