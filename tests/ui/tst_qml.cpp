// Qt Quick Test runner for the QML components (tst_*.qml in this folder), with the Lucent modules.
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(LucentPlugin)
Q_IMPORT_QML_PLUGIN(Lucent_ChatPlugin)
Q_IMPORT_QML_PLUGIN(Lucent_MarkdownPlugin)
Q_IMPORT_QML_PLUGIN(Lucent_HighlightPlugin)

class Setup : public QObject {
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine* engine) { engine->addImportPath("qrc:/qt/qml"); }
};

QUICK_TEST_MAIN_WITH_SETUP(lucent_qml, Setup)
#include "tst_qml.moc"
