#include "CrashScript.h"

namespace crash_script {

std::string question(int round) {
    return "Question " + std::to_string(round) + ": ¿qué tal? 東京の天気は?";
}

std::string answer(int round) {
    std::string text;
    for (int i = 0; i < 50; ++i) text += "answer " + std::to_string(round) + "·" + std::to_string(i) + " ";
    return text;
}

std::string piece(int round, int index) {
    // Multi-byte characters so a torn write would show as broken UTF-8 or a wrong prefix.
    return (index % 7 == 0 ? "ü" : "") + std::to_string(round) + "-" + std::to_string(index) +
           (index % 5 == 0 ? "。" : " ");
}

std::string fullReasoning(int round) {
    std::string text;
    for (int i = 0; i < kReasoningPieces; ++i) text += piece(round, i);
    return text;
}

std::string contentAfter(int round, int pieces) {
    std::string text;
    for (int i = kReasoningPieces; i < pieces; ++i) text += piece(round, i);
    return text;
}

} // namespace crash_script
