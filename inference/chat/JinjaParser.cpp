#include "inference/chat/JinjaParser.h"

#include <initializer_list>

namespace lucent::jinja {
namespace {

using K = Node::Kind;
using T = Token::Type;
constexpr int kMaxDepth = 200; // nesting of blocks and expressions; a hostile template can't recurse forever

// Parse errors travel as this exception inside the parser only; parseTemplate turns it into an Error.
struct ParseError {
    std::string message;
};

class Parser {
public:
    explicit Parser(const std::vector<Token>& tokens) : t_(tokens) {}

    NodePtr program() {
        auto block = node(K::Block);
        while (peek().type != T::End) block->children.push_back(statement());
        return block;
    }

private:
    const Token& peek(size_t ahead = 0) const { return t_[std::min(i_ + ahead, t_.size() - 1)]; }
    bool isOp(const char* op, size_t ahead = 0) const { return peek(ahead).type == T::Operator && peek(ahead).text == op; }
    bool isWord(const char* word, size_t ahead = 0) const { return peek(ahead).type == T::Identifier && peek(ahead).text == word; }
    const Token& next() { return t_[std::min(i_++, t_.size() - 1)]; }

    [[noreturn]] void error(const std::string& what) const {
        const auto& token = peek();
        throw ParseError{"chat template line " + std::to_string(token.line) + ":" + std::to_string(token.column) + ": " + what + "."};
    }
    std::string describe(const Token& token) const {
        switch (token.type) {
        case T::End: return "the end of the template";
        case T::Text: return "text";
        case T::String: return "a string";
        case T::Number: return "the number " + token.text;
        default: return "'" + token.text + "'";
        }
    }
    void expectOp(const char* op) {
        if (!isOp(op)) error(std::string("expected '") + op + "' but found " + describe(peek()));
        ++i_;
    }
    void expectType(T type, const char* what) {
        if (peek().type != type) error(std::string("expected ") + what + " but found " + describe(peek()));
        ++i_;
    }
    void expectWord(const char* word) {
        if (!isWord(word)) error(std::string("expected '") + word + "' but found " + describe(peek()));
        ++i_;
    }
    NodePtr node(K kind) const { return std::make_unique<Node>(kind, peek().line, peek().column); }

    struct DepthGuard {
        Parser& p;
        explicit DepthGuard(Parser& parser) : p(parser) {
            if (++p.depth_ > kMaxDepth) p.error("the template nests too deeply");
        }
        ~DepthGuard() { --p.depth_; }
    };

    // ---- statements -------------------------------------------------------------------------
    bool atStatement(std::initializer_list<const char*> words) const {
        if (peek().type != T::OpenStatement) return false;
        for (const char* word : words)
            if (isWord(word, 1)) return true;
        return false;
    }

    NodePtr blockUntil(std::initializer_list<const char*> words) {
        DepthGuard guard(*this);
        auto block = node(K::Block);
        while (!atStatement(words)) {
            if (peek().type == T::End) {
                std::string list;
                size_t n = 0;
                for (const char* word : words)
                    list += std::string(n++ == 0 ? "" : n == words.size() ? " or " : ", ") + "{% " + word + " %}";
                error("the block is never closed; expected " + list);
            }
            block->children.push_back(statement());
        }
        return block;
    }

    void closeWith(const char* word) {
        expectType(T::OpenStatement, "'{%'");
        expectWord(word);
        expectType(T::CloseStatement, "'%}'");
    }

    NodePtr statement() {
        const Token& token = peek();
        if (token.type == T::Text) {
            auto text = node(K::Text);
            text->text = next().text;
            return text;
        }
        if (token.type == T::OpenExpression) {
            ++i_;
            auto output = node(K::Output);
            output->children.push_back(expression());
            expectType(T::CloseExpression, "'}}'");
            return output;
        }
        if (token.type != T::OpenStatement) error("unexpected " + describe(token));
        ++i_;
        if (peek().type != T::Identifier) error("expected a statement name after '{%'");
        const std::string name = next().text;
        if (name == "if") return ifStatement();
        if (name == "for") return forStatement();
        if (name == "set") return setStatement();
        if (name == "macro") return macroStatement();
        if (name == "break" || name == "continue") {
            auto jump = node(name == "break" ? K::Break : K::Continue);
            expectType(T::CloseStatement, "'%}'");
            return jump;
        }
        i_ -= 1;
        error("unknown tag '" + name + "'; Lucent's chat templates support if, for, set, macro, break and continue");
    }

