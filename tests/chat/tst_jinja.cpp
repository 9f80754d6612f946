// The Jinja interpreter's semantics one construct at a time (as @huggingface/jinja defines them), the
// app-facing ChatTemplate API, and hostile templates that must end with an error, not hang or explode.
#include "inference/chat/ChatTemplate.h"
#include "inference/chat/JinjaJson.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace lucent;

namespace {

Expected<std::string> renderWith(const std::string& source, const std::string& variablesJson = "{}") {
    auto parsed = ChatTemplate::parse(source);
    if (!parsed) return fail(parsed.error());
    ChatTemplateOptions options;
    options.bosToken = "<s>";
    options.eosToken = "</s>";
    auto extra = jinja::valueFromJson(variablesJson);
    if (!extra) return fail(extra.error());
    options.extraVariables = *extra;
    return parsed->renderJson(R"([{"role":"user","content":"Hi"}])", options);
}

std::string render(const std::string& source, const std::string& variablesJson = "{}") {
    auto text = renderWith(source, variablesJson);
    return text ? *text : "ERROR: " + text.error().message;
}

} // namespace

class TestJinja : public QObject {
    Q_OBJECT
private slots:
    void expressions_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        const std::pair<const char*, const char*> rows[] = {
            {"{{ 1 + 2 * 3 }}", "7"},
            {"{{ 7 / 2 }}|{{ 7 // 2 }}|{{ -7 % 3 }}|{{ 2 ** 10 }}", "3.5|3|-1|1024"},
            {"{{ 4 / 2 }}", "2.0"},
            {"{{ 'a' ~ 1 ~ 2.0 }}", "a12"},
            {"{{ 'a' + 'b' }}|{{ [1] + [2] }}", "ab|[1, 2]"},
            {"{{ messages[0].role }}|{{ messages[-1]['content'] }}", "user|Hi"},
            {"{{ bos_token }}{{ eos_token }}", "<s></s>"},
            {"{{ missing }}|{{ missing.deeper }}|{{ none }}", "||"},
            {"{{ missing is defined }}|{{ missing is undefined }}|{{ none is none }}", "false|true|true"},
            {"{{ 'x' if true else 'y' }}{{ 'z' if false }}", "x"},
            {"{{ 1 == 1.0 }}|{{ 'a' != 'b' }}|{{ 'b' in 'abc' }}|{{ 2 not in [1, 3] }}", "true|true|true|true"},
            {"{{ [] or 'empty' }}|{{ 'a' and 'b' }}|{{ not 0 }}", "empty|b|true"},
            {"{{ '  hi  ' | trim }}|{{ 'Hi' | upper }}|{{ 'ÄB' | lower }}|{{ 'hello world' | title }}", "hi|HI|äb|Hello World"},
            {"{{ 'straße' | upper }}", "STRASSE"},
            {"{{ 'a,b,,c'.split(',') }}|{{ '  a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}",
             "[\"a\", \"b\", \"\", \"c\"]|[\"a\", \"b\"]|[\"a\", \"b c\"]"},
            {"{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith(('x', 'c')) }}|{{ ' x '.strip() }}|{{ ' x '.lstrip() }}|", "true|true|x|x |"},
            {"{{ 'aaa'.replace('a', 'b', 2) }}|{{ 'ab' | replace('', '-') }}", "bba|-a-b-"},
            {"{{ 'héllo'[1] }}|{{ 'héllo'[1:3] }}|{{ [1,2,3,4][::-1] }}|{{ [1,2,3,4][1:-1] }}", "é|él|[4, 3, 2, 1]|[2, 3]"},
            {"{{ '😀'|length }}|{{ [1,2]|length }}|{{ {'a':1}|length }}", "2|2|1"},
            {"{{ {'b': 1, 'a': [1, 'x', none, true]} | tojson }}", "{\"b\": 1, \"a\": [1, \"x\", null, true]}"},
            {"{{ {'a': {'b': []}} | tojson(indent=2) }}", "{\n  \"a\": {\n    \"b\": []\n  }\n}"},
            {"{{ 'é\"\\n' | tojson }}|{{ 'é' | tojson(ensure_ascii=true) }}", "\"é\\\"\\n\"|\"\\u00e9\""},
            {"{{ [3, 1, 2] | sort }}|{{ ['b', 'A', 'c'] | sort(reverse=true) }}|{{ [1, 1, 2] | unique | list }}",
             "[1, 2, 3]|[\"c\", \"b\", \"A\"]|[1, 2]"},
            {"{{ ['a', 'b'] | join(', ') }}|{{ [1, 2] | first }}{{ [1, 2] | last }}|{{ [1, 2] | reverse }}", "a, b|12|[2, 1]"},
            {"{{ messages | selectattr('role', 'equalto', 'user') | list | length }}|{{ messages | map(attribute='role') | list }}",
             "1|[\"user\"]"},
            {"{{ messages | rejectattr('role', 'equalto', 'user') | list | length }}", "0"},
            {"{{ missing | default('d') }}|{{ '' | default('d', true) }}|{{ 0 | default('d') }}", "d|d|0"},
            {"{{ '42' | int + 1 }}|{{ '3.5' | float }}|{{ 3.7 | int }}|{{ -3 | abs }}|{{ 2 | string }}", "43|3.5|3|3|2"},
            {"{{ 'a\\nb\\n\\nc' | indent(2) }}|{{ 'x' | indent(2, true) }}", "a\n  b\n\n  c|  x"},
            {"{{ {'b': 2, 'a': 1} | dictsort }}|{{ {'k': 'v'}.items() | list }}", "[[\"a\", 1], [\"b\", 2]]|[[\"k\", \"v\"]]"},
            {"{{ {'k': 'v'}.get('k') }}{{ {'k': 'v'}.get('x', 'd') }}{{ {'k': 'v'}.get('x') }}", "vd"},
            {"{% for k, v in {'a': 1}.items() %}{{ k }}={{ v }}{% endfor %}", "a=1"},
            {"{% for x in [1, 2, 3] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.first }}{{ loop.last }};{% endfor %}",
             "103truefalse;212falsefalse;321falsetrue;"},
            {"{% for x in [1, 2, 3] %}{{ loop.previtem }}-{{ loop.nextitem }}-{{ loop.length }};{% endfor %}", "-2-3;1-3-3;2--3;"},
            {"{% for x in [1, 2, 3, 4] if x is even %}{{ x }}{% endfor %}", "24"},
            {"{% for x in [] %}a{% else %}empty{% endfor %}", "empty"},
            {"{% for x in [1, 2, 3] %}{% if x == 2 %}{% continue %}{% endif %}{{ x }}{% endfor %}", "13"},
            {"{% for x in [1, 2, 3] %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %}", "1"},
            {"{% set ns = namespace(n=0) %}{% for x in [1, 2] %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}", "3"},
            {"{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}", "1"},
            {"{% set a, b = [1, 2] %}{{ b }}{{ a }}", "21"},
            {"{% set block %}in {{ 1 }}{% endset %}[{{ block }}]", "[in 1]"},
            {"{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', punct='?') }}",
             "Hi A! Hi B?"},
            {"{% if false %}a{% elif 1 > 2 %}b{% else %}c{% endif %}", "c"},
            {"{{ range(3) | list }}|{{ range(1, 7, 2) | list }}|{{ range(3, 0, -1) | list }}", "[0, 1, 2]|[1, 3, 5]|[3, 2, 1]"},
            {"{{ 1.5 }}|{{ 1.0 }}|{{ 0.1 + 0.2 }}|{{ 1000000000000000000000.0 * 10 }}|{{ 0.000001 }}|{{ 0.0000001 }}",
             "1.5|1.0|0.30000000000000004|1e+22|0.000001|1e-7"},
            {"{{ true }}|{{ [none, missing] }}|{{ namespace(a=1) }}", "true|[null, undefined]|{\"a\": 1}"},
            {"{{ x is string }}{{ 3 is number }}{{ 3 is integer }}{{ {} is mapping }}{{ [] is iterable }}{{ 4 is divisibleby(2) }}",
             "falsetruetruetruetruetrue"},
            {"a  {%- if true -%}  b  {%- endif -%}  c", "abc"},
            {"{# a comment #}x\n{% if true %}\n  y\n{% endif %}\n", "x\n  y\n"},
            {"{{ \"it's\" }}|{{ 'tab\\tnew\\nline\\\\' }}|{{ 'con' 'cat' }}", "it's|tab\tnew\nline\\|concat"},
            {"{{ strftime_now('%Y') | length }}", "4"},
        };
        for (const auto& [source, expected] : rows) QTest::newRow(source) << QString::fromUtf8(source) << QString::fromUtf8(expected);
    }
    void expressions() {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(render(source.toStdString())), expected);
    }

    void extraVariables() {
        QCOMPARE(render("{{ enable_thinking }}|{{ tools | length }}", R"({"enable_thinking": false, "tools": [{"a": 1}]})"),
                 std::string("false|1"));
    }

    void errors_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown tag") << "{% include 'other.jinja' %}" << "line 1:4: unknown tag 'include'";
        QTest::newRow("unclosed if") << "{% if true %}never closed" << "never closed; expected {% elif %}, {% else %} or {% endif %}";
        QTest::newRow("unclosed for") << "{% for x in y %}" << "endfor";
        QTest::newRow("bad expression") << "{{ 1 + }}" << "line 1:8";
        QTest::newRow("unterminated string") << "{{ 'abc }}" << "a string is never closed";
        QTest::newRow("unclosed output") << "{{ x " << "'}}'";
        QTest::newRow("raise_exception") << "{{ raise_exception('Roles must alternate') }}" << "Roles must alternate";
        QTest::newRow("unknown filter") << "{{ 'a' | frobnicate }}" << "filter 'frobnicate'";
        QTest::newRow("unknown test") << "{{ 1 is frob }}" << "unknown test 'frob'";
        QTest::newRow("call a string") << "{{ 'a'() }}" << "cannot call a string";
        QTest::newRow("set on a dict") << "{% set d = {} %}{% set d.x = 1 %}" << "not a namespace";
        QTest::newRow("add undefined") << "{{ missing + 1 }}" << "undefined";
        QTest::newRow("error location") << "line one\n{{ 'x' | frobnicate }}" << "line 2:";
        QTest::newRow("break outside loop") << "{% break %}" << "outside a loop";
    }
    void errors() {
        QFETCH(QString, source);
        QFETCH(QString, mentions);
        auto result = renderWith(source.toStdString());
        QVERIFY2(!result.ok(), result.ok() ? result->c_str() : "");
        QVERIFY2(QString::fromStdString(result.error().message).contains(mentions), result.error().message.c_str());
        QVERIFY(result.error().message.rfind("chat template", 0) == 0);
    }

    // Untrusted templates: each must fail quickly with a message instead of hanging or eating memory.
    void hostileTemplates_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("huge range") << "{% for i in range(1000000000) %}x{% endfor %}" << "range() is too long";
        QTest::newRow("string doubling") << "{% set s = 'xxxxxxxx' %}{% for i in range(64) %}{% set s = s ~ s %}{% endfor %}"
                                         << "grows beyond 16 MiB";
        QTest::newRow("list doubling") << "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}{% endfor %}"
                                       << "list in the template grows too long";
        QTest::newRow("endless recursion") << "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}" << "calls itself too deeply";
        QTest::newRow("nested loops") << "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
                                      << "runs too long";
        QTest::newRow("output flood") << "{% for a in range(100000) %}{% for b in range(1000) %}xxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}"
                                      << "output grows beyond 16 MiB";
        QTest::newRow("deep nesting") << QString("{{ ") + QString(5000, '(') + "1" + QString(5000, ')') + " }}" << "nests too deeply";
        QTest::newRow("deep blocks") << QString("{% if true %}").repeated(5000) << "nests too deeply";
    }
    void hostileTemplates() {
        QFETCH(QString, source);
        QFETCH(QString, mentions);
        QElapsedTimer timer;
        timer.start();
        auto result = renderWith(source.toStdString());
        QVERIFY(!result.ok());
        QVERIFY2(QString::fromStdString(result.error().message).contains(mentions), result.error().message.c_str());
        qInfo("failed as expected after %lld ms: %s", timer.elapsed(), result.error().message.c_str());
    }

    // The app's messages: reasoning travels as reasoning_content, and each template decides what to do
    // with it — R1 drops reasoning from history, Qwen3 keeps it for the turn after the last question.
    void reasoningInHistory() {
        const std::vector<ChatMessage> messages = {
            {"user", "2+2?", std::nullopt},
            {"assistant", "4.", std::string("Adding two and two.")},
            {"user", "3+3?", std::nullopt},
        };
        QFile r1File(LUCENT_SOURCE_DIR "/tests/chat/templates/deepseek-r1-distill-qwen.jinja");
        QVERIFY(r1File.open(QIODevice::ReadOnly));
        auto r1 = ChatTemplate::parse(r1File.readAll().toStdString());
        QVERIFY(r1.ok());
        ChatTemplateOptions options;
        options.bosToken = "<｜begin▁of▁sentence｜>";
        options.eosToken = "<｜end▁of▁sentence｜>";
        auto text = r1->render(messages, options);
        QVERIFY(text.ok());
        QCOMPARE(*text, std::string("<｜begin▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜>4.<｜end▁of▁sentence｜><｜User｜>3+3?<｜Assistant｜>"));

        QFile qwenFile(LUCENT_SOURCE_DIR "/tests/chat/templates/qwen3.jinja");
        QVERIFY(qwenFile.open(QIODevice::ReadOnly));
        auto qwen3 = ChatTemplate::parse(qwenFile.readAll().toStdString());
        QVERIFY(qwen3.ok());
        options.bosToken = "";
        options.eosToken = "<|im_end|>";
        const std::vector<ChatMessage> last = {messages[0], messages[1]};
        options.addGenerationPrompt = false;
        text = qwen3->render(last, options);
        QVERIFY(text.ok());
        QVERIFY2(text->find("<think>\nAdding two and two.\n</think>\n\n4.") != std::string::npos, text->c_str());
    }

    // The limits must never refuse a real conversation: 2,000 turns through every real template.
    void longConversationsWithinLimits() {
        std::vector<ChatMessage> messages;
        for (int i = 0; i < 1000; ++i) {
            messages.push_back({"user", "Question " + std::to_string(i) + " with some words in it.", std::nullopt});
            messages.push_back({"assistant", "Answer " + std::to_string(i) + ".", std::string("Reasoning ") + std::to_string(i)});
        }
        messages.push_back({"user", "Last question", std::nullopt});
        const QDir dir(LUCENT_SOURCE_DIR "/tests/chat/templates");
        for (const QString& name : dir.entryList({"*.jinja"})) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            auto parsed = ChatTemplate::parse(file.readAll().toStdString());
            QVERIFY(parsed.ok());
            ChatTemplateOptions options;
            options.extraVariables = *jinja::valueFromJson(R"({"date_string": "1 Jan 2026"})");
            QElapsedTimer timer;
            timer.start();
            auto text = parsed->render(messages, options);
            QVERIFY2(text.ok(), qPrintable(name + ": " + QString::fromStdString(text.ok() ? "" : text.error().message)));
            QVERIFY(text->find("Question 999 with") != std::string::npos);
            qInfo("%s: 2,001 messages rendered in %lld ms (%zu bytes)", qPrintable(name), timer.elapsed(), text->size());
        }
    }

    void badMessagesJson() {
        auto parsed = ChatTemplate::parse("{{ messages }}");
        QVERIFY(parsed.ok());
        for (const char* json : {"not json", "{\"role\": \"user\"}", "[1, 2]", "[{\"content\": \"no role\"}]"}) {
            auto result = parsed->renderJson(json, {});
            QVERIFY2(!result.ok(), json);
            QVERIFY(!result.error().message.empty());
        }
    }
};

QTEST_GUILESS_MAIN(TestJinja)
#include "tst_jinja.moc"
