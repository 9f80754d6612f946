#pragma once
/// @file
/// @brief A ChatBackend that plays a written reply (reasoning, answer) piece by piece at a chosen
/// pace — for controller tests and screenshot scenes where a random-weight model's gibberish would
/// not show a real conversation. It honours cancellation like the engine (within one piece).

#include "app/chat/ChatBackend.h"

#include <QString>

#include <atomic>
#include <mutex>
#include <vector>

namespace lucent::testing {

class ScriptedBackend final : public app::ChatBackend {
public:
    /// @brief What the next replies say; the text is split into pieces of `pieceBytes`.
    struct Script {
        std::string reasoning;
        std::string answer;
        int pieceDelayMs = 2;
        size_t pieceBytes = 4;
        bool failLoad = false;
        std::string failReply; ///< non-empty: the reply fails with this message
        bool contextFull = false; ///< the reply ends because the context is full
    };
    explicit ScriptedBackend(Script script) : script_(std::move(script)) {}

    Expected<app::ModelDescription> load(const QString& path, const LoadOptions& options) override;
    Expected<Reply> reply(const std::vector<ChatMessage>& messages, const ReplyOptions& options, const ReplyDeltaFn& onDelta) override;

    /// @brief The messages of the last reply request (what the template would have seen).
    std::vector<ChatMessage> lastMessages() const {
        std::lock_guard lock(mutex_);
        return lastMessages_;
    }
    int replies() const { return replies_; }

private:
    Script script_;
    mutable std::mutex mutex_;
    std::vector<ChatMessage> lastMessages_;
    std::atomic<int> replies_{0};
};

} // namespace lucent::testing
