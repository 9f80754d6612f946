#include "ModelFixtures.h"

#include "inference/gguf/GgufWriter.h"
#include "inference/quant/Fp16.h"

#include <cstring>

namespace lucent::testing {

GgufVocab syntheticVocab(int n) {
    GgufVocab vocab;
    vocab.model = "gpt2";
    vocab.pre = "qwen2";
    for (int i = 0; i < n; ++i) {
        vocab.tokens.push_back("tok" + std::to_string(i));
        vocab.tokenTypes.push_back(i == 1 || i == 2 ? Control : Normal);
    }
    vocab.bos = 1;
    vocab.eos = 2;
    return vocab;
}

Expected<void> writeModel(const TestModelSpec& spec, const std::string& path, const GgufVocab& vocab) {
    return writeTestModel(spec, vocab, path);
}

Expected<std::vector<uint8_t>> damagedCopy(const GgufFile& source, const Damage& damage) {
    GgufWriter writer;
    for (const auto& [key, value] : source.metadata()) {
        if (damage.dropMetadata.count(key)) continue;
        const auto replaced = damage.setMetadata.find(key);
        writer.set(key, replaced != damage.setMetadata.end() ? replaced->second : value);
    }
    for (const auto& [key, value] : damage.setMetadata)
        if (!source.find(key)) writer.set(key, value);
    for (const GgufTensor& tensor : source.tensors()) {
        if (damage.dropTensors.count(tensor.name)) continue;
        const auto data = source.tensorData(tensor);
        std::vector<uint8_t> bytes(data.begin(), data.end());
        std::vector<uint64_t> shape = tensor.shape;
        TensorType type = tensor.type;
        if (auto it = damage.reshapeTensors.find(tensor.name); it != damage.reshapeTensors.end()) shape = it->second;
        if (auto it = damage.retypeTensors.find(tensor.name); it != damage.retypeTensors.end() && type == TensorType::F32) {
            type = it->second;
            std::vector<uint8_t> half(tensor.elements * 2);
            for (uint64_t i = 0; i < tensor.elements; ++i) {
                float v;
                std::memcpy(&v, bytes.data() + 4 * i, 4);
                const uint16_t h = floatToHalf(v);
                std::memcpy(half.data() + 2 * i, &h, 2);
            }
            bytes = std::move(half);
        }
        if (auto added = writer.addTensor(tensor.name, shape, type, std::move(bytes)); !added) return fail(added.error());
    }
    return writer.toBytes();
}

} // namespace lucent::testing
