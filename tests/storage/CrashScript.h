#pragma once
// What the crash-test child writes, so the test can tell exactly what must be in the database.
// Round r: a question and a finished answer (committed), then a streaming reply that grows piece by
// piece — reasoning first, then content — until the child is killed.

#include <string>

namespace crash_script {

std::string question(int round);
std::string answer(int round);
/// Piece `index` of the streaming reply; pieces below kReasoningPieces go to the reasoning.
std::string piece(int round, int index);
inline constexpr int kReasoningPieces = 40;
/// The whole reasoning, and the content after `pieces` pieces.
std::string fullReasoning(int round);
std::string contentAfter(int round, int pieces);

} // namespace crash_script
