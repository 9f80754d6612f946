#include "app/highlight/HighlightedCode.h"

#include "app/highlight/CodeHighlighter.h"

namespace lucent::app {
namespace {
constexpr int kDebounceMs = 150;
}

HighlightedCode::HighlightedCode(QObject* parent) : QObject(parent) {
    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &HighlightedCode::start);
    connect(&CodeHighlighter::instance(), &CodeHighlighter::highlighted, this, [this](quint64 id, const QString& html) {
        if (id != pending_) return;
        pending_ = 0;
        html_ = html;
        current_ = true;
        emit htmlChanged();
    });
}

void HighlightedCode::setCode(const QString& code) {
    if (code == code_) return;
    code_ = code;
    emit codeChanged();
    schedule();
}

void HighlightedCode::setLanguage(const QString& language) {
    if (language == language_) return;
    language_ = language;
    emit languageChanged();
    schedule();
}

void HighlightedCode::setDark(bool dark) {
    if (dark == dark_) return;
    dark_ = dark;
    emit darkChanged();
    schedule();
}

void HighlightedCode::schedule() {
    // Plain text at once (never an empty block); colours once the code has stopped changing for a
    // moment, so a block that is still streaming does not flicker between plain and coloured.
    html_ = CodeHighlighter::plainHtml(code_);
    current_ = false;
    pending_ = 0;
    emit htmlChanged();
    debounce_.start(kDebounceMs);
}

void HighlightedCode::start() { pending_ = CodeHighlighter::instance().request(code_, language_, dark_); }

} // namespace lucent::app
