#include "inference/gguf/ModelSummary.h"

#include <algorithm>

namespace lucent {

std::string llamaFileTypeName(uint64_t fileType) {
    switch (fileType) {
    case 0: return "F32";
    case 1: return "F16";
    case 2: return "Q4_0";
    case 3: return "Q4_1";
    case 7: return "Q8_0";
    case 8: return "Q5_0";
    case 9: return "Q5_1";
    case 10: return "Q2_K";
    case 11: return "Q3_K_S";
    case 12: return "Q3_K_M";
    case 13: return "Q3_K_L";
    case 14: return "Q4_K_S";
    case 15: return "Q4_K_M";
    case 16: return "Q5_K_S";
    case 17: return "Q5_K_M";
    case 18: return "Q6_K";
    case 32: return "BF16";
    default: return {};
    }
}

Expected<ModelSummary> summarizeModel(const GgufFile& file) {
    ModelSummary summary;
    const auto architecture = file.getString("general.architecture");
    if (!architecture || architecture->empty())
        return fail(file.name() + " does not say which model architecture it holds (general.architecture is missing).");
    summary.architecture = std::string(*architecture);
    summary.name = std::string(file.getString("general.name").value_or(""));
    const std::string prefix = summary.architecture + ".";
    summary.layers = file.getUInt(prefix + "block_count").value_or(0);
    summary.embeddingLength = file.getUInt(prefix + "embedding_length").value_or(0);
    summary.contextLength = file.getUInt(prefix + "context_length").value_or(0);
    summary.hasChatTemplate = file.getString("tokenizer.chat_template").has_value();
    for (const auto& tensor : file.tensors()) {
        summary.parameters += tensor.elements;
        ++summary.tensorTypes[std::string(tensorTypeName(tensor.type))];
    }
    if (const auto fileType = file.getUInt("general.file_type")) summary.fileType = llamaFileTypeName(*fileType);
    if (summary.fileType.empty() && !summary.tensorTypes.empty()) {
        // No (known) file type: name the file after the type most of its tensors use.
        summary.fileType = std::max_element(summary.tensorTypes.begin(), summary.tensorTypes.end(),
                                            [](const auto& a, const auto& b) { return a.second < b.second; })->first;
    }
    return summary;
}

} // namespace lucent
