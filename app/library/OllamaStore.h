#pragma once
/// @file
/// @brief Reads Ollama's model store (~/.ollama/models): manifests name the models, blobs hold the
/// GGUF bytes under content-addressed names.

#include <QList>
#include <QString>

namespace lucent::library {

/// @brief One model tag in the store and the blob holding its weights.
struct OllamaModel {
    QString name;     ///< "deepseek-r1:1.5b" (library namespace), "user/model:tag", or "host/ns/model:tag"
    QString blobPath; ///< <root>/blobs/sha256-<hex>
    QString digest;   ///< "sha256:<hex>"
};

/// @brief Every manifest under <root>/manifests/<host>/<namespace>/<model>/<tag> whose layer of media
/// type application/vnd.ollama.image.model names an existing blob. Unreadable manifests are skipped.
QList<OllamaModel> readOllamaStore(const QString& root);

} // namespace lucent::library
