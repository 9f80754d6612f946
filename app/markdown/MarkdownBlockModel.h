#pragma once
/// @file
/// @brief An answer's blocks as a list model for the chat view. Setting a longer version of the same
/// answer (it streams) changes only the rows that differ, so earlier blocks keep their delegates.

#include "app/markdown/MarkdownBlocks.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace lucent::app {

class MarkdownBlockModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString markdown READ markdown WRITE setMarkdown NOTIFY markdownChanged)
    Q_PROPERTY(bool dark READ dark WRITE setDark NOTIFY darkChanged)
public:
    enum Role { KindRole = Qt::UserRole + 1, HtmlRole, CodeRole, LanguageRole };

    explicit MarkdownBlockModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString markdown() const { return markdown_; }
    void setMarkdown(const QString& markdown);
    bool dark() const { return dark_; }
    void setDark(bool dark);

signals:
    void markdownChanged();
    void darkChanged();

private:
    void update();

    QString markdown_;
    bool dark_ = false;
    QList<MarkdownBlock> blocks_;
};

} // namespace lucent::app
