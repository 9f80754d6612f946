#pragma once
/// @file
/// @brief Internal: turns untrusted bytes into a GgufFile, checking each field before use.

#include "inference/gguf/GgufFile.h"

namespace lucent {

/// @brief The validating GGUF parser behind GgufFile::open / fromMemory.
class GgufParser {
public:
    GgufParser(std::span<const uint8_t> bytes, std::string name) : bytes_(bytes), name_(std::move(name)) {}
    /// @brief Parses everything into `file` (whose bytes_ and name_ the caller sets).
    Expected<void> parse(GgufFile& file);

private:
    Expected<void> parseHeader(GgufFile& file, uint64_t& tensorCount, uint64_t& kvCount);
    Expected<void> parseMetadata(GgufFile& file, uint64_t kvCount);
    Expected<GgufValue> parseValue(GgufType type, int depth);
    Expected<void> parseTensorInfos(GgufFile& file, uint64_t tensorCount);
    Expected<void> checkTensorRanges(GgufFile& file);

    bool need(uint64_t count) const { return count <= bytes_.size() - pos_; }
    Unexpected truncated(const std::string& what) const;
    Unexpected problem(const std::string& what) const;
    Expected<uint32_t> readU32(const char* what);
    Expected<uint64_t> readU64(const char* what);
    Expected<std::string> readString(const char* what, uint64_t maxLength);

    std::span<const uint8_t> bytes_;
    std::string name_;
    uint64_t pos_ = 0;
    uint32_t version_ = 0;
    uint64_t metadataElements_ = 0;
};

/// @brief "1,234,567" — byte counts in messages.
std::string withThousands(uint64_t value);

} // namespace lucent
