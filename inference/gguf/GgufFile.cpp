#include "inference/gguf/GgufFile.h"

#include "inference/gguf/GgufParser.h"
#include "inference/gguf/MappedFile.h"

#include <filesystem>

namespace lucent {

Expected<GgufFile> GgufFile::open(const std::string& path) {
    auto mapping = MappedFile::open(path);
    if (!mapping) return fail(mapping.error());
    GgufFile file;
    file.mapping_ = std::make_unique<MappedFile>(std::move(*mapping));
    file.bytes_ = file.mapping_->bytes();
    file.name_ = std::filesystem::path(path).filename().string();
    GgufParser parser(file.bytes_, file.name_);
    if (auto ok = parser.parse(file); !ok) return fail(ok.error());
    return file;
}

Expected<GgufFile> GgufFile::fromMemory(std::span<const uint8_t> bytes, std::string name) {
    GgufFile file;
    file.bytes_ = bytes;
    file.name_ = std::move(name);
    GgufParser parser(file.bytes_, file.name_);
    if (auto ok = parser.parse(file); !ok) return fail(ok.error());
    return file;
}

GgufFile::GgufFile(GgufFile&&) noexcept = default;
GgufFile& GgufFile::operator=(GgufFile&&) noexcept = default;
GgufFile::~GgufFile() = default;

const GgufValue* GgufFile::find(std::string_view key) const {
    const auto it = metadataIndex_.find(key);
    return it == metadataIndex_.end() ? nullptr : &metadata_[it->second].second;
}

std::optional<std::string_view> GgufFile::getString(std::string_view key) const {
    const auto* value = find(key);
    return value ? value->asString() : std::nullopt;
}

std::optional<uint64_t> GgufFile::getUInt(std::string_view key) const {
    const auto* value = find(key);
    return value && isIntegerType(value->type()) ? value->asUInt() : std::nullopt;
}

std::optional<int64_t> GgufFile::getInt(std::string_view key) const {
    const auto* value = find(key);
    return value && isIntegerType(value->type()) ? value->asInt() : std::nullopt;
}

std::optional<double> GgufFile::getFloat(std::string_view key) const {
    const auto* value = find(key);
    if (!value || (value->type() != GgufType::F32 && value->type() != GgufType::F64)) return std::nullopt;
    return value->asFloat();
}

std::optional<bool> GgufFile::getBool(std::string_view key) const {
    const auto* value = find(key);
    return value ? value->asBool() : std::nullopt;
}

std::optional<std::vector<std::string_view>> GgufFile::getStringArray(std::string_view key) const {
    const auto* value = find(key);
    const auto* array = value ? value->asArray() : nullptr;
    if (!array || value->elementType() != GgufType::String) return std::nullopt;
    std::vector<std::string_view> out;
    out.reserve(array->size());
    for (const auto& element : *array) out.push_back(*element.asString());
    return out;
}

std::optional<std::vector<int64_t>> GgufFile::getIntArray(std::string_view key) const {
    const auto* value = find(key);
    const auto* array = value ? value->asArray() : nullptr;
    if (!array || !isIntegerType(value->elementType())) return std::nullopt;
    std::vector<int64_t> out;
    out.reserve(array->size());
    for (const auto& element : *array) {
        const auto number = element.asInt();
        if (!number) return std::nullopt; // a u64 beyond int64: not a usable id list
        out.push_back(*number);
    }
    return out;
}

std::optional<std::vector<float>> GgufFile::getFloatArray(std::string_view key) const {
    const auto* value = find(key);
    const auto* array = value ? value->asArray() : nullptr;
    if (!array || (value->elementType() != GgufType::F32 && value->elementType() != GgufType::F64))
        return std::nullopt;
    std::vector<float> out;
    out.reserve(array->size());
    for (const auto& element : *array) out.push_back(static_cast<float>(*element.asFloat()));
    return out;
}

const GgufTensor* GgufFile::findTensor(std::string_view name) const {
    const auto it = tensorIndex_.find(name);
    return it == tensorIndex_.end() ? nullptr : &tensors_[it->second];
}

std::span<const uint8_t> GgufFile::tensorData(const GgufTensor& tensor) const {
    return bytes_.subspan(dataOffset_ + tensor.offset, tensor.bytes);
}

} // namespace lucent
