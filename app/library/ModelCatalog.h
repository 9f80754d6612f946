#pragma once
/// @file
/// @brief The curated model catalog shipped with the app (`:/lucent/catalog.json`) and the rules that
/// turn what a user types — a catalog id, a Hugging Face `owner/repo` + file, or a URL — into a download.

#include "inference/core/Expected.h"

#include <QList>
#include <QString>
#include <QUrl>
#include <optional>

namespace lucent::library {

/// @brief One downloadable model file of the catalog.
struct CatalogEntry {
    QString id;           ///< "r1-distill-qwen-1.5b:q4_k_m"
    QString name;         ///< "DeepSeek-R1-Distill-Qwen 1.5B"
    QString architecture; ///< qwen2 | llama | qwen3
    QString parameters;   ///< "1.5B", as people say it
    QString quantization; ///< "Q4_K_M"
    bool isDefault = false; ///< the quantization a bare model id ("r1-distill-qwen-1.5b") picks
    QString repo;         ///< Hugging Face repository, "bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF"
    QString file;         ///< file name inside the repository
    qint64 approxBytes = 0; ///< listed size; for the disk-space check and progress before the server answers
    QString sha256;       ///< lower-case hex, or empty when no verified hash is known
    QString comment;

    /// @brief The file's download URL (Hugging Face "resolve" link on the main branch).
    QUrl url() const;
};

/// @brief The catalog compiled into the binary. Asserts on a malformed resource (a build mistake).
const QList<CatalogEntry>& builtInCatalog();

/// @brief Parses a catalog document; errors name what is wrong.
Expected<QList<CatalogEntry>> parseCatalog(const QByteArray& json);

/// @brief The entry with this id; a bare model id ("qwen3-4b") picks its default quantization.
/// Ids compare case-insensitively.
std::optional<CatalogEntry> findCatalogEntry(const QList<CatalogEntry>& catalog, const QString& id);

/// @brief `https://huggingface.co/<repo>/resolve/main/<file>`; errors when repo is not `owner/name`
/// or the file name is empty or climbs out of the repository.
Expected<QUrl> huggingFaceFileUrl(const QString& repo, const QString& file);

/// @brief What to download for a user's words: the URL, the file name to save as and what is known
/// about size and hash.
struct ResolvedModel {
    QUrl url;
    QString fileName;
    qint64 approxBytes = 0; ///< 0 when unknown
    QString sha256;         ///< empty when unknown
    std::optional<CatalogEntry> entry; ///< set when it came from the catalog
};

/// @brief Resolves a catalog id, `owner/repo/file.gguf` (or `hf://owner/repo/file.gguf`), or an
/// http(s) URL (the file name is the URL's last path segment). Errors are sentences for the user.
Expected<ResolvedModel> resolveModelReference(const QList<CatalogEntry>& catalog, const QString& reference);

} // namespace lucent::library
