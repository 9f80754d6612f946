#pragma once
/// @file
/// @brief The rich text a code block shows: `<pre>` + the code (coloured spans or escaped plain
/// text) + `</pre>`, the subset QML's `Text`/`TextEdit` with RichText renders. The text between the
/// tags is the code exactly (line breaks included), so text that arrives later can be appended.

#include <QString>

namespace lucent::app {

/// @brief `code` as escaped plain text: `<pre>…</pre>`.
QString plainCodeHtml(const QString& code);

/// @brief The `<pre>` of a page `kate-syntax-highlighter -f html` printed for `code`, with the
/// page's text colour on the `<pre>` (so uncoloured tokens match the theme), or empty when the page
/// has none. The tool ends every line with a line break; the result holds `code`'s own line breaks.
QString preFromKatePage(const QString& page, const QString& code);

/// @brief `html` (one of the above) with `tail` appended as escaped plain text: what a growing code
/// block shows between two highlights (the coloured part stays, the new text follows uncoloured).
QString appendPlainText(const QString& html, const QString& tail);

} // namespace lucent::app
