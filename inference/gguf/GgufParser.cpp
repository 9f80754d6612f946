#include "inference/gguf/GgufParser.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <unordered_set>

namespace lucent {
namespace {

constexpr uint64_t kDefaultAlignment = 32;
constexpr uint64_t kMaxKeyLength = 65535;       // the format's documented key limit
constexpr uint64_t kMaxTensorNameLength = 1024; // ggml itself stops at 64
constexpr int kMaxArrayDepth = 8;               // arrays of arrays are legal; unbounded nesting is not
constexpr uint32_t kMaxDims = 4;
constexpr uint64_t kMaxElements = uint64_t{1} << 50;
// Real vocabularies hold < 1M entries across all arrays; this bounds memory for hostile counts.
constexpr uint64_t kMaxMetadataElements = uint64_t{8} << 20;

// Smallest encoding of one metadata entry / tensor info, to bound counts by the bytes left.
constexpr uint64_t kMinKvBytes = 8 + 1 + 4 + 1;         // key length, 1-byte key, type, u8 value
constexpr uint64_t kMinTensorInfoBytes = 8 + 1 + 4 + 8 + 4 + 8; // name, n_dims, ne0, type, offset

uint64_t scalarSize(GgufType type) {
    switch (type) {
    case GgufType::U8: case GgufType::I8: case GgufType::Bool: return 1;
    case GgufType::U16: case GgufType::I16: return 2;
    case GgufType::U32: case GgufType::I32: case GgufType::F32: return 4;
    case GgufType::U64: case GgufType::I64: case GgufType::F64: return 8;
    case GgufType::String: return 8; // at least its length
    case GgufType::Array: return 4 + 8;
    }
    return 1;
}

bool knownValueType(uint32_t type) { return type <= static_cast<uint32_t>(GgufType::F64); }

template <typename T>
T load(const uint8_t* p) {
    T value;
    std::memcpy(&value, p, sizeof(T));
    return value;
}

// Recognizes files people download by mistake instead of the model.
std::string describeNonGguf(std::span<const uint8_t> bytes) {
    std::string head(reinterpret_cast<const char*>(bytes.data()), std::min<size_t>(bytes.size(), 64));
    if (head.starts_with("version https://git-lfs"))
        return "it is a Git LFS pointer, not the model itself; download the actual file "
               "(e.g. from the repository's \"resolve\" link or with `git lfs pull`).";
    std::string lower = head;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    if (lower.find("<!doctype") != std::string::npos || lower.find("<html") != std::string::npos)
        return "it is a web page; the download probably saved an error or sign-in page instead of the model.";
    if (lower.starts_with("{") || lower.starts_with("["))
        return "it looks like a JSON file, not a model.";
    if (bytes.size() >= 4 && std::memcmp(bytes.data(), "PK\x03\x04", 4) == 0)
        return "it is a ZIP archive; unpack it first.";
    if (bytes.size() >= 8 && load<uint64_t>(bytes.data()) < (uint64_t{1} << 32) && head.find("\"dtype\"") != std::string::npos)
        return "it looks like a safetensors file; convert it to GGUF first.";
    return "it does not start with the GGUF signature.";
}

} // namespace

std::string withThousands(uint64_t value) {
    std::string digits = std::to_string(value);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

Unexpected GgufParser::truncated(const std::string& what) const {
    return fail(name_ + " is truncated or corrupt: " + what + " runs past the end of the file (" +
                withThousands(bytes_.size()) + " bytes).");
}

Unexpected GgufParser::problem(const std::string& what) const {
    return fail(name_ + " is not a valid GGUF file: " + what);
}

Expected<uint32_t> GgufParser::readU32(const char* what) {
    if (!need(4)) return truncated(what);
    const auto value = load<uint32_t>(bytes_.data() + pos_);
    pos_ += 4;
    return value;
}

Expected<uint64_t> GgufParser::readU64(const char* what) {
    if (!need(8)) return truncated(what);
    const auto value = load<uint64_t>(bytes_.data() + pos_);
    pos_ += 8;
    return value;
}

Expected<std::string> GgufParser::readString(const char* what, uint64_t maxLength) {
    auto length = readU64(what);
    if (!length) return fail(length.error());
    if (!need(*length)) return truncated(std::string(what) + " of " + withThousands(*length) + " bytes");
    if (*length > maxLength)
        return problem(std::string(what) + " claims a length of " + withThousands(*length) +
                       " bytes (at most " + withThousands(maxLength) + " allowed).");
    std::string text(reinterpret_cast<const char*>(bytes_.data() + pos_), *length);
    pos_ += *length;
    return text;
}

Expected<void> GgufParser::parse(GgufFile& file) {
    uint64_t tensorCount = 0;
    uint64_t kvCount = 0;
    if (auto ok = parseHeader(file, tensorCount, kvCount); !ok) return ok;
    if (auto ok = parseMetadata(file, kvCount); !ok) return ok;
    if (auto ok = parseTensorInfos(file, tensorCount); !ok) return ok;
    return checkTensorRanges(file);
}

Expected<void> GgufParser::parseHeader(GgufFile& file, uint64_t& tensorCount, uint64_t& kvCount) {
    if (bytes_.size() < 4 || std::memcmp(bytes_.data(), "GGUF", 4) != 0)
        return fail(name_ + " is not a GGUF model file: " + describeNonGguf(bytes_));
    pos_ = 4;
    auto version = readU32("the header");
    if (!version) return fail(version.error());
    if (*version == 1)
        return fail(name_ + " uses GGUF version 1, which is no longer supported; re-convert or "
                            "download a current GGUF of this model.");
    if (*version != 2 && *version != 3)
        return fail(name_ + " uses GGUF version " + std::to_string(*version) +
                    ", which Lucent does not know (it reads versions 2 and 3).");
    version_ = file.version_ = *version;
    auto tensors = readU64("the header");
    if (!tensors) return fail(tensors.error());
    auto kvs = readU64("the header");
    if (!kvs) return fail(kvs.error());
    const uint64_t left = bytes_.size() - pos_;
    if (*kvs > left / kMinKvBytes)
        return problem("the header claims " + withThousands(*kvs) +
                       " metadata entries, more than the file can hold.");
    if (*tensors > left / kMinTensorInfoBytes)
        return problem("the header claims " + withThousands(*tensors) +
                       " tensors, more than the file can hold.");
    tensorCount = *tensors;
    kvCount = *kvs;
    return {};
}

Expected<GgufValue> GgufParser::parseValue(GgufType type, int depth) {
    const char* what = "a metadata value";
    auto readScalar = [&](uint64_t size) -> Expected<const uint8_t*> {
        if (!need(size)) return truncated(what);
        const uint8_t* p = bytes_.data() + pos_;
        pos_ += size;
        return p;
    };
    switch (type) {
    case GgufType::U8: { auto p = readScalar(1); if (!p) return fail(p.error()); return GgufValue::unsignedInt(type, load<uint8_t>(*p)); }
    case GgufType::I8: { auto p = readScalar(1); if (!p) return fail(p.error()); return GgufValue::signedInt(type, load<int8_t>(*p)); }
    case GgufType::U16: { auto p = readScalar(2); if (!p) return fail(p.error()); return GgufValue::unsignedInt(type, load<uint16_t>(*p)); }
    case GgufType::I16: { auto p = readScalar(2); if (!p) return fail(p.error()); return GgufValue::signedInt(type, load<int16_t>(*p)); }
    case GgufType::U32: { auto p = readScalar(4); if (!p) return fail(p.error()); return GgufValue::unsignedInt(type, load<uint32_t>(*p)); }
    case GgufType::I32: { auto p = readScalar(4); if (!p) return fail(p.error()); return GgufValue::signedInt(type, load<int32_t>(*p)); }
    case GgufType::U64: { auto p = readScalar(8); if (!p) return fail(p.error()); return GgufValue::unsignedInt(type, load<uint64_t>(*p)); }
    case GgufType::I64: { auto p = readScalar(8); if (!p) return fail(p.error()); return GgufValue::signedInt(type, load<int64_t>(*p)); }
    case GgufType::F32: { auto p = readScalar(4); if (!p) return fail(p.error()); return GgufValue::floating(type, load<float>(*p)); }
    case GgufType::F64: { auto p = readScalar(8); if (!p) return fail(p.error()); return GgufValue::floating(type, load<double>(*p)); }
    case GgufType::Bool: {
        auto p = readScalar(1);
        if (!p) return fail(p.error());
        if (**p > 1) return problem("a boolean value is " + std::to_string(**p) + " instead of 0 or 1.");
        return GgufValue::boolean(**p == 1);
    }
    case GgufType::String: {
        auto text = readString("a metadata string", bytes_.size());
        if (!text) return fail(text.error());
        return GgufValue::string(std::move(*text));
    }
    case GgufType::Array: {
        if (depth >= kMaxArrayDepth) return problem("metadata arrays are nested too deeply.");
        auto elementType = readU32(what);
        if (!elementType) return fail(elementType.error());
        if (!knownValueType(*elementType))
            return problem("an array has unknown element type " + std::to_string(*elementType) + ".");
        auto count = readU64(what);
        if (!count) return fail(count.error());
        const auto element = static_cast<GgufType>(*elementType);
        if (*count > (bytes_.size() - pos_) / scalarSize(element))
            return truncated("an array of " + withThousands(*count) + " elements");
        if (*count > kMaxMetadataElements - metadataElements_)
            return problem("its metadata arrays hold more than " + withThousands(kMaxMetadataElements) +
                           " elements, far more than any real model.");
        metadataElements_ += *count;
        GgufValue::Array elements;
        elements.reserve(*count); // bounded by the bytes left, checked above
        for (uint64_t i = 0; i < *count; ++i) {
            auto value = parseValue(element, depth + 1);
            if (!value) return fail(value.error());
            elements.push_back(std::move(*value));
        }
        return GgufValue::array(element, std::move(elements));
    }
    }
    return problem("unknown metadata type.");
}

Expected<void> GgufParser::parseMetadata(GgufFile& file, uint64_t kvCount) {
    std::unordered_set<std::string> seen;
    file.metadata_.reserve(kvCount);
    for (uint64_t i = 0; i < kvCount; ++i) {
        auto key = readString("a metadata key", kMaxKeyLength);
        if (!key) return fail(key.error());
        if (key->empty()) return problem("metadata entry " + std::to_string(i) + " has an empty key.");
        if (!seen.insert(*key).second) return problem("the metadata key '" + *key + "' appears twice.");
        auto type = readU32("a metadata type");
        if (!type) return fail(type.error());
        if (!knownValueType(*type))
            return problem("metadata key '" + *key + "' has unknown type " + std::to_string(*type) + ".");
        auto value = parseValue(static_cast<GgufType>(*type), 0);
        if (!value) return fail(value.error());
        file.metadata_.emplace_back(std::move(*key), std::move(*value));
    }
    for (size_t i = 0; i < file.metadata_.size(); ++i)
        file.metadataIndex_.emplace(file.metadata_[i].first, i);

    if (const GgufValue* alignment = file.find("general.alignment")) {
        const auto value = alignment->asUInt();
        if (!value || *value == 0 || !std::has_single_bit(*value) || *value > (uint64_t{1} << 30))
            return problem("general.alignment must be a power of two, not " +
                           (value ? withThousands(*value) : std::string("a non-integer")) + ".");
        file.alignment_ = *value;
    } else {
        file.alignment_ = kDefaultAlignment;
    }
    return {};
}

Expected<void> GgufParser::parseTensorInfos(GgufFile& file, uint64_t tensorCount) {
    file.tensors_.reserve(tensorCount);
    std::unordered_set<std::string> seen;
    for (uint64_t i = 0; i < tensorCount; ++i) {
        GgufTensor tensor;
        auto name = readString("a tensor name", kMaxTensorNameLength);
        if (!name) return fail(name.error());
        if (name->empty()) return problem("tensor " + std::to_string(i) + " has an empty name.");
        tensor.name = std::move(*name);
        const std::string label = "tensor '" + tensor.name + "'";
        if (!seen.insert(tensor.name).second) return problem(label + " appears twice.");
        auto dims = readU32("a tensor's dimension count");
        if (!dims) return fail(dims.error());
        if (*dims == 0 || *dims > kMaxDims)
            return problem(label + " has " + std::to_string(*dims) + " dimensions (1 to 4 allowed).");
        tensor.elements = 1;
        for (uint32_t d = 0; d < *dims; ++d) {
            auto extent = readU64("a tensor's shape");
            if (!extent) return fail(extent.error());
            if (*extent == 0) return problem(label + " has a dimension of size 0.");
            if (*extent > kMaxElements / tensor.elements)
                return problem(label + " has an impossibly large shape.");
            tensor.elements *= *extent;
            tensor.shape.push_back(*extent);
        }
        auto typeId = readU32("a tensor's type");
        if (!typeId) return fail(typeId.error());
        const auto info = tensorTypeInfo(*typeId);
        if (!info) {
            const auto typeName = ggmlTypeName(*typeId);
            return fail(name_ + " uses tensor type " +
                        (typeName == "unknown" ? "id " + std::to_string(*typeId) : std::string(typeName)) +
                        " (in " + label + "), which Lucent does not support yet; supported types are "
                        "F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K and Q6_K.");
        }
        tensor.type = info->type;
        if (tensor.shape[0] % info->blockSize != 0)
            return problem(label + " has rows of " + withThousands(tensor.shape[0]) + " weights, not a multiple of " +
                           std::to_string(info->blockSize) + " as type " + std::string(info->name) + " needs.");
        tensor.bytes = tensor.elements / info->blockSize * info->blockBytes; // < 2^50 * 210 / 1: no overflow
        auto offset = readU64("a tensor's offset");
        if (!offset) return fail(offset.error());
        if (*offset % file.alignment_ != 0)
            return problem(label + " starts at offset " + withThousands(*offset) + ", not a multiple of the alignment " +
                           std::to_string(file.alignment_) + ".");
        tensor.offset = *offset;
        file.tensors_.push_back(std::move(tensor));
    }
    for (size_t i = 0; i < file.tensors_.size(); ++i) file.tensorIndex_.emplace(file.tensors_[i].name, i);
    return {};
}

Expected<void> GgufParser::checkTensorRanges(GgufFile& file) {
    const uint64_t alignment = file.alignment_;
    const uint64_t dataStart = (pos_ + alignment - 1) / alignment * alignment;
    file.dataOffset_ = dataStart;
    if (file.tensors_.empty()) return {};
    if (dataStart > bytes_.size())
        return fail(name_ + " is truncated: its tensor data section is missing.");
    const uint64_t dataSize = bytes_.size() - dataStart;
    std::vector<const GgufTensor*> byOffset;
    byOffset.reserve(file.tensors_.size());
    for (const auto& tensor : file.tensors_) {
        if (tensor.offset > dataSize || tensor.bytes > dataSize - tensor.offset)
            return fail(name_ + " is truncated: tensor '" + tensor.name + "' needs bytes up to " +
                        withThousands(dataStart + tensor.offset + tensor.bytes) + " but the file ends at " +
                        withThousands(bytes_.size()) + ".");
        byOffset.push_back(&tensor);
    }
    std::sort(byOffset.begin(), byOffset.end(),
              [](const GgufTensor* a, const GgufTensor* b) { return a->offset < b->offset; });
    for (size_t i = 1; i < byOffset.size(); ++i) {
        const auto* previous = byOffset[i - 1];
        if (byOffset[i]->offset < previous->offset + previous->bytes)
            return problem("tensors '" + previous->name + "' and '" + byOffset[i]->name + "' overlap.");
    }
    return {};
}

} // namespace lucent
