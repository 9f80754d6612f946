#pragma once
/// @file
/// @brief A read-only memory mapping of a whole file (POSIX mmap), owned RAII-style.

#include "inference/core/Expected.h"

#include <cstdint>
#include <span>
#include <string>

namespace lucent {

/// @brief Maps a file read-only for the object's lifetime. Move-only.
class MappedFile {
public:
    /// @brief Maps `path`; errors say in plain words why (missing, a folder, unreadable, empty).
    static Expected<MappedFile> open(const std::string& path);

    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    std::span<const uint8_t> bytes() const { return {data_, size_}; }

private:
    MappedFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
};

} // namespace lucent
