#include "inference/gguf/MappedFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace lucent {

Expected<MappedFile> MappedFile::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        if (error == ENOENT) return fail(path + " does not exist.");
        if (error == EACCES) return fail(path + " cannot be read: permission denied.");
        return fail(path + " cannot be opened: " + std::strerror(error) + ".");
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        ::close(fd);
        return fail(path + " cannot be read: " + std::strerror(error) + ".");
    }
    if (S_ISDIR(info.st_mode)) {
        ::close(fd);
        return fail(path + " is a folder, not a model file.");
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        return fail(path + " is not a regular file.");
    }
    if (info.st_size == 0) {
        ::close(fd);
        return fail(path + " is empty (0 bytes); the download or copy probably failed.");
    }
    const auto size = static_cast<size_t>(info.st_size);
    void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int error = errno;
    ::close(fd); // the mapping keeps the file alive
    if (address == MAP_FAILED)
        return fail(path + " cannot be mapped into memory: " + std::strerror(error) + ".");
    return MappedFile(static_cast<const uint8_t*>(address), size);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

MappedFile::~MappedFile() {
    if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
}

} // namespace lucent
