// Writes the fuzzer's seed corpus (tests/gguf/fuzz_corpus/): small valid files of several shapes
// and types, and a few broken ones. Run: make_fuzz_seeds <dir>
#include "GgufSamples.h"

#include <cstdio>
#include <string>

using namespace lucent;

static void save(const std::string& dir, const std::string& name, const std::vector<uint8_t>& bytes) {
    if (std::FILE* f = std::fopen((dir + "/" + name).c_str(), "wb")) {
        std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
    }
}

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    const std::string dir = argv[1];
    save(dir, "sample_v3.gguf", testing::sampleWriter(3).toBytes());
    save(dir, "sample_v2.gguf", testing::sampleWriter(2).toBytes());
    save(dir, "sample_align64.gguf", testing::sampleWriter(3, 64).toBytes());
    save(dir, "sample_align1.gguf", testing::sampleWriter(3, 1).toBytes());
    for (auto type : {TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0, TensorType::Q4_K,
                      TensorType::Q5_K, TensorType::BF16}) {
        GgufWriter writer;
        writer.setString("general.architecture", "llama");
        writer.setU32("llama.block_count", 1);
        const auto& info = tensorTypeInfo(type);
        (void)writer.addTensor("blk.0.attn_q.weight", {info.blockSize * 1, 2}, type, std::vector<uint8_t>(2 * info.blockBytes, 7));
        save(dir, "tensor_" + std::string(info.name) + ".gguf", writer.toBytes());
    }
    GgufWriter empty;
    save(dir, "empty_model.gguf", empty.toBytes());
    auto cut = testing::sampleWriter().toBytes();
    cut.resize(cut.size() / 2);
    save(dir, "truncated.gguf", cut);
    save(dir, "lfs_pointer.gguf", {'v', 'e', 'r', 's', 'i', 'o', 'n', ' ', 'h', 't', 't', 'p', 's', ':', '/', '/', 'g', 'i', 't', '-', 'l', 'f', 's'});
    return 0;
}
