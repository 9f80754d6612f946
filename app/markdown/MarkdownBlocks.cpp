#include "app/markdown/MarkdownBlocks.h"

#include "app/markdown/CodeIndentation.h"
#include "app/markdown/HtmlEntities.h"

#include <md4c.h>

namespace lucent::app {
namespace {

// Builds the blocks from md4c's callbacks. Depth counts open blocks below the document: a block that
// opens at depth 0 starts a new row.
class Renderer {
public:
    Renderer(const MarkdownPalette& palette, const QByteArray& source) : palette_(palette), source_(source) {}

    QList<MarkdownBlock> blocks;
    char fenceChar = 0; ///< the last top-level code block's fence character ('`', '~'; 0: indented)

    int enterBlock(MD_BLOCKTYPE type, void* detail) {
        if (type == MD_BLOCK_DOC) return 0;
        const bool topLevel = depth_++ == 0;
        if (type == MD_BLOCK_CODE && topLevel) {
            auto* code = static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
            current_ = MarkdownBlock{MarkdownBlock::Kind::Code, {}, {}, attribute(code->lang)};
            fenceChar = code->fence_char;
            pendingIndent_.clear();
            inCode_ = true;
            return 0;
        }
        if (topLevel) current_ = MarkdownBlock{};
        auto& html = current_.html;
        switch (type) {
        case MD_BLOCK_QUOTE: html += QStringLiteral("<blockquote style=\"color:%1\">").arg(palette_.quote.name()); break;
        case MD_BLOCK_UL: html += "<ul>"; break;
        case MD_BLOCK_OL: html += QStringLiteral("<ol start=\"%1\">").arg(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start); break;
        case MD_BLOCK_LI: {
            auto* li = static_cast<MD_BLOCK_LI_DETAIL*>(detail);
            html += "<li>";
            if (li->is_task) html += li->task_mark == ' ' ? QStringLiteral("☐ ") : QStringLiteral("☑ ");
            break;
        }
        case MD_BLOCK_HR: html += "<hr/>"; break;
        case MD_BLOCK_H:
            headingLevel_ = static_cast<MD_BLOCK_H_DETAIL*>(detail)->level;
            html += QStringLiteral("<h%1>").arg(headingLevel_);
            break;
        case MD_BLOCK_CODE: html += "<pre>"; inCode_ = true; break; // nested (in a list or quote): stays in the prose
        case MD_BLOCK_P: html += "<p>"; break;
        case MD_BLOCK_TABLE:
            html += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\" style=\"border-color:%1\">")
                        .arg(palette_.tableBorder.name());
            break;
        case MD_BLOCK_TR: html += "<tr>"; break;
        case MD_BLOCK_TH: html += "<th" + alignment(detail) + ">"; ++tableCells_; break;
        case MD_BLOCK_TD: html += "<td" + alignment(detail) + ">"; ++tableCells_; break;
        default: break;
        }
        return 0;
    }

    int leaveBlock(MD_BLOCKTYPE type, void*) {
        if (type == MD_BLOCK_DOC) return 0;
        const bool topLevel = --depth_ == 0;
        auto& html = current_.html;
        switch (type) {
        case MD_BLOCK_QUOTE: html += "</blockquote>"; break;
        case MD_BLOCK_UL: html += "</ul>"; break;
        case MD_BLOCK_OL: html += "</ol>"; break;
        case MD_BLOCK_LI: html += "</li>"; break;
        case MD_BLOCK_H: html += QStringLiteral("</h%1>").arg(headingLevel_); break;
        case MD_BLOCK_CODE:
            inCode_ = false;
            if (!topLevel) html += "</pre>";
            break;
        case MD_BLOCK_P: html += "</p>"; break;
        case MD_BLOCK_TABLE: html += "</table>"; break;
        case MD_BLOCK_TR: html += "</tr>"; break;
        case MD_BLOCK_TH: html += "</th>"; --tableCells_; break;
        case MD_BLOCK_TD: html += "</td>"; --tableCells_; break;
        default: break;
        }
        if (topLevel) {
            if (current_.kind == MarkdownBlock::Kind::Code && current_.code.endsWith('\n')) current_.code.chop(1);
            blocks.push_back(current_);
        }
        return 0;
    }

