#pragma once
/// @file
/// @brief A code block's highlighted rich text for QML: set code, language and dark; read html.
///
/// While the code grows (an answer streaming), it is highlighted at most every 150 ms. In between,
/// the part highlighted last keeps its colours and the text that arrived since follows uncoloured,
/// so a growing block never flickers back to plain text. A block seen for the first time is asked
/// for at once (on the next event-loop turn, after QML has set all three properties).

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace lucent::app {

class HighlightedCode : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString code READ code WRITE setCode NOTIFY codeChanged)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(bool dark READ dark WRITE setDark NOTIFY darkChanged)
    Q_PROPERTY(QString html READ html NOTIFY htmlChanged)
    Q_PROPERTY(bool highlighted READ isHighlighted NOTIFY htmlChanged)
public:
    /// @brief At most one highlight per this many milliseconds while the code keeps changing.
    static constexpr int kThrottleMs = 150;

    explicit HighlightedCode(QObject* parent = nullptr);

    QString code() const { return code_; }
    void setCode(const QString& code);
    QString language() const { return language_; }
    void setLanguage(const QString& language);
    bool dark() const { return dark_; }
    void setDark(bool dark);
    /// @brief `<pre>…</pre>` rich text: coloured where the highlighter has answered, plain after that.
    QString html() const { return html_; }
    /// @brief True when html is the highlighter's answer for exactly the current code, language and theme.
    bool isHighlighted() const { return highlighted_; }

signals:
    void codeChanged();
    void languageChanged();
    void darkChanged();
    void htmlChanged();

private:
    // What one highlighter answer was for.
    struct Source {
        QString code, language;
        bool dark = false;
    };

    void changed();
    void refreshHtml();
    void schedule();
    void sendRequest();
    void receive(quint64 id, const QString& html);

    QString code_, language_, html_;
    bool dark_ = false;
    bool highlighted_ = false;
    Source answered_;       ///< what answeredHtml_ shows
    QString answeredHtml_;  ///< the last answer (empty before the first)
    Source requested_;      ///< what the request in flight is for
    quint64 pending_ = 0;   ///< the request in flight, 0 when none
    QTimer throttle_;
    QElapsedTimer sinceRequest_;
};

} // namespace lucent::app
