#include "ScriptedBackend.h"

#include <chrono>
#include <thread>

namespace lucent::testing {

Expected<app::ModelDescription> ScriptedBackend::load(const QString& path, const LoadOptions& options) {
    if (script_.failLoad) return fail("the file is not a GGUF model (scripted failure).");
    app::ModelDescription d;
    d.path = path;
    d.name = "DeepSeek-R1-Distill-Qwen-1.5B";
    d.architecture = "qwen2";
    d.quantization = "Q4_K_M";
    d.device = options.quantizedKvCache ? "Scripted, 8-bit KV cache" : "Scripted";
    d.parameters = 1'777'088'000;
    d.fileBytes = 1'117'320'736;
    d.contextLength = int(options.contextLength);
    d.trainedContext = 131072;
    d.hasChatTemplate = true;
    d.recommended.temperature = 0.6f;
    return d;
}

Expected<Reply> ScriptedBackend::reply(const std::vector<ChatMessage>& messages, const ReplyOptions& options, const ReplyDeltaFn& onDelta) {
    {
        std::lock_guard lock(mutex_);
        lastMessages_ = messages;
    }
    ++replies_;
    if (!script_.failReply.empty()) return fail(script_.failReply);
    Reply reply;
    reply.stop = StopReason::EndOfGeneration;
    const auto started = std::chrono::steady_clock::now();
    auto play = [&](const std::string& text, bool reasoning) {
        for (size_t at = 0; at < text.size(); at += script_.pieceBytes) {
            if (options.cancel && options.cancel->load()) {
                reply.stop = StopReason::Cancelled;
                return false;
            }
            if (int(reply.tokens.size()) >= options.maxTokens) {
                reply.stop = StopReason::TokenLimit;
                return false;
            }
            size_t n = std::min(script_.pieceBytes, text.size() - at);
            while (at + n < text.size() && (static_cast<unsigned char>(text[at + n]) & 0xc0) == 0x80) ++n; // whole characters
            ThinkingDelta delta;
            (reasoning ? delta.reasoning : delta.content) = text.substr(at, n);
            (reasoning ? reply.reasoning : reply.content) += text.substr(at, n);
            reply.text += text.substr(at, n);
            reply.tokens.push_back(int32_t(at));
            if (onDelta && !onDelta(delta)) {
                reply.stop = StopReason::Cancelled;
                return false;
            }
            at += n - script_.pieceBytes;
            std::this_thread::sleep_for(std::chrono::milliseconds(script_.pieceDelayMs));
        }
        return true;
    };
    if (play(script_.reasoning, true)) {
        reply.reasoningTime = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        play(script_.answer, false);
    } else {
        reply.reasoningUnterminated = true;
    }
    if (script_.contextFull && reply.stop == StopReason::EndOfGeneration) reply.stop = StopReason::ContextFull;
    reply.generationMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    reply.promptTokens = 10;
    return reply;
}

} // namespace lucent::testing
