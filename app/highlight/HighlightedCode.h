#pragma once
/// @file
/// @brief A code block's highlighted rich text for QML: set code, language and dark; read html.
/// While code keeps changing (an answer streaming), it is highlighted at most every 150 ms and shown
/// plain in between.

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
    explicit HighlightedCode(QObject* parent = nullptr);

    QString code() const { return code_; }
    void setCode(const QString& code);
    QString language() const { return language_; }
    void setLanguage(const QString& language);
    bool dark() const { return dark_; }
    void setDark(bool dark);
    QString html() const { return html_; }
    /// @brief True when html holds the highlighter's answer for the current code.
    bool isHighlighted() const { return current_; }

signals:
    void codeChanged();
    void languageChanged();
    void darkChanged();
    void htmlChanged();

private:
    void schedule();
    void start();

    QString code_, language_, html_;
    bool dark_ = false;
    bool current_ = false;
    quint64 pending_ = 0;
    QTimer debounce_;
};

} // namespace lucent::app
