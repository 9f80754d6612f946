#pragma once
/// @file
/// @brief How `lucent-cli generate` shows a reply without --json: streamed as it arrives, reasoning
/// dimmed on a terminal, and a summary line with counts and speeds.

#include "inference/engine/ChatTurn.h"

#include <QString>
#include <QTextStream>

namespace lucent::cli {

/// @brief Prints a reply's reasoning and answer as the pieces come. On a terminal the reasoning is
/// dimmed (ANSI SGR 2); elsewhere no escape codes are written. Either way a blank line separates
/// reasoning from the answer, so the two stay apart in a log file too.
class GenerationOutput {
public:
    GenerationOutput(QTextStream& out, bool terminal) : out_(out), terminal_(terminal) {}

    /// @brief Prints what one token added (the pieces hold whole UTF-8 characters) and flushes.
    void write(const ThinkingDelta& delta);
    /// @brief Ends the dimming and the line. Call once, also after a cancelled reply.
    void finish();
    /// @brief True once anything was printed.
    bool started() const { return current_ != Part::Nothing; }

private:
    enum class Part { Nothing, Reasoning, Content };
    void switchTo(Part part);

    QTextStream& out_;
    bool terminal_;
    Part current_ = Part::Nothing;
};

/// @brief True when `stream` writes straight to a terminal.
bool writesToTerminal(const QTextStream& stream);

/// @brief "eos", "length", "cancelled" or "context": the `stop` field of the JSON output.
QString stopName(StopReason stop);

/// @brief One line for stderr: "12 prompt tokens in 35 ms (342.9 t/s), 64 generated in 210 ms
/// (304.8 t/s), stopped: length".
QString generationSummary(const Reply& reply);

} // namespace lucent::cli