    int enterSpan(MD_SPANTYPE type, void* detail) {
        auto& html = current_.html;
        switch (type) {
        case MD_SPAN_EM: html += "<i>"; break;
        case MD_SPAN_STRONG: html += "<b>"; break;
        case MD_SPAN_DEL: html += "<s>"; break;
        case MD_SPAN_U: html += "<u>"; break;
        case MD_SPAN_CODE:
            html += QStringLiteral("<code style=\"background-color:%1\">&#8202;").arg(palette_.inlineCodeBackground.name());
            break;
        case MD_SPAN_A: {
            // Only web and mail targets become links: "javascript:", "file:" and relative targets
            // lead nowhere useful from a chat, so their text is shown without a link.
            const QString href = attribute(static_cast<MD_SPAN_A_DETAIL*>(detail)->href);
            const bool linked = isOpenableLink(href);
            links_.push_back(linked);
            if (linked) html += QStringLiteral("<a href=\"%1\" style=\"color:%2\">").arg(href.toHtmlEscaped(), palette_.link.name());
            break;
        }
        case MD_SPAN_IMG: html += "["; break; // its description follows as text
        default: break;
        }
        return 0;
    }

    int leaveSpan(MD_SPANTYPE type, void*) {
        auto& html = current_.html;
        switch (type) {
        case MD_SPAN_EM: html += "</i>"; break;
        case MD_SPAN_STRONG: html += "</b>"; break;
        case MD_SPAN_DEL: html += "</s>"; break;
        case MD_SPAN_U: html += "</u>"; break;
        case MD_SPAN_CODE: html += "&#8202;</code>"; break;
        case MD_SPAN_A:
            if (!links_.isEmpty() && links_.takeLast()) html += "</a>";
            break;
        case MD_SPAN_IMG: html += "]"; break;
        default: break;
        }
        return 0;
    }

    int text(MD_TEXTTYPE type, const MD_CHAR* data, MD_SIZE size) {
        const QString text = QString::fromUtf8(data, qsizetype(size));
        if (inCode_ && current_.kind == MarkdownBlock::Kind::Code) {
            // md4c sends a line's indentation as spaces of its own, then the line from the source.
            const bool inSource = data >= source_.constData() && data < source_.constData() + source_.size();
            if (!inSource && !text.isEmpty() && text.count(' ') == text.size()) {
                pendingIndent_ += text;
                return 0;
            }
            if (!pendingIndent_.isEmpty())
                current_.code += sourceIndentation(source_.constData(), std::size_t(source_.size()), data, std::exchange(pendingIndent_, {}));
            current_.code += text;
            return 0;
        }
        if (type == MD_TEXT_CODE && tableCells_ > 0) {
            // GitHub's tables let code in a cell hold a pipe written "\|"; md4c keeps the backslash.
            current_.html += QString(text).replace(QLatin1String("\\|"), QLatin1String("|")).toHtmlEscaped();
            return 0;
        }
        auto& html = current_.html;
        switch (type) {
        case MD_TEXT_BR: html += "<br/>"; break;
        case MD_TEXT_SOFTBR: html += inCode_ ? "\n" : " "; break;
        case MD_TEXT_NULLCHAR: html += QChar(0xfffd); break;
        case MD_TEXT_ENTITY: html += entityText(text).toHtmlEscaped(); break;
        default: html += text.toHtmlEscaped(); break;
        }
        return 0;
    }

private:
    static bool isOpenableLink(const QString& href) {
        return href.startsWith(QLatin1String("https://"), Qt::CaseInsensitive) || href.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
               href.startsWith(QLatin1String("mailto:"), Qt::CaseInsensitive);
    }
    // A known reference as its character, anything else as written (then escaped like all text).
    static QString entityText(const QString& entity) {
        const QString decoded = decodeEntity(entity);
        return decoded.isEmpty() ? entity : decoded;
    }
    // An attribute (a link's target, a fence's language) as plain text, references decoded.
    static QString attribute(const MD_ATTRIBUTE& a) {
        QString value;
        if (a.size == 0) return value; // md4c leaves the arrays unset for an absent attribute
        for (int i = 0; a.substr_offsets[i] < a.size; ++i) {
            const MD_OFFSET begin = a.substr_offsets[i];
            const QString piece = QString::fromUtf8(a.text + begin, qsizetype(a.substr_offsets[i + 1] - begin));
            switch (a.substr_types[i]) {
            case MD_TEXT_ENTITY: value += entityText(piece); break;
            case MD_TEXT_NULLCHAR: value += QChar(0xfffd); break;
            default: value += piece; break;
            }
        }
        return value;
    }
    static QString alignment(void* detail) {
        switch (static_cast<MD_BLOCK_TD_DETAIL*>(detail)->align) {
        case MD_ALIGN_LEFT: return " align=\"left\"";
        case MD_ALIGN_CENTER: return " align=\"center\"";
        case MD_ALIGN_RIGHT: return " align=\"right\"";
        default: return {};
        }
    }

