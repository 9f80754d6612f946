#include "inference/chat/JinjaLexer.h"

#include <cctype>

namespace lucent::jinja {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool isWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Operators inside tags, longest first.
constexpr std::string_view kOperators[] = {"**", "//", "<=", ">=", "==", "!=", "(", ")", "[", "]", "{", "}", ",", ".",
                                           ":", "|", "<", ">", "+", "-", "~", "*", "/", "%", "="};

class Lexer {
public:
    explicit Lexer(std::string_view source) : src_(source) {
        if (!src_.empty() && src_.back() == '\n') src_.remove_suffix(1); // Jinja drops one final newline
    }

    Expected<std::vector<Token>> run() {
        while (pos_ < src_.size()) {
            if (auto ok = inside_ ? lexTag() : lexText(); !ok) return fail(ok.error());
        }
        if (inside_) return error("the template ends inside a tag; a closing '%}' or '}}' is missing");
        tokens_.push_back({Token::Type::End, "", line_, column_});
        return std::move(tokens_);
    }

private:
    Unexpected error(const std::string& what) const {
        return fail("chat template line " + std::to_string(line_) + ":" + std::to_string(column_) + ": " + what + ".");
    }

    void advance(size_t n = 1) {
        for (size_t i = 0; i < n && pos_ < src_.size(); ++i, ++pos_) {
            if (src_[pos_] == '\n') {
                ++line_;
                column_ = 1;
            } else if ((static_cast<unsigned char>(src_[pos_]) & 0xc0) != 0x80) {
                ++column_;
            }
        }
    }
    bool at(std::string_view s) const { return src_.substr(pos_, s.size()) == s; }
    void push(Token::Type type, std::string text, int line, int column) { tokens_.push_back({type, std::move(text), line, column}); }

    void stripTrailingWhitespaceOfText() {
        if (tokens_.empty() || tokens_.back().type != Token::Type::Text) return;
        auto& text = tokens_.back().text;
        while (!text.empty() && isSpace(text.back())) text.pop_back();
        if (text.empty()) tokens_.pop_back();
    }

    Expected<void> lexText() {
        const int line = line_, column = column_;
        std::string text;
        while (pos_ < src_.size() && !(src_[pos_] == '{' && pos_ + 1 < src_.size() &&
                                        (src_[pos_ + 1] == '%' || src_[pos_ + 1] == '{' || src_[pos_ + 1] == '#'))) {
            text.push_back(src_[pos_]);
            advance();
        }
        if (pos_ < src_.size() && (src_[pos_ + 1] == '%' || src_[pos_ + 1] == '#')) {
            // lstrip_blocks: spaces and tabs between a line start and a block tag go away.
            size_t k = text.size();
            while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) --k;
            const size_t sourceStart = pos_ - (text.size() - k);
            if (sourceStart == 0 || src_[sourceStart - 1] == '\n') text.resize(k);
        }
        if (!text.empty()) push(Token::Type::Text, std::move(text), line, column);
        if (pos_ >= src_.size()) return {};
        return openTag();
    }

    Expected<void> openTag() {
        const int line = line_, column = column_;
        const bool trimLeft = pos_ + 2 < src_.size() && src_[pos_ + 2] == '-';
        if (at("{#")) { // comment
            advance(2);
            while (pos_ < src_.size() && !at("#}")) advance();
            if (pos_ >= src_.size()) return error("a comment '{#' is never closed with '#}'");
            const bool trimRight = src_[pos_ - 1] == '-';
            if (trimLeft) stripTrailingWhitespaceOfText();
            advance(2);
            afterClose(trimRight, true);
            return {};
        }
        if (trimLeft) stripTrailingWhitespaceOfText();
        const bool statement = at("{%");
        push(statement ? Token::Type::OpenStatement : Token::Type::OpenExpression, statement ? "{%" : "{{", line, column);
        advance(trimLeft ? 3 : 2);
        inside_ = true;
        curlyDepth_ = 0;
        return {};
    }

    void afterClose(bool trimRight, bool blockOrComment) {
        if (trimRight) {
            while (pos_ < src_.size() && isSpace(src_[pos_])) advance();
        } else if (blockOrComment && pos_ < src_.size() && src_[pos_] == '\n') {
            advance(); // trim_blocks: the newline after a block tag or comment goes away
        }
    }