    NodePtr ifStatement() {
        auto n = node(K::If);
        n->children.push_back(expression());
        expectType(T::CloseStatement, "'%}'");
        n->children.push_back(blockUntil({"elif", "else", "endif"}));
        if (atStatement({"elif"})) {
            i_ += 2;
            auto alternate = node(K::Block);
            alternate->children.push_back(ifStatement()); // consumes the shared endif
            n->children.push_back(std::move(alternate));
            return n;
        }
        if (atStatement({"else"})) {
            i_ += 2;
            expectType(T::CloseStatement, "'%}'");
            n->children.push_back(blockUntil({"endif"}));
        } else {
            n->children.push_back(node(K::Block));
        }
        closeWith("endif");
        return n;
    }

    NodePtr forStatement() {
        auto n = node(K::For);
        do {
            if (peek().type != T::Identifier) error("expected a loop variable name");
            n->names.push_back(next().text);
        } while (isOp(",") && (++i_, true));
        expectWord("in");
        auto iterable = ternary();
        NodePtr filter;
        if (iterable->kind == K::Ternary && !iterable->children[2]) { // "for x in items if cond"
            filter = std::move(iterable->children[0]);
            iterable = std::move(iterable->children[1]);
        }
        n->children.push_back(std::move(iterable));
        n->children.push_back(std::move(filter));
        expectType(T::CloseStatement, "'%}'");
        n->children.push_back(blockUntil({"endfor", "else"}));
        if (atStatement({"else"})) {
            i_ += 2;
            expectType(T::CloseStatement, "'%}'");
            n->children.push_back(blockUntil({"endfor"}));
        } else {
            n->children.push_back(node(K::Block));
        }
        closeWith("endfor");
        return n;
    }

    NodePtr setStatement() {
        auto n = node(K::Set);
        if (peek().type != T::Identifier) error("expected a variable name after 'set'");
        n->names.push_back(next().text);
        if (isOp(".")) {
            ++i_;
            if (peek().type != T::Identifier) error("expected an attribute name");
            n->names.push_back(next().text);
        } else if (isOp(",")) {
            n->flag = true; // tuple unpacking
            while (isOp(",")) {
                ++i_;
                if (peek().type != T::Identifier) error("expected a variable name");
                n->names.push_back(next().text);
            }
        }
        if (isOp("=")) {
            ++i_;
            n->children.push_back(expressionSequence());
            expectType(T::CloseStatement, "'%}'");
        } else {
            expectType(T::CloseStatement, "'%}'");
            n->children.push_back(blockUntil({"endset"}));
            closeWith("endset");
        }
        return n;
    }

    NodePtr macroStatement() {
        auto n = node(K::Macro);
        if (peek().type != T::Identifier) error("expected a macro name");
        n->text = next().text;
        expectOp("(");
        while (!isOp(")")) {
            if (peek().type != T::Identifier) error("expected a parameter name");
            n->names.push_back(next().text);
            if (isOp("=")) {
                ++i_;
                n->children.push_back(expression());
            } else {
                n->children.push_back(nullptr);
            }
            if (!isOp(")")) expectOp(",");
        }
        ++i_;
        expectType(T::CloseStatement, "'%}'");
        n->children.push_back(blockUntil({"endmacro"}));
        closeWith("endmacro");
        return n;
    }

    // ---- expressions (precedence as in @huggingface/jinja) ------------------------------------
    NodePtr expressionSequence() {
        auto first = expression();
        if (!isOp(",")) return first;
        auto tuple = node(K::Tuple);
        tuple->children.push_back(std::move(first));
        while (isOp(",")) {
            ++i_;
            tuple->children.push_back(expression());
        }
        return tuple;
    }

    NodePtr expression() { return ternary(); }

