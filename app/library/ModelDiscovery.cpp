#include "app/library/ModelDiscovery.h"

#include "app/library/OllamaStore.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>
#include <QtConcurrent/QtConcurrentRun>

namespace lucent::library {

namespace {

constexpr int kUserFolderDepth = 4;

// A found file before its GGUF header is read.
struct Candidate {
    QString path;
    QString displayName;
    ModelSource source;
};

bool isGgufName(const QString& name) { return name.endsWith(QLatin1String(".gguf"), Qt::CaseInsensitive); }

// *.gguf files up to `depth` folders below `root`; display names are relative to `root`.
void collectGguf(const QString& root, int depth, ModelSource source, QList<Candidate>& out, const QString& prefix = {}) {
    if (root.isEmpty()) return;
    const QDir dir(root);
    if (!dir.exists()) return;
    for (const QFileInfo& entry : dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (entry.isDir() && depth > 0)
            collectGguf(entry.filePath(), depth - 1, source, out, prefix + entry.fileName() + '/');
        else if (entry.isFile() && isGgufName(entry.fileName()))
            out.append(Candidate{entry.filePath(), prefix + entry.fileName(), source});
    }
}

// models--<owner>--<repo>/snapshots/<revision>/<file>: the snapshot files are symlinks into blobs/.
void collectHuggingFaceHub(const QString& hub, QList<Candidate>& out) {
    if (hub.isEmpty()) return;
    const QDir dir(hub);
    for (const QString& repoDir : dir.entryList({"models--*"}, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QStringList nameParts = repoDir.mid(8).split(QStringLiteral("--"));
        const QString repo = nameParts.join('/');
        const QDir snapshots(dir.filePath(repoDir + "/snapshots"));
        for (const QString& revision : snapshots.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            QList<Candidate> files;
            collectGguf(snapshots.filePath(revision), 3, ModelSource::HuggingFaceCache, files);
            for (Candidate& file : files) file.displayName = repo + '/' + file.displayName;
            out.append(files);
        }
    }
}

QList<Candidate> findCandidates(const DiscoveryRoots& roots) {
    QList<Candidate> found;
    collectGguf(roots.lucentModels, 0, ModelSource::Lucent, found);
    for (const QString& root : roots.lmStudio) collectGguf(root, 2, ModelSource::LmStudio, found);
    if (!roots.ollama.isEmpty())
        for (const OllamaModel& model : readOllamaStore(roots.ollama))
            found.append(Candidate{model.blobPath, model.name, ModelSource::Ollama});
    collectGguf(roots.gpt4All, 0, ModelSource::Gpt4All, found);
    collectHuggingFaceHub(roots.huggingFaceHub, found);
    collectGguf(roots.llamaCpp, 0, ModelSource::LlamaCpp, found);
    for (const QString& folder : roots.userFolders) collectGguf(folder, kUserFolderDepth, ModelSource::UserFolder, found);
    return found;
}

} // namespace

DiscoveryRoots DiscoveryRoots::standard(const QString& home, const QString& lucentModels,
                                        const QProcessEnvironment& environment) {
    const QDir h(home);
    DiscoveryRoots roots;
    roots.lucentModels = lucentModels;
    roots.lmStudio = {h.filePath(".lmstudio/models"), h.filePath(".cache/lm-studio/models")};
    roots.ollama = environment.value("OLLAMA_MODELS", h.filePath(".ollama/models"));
    roots.gpt4All = h.filePath(".local/share/nomic.ai/GPT4All");
    const QString hfHome = environment.value("HF_HOME", h.filePath(".cache/huggingface"));
    roots.huggingFaceHub = environment.value("HF_HUB_CACHE", QDir(hfHome).filePath("hub"));
    roots.llamaCpp = environment.value("LLAMA_CACHE", h.filePath(".cache/llama.cpp"));
    return roots;
}

QList<LocalModel> discoverModels(const DiscoveryRoots& roots) {
    QList<LocalModel> models;
    QSet<QString> seen;
    for (const Candidate& candidate : findCandidates(roots)) {
        const QString resolved = QFileInfo(candidate.path).canonicalFilePath();
        if (resolved.isEmpty() || seen.contains(resolved)) continue; // broken link, or listed already
        seen.insert(resolved);
        LocalModel model;
        model.path = resolved;
        model.displayName = candidate.displayName;
        model.source = candidate.source;
        if (auto facts = readModelFacts(resolved))
            model.facts = *facts;
        else
            model.problem = QString::fromStdString(facts.error().message);
        model.facts.fileBytes = QFileInfo(resolved).size();
        models.append(model);
    }
    return models;
}

QFuture<QList<LocalModel>> discoverModelsAsync(const DiscoveryRoots& roots) {
    return QtConcurrent::run([roots] { return discoverModels(roots); });
}

} // namespace lucent::library
