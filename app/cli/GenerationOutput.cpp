#include "app/cli/GenerationOutput.h"

#include <QFile>
#include <unistd.h>

namespace lucent::cli {
namespace {

constexpr const char* kDim = "\x1b[2m";
constexpr const char* kReset = "\x1b[0m";

QString speed(int tokens, double ms) {
    return ms > 0 ? QString::number(tokens * 1000.0 / ms, 'f', 1) + " t/s" : QStringLiteral("- t/s");
}

} // namespace

void GenerationOutput::switchTo(Part part) {
    if (part == current_) return;
    if (terminal_ && current_ == Part::Reasoning) out_ << kReset;
    if (current_ != Part::Nothing) out_ << "\n\n";
    if (terminal_ && part == Part::Reasoning) out_ << kDim;
    current_ = part;
}

void GenerationOutput::write(const ThinkingDelta& delta) {
    if (!delta.reasoning.empty()) {
        switchTo(Part::Reasoning);
        out_ << QString::fromStdString(delta.reasoning);
    }
    if (!delta.content.empty()) {
        switchTo(Part::Content);
        out_ << QString::fromStdString(delta.content);
    }
    out_.flush();
}

void GenerationOutput::finish() {
    if (terminal_ && current_ == Part::Reasoning) out_ << kReset;
    out_ << "\n";
    out_.flush();
}

bool writesToTerminal(const QTextStream& stream) {
    const auto* file = qobject_cast<const QFile*>(stream.device());
    return file && file->handle() >= 0 && isatty(file->handle());
}

QString stopName(StopReason stop) {
    switch (stop) {
    case StopReason::EndOfGeneration: return "eos";
    case StopReason::TokenLimit: return "length";
    case StopReason::Cancelled: return "cancelled";
    case StopReason::ContextFull: return "context";
    }
    return "length";
}

QString generationSummary(const Reply& reply) {
    const int generated = int(reply.tokens.size());
    return QStringLiteral("%1 prompt tokens in %2 ms (%3), %4 generated in %5 ms (%6), stopped: %7")
        .arg(reply.promptTokens)
        .arg(reply.promptMs, 0, 'f', 0)
        .arg(speed(reply.promptTokens, reply.promptMs))
        .arg(generated)
        .arg(reply.generationMs, 0, 'f', 0)
        .arg(speed(generated, reply.generationMs), stopName(reply.stop));
}

} // namespace lucent::cli