    // children: condition, if-true, if-false (null for "x if cond" without else: undefined when false)
    NodePtr ternary() {
        DepthGuard guard(*this);
        auto value = logicalOr();
        if (!isWord("if")) return value;
        auto n = node(K::Ternary);
        ++i_;
        auto condition = logicalOr();
        NodePtr otherwise;
        if (isWord("else")) {
            ++i_;
            otherwise = ternary();
        }
        n->children.push_back(std::move(condition));
        n->children.push_back(std::move(value));
        n->children.push_back(std::move(otherwise));
        return n;
    }

    NodePtr binary(NodePtr left, const std::string& op, NodePtr right) {
        auto n = std::make_unique<Node>(K::Binary, left->line, left->column);
        n->text = op;
        n->children.push_back(std::move(left));
        n->children.push_back(std::move(right));
        return n;
    }

    NodePtr logicalOr() {
        auto left = logicalAnd();
        while (isWord("or")) {
            ++i_;
            left = binary(std::move(left), "or", logicalAnd());
        }
        return left;
    }
    NodePtr logicalAnd() {
        auto left = logicalNot();
        while (isWord("and")) {
            ++i_;
            left = binary(std::move(left), "and", logicalNot());
        }
        return left;
    }
    NodePtr logicalNot() {
        if (!isWord("not")) return comparison();
        DepthGuard guard(*this);
        auto n = node(K::Unary);
        ++i_;
        n->text = "not";
        n->children.push_back(logicalNot());
        return n;
    }
    NodePtr comparison() {
        auto left = additive();
        for (;;) {
            if (peek().type == T::Operator && (peek().text == "==" || peek().text == "!=" || peek().text == "<" ||
                                               peek().text == ">" || peek().text == "<=" || peek().text == ">=")) {
                const std::string op = next().text;
                left = binary(std::move(left), op, additive());
            } else if (isWord("in")) {
                ++i_;
                left = binary(std::move(left), "in", additive());
            } else if (isWord("not") && isWord("in", 1)) {
                i_ += 2;
                left = binary(std::move(left), "not in", additive());
            } else {
                return left;
            }
        }
    }
    NodePtr additive() {
        auto left = multiplicative();
        while (isOp("+") || isOp("-") || isOp("~")) {
            const std::string op = next().text;
            left = binary(std::move(left), op, multiplicative());
        }
        return left;
    }
    NodePtr multiplicative() {
        auto left = power();
        while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
            const std::string op = next().text;
            left = binary(std::move(left), op, power());
        }
        return left;
    }
    NodePtr power() {
        auto left = test();
        while (isOp("**")) {
            ++i_;
            left = binary(std::move(left), "**", test());
        }
        return left;
    }
    NodePtr test() {
        auto operand = filter();
        while (isWord("is")) {
            auto n = node(K::Test);
            ++i_;
            if (isWord("not")) {
                n->flag = true;
                ++i_;
            }
            if (peek().type != T::Identifier) error("expected a test name after 'is'");
            n->text = next().text;
            n->children.push_back(std::move(operand));
            if (isOp("(")) arguments(*n);
            else if (peek().type == T::String || peek().type == T::Number) n->children.push_back(primary()); // "is equalto 3"
            operand = std::move(n);
        }
        return operand;
    }
    NodePtr filter() {
        auto operand = unarySign();
        while (isOp("|")) {
            auto n = node(K::Filter);
            ++i_;
            if (peek().type != T::Identifier) error("expected a filter name after '|'");
            n->text = next().text;
            n->children.push_back(std::move(operand));
            if (isOp("(")) {
                n->flag = true; // called: some filters differ between `|int` and `|int()` in the reference
                arguments(*n);
            }
            operand = std::move(n);
        }
        return operand;
    }
    NodePtr unarySign() {
        if (!isOp("-") && !isOp("+")) return postfix(primary());
        DepthGuard guard(*this);
        auto n = node(K::Unary);
        n->text = next().text;
        n->children.push_back(unarySign());
        return n;
    }

