#pragma once
/// @file
/// @brief Finds GGUF models the user already has from other apps — LM Studio, Ollama, GPT4All, the
/// Hugging Face hub cache, llama.cpp's cache — and in folders they add, without copying anything.

#include "app/library/LocalModel.h"

#include <QFuture>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace lucent::library {

/// @brief Where to look. Every field is a parameter so tests point them at fixture trees.
struct DiscoveryRoots {
    QString lucentModels;      ///< Lucent's own models folder (<data dir>/models)
    QStringList lmStudio;      ///< folders of <publisher>/<repo>/*.gguf
    QString ollama;            ///< ~/.ollama/models (manifests/ + blobs/)
    QString gpt4All;           ///< folder of *.gguf
    QString huggingFaceHub;    ///< ~/.cache/huggingface/hub (models--owner--repo/snapshots/<rev>/…)
    QString llamaCpp;          ///< folder of *.gguf
    QStringList userFolders;   ///< searched recursively (a few levels)

    /// @brief The apps' usual places under `home`, honouring LLAMA_CACHE, HF_HUB_CACHE / HF_HOME and
    /// OLLAMA_MODELS from `environment`.
    static DiscoveryRoots standard(const QString& home, const QString& lucentModels,
                                   const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment());
};

/// @brief Lists the GGUF files under the roots and reads each one's facts. The same file reached
/// twice (a symlink, overlapping folders) is listed once, under the first source. Blocking.
QList<LocalModel> discoverModels(const DiscoveryRoots& roots);

/// @brief discoverModels on a pool thread, for the GUI (watch it with QFutureWatcher).
QFuture<QList<LocalModel>> discoverModelsAsync(const DiscoveryRoots& roots);

} // namespace lucent::library
