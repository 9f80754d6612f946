#pragma once
/// @file
/// @brief The language word after a Markdown fence ("py", "c++", "tsx") as the name of one of KDE's
/// syntax definitions ("Python", "C++", "TypeScript React (TSX)").

#include <QString>
#include <QStringList>

namespace lucent::app {

/// @brief The definition in `definitions` (the names `kate-syntax-highlighter --list` prints) that
/// `fenceWord` means, or empty when none does (the code is then shown as plain text). Matching is
/// case-insensitive; common short names and file extensions are mapped first.
QString definitionForFence(const QString& fenceWord, const QStringList& definitions);

} // namespace lucent::app