    // Appends "(a, b, k=v)" to n's children, keyword names in n->names (for the last ones).
    void arguments(Node& n) {
        expectOp("(");
        while (!isOp(")")) {
            if (peek().type == T::Identifier && isOp("=", 1)) {
                n.names.push_back(next().text);
                ++i_;
                n.children.push_back(expression());
            } else {
                if (!n.names.empty()) error("a positional argument follows a keyword argument");
                n.children.push_back(expression());
            }
            if (!isOp(")")) expectOp(",");
        }
        ++i_;
    }

    NodePtr postfix(NodePtr object) {
        for (;;) {
            if (isOp(".")) {
                ++i_;
                auto n = node(K::Member);
                if (peek().type != T::Identifier && peek().type != T::Number) error("expected an attribute name after '.'");
                const Token& name = next();
                n->children.push_back(std::move(object));
                if (name.type == T::Number) {
                    auto index = node(K::Literal);
                    index->value = Value(int64_t(std::stoll(name.text)));
                    n->children.push_back(std::move(index));
                } else {
                    n->text = name.text;
                }
                object = std::move(n);
            } else if (isOp("[")) {
                ++i_;
                auto n = node(K::Member);
                n->children.push_back(std::move(object));
                n->children.push_back(subscript());
                expectOp("]");
                object = std::move(n);
            } else if (isOp("(")) {
                auto n = node(K::Call);
                n->children.push_back(std::move(object));
                arguments(*n);
                object = std::move(n);
            } else {
                return object;
            }
        }
    }

    NodePtr subscript() {
        NodePtr parts[3];
        int slot = 0;
        bool isSlice = false;
        while (!isOp("]")) {
            if (isOp(":")) {
                if (++slot > 2) error("a slice has at most three parts");
                isSlice = true;
                ++i_;
            } else {
                if (parts[slot]) error("expected ':' or ']' in a subscript");
                parts[slot] = expression();
            }
        }
        if (!isSlice) {
            if (!parts[0]) error("an empty subscript '[]'");
            return std::move(parts[0]);
        }
        auto n = node(K::Slice);
        for (auto& part : parts) n->children.push_back(std::move(part));
        return n;
    }

    NodePtr primary() {
        DepthGuard guard(*this);
        const Token& token = peek();
        auto n = node(K::Literal);
        switch (token.type) {
        case T::Number:
            ++i_;
            if (token.text.find('.') != std::string::npos) n->value = Value(std::stod(token.text));
            else {
                try { n->value = Value(int64_t(std::stoll(token.text))); }
                catch (...) { error("the number " + token.text + " is too large"); }
            }
            return n;
        case T::String: {
            std::string text = next().text;
            while (peek().type == T::String) text += next().text; // "a" "b" concatenates
            n->value = Value(std::move(text));
            return n;
        }
        case T::Identifier: {
            const std::string word = next().text;
            if (word == "true" || word == "True") n->value = Value(true);
            else if (word == "false" || word == "False") n->value = Value(false);
            else if (word == "none" || word == "None") n->value = Value(None{});
            else {
                n->kind = K::Identifier;
                n->text = word;
            }
            return n;
        }
        case T::Operator:
            if (token.text == "(") {
                ++i_;
                auto inner = expressionSequence();
                expectOp(")");
                return inner;
            }
            if (token.text == "[") {
                ++i_;
                n->kind = K::List;
                while (!isOp("]")) {
                    n->children.push_back(expression());
                    if (!isOp("]")) expectOp(",");
                }
                ++i_;
                return n;
            }
            if (token.text == "{") {
                ++i_;
                n->kind = K::Dict;
                while (!isOp("}")) {
                    n->children.push_back(expression());
                    expectOp(":");
                    n->children.push_back(expression());
                    if (!isOp("}")) expectOp(",");
                }
                ++i_;
                return n;
            }
            break;
        default: break;
        }
        error("unexpected " + describe(token) + " in an expression");
    }

    const std::vector<Token>& t_;
    size_t i_ = 0;
    int depth_ = 0;
};

} // namespace

Expected<NodePtr> parseTemplate(const std::vector<Token>& tokens) {
    try {
        return Parser(tokens).program();
    } catch (const ParseError& e) {
        return fail(e.message);
    }
}

} // namespace lucent::jinja