    const MarkdownPalette& palette_;
    const QByteArray& source_; ///< the UTF-8 md4c parses (its text pointers point into it)
    QString pendingIndent_;    ///< a code line's indentation as md4c sent it, until the line's text
    int tableCells_ = 0;
    MarkdownBlock current_;
    int depth_ = 0;
    QList<bool> links_; ///< open link spans: whether each became an <a>
    unsigned headingLevel_ = 1; // headings do not nest
    bool inCode_ = false;
};

// While an answer streams, its closing fence arrives a character at a time; md4c (rightly) reads
// "``" as a code line until the third backtick comes. The last line of a still-open block that is
// only fence characters and is the answer's unfinished last line is taken for that closing fence.
void dropPartialClosingFence(QList<MarkdownBlock>& blocks, char fenceChar, const QString& markdown) {
    if (fenceChar == 0 || blocks.isEmpty() || blocks.last().kind != MarkdownBlock::Kind::Code || markdown.endsWith('\n')) return;
    QString& code = blocks.last().code;
    const qsizetype lineStart = code.lastIndexOf('\n') + 1;
    const QString line = code.mid(lineStart).trimmed();
    const QString lastLine = markdown.mid(markdown.lastIndexOf('\n') + 1).trimmed();
    if (line.isEmpty() || line != lastLine) return;
    for (QChar c : line)
        if (c != QLatin1Char(fenceChar)) return;
    code.truncate(std::max<qsizetype>(0, lineStart - 1));
}

} // namespace

QList<MarkdownBlock> parseMarkdownBlocks(const QString& markdown, const MarkdownPalette& palette) {
    const QByteArray utf8 = markdown.toUtf8();
    Renderer renderer(palette, utf8);
    MD_PARSER parser{};
    parser.flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML;
    parser.enter_block = [](MD_BLOCKTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->enterBlock(t, d); };
    parser.leave_block = [](MD_BLOCKTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->leaveBlock(t, d); };
    parser.enter_span = [](MD_SPANTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->enterSpan(t, d); };
    parser.leave_span = [](MD_SPANTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->leaveSpan(t, d); };
    parser.text = [](MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* u) { return static_cast<Renderer*>(u)->text(t, s, n); };
    md_parse(utf8.constData(), MD_SIZE(utf8.size()), &parser, &renderer);
    dropPartialClosingFence(renderer.blocks, renderer.fenceChar, markdown);
    return renderer.blocks;
}

} // namespace lucent::app
