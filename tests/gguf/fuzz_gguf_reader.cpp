// libFuzzer target: any byte string fed to the GGUF reader must yield a file or an Error, never a
// crash, an out-of-bounds read, undefined behaviour or a huge allocation. Touches every accessor.
#include "inference/gguf/GgufFile.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto file = lucent::GgufFile::fromMemory({data, size}, "fuzz.gguf");
    if (!file.ok()) return file.error().message.empty() ? __builtin_trap(), 0 : 0;
    volatile uint64_t sink = file->version() + file->alignment() + file->dataOffset();
    for (const auto& [key, value] : file->metadata()) {
        sink = sink + key.size() + (value.asUInt() ? *value.asUInt() : 0);
        (void)file->getString(key);
        (void)file->getFloat(key);
        (void)file->getBool(key);
        (void)file->getInt(key);
        if (auto strings = file->getStringArray(key)) sink = sink + strings->size();
        if (auto ints = file->getIntArray(key)) sink = sink + ints->size();
        if (auto floats = file->getFloatArray(key)) sink = sink + floats->size();
    }
    for (const auto& tensor : file->tensors()) {
        const auto bytes = file->tensorData(tensor);
        if (!bytes.empty()) sink = sink + bytes.front() + bytes.back(); // must be readable
        if (file->findTensor(tensor.name) != &tensor) __builtin_trap();
    }
    (void)sink;
    return 0;
}
