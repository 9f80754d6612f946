#pragma once
/// @file
/// @brief A validated, memory-mapped GGUF (v2/v3) file: metadata, tensor infos, tensor bytes.
///
/// Everything is checked before it is used — header, counts, string and array lengths, shapes,
/// types, alignment, byte ranges — so a truncated, corrupt or hostile file yields an Error with a
/// sentence a user understands, never a crash or an absurd allocation.

#include "inference/core/Expected.h"
#include "inference/gguf/GgufValue.h"
#include "inference/quant/TensorType.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lucent {

class MappedFile;

/// @brief One tensor as described by the file (its bytes are validated to lie inside the file).
struct GgufTensor {
    std::string name;
    std::vector<uint64_t> shape; ///< ne[0] first: ne[0] is contiguous (a weight [out,in] is {in, out})
    TensorType type = TensorType::F32;
    uint64_t offset = 0;   ///< relative to the data section
    uint64_t bytes = 0;    ///< size of the data
    uint64_t elements = 0; ///< product of the shape
};

/// @brief A parsed GGUF file. Move-only; tensor data stay valid while the object lives.
class GgufFile {
public:
    /// @brief Maps and validates `path`.
    static Expected<GgufFile> open(const std::string& path);
    /// @brief Validates bytes held by the caller (they must outlive the object). `name` is used in
    /// messages in place of a file name.
    static Expected<GgufFile> fromMemory(std::span<const uint8_t> bytes,
                                         std::string name = "the model data");

    GgufFile(GgufFile&&) noexcept;
    GgufFile& operator=(GgufFile&&) noexcept;
    ~GgufFile();

    uint32_t version() const { return version_; }
    uint64_t alignment() const { return alignment_; }
    uint64_t fileSize() const { return bytes_.size(); }
    uint64_t dataOffset() const { return dataOffset_; }
    /// @brief The file name (or the name given to fromMemory), as used in messages.
    const std::string& name() const { return name_; }

    /// @brief All metadata in file order.
    const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return metadata_; }
    const GgufValue* find(std::string_view key) const;
    std::optional<std::string_view> getString(std::string_view key) const;
    std::optional<uint64_t> getUInt(std::string_view key) const;
    std::optional<int64_t> getInt(std::string_view key) const;
    std::optional<double> getFloat(std::string_view key) const;
    std::optional<bool> getBool(std::string_view key) const;
    /// @brief A string array (e.g. tokenizer.ggml.tokens); nothing when absent or of another type.
    std::optional<std::vector<std::string_view>> getStringArray(std::string_view key) const;
    /// @brief An integer array as int64 (e.g. tokenizer.ggml.token_type).
    std::optional<std::vector<int64_t>> getIntArray(std::string_view key) const;
    /// @brief A float array (e.g. tokenizer.ggml.scores).
    std::optional<std::vector<float>> getFloatArray(std::string_view key) const;

    const std::vector<GgufTensor>& tensors() const { return tensors_; }
    const GgufTensor* findTensor(std::string_view name) const;
    std::span<const uint8_t> tensorData(const GgufTensor& tensor) const;

private:
    GgufFile() = default;
    friend class GgufParser;

    std::unique_ptr<MappedFile> mapping_;
    std::span<const uint8_t> bytes_;
    std::string name_;
    uint32_t version_ = 0;
    uint64_t alignment_ = 32;
    uint64_t dataOffset_ = 0;
    std::vector<std::pair<std::string, GgufValue>> metadata_;
    std::unordered_map<std::string_view, size_t> metadataIndex_; // views into metadata_ keys
    std::vector<GgufTensor> tensors_;
    std::unordered_map<std::string_view, size_t> tensorIndex_; // views into tensors_ names
};

} // namespace lucent
