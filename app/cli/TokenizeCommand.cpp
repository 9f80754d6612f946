// lucent-cli tokenize MODEL [--bos] [--special] (TEXT | --file F) [--json]: the token ids a model's
// own tokenizer gives a text. Only the tokenizer is read; the weights are never loaded.
#include "app/cli/CommandTable.h"
#include "inference/gguf/GgufFile.h"
#include "inference/tokenizer/Tokenizer.h"

#include <QFile>
#include <QJsonArray>

namespace lucent::cli {
namespace {

// A token's bytes quoted for a terminal: printable ASCII and whole UTF-8 characters as they are,
// quotes, backslashes and control characters C-escaped, stray bytes of a split character as \xNN
// (byte-level BPE often cuts a character in two).
QString quotedPiece(const std::string& piece) {
    QString quoted = "\"";
    size_t i = 0;
    while (i < piece.size()) {
        const auto byte = static_cast<unsigned char>(piece[i]);
        const int length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
        if (byte == '"' || byte == '\\') {
            quoted += '\\';
            quoted += QChar(byte);
        } else if (byte == '\n') {
            quoted += "\\n";
        } else if (byte == '\r') {
            quoted += "\\r";
        } else if (byte == '\t') {
            quoted += "\\t";
        } else if (length == 1 && byte >= 0x20 && byte != 0x7F) {
            quoted += QChar(byte);
        } else if (length > 1 && i + size_t(length) <= piece.size()) {
            const QString character = QString::fromUtf8(piece.data() + i, length);
            if (character.size() > 0 && !character.contains(QChar::ReplacementCharacter)) {
                quoted += character;
                i += size_t(length);
                continue;
            }
            quoted += QStringLiteral("\\x%1").arg(byte, 2, 16, QChar('0'));
        } else {
            quoted += QStringLiteral("\\x%1").arg(byte, 2, 16, QChar('0'));
        }
        ++i;
    }
    return quoted + "\"";
}

} // namespace

int runTokenize(CliIo& io) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Print the token ids of a text.");
    parser.addPositionalArgument("MODEL", "The .gguf file.");
    parser.addPositionalArgument("TEXT", "The text (or use --file).", "[TEXT]");
    parser.addOption({"file", "Tokenize the bytes of this file instead of TEXT.", "F"});
    parser.addOption({"bos", "Start with the model's BOS token (when it has one)."});
    parser.addOption({"special", "Read special-token text such as <|im_start|> as that token instead of plain text."});
    addCommonOptions(parser);
    if (!parseArguments(io, parser, 1, 2)) return parser.isSet("help") ? 0 : 1;

    const bool hasText = parser.positionalArguments().size() == 2;
    if (hasText == parser.isSet("file"))
        return reportError(io, hasText ? "give either TEXT or --file F, not both." : "give the text to tokenize, or --file F.");
    std::string text;
    if (hasText) {
        text = parser.positionalArguments().at(1).toStdString();
    } else {
        QFile file(parser.value("file"));
        if (!file.open(QIODevice::ReadOnly))
            return reportError(io, QStringLiteral("cannot read %1: %2").arg(parser.value("file"), file.errorString()));
        text = file.readAll().toStdString();
    }

    auto gguf = GgufFile::open(parser.positionalArguments().at(0).toStdString());
    if (!gguf) return reportError(io, QString::fromStdString(gguf.error().message));
    auto tokenizer = Tokenizer::fromGguf(*gguf);
    if (!tokenizer) return reportError(io, QString::fromStdString(tokenizer.error().message));
    const std::vector<int32_t> ids = tokenizer->tokenize(text, {.addBos = parser.isSet("bos"), .parseSpecial = parser.isSet("special")});

    if (wantsJson(parser)) {
        QJsonArray tokens;
        for (const int32_t id : ids) tokens.append(id);
        return printJson(io, {{"tokens", tokens}});
    }
    for (const int32_t id : ids) io.out << id << '\t' << quotedPiece(tokenizer->tokenToPiece(id)) << '\n';
    io.out.flush();
    return 0;
}

} // namespace lucent::cli
