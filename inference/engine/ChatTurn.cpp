#include "inference/engine/ChatTurn.h"

#include "inference/generation/Sampler.h"
#include "inference/tokenizer/StreamingDetokenizer.h"

namespace lucent {

Expected<ChatPrompt> buildChatPrompt(const LoadedModel& model, const std::vector<ChatMessage>& messages) {
    if (!model.chatTemplate()) return fail(model.chatTemplateProblem());
    const ModelChatTemplate& chatTemplate = *model.chatTemplate();
    auto text = chatTemplate.chatTemplate.render(messages, chatTemplate.options());
    if (!text) return fail(text.error());
    ChatPrompt prompt;
    const auto& vocabulary = model.tokenizer().vocabulary().data();
    const bool templateWroteBos = !chatTemplate.bosToken.empty() && text->rfind(chatTemplate.bosToken, 0) == 0;
    prompt.tokens = model.tokenizer().tokenize(*text, {.addBos = vocabulary.addBos && !templateWroteBos, .parseSpecial = true});
    prompt.opensReasoning = promptOpensReasoning(*text, model.thinkingFormat());
    prompt.text = std::move(*text);
    return prompt;
}

ChatPrompt buildRawPrompt(const LoadedModel& model, std::string_view text) {
    ChatPrompt prompt;
    prompt.tokens = model.tokenizer().tokenize(text, {.addBos = model.tokenizer().vocabulary().data().addBos, .parseSpecial = false});
    prompt.opensReasoning = promptOpensReasoning(text, model.thinkingFormat());
    return prompt;
}

Expected<Reply> generateReply(LoadedModel& model, Session& session, const ChatPrompt& prompt, const ReplyOptions& options,
                              const ReplyDeltaFn& onDelta) {
    if (prompt.tokens.empty()) return fail("the prompt is empty.");
    auto sampler = Sampler::create(options.sampling);
    if (!sampler) return fail(sampler.error());

    Reply reply;
    ThinkingParser parser(model.thinkingFormat(), prompt.opensReasoning);
    StreamingDetokenizer detokenizer(model.tokenizer());
    std::optional<Error> samplingError;

    auto addDelta = [&](const ThinkingDelta& delta) {
        reply.reasoning += delta.reasoning;
        reply.content += delta.content;
    };
    GenerateOptions generate;
    generate.maxTokens = options.maxTokens;
    generate.truncatePrompt = options.truncatePrompt;
    generate.cancel = options.cancel;
    auto sample = [&](std::span<float> logits) -> int32_t {
        auto token = sampler->sample(logits);
        if (token) return *token;
        samplingError = token.error();
        return model.tokenizer().vocabulary().endOfGeneration().empty() ? 0 : model.tokenizer().vocabulary().endOfGeneration()[0];
    };
    auto onToken = [&](int32_t token) {
        if (samplingError) return false;
        sampler->accept(token);
        const std::string piece = detokenizer.push(token);
        reply.text += piece;
        const ThinkingDelta delta = parser.feed(piece);
        addDelta(delta);
        return onDelta ? onDelta(delta) : true;
    };
    auto result = session.generate(prompt.tokens, generate, sample, onToken);
    if (!result) return fail(result.error());
    if (samplingError) return fail(*samplingError);

    const std::string tail = detokenizer.finish();
    reply.text += tail;
    ThinkingDelta last = parser.feed(tail);
    ThinkingEnd end = parser.finish();
    last.reasoning += end.delta.reasoning;
    last.content += end.delta.content;
    addDelta(last);
    if (onDelta && !(last.reasoning.empty() && last.content.empty())) onDelta(last);

    reply.tokens = std::move(result->tokens);
    reply.stop = result->stop;
    reply.reasoningUnterminated = end.unterminated;
    reply.reasoningTime = std::chrono::duration_cast<std::chrono::milliseconds>(parser.reasoningDuration());
    reply.promptTokens = result->promptTokens;
    reply.reusedTokens = result->reusedTokens;
    reply.promptMs = result->promptMs;
    reply.generationMs = result->generationMs;
    return reply;
}

} // namespace lucent
