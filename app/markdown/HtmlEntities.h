#pragma once
/// @file
/// @brief Markdown's character references (`&amp;`, `&copy;`, `&#169;`, `&#xA9;`) as the characters
/// they stand for, so "AT&amp;T" in an answer reads "AT&T" as on any Markdown page.

#include <QString>

namespace lucent::app {

/// @brief The text `entity` (as md4c reports it, `&` to `;`) stands for; numeric references outside
/// Unicode or to NUL give U+FFFD (as CommonMark says). Empty for a name this table does not know
/// (the common HTML names only; such a reference is then shown as written).
QString decodeEntity(const QString& entity);

} // namespace lucent::app
