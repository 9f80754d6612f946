#include "HfTokenizerFiles.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <map>

namespace lucent::testing {
namespace {

std::optional<QJsonObject> readJson(const QString& path, QString& error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = path + " cannot be read.";
        return std::nullopt;
    }
    QJsonParseError parseError{};
    const auto document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        error = path + " is not valid JSON: " + parseError.errorString() + ".";
        return std::nullopt;
    }
    return document.object();
}

// Like llama.cpp's converter: added tokens that are not flagged special but look like control
// markers (<|…|>, <｜…｜>) become CONTROL; other added tokens are USER_DEFINED.
bool looksSpecial(const QString& text) {
    return (text.startsWith("<|") && text.endsWith("|>")) || (text.startsWith(u"<｜") && text.endsWith(u"｜>"));
}

QString tokenText(const QJsonValue& value) {
    return value.isObject() ? value.toObject().value("content").toString() : value.toString();
}

std::string inferPre(const QJsonObject& tokenizer) {
    const QString pre = QString::fromUtf8(QJsonDocument(tokenizer.value("pre_tokenizer").toObject()).toJson());
    if (pre.contains(u"\\u4e00") || pre.contains(u"一-龥") || pre.contains(QChar(0x4e00))) return "deepseek-v3";
    if (pre.contains("\\\\p{N}{1,3}")) return "llama-bpe";
    if (pre.contains("\\\\p{N}")) return "qwen2";
    return "default";
}

} // namespace

std::optional<GgufVocab> readHfTokenizer(const QString& dir, const HfTokenizerOptions& options, QString& error) {
    const auto tokenizer = readJson(dir + "/tokenizer.json", error);
    if (!tokenizer) return std::nullopt;
    QJsonObject config;
    if (QFile::exists(dir + "/tokenizer_config.json")) {
        const auto read = readJson(dir + "/tokenizer_config.json", error);
        if (!read) return std::nullopt;
        config = *read;
    }
    const QJsonObject model = tokenizer->value("model").toObject();
    if (model.value("type").toString() != "BPE") {
        error = dir + "/tokenizer.json is not a byte-level BPE tokenizer.";
        return std::nullopt;
    }

    // id → (text, type)
    std::map<int, std::pair<QString, int32_t>> byId;
    const QJsonObject vocab = model.value("vocab").toObject();
    for (auto it = vocab.begin(); it != vocab.end(); ++it) byId[it.value().toInt()] = {it.key(), Normal};

    GgufVocab out;
    std::optional<QJsonObject> added;
    if (!options.addedTokensFile.isEmpty()) {
        added = readJson(options.addedTokensFile, error);
        if (!added) return std::nullopt;
        for (const auto& token : added->value("added_tokens").toArray()) {
            const auto object = token.toObject();
            const QString text = object.value("content").toString();
            const bool special = object.value("special").toBool() || looksSpecial(text);
            byId[object.value("id").toInt()] = {text, special ? Control : UserDefined};
        }
        out.bos = added->value("bos_token_id").toInt();
        out.eos = added->value("eos_token_id").toInt();
        out.pad = added->value("pad_token_id").toInt();
        out.addBos = added->value("add_bos_token").toBool();
    } else {
        for (const auto& token : tokenizer->value("added_tokens").toArray()) {
            const auto object = token.toObject();
            const QString text = object.value("content").toString();
            const bool special = object.value("special").toBool() || looksSpecial(text);
            byId[object.value("id").toInt()] = {text, special ? Control : UserDefined};
        }
    }

    int size = byId.empty() ? 0 : byId.rbegin()->first + 1;
    size = std::max(size, options.vocabPad);
    QHash<QString, int> idOf;
    out.tokens.reserve(size_t(size));
    for (int id = 0; id < size; ++id) {
        const auto it = byId.find(id);
        if (it == byId.end()) {
            out.tokens.push_back("[PAD" + std::to_string(id) + "]");
            out.tokenTypes.push_back(Unused);
        } else {
            out.tokens.push_back(it->second.first.toStdString());
            out.tokenTypes.push_back(it->second.second);
            idOf.insert(it->second.first, id);
        }
    }
    for (const auto& merge : model.value("merges").toArray()) {
        if (merge.isArray())
            out.merges.push_back((merge.toArray().at(0).toString() + " " + merge.toArray().at(1).toString()).toStdString());
        else
            out.merges.push_back(merge.toString().toStdString());
    }
    out.pre = options.pre.empty() ? inferPre(*tokenizer) : options.pre;

    if (!added) {
        auto idFor = [&](const char* key) -> std::optional<int32_t> {
            const QString text = tokenText(config.value(key));
            if (text.isEmpty() || !idOf.contains(text)) return std::nullopt;
            return idOf.value(text);
        };
        out.bos = idFor("bos_token");
        out.eos = idFor("eos_token");
        out.pad = idFor("pad_token");
        // Llama 3's tokenizer adds BOS through its post-processor; Qwen's adds nothing.
        out.addBos = config.contains("add_bos_token") ? config.value("add_bos_token").toBool()
                                                      : (out.pre == "llama-bpe" && out.bos.has_value());
        out.addEos = config.value("add_eos_token").toBool(false);
    }
    const QJsonValue chatTemplate = config.value("chat_template");
    if (chatTemplate.isString()) out.chatTemplate = chatTemplate.toString().toStdString();
    return out;
}

} // namespace lucent::testing
