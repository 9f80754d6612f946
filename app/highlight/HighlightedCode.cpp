#include "app/highlight/HighlightedCode.h"

#include "app/highlight/CodeHighlighter.h"
#include "app/highlight/HighlightHtml.h"

namespace lucent::app {

HighlightedCode::HighlightedCode(QObject* parent) : QObject(parent) {
    throttle_.setSingleShot(true);
    throttle_.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early: "at most every 150 ms" would not hold
    connect(&throttle_, &QTimer::timeout, this, &HighlightedCode::sendRequest);
    connect(&CodeHighlighter::instance(), &CodeHighlighter::highlighted, this, &HighlightedCode::receive);
    html_ = plainCodeHtml({});
}

void HighlightedCode::setCode(const QString& code) {
    if (code == code_) return;
    code_ = code;
    emit codeChanged();
    changed();
}

void HighlightedCode::setLanguage(const QString& language) {
    if (language == language_) return;
    language_ = language;
    emit languageChanged();
    changed();
}

void HighlightedCode::setDark(bool dark) {
    if (dark == dark_) return;
    dark_ = dark;
    emit darkChanged();
    changed();
}

void HighlightedCode::changed() {
    refreshHtml();
    schedule();
}

void HighlightedCode::refreshHtml() {
    // The last answer still applies when only text was appended since (an answer streaming).
    const bool sameStyle = !answeredHtml_.isEmpty() && answered_.language == language_ && answered_.dark == dark_;
    QString html;
    if (sameStyle && code_.startsWith(answered_.code))
        html = appendPlainText(answeredHtml_, code_.mid(answered_.code.size()));
    else
        html = plainCodeHtml(code_);
    const bool highlighted = sameStyle && code_ == answered_.code;
    if (html == html_ && highlighted == highlighted_) return;
    html_ = html;
    highlighted_ = highlighted;
    emit htmlChanged();
}

void HighlightedCode::schedule() {
    // One request in flight at a time: its answer schedules the next one if the code moved on.
    if (highlighted_ || pending_ != 0 || throttle_.isActive()) return;
    const bool first = !sinceRequest_.isValid();
    throttle_.start(first ? 0 : int(std::max<qint64>(0, kThrottleMs - sinceRequest_.elapsed())));
}

void HighlightedCode::sendRequest() {
    requested_ = Source{code_, language_, dark_};
    sinceRequest_.start();
    pending_ = CodeHighlighter::instance().request(code_, language_, dark_);
}

void HighlightedCode::receive(quint64 id, const QString& html) {
    if (id != pending_) return;
    pending_ = 0;
    answered_ = requested_;
    answeredHtml_ = html;
    refreshHtml();
    schedule();
}

} // namespace lucent::app