    Expected<void> lexTag() {
        while (pos_ < src_.size() && isSpace(src_[pos_])) advance();
        if (pos_ >= src_.size()) return {};
        const int line = line_, column = column_;
        for (const auto& [close, type] : {std::pair{std::string_view("%}"), Token::Type::CloseStatement},
                                          std::pair{std::string_view("}}"), Token::Type::CloseExpression}}) {
            const bool dashed = src_[pos_] == '-' && src_.substr(pos_ + 1, 2) == close;
            if ((dashed || at(close)) && !(type == Token::Type::CloseExpression && curlyDepth_ > 0)) {
                push(type, std::string(close), line, column);
                advance(dashed ? 3 : 2);
                inside_ = false;
                afterClose(dashed, type == Token::Type::CloseStatement);
                return {};
            }
        }
        const char c = src_[pos_];
        if (c == '\'' || c == '"') return lexString(c);
        if (std::isdigit(static_cast<unsigned char>(c))) {
            std::string number;
            while (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) { number.push_back(src_[pos_]); advance(); }
            const bool afterDot = !tokens_.empty() && tokens_.back().text == "." && tokens_.back().type == Token::Type::Operator;
            if (!afterDot && pos_ + 1 < src_.size() && src_[pos_] == '.' && std::isdigit(static_cast<unsigned char>(src_[pos_ + 1]))) {
                number.push_back('.');
                advance();
                while (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) { number.push_back(src_[pos_]); advance(); }
            }
            push(Token::Type::Number, number, line, column);
            return {};
        }
        if (isWordChar(c)) {
            std::string word;
            while (pos_ < src_.size() && isWordChar(src_[pos_])) { word.push_back(src_[pos_]); advance(); }
            push(Token::Type::Identifier, word, line, column);
            return {};
        }
        for (const auto op : kOperators) {
            if (at(op)) {
                if (op == "{") ++curlyDepth_;
                if (op == "}") --curlyDepth_;
                push(Token::Type::Operator, std::string(op), line, column);
                advance(op.size());
                return {};
            }
        }
        return error(std::string("unexpected character '") + c + "'");
    }

    Expected<void> lexString(char quote) {
        const int line = line_, column = column_;
        advance();
        std::string text;
        while (pos_ < src_.size() && src_[pos_] != quote) {
            if (src_[pos_] != '\\') {
                text.push_back(src_[pos_]);
                advance();
                continue;
            }
            advance();
            if (pos_ >= src_.size()) break;
            const char e = src_[pos_];
            advance();
            switch (e) {
            case 'n': text += '\n'; break;
            case 't': text += '\t'; break;
            case 'r': text += '\r'; break;
            case 'b': text += '\b'; break;
            case 'f': text += '\f'; break;
            case 'v': text += '\v'; break;
            case '\'': case '"': case '\\': text += e; break;
            case 'x': case 'u': {
                const size_t digits = e == 'x' ? 2 : 4;
                const auto hex = src_.substr(pos_, digits);
                if (hex.size() != digits || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos)
                    return error("invalid \\" + std::string(1, e) + " escape in a string");
                const auto cp = uint32_t(std::stoul(std::string(hex), nullptr, 16));
                advance(digits);
                if (cp < 0x80) text += char(cp);
                else if (cp < 0x800) { text += char(0xc0 | (cp >> 6)); text += char(0x80 | (cp & 0x3f)); }
                else { text += char(0xe0 | (cp >> 12)); text += char(0x80 | ((cp >> 6) & 0x3f)); text += char(0x80 | (cp & 0x3f)); }
                break;
            }
            default: return error(std::string("unknown escape '\\") + e + "' in a string");
            }
        }
        if (pos_ >= src_.size()) return error("a string is never closed");
        advance(); // closing quote
        push(Token::Type::String, std::move(text), line, column);
        return {};
    }

    std::string_view src_;
    size_t pos_ = 0;
    int line_ = 1, column_ = 1;
    bool inside_ = false;
    int curlyDepth_ = 0;
    std::vector<Token> tokens_;
};

} // namespace

Expected<std::vector<Token>> tokenize(std::string_view source) { return Lexer(source).run(); }

} // namespace lucent::jinja
