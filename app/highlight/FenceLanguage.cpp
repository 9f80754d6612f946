#include "app/highlight/FenceLanguage.h"

#include <QHash>

namespace lucent::app {
namespace {

// Fence words models and people write that are not themselves a definition's name. Only names that
// KF5's definitions on Debian 12 have (`kate-syntax-highlighter --list`); a word whose meaning is
// ambiguous (".m": Objective-C or MATLAB) is left out and shows as plain text.
const QHash<QString, QString>& aliases() {
    static const QHash<QString, QString> map = {
        {"py", "Python"},          {"python3", "Python"},       {"py3", "Python"},         {"gyp", "Python"},
        {"js", "JavaScript"},      {"mjs", "JavaScript"},       {"cjs", "JavaScript"},     {"node", "JavaScript"},
        {"jsx", "JavaScript React (JSX)"},                      {"tsx", "TypeScript React (TSX)"},
        {"ts", "TypeScript"},      {"mts", "TypeScript"},       {"sh", "Bash"},            {"shell", "Bash"},
        {"console", "Bash"},       {"shellsession", "Bash"},    {"ksh", "Bash"},           {"cpp", "C++"},
        {"cxx", "C++"},            {"cc", "C++"},               {"hpp", "C++"},            {"hxx", "C++"},
        {"cuda", "C++"},           {"cu", "C++"},               {"h", "C"},                {"rs", "Rust"},
        {"golang", "Go"},          {"yml", "YAML"},             {"md", "Markdown"},        {"cs", "C#"},
        {"csharp", "C#"},          {"kt", "Kotlin"},            {"kts", "Kotlin"},         {"rb", "Ruby"},
        {"ps1", "PowerShell"},     {"pwsh", "PowerShell"},      {"docker", "Dockerfile"},  {"jsonc", "JSON"},
        {"json5", "JSON"},         {"jsonl", "JSON"},           {"tex", "LaTeX"},          {"patch", "Diff"},
        {"ini", "INI Files"},      {"cfg", "INI Files"},        {"make", "Makefile"},      {"mk", "Makefile"},
        {"objc", "Objective-C"},   {"objective-c", "Objective-C"}, {"r", "R Script"},      {"htm", "HTML"},
        {"xhtml", "HTML"},         {"svg", "XML"},              {"plist", "XML"},          {"pl", "Perl"},
        {"hs", "Haskell"},         {"ocaml", "Objective Caml"}, {"ml", "Objective Caml"},  {"fs", "FSharp"},
        {"f#", "FSharp"},          {"ex", "Elixir"},            {"exs", "Elixir"},         {"erl", "Erlang"},
        {"clj", "Clojure"},        {"lisp", "Common Lisp"},     {"el", "Common Lisp"},     {"scm", "Scheme"},
        {"jl", "Julia"},           {"proto", "Protobuf"},       {"tf", "Terraform"},       {"hcl", "Terraform"},
        {"bat", "MS-DOS Batch"},   {"cmd", "MS-DOS Batch"},     {"batch", "MS-DOS Batch"}, {"asm", "GNU Assembler"},
        {"s", "GNU Assembler"},    {"nasm", "Intel x86 (NASM)"}, {"gql", "GraphQL"},       {"rst", "reStructuredText"},
        {"adoc", "AsciiDoc"},      {"properties", "Java Properties"}, {"gradle", "Groovy"}, {"php", "PHP/PHP"},
        {"pas", "Pascal"},         {"delphi", "Pascal"},        {"fortran", "Fortran (Free Format)"},
        {"f90", "Fortran (Free Format)"},                       {"vhd", "VHDL"},           {"sv", "SystemVerilog"},
        {"psql", "SQL (PostgreSQL)"}, {"postgresql", "SQL (PostgreSQL)"}, {"mysql", "SQL (MySQL)"},
        {"plsql", "SQL (Oracle)"}, {"sqlite", "SQL"},           {"dot", "dot"},
        {"graphviz", "dot"},       {"systemd", "systemd unit"}, {"gitignore", "Git Ignore"}, {"m4", "GNU M4"},
        {"scss", "SCSS"},          {"sass", "SASS"},            {"less", "LESSCSS"},       {"zig", "Zig"},
    };
    return map;
}

} // namespace

QString definitionForFence(const QString& fenceWord, const QStringList& definitions) {
    const QString word = fenceWord.trimmed().toLower();
    if (word.isEmpty()) return {};
    const QString wanted = aliases().value(word, word);
    // KDE's "None" colours nothing: plain text looks the same and needs no process.
    if (wanted.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) return {};
    for (const QString& name : definitions)
        if (name.compare(wanted, Qt::CaseInsensitive) == 0) return name;
    return {};
}

} // namespace lucent::app
