#include "app/markdown/CodeIndentation.h"

namespace lucent::app {
namespace {
constexpr int kTabStop = 4;
int nextColumn(int column, char c) { return c == '\t' ? (column / kTabStop + 1) * kTabStop : column + 1; }
} // namespace

QString sourceIndentation(const char* source, std::size_t sourceSize, const char* lineText, const QString& spaces) {
    if (lineText < source || lineText > source + sourceSize) return spaces;
    const char* lineStart = lineText;
    while (lineStart > source && lineStart[-1] != '\n' && lineStart[-1] != '\r') --lineStart;
    int columns = 0;
    bool hasTab = false;
    for (const char* c = lineStart; c < lineText; ++c) {
        if (*c != ' ' && *c != '\t') return spaces; // a list item's or quote's marker: keep md4c's view
        hasTab = hasTab || *c == '\t';
        columns = nextColumn(columns, *c);
    }
    const int fenceColumns = columns - int(spaces.size());
    if (!hasTab || fenceColumns < 0) return spaces;
    // Drop the fence's indentation from the front; a tab that covers part of it cannot be split.
    const char* kept = lineStart;
    for (int column = 0; column < fenceColumns; ++kept) column = nextColumn(column, *kept);
    int droppedColumns = 0;
    for (const char* c = lineStart; c < kept; ++c) droppedColumns = nextColumn(droppedColumns, *c);
    if (droppedColumns != fenceColumns) return spaces;
    return QString::fromLatin1(kept, lineText - kept);
}

} // namespace lucent::app
