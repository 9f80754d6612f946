#include "app/markdown/MarkdownBlocks.h"

#include <md4c.h>

namespace lucent::app {
namespace {

// Builds the blocks from md4c's callbacks. Depth counts open blocks below the document: a block that
// opens at depth 0 starts a new row.
class Renderer {
public:
    explicit Renderer(const MarkdownPalette& palette) : palette_(palette) {}

    QList<MarkdownBlock> blocks;

    int enterBlock(MD_BLOCKTYPE type, void* detail) {
        if (type == MD_BLOCK_DOC) return 0;
        const bool topLevel = depth_++ == 0;
        if (type == MD_BLOCK_CODE && topLevel) {
            auto* code = static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
            current_ = MarkdownBlock{MarkdownBlock::Kind::Code, {}, {}, attribute(code->lang)};
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
        case MD_BLOCK_TH: html += "<th" + alignment(detail) + ">"; break;
        case MD_BLOCK_TD: html += "<td" + alignment(detail) + ">"; break;
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
        case MD_BLOCK_TH: html += "</th>"; break;
        case MD_BLOCK_TD: html += "</td>"; break;
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
            const QString href = attribute(static_cast<MD_SPAN_A_DETAIL*>(detail)->href);
            html += QStringLiteral("<a href=\"%1\" style=\"color:%2\">").arg(href.toHtmlEscaped(), palette_.link.name());
            break;
        }
        case MD_SPAN_IMG: html += "["; imageDepth_++; break; // its description follows as text
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
        case MD_SPAN_A: html += "</a>"; break;
        case MD_SPAN_IMG: html += "]"; imageDepth_--; break;
        default: break;
        }
        return 0;
    }

    int text(MD_TEXTTYPE type, const MD_CHAR* data, MD_SIZE size) {
        const QString text = QString::fromUtf8(data, qsizetype(size));
        if (inCode_ && current_.kind == MarkdownBlock::Kind::Code) {
            current_.code += text;
            return 0;
        }
        auto& html = current_.html;
        switch (type) {
        case MD_TEXT_BR: html += "<br/>"; break;
        case MD_TEXT_SOFTBR: html += inCode_ ? "\n" : " "; break;
        case MD_TEXT_NULLCHAR: html += QChar(0xfffd); break;
        case MD_TEXT_ENTITY: html += text.toHtmlEscaped(); break; // shown as written, never interpreted
        default: html += text.toHtmlEscaped(); break;
        }
        return 0;
    }

private:
    static QString attribute(const MD_ATTRIBUTE& a) { return QString::fromUtf8(a.text, qsizetype(a.size)); }
    static QString alignment(void* detail) {
        switch (static_cast<MD_BLOCK_TD_DETAIL*>(detail)->align) {
        case MD_ALIGN_LEFT: return " align=\"left\"";
        case MD_ALIGN_CENTER: return " align=\"center\"";
        case MD_ALIGN_RIGHT: return " align=\"right\"";
        default: return {};
        }
    }

    const MarkdownPalette& palette_;
    MarkdownBlock current_;
    int depth_ = 0;
    int imageDepth_ = 0;
    unsigned headingLevel_ = 1; // headings do not nest
    bool inCode_ = false;
};

} // namespace

QList<MarkdownBlock> parseMarkdownBlocks(const QString& markdown, const MarkdownPalette& palette) {
    Renderer renderer(palette);
    MD_PARSER parser{};
    parser.flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML;
    parser.enter_block = [](MD_BLOCKTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->enterBlock(t, d); };
    parser.leave_block = [](MD_BLOCKTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->leaveBlock(t, d); };
    parser.enter_span = [](MD_SPANTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->enterSpan(t, d); };
    parser.leave_span = [](MD_SPANTYPE t, void* d, void* u) { return static_cast<Renderer*>(u)->leaveSpan(t, d); };
    parser.text = [](MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* u) { return static_cast<Renderer*>(u)->text(t, s, n); };
    const QByteArray utf8 = markdown.toUtf8();
    md_parse(utf8.constData(), MD_SIZE(utf8.size()), &parser, &renderer);
    return renderer.blocks;
}

} // namespace lucent::app
