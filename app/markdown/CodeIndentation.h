#pragma once
/// @file
/// @brief Leading tabs of code lines as the answer wrote them. md4c reports a code line's
/// indentation as spaces (it measures it in columns to strip the fence's own indentation), which
/// would turn a Makefile's tabs into spaces in the code the Copy button copies.

#include <QString>

#include <cstddef>

namespace lucent::app {

/// @brief The indentation to show before the code line whose text starts at `lineText` in the
/// source `[source, source + sourceSize)`, given the `spaces` md4c reported for it: the source's own
/// blanks (tabs kept) less the columns of the fence's indentation, or `spaces` whenever that cannot
/// be done exactly (no tab in it, `lineText` outside the source, a tab straddling the fence's
/// indentation). Tab stops are every 4 columns, as in CommonMark.
QString sourceIndentation(const char* source, std::size_t sourceSize, const char* lineText, const QString& spaces);

} // namespace lucent::app
