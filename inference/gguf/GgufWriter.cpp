#include "inference/gguf/GgufWriter.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace lucent {
namespace {

template <typename T>
void put(std::vector<uint8_t>& out, T value) {
    const auto* p = reinterpret_cast<const uint8_t*>(&value);
    out.insert(out.end(), p, p + sizeof(T));
}

void putString(std::vector<uint8_t>& out, const std::string_view text) {
    put<uint64_t>(out, text.size());
    out.insert(out.end(), text.begin(), text.end());
}

void putValue(std::vector<uint8_t>& out, GgufType type, const GgufValue& value) {
    switch (type) {
    case GgufType::U8: put<uint8_t>(out, static_cast<uint8_t>(*value.asUInt())); break;
    case GgufType::I8: put<int8_t>(out, static_cast<int8_t>(*value.asInt())); break;
    case GgufType::U16: put<uint16_t>(out, static_cast<uint16_t>(*value.asUInt())); break;
    case GgufType::I16: put<int16_t>(out, static_cast<int16_t>(*value.asInt())); break;
    case GgufType::U32: put<uint32_t>(out, static_cast<uint32_t>(*value.asUInt())); break;
    case GgufType::I32: put<int32_t>(out, static_cast<int32_t>(*value.asInt())); break;
    case GgufType::U64: put<uint64_t>(out, *value.asUInt()); break;
    case GgufType::I64: put<int64_t>(out, *value.asInt()); break;
    case GgufType::F32: put<float>(out, static_cast<float>(*value.asFloat())); break;
    case GgufType::F64: put<double>(out, *value.asFloat()); break;
    case GgufType::Bool: put<uint8_t>(out, *value.asBool() ? 1 : 0); break;
    case GgufType::String: putString(out, *value.asString()); break;
    case GgufType::Array: {
        const auto& elements = *value.asArray();
        put<uint32_t>(out, static_cast<uint32_t>(value.elementType()));
        put<uint64_t>(out, elements.size());
        for (const auto& element : elements) putValue(out, value.elementType(), element);
        break;
    }
    }
}

uint64_t alignUp(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

} // namespace

void GgufWriter::set(const std::string& key, GgufValue value) {
    for (auto& entry : metadata_)
        if (entry.first == key) {
            entry.second = std::move(value);
            return;
        }
    metadata_.emplace_back(key, std::move(value));
}

void GgufWriter::setU32(const std::string& key, uint32_t v) { set(key, GgufValue::unsignedInt(GgufType::U32, v)); }
void GgufWriter::setI32(const std::string& key, int32_t v) { set(key, GgufValue::signedInt(GgufType::I32, v)); }
void GgufWriter::setU64(const std::string& key, uint64_t v) { set(key, GgufValue::unsignedInt(GgufType::U64, v)); }
void GgufWriter::setF32(const std::string& key, float v) { set(key, GgufValue::floating(GgufType::F32, v)); }
void GgufWriter::setF64(const std::string& key, double v) { set(key, GgufValue::floating(GgufType::F64, v)); }
void GgufWriter::setBool(const std::string& key, bool v) { set(key, GgufValue::boolean(v)); }
void GgufWriter::setString(const std::string& key, std::string v) { set(key, GgufValue::string(std::move(v))); }

void GgufWriter::setStringArray(const std::string& key, const std::vector<std::string>& values) {
    GgufValue::Array elements;
    elements.reserve(values.size());
    for (const auto& value : values) elements.push_back(GgufValue::string(value));
    set(key, GgufValue::array(GgufType::String, std::move(elements)));
}

void GgufWriter::setI32Array(const std::string& key, const std::vector<int32_t>& values) {
    GgufValue::Array elements;
    elements.reserve(values.size());
    for (const auto value : values) elements.push_back(GgufValue::signedInt(GgufType::I32, value));
    set(key, GgufValue::array(GgufType::I32, std::move(elements)));
}

void GgufWriter::setF32Array(const std::string& key, const std::vector<float>& values) {
    GgufValue::Array elements;
    elements.reserve(values.size());
    for (const auto value : values) elements.push_back(GgufValue::floating(GgufType::F32, value));
    set(key, GgufValue::array(GgufType::F32, std::move(elements)));
}

void GgufWriter::setAlignment(uint32_t alignment) {
    alignment_ = alignment;
    if (alignment != 32) setU32("general.alignment", alignment);
    // Offsets already assigned follow the old alignment: recompute them.
    dataSize_ = 0;
    for (auto& tensor : tensors_) {
        tensor.offset = alignUp(dataSize_, alignment_);
        dataSize_ = tensor.offset + tensor.bytes.size();
    }
}

Expected<void> GgufWriter::addTensor(std::string name, std::vector<uint64_t> shape, TensorType type,
                                     std::vector<uint8_t> bytes) {
    if (shape.empty() || shape.size() > 4) return fail("tensor '" + name + "' must have 1 to 4 dimensions.");
    const auto& info = tensorTypeInfo(type);
    if (shape[0] % info.blockSize != 0)
        return fail("tensor '" + name + "' has rows of " + std::to_string(shape[0]) +
                    " weights, not a multiple of the block size of " + std::string(info.name) + ".");
    uint64_t elements = 1;
    for (const auto extent : shape) elements *= extent;
    const uint64_t expected = elements / info.blockSize * info.blockBytes;
    if (bytes.size() != expected)
        return fail("tensor '" + name + "' has " + std::to_string(bytes.size()) + " bytes of data but its shape and type need " +
                    std::to_string(expected) + ".");
    const uint64_t offset = alignUp(dataSize_, alignment_);
    dataSize_ = offset + bytes.size();
    tensors_.push_back({std::move(name), std::move(shape), type, std::move(bytes), offset});
    return {};
}

std::vector<uint8_t> GgufWriter::headerBytes() const {
    std::vector<uint8_t> out;
    out.insert(out.end(), {'G', 'G', 'U', 'F'});
    put<uint32_t>(out, version_);
    put<uint64_t>(out, tensors_.size());
    put<uint64_t>(out, metadata_.size());
    for (const auto& [key, value] : metadata_) {
        putString(out, key);
        put<uint32_t>(out, static_cast<uint32_t>(value.type()));
        putValue(out, value.type(), value);
    }
    for (const auto& tensor : tensors_) {
        putString(out, tensor.name);
        put<uint32_t>(out, static_cast<uint32_t>(tensor.shape.size()));
        for (const auto extent : tensor.shape) put<uint64_t>(out, extent);
        put<uint32_t>(out, static_cast<uint32_t>(tensor.type));
        put<uint64_t>(out, tensor.offset);
    }
    out.resize(alignUp(out.size(), alignment_), 0);
    return out;
}

std::vector<uint8_t> GgufWriter::toBytes() const {
    std::vector<uint8_t> out = headerBytes();
    const size_t dataStart = out.size();
    out.resize(dataStart + alignUp(dataSize_, alignment_), 0);
    for (const auto& tensor : tensors_)
        std::memcpy(out.data() + dataStart + tensor.offset, tensor.bytes.data(), tensor.bytes.size());
    return out;
}

Expected<void> GgufWriter::write(const std::string& path) const {
    const std::string partial = path + ".partial";
    std::FILE* file = std::fopen(partial.c_str(), "wb");
    if (!file) return fail("cannot create " + partial + ": " + std::strerror(errno) + ".");
    bool ok = true;
    auto emit = [&](const void* data, size_t size) {
        ok = ok && std::fwrite(data, 1, size, file) == size;
    };
    const auto header = headerBytes();
    emit(header.data(), header.size());
    uint64_t written = 0;
    const std::vector<uint8_t> padding(alignment_, 0);
    for (const auto& tensor : tensors_) {
        emit(padding.data(), tensor.offset - written);
        emit(tensor.bytes.data(), tensor.bytes.size());
        written = tensor.offset + tensor.bytes.size();
    }
    emit(padding.data(), alignUp(written, alignment_) - written);
    const int error = ok ? 0 : errno;
    ok = (std::fclose(file) == 0) && ok;
    if (!ok) {
        std::remove(partial.c_str());
        return fail("cannot write " + path + ": " + std::strerror(error ? error : errno) +
                    " (is the disk full?).");
    }
    std::error_code renameError;
    std::filesystem::rename(partial, path, renameError);
    if (renameError) {
        std::remove(partial.c_str());
        return fail("cannot move the finished file to " + path + ": " + renameError.message() + ".");
    }
    return {};
}

} // namespace lucent
