#pragma once
/// @file
/// @brief Writes GGUF files (v3 by default, v2 on request): metadata in insertion order, tensor
/// infos, aligned tensor data. Used by lucent-make-test-model and the tests.

#include "inference/core/Expected.h"
#include "inference/gguf/GgufValue.h"
#include "inference/quant/TensorType.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lucent {

/// @brief Collects metadata and tensors, then writes them out in one go.
class GgufWriter {
public:
    void setU32(const std::string& key, uint32_t value);
    void setI32(const std::string& key, int32_t value);
    void setU64(const std::string& key, uint64_t value);
    void setF32(const std::string& key, float value);
    void setF64(const std::string& key, double value);
    void setBool(const std::string& key, bool value);
    void setString(const std::string& key, std::string value);
    void setStringArray(const std::string& key, const std::vector<std::string>& values);
    void setI32Array(const std::string& key, const std::vector<int32_t>& values);
    void setF32Array(const std::string& key, const std::vector<float>& values);
    /// @brief Sets any value; replaces an existing key in place (keeping its position).
    void set(const std::string& key, GgufValue value);

    /// @brief Adds a tensor. `shape` is ne[0] first; `bytes` must be exactly the type's size for it.
    Expected<void> addTensor(std::string name, std::vector<uint64_t> shape, TensorType type,
                             std::vector<uint8_t> bytes);

    /// @brief Data alignment (power of two). Other than 32 it is also written as general.alignment.
    void setAlignment(uint32_t alignment);
    /// @brief File format version, 2 or 3 (3 by default). Both share one layout on disk.
    void setVersion(uint32_t version) { version_ = version; }

    /// @brief The whole file in memory (for tests and small files).
    std::vector<uint8_t> toBytes() const;
    /// @brief Writes to `path + ".partial"` and renames it over `path` only once complete, so a
    /// full disk or a crash never leaves a file that looks finished.
    Expected<void> write(const std::string& path) const;

private:
    struct Tensor {
        std::string name;
        std::vector<uint64_t> shape;
        TensorType type;
        std::vector<uint8_t> bytes;
        uint64_t offset;
    };
    std::vector<uint8_t> headerBytes() const; // everything before the data section, padded
    uint64_t alignment_ = 32;
    uint32_t version_ = 3;
    std::vector<std::pair<std::string, GgufValue>> metadata_;
    std::vector<Tensor> tensors_;
    uint64_t dataSize_ = 0;
};

} // namespace lucent
