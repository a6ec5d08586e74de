// A tokenizer and a block walker for terragrunt.hcl. The walker understands just enough of HCL's
// structure (bodies, attributes, blocks, bracketed expressions) to find dependency edges without
// evaluating anything: values it needs are read as literals, anything else is kept as written.
#include "stackctl/manifest/hcl.h"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace stackctl {
namespace {

enum class Tok { Ident, Number, String, Heredoc, Punct, Newline, End };

struct Token {
  Tok kind = Tok::End;
  std::string_view text;  ///< the raw source text
  std::string value;      ///< the decoded literal of a string without interpolation
  bool plain = false;     ///< a quoted string with no ${...} or %{...}
  int line = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9') || c == '-'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

void append_utf8(std::string& out, std::uint32_t cp) {
  static const std::uint32_t kLead[] = {0x00, 0xC0, 0xE0, 0xF0};
  if (cp > 0x10FFFF) cp = 0xFFFD;  // not a code point: the replacement character
  int extra = cp < 0x80 ? 0 : cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
  out += static_cast<char>(kLead[extra] | (cp >> (6 * extra)));
  for (int i = extra - 1; i >= 0; --i) out += static_cast<char>(0x80 | ((cp >> (6 * i)) & 0x3F));
}

/// Splits HCL source into tokens on demand. Comments vanish; newlines are tokens because they
/// end attributes.
class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  /// Reads the next token. On a lexical error returns false and sets error().
  bool next(Token& tok);
  const std::string& error() const { return error_; }

 private:
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  bool at_end(std::size_t ahead = 0) const { return pos_ + ahead >= src_.size(); }
  bool fail(int line, const std::string& message) {
    error_ = std::to_string(line) + ": " + message;
    return false;
  }
  bool skip_blanks_and_comments();
  bool lex_quoted(std::string* value, bool& plain, int start_line);
  bool skip_template(int start_line);
  bool lex_escape(std::string* value, int start_line);
  bool lex_heredoc(Token& tok);
  void lex_number();
  void lex_punct();

  std::string_view src_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::string error_;
};

bool Lexer::skip_blanks_and_comments() {
  while (!at_end()) {
    char c = peek();
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos_;
    } else if (c == '#' || (c == '/' && peek(1) == '/')) {
      while (!at_end() && peek() != '\n') ++pos_;
    } else if (c == '/' && peek(1) == '*') {
      int start_line = line_;
      pos_ += 2;
      while (!at_end() && !(peek() == '*' && peek(1) == '/')) {
        if (peek() == '\n') ++line_;
        ++pos_;
      }
      if (at_end()) return fail(start_line, "unterminated comment");
      pos_ += 2;
    } else {
      break;
    }
  }
  return true;
}

bool Lexer::lex_escape(std::string* value, int start_line) {
  ++pos_;  // the backslash
  if (at_end()) return fail(start_line, "unterminated string");
  char c = peek();
  ++pos_;
  std::string decoded;
  switch (c) {
    case 'n':
      decoded = "\n";
      break;
    case 't':
      decoded = "\t";
      break;
    case 'r':
      decoded = "\r";
      break;
    case '"':
      decoded = "\"";
      break;
    case '\\':
      decoded = "\\";
      break;
    case 'u':
    case 'U': {
      std::size_t digits = c == 'u' ? 4 : 8;
      std::uint32_t cp = 0;
      std::size_t i = 0;
      for (; i < digits && !at_end() && std::isxdigit(static_cast<unsigned char>(peek())); ++i) {
        char h = peek();
        ++pos_;
        cp = cp * 16 + static_cast<std::uint32_t>(is_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
      }
      append_utf8(decoded, cp);
      break;
    }
    case '\n':
      return fail(start_line, "unterminated string");
    default:
      decoded = std::string("\\") + c;
      break;
  }
  if (value) *value += decoded;
  return true;
}

// After "${" or "%{": skips the template expression up to its closing brace. Nested braces and
// quoted strings (which may hold braces of their own) are followed; newlines are allowed here.
bool Lexer::skip_template(int start_line) {
  int depth = 1;
  while (!at_end()) {
    char c = peek();
    if (c == '"') {
      ++pos_;
      bool plain = true;
      if (!lex_quoted(nullptr, plain, start_line)) return false;
      continue;
    }
    ++pos_;
    if (c == '\n') ++line_;
    if (c == '{') ++depth;
    if (c == '}' && --depth == 0) return true;
  }
  return fail(start_line, "unterminated string");
}

// Reads a quoted string after its opening quote, through the closing one.
bool Lexer::lex_quoted(std::string* value, bool& plain, int start_line) {
  while (!at_end()) {
    char c = peek();
    if (c == '"') {
      ++pos_;
      return true;
    }
    if (c == '\n') break;
    if (c == '\\') {
      if (!lex_escape(value, start_line)) return false;
      continue;
    }
    bool template_start = (c == '$' || c == '%') && peek(1) == '{';
    bool escaped_template = (c == '$' || c == '%') && peek(1) == c && peek(2) == '{';
    if (escaped_template) {
      if (value) *value += std::string(1, c) + "{";
      pos_ += 3;
    } else if (template_start) {
      plain = false;
      pos_ += 2;
      if (!skip_template(start_line)) return false;
    } else {
      if (value) *value += c;
      ++pos_;
    }
  }
  return fail(start_line, "unterminated string");
}

// At "<<": a heredoc when followed by an optional '-' and an identifier, ending at the first
// line that holds only the identifier.
bool Lexer::lex_heredoc(Token& tok) {
  std::size_t p = pos_ + 2;
  bool indented = p < src_.size() && src_[p] == '-';
  if (indented) ++p;
  std::size_t marker_begin = p;
  while (p < src_.size() && is_ident_char(src_[p])) ++p;
  std::string marker(src_.substr(marker_begin, p - marker_begin));
  std::string shown = std::string(indented ? "<<-" : "<<") + marker;
  while (p < src_.size() && (src_[p] == ' ' || src_[p] == '\t' || src_[p] == '\r')) ++p;
  if (p >= src_.size() || src_[p] != '\n') {
    return fail(line_, "heredoc marker " + shown + " must be followed by a newline");
  }
  int start_line = line_;
  while (p < src_.size()) {
    ++p;  // the newline ending the previous line
    ++line_;
    std::size_t eol = src_.find('\n', p);
    if (eol == std::string_view::npos) eol = src_.size();
    std::string_view content = src_.substr(p, eol - p);
    std::size_t first = content.find_first_not_of(" \t");
    std::size_t last = content.find_last_not_of(" \t\r");
    if (first != std::string_view::npos && content.substr(first, last - first + 1) == marker) {
      tok.kind = Tok::Heredoc;
      tok.line = start_line;
      pos_ = p + last + 1;
      return true;
    }
    p = eol;
  }
  line_ = start_line;
  return fail(start_line, "unterminated heredoc " + shown);
}

void Lexer::lex_number() {
  while (is_digit(peek()) || peek() == '.') {
    if (peek() == '.' && !is_digit(peek(1))) break;
    ++pos_;
  }
  if ((peek() == 'e' || peek() == 'E') &&
      (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
    pos_ += 2;
    while (is_digit(peek())) ++pos_;
  }
}

void Lexer::lex_punct() {
  static const char* const kMulti[] = {"...", "==", "!=", "<=", ">=", "&&", "||", "=>"};
  for (const char* op : kMulti) {
    std::string_view sv(op);
    if (src_.substr(pos_, sv.size()) == sv) {
      pos_ += sv.size();
      return;
    }
  }
  ++pos_;
}

bool Lexer::next(Token& tok) {
  tok = Token{};
  if (!skip_blanks_and_comments()) return false;
  tok.begin = pos_;
  tok.line = line_;
  if (at_end()) {
    tok.kind = Tok::End;
  } else if (peek() == '\n') {
    tok.kind = Tok::Newline;
    ++pos_;
    ++line_;
  } else if (peek() == '"') {
    tok.kind = Tok::String;
    tok.plain = true;
    ++pos_;
    if (!lex_quoted(&tok.value, tok.plain, tok.line)) return false;
  } else if (peek() == '<' && peek(1) == '<' &&
             (is_ident_start(peek(2)) || (peek(2) == '-' && is_ident_start(peek(3))))) {
    if (!lex_heredoc(tok)) return false;
  } else if (is_ident_start(peek())) {
    tok.kind = Tok::Ident;
    while (is_ident_char(peek())) ++pos_;
  } else if (is_digit(peek())) {
    tok.kind = Tok::Number;
    lex_number();
  } else {
    tok.kind = Tok::Punct;
    lex_punct();
  }
  tok.end = pos_;
  tok.text = src_.substr(tok.begin, tok.end - tok.begin);
  return true;
}

// ---------------------------------------------------------------------------------------------
// The walker: bodies hold attributes and blocks; attribute values are bracket-balanced token runs.

enum class Context { Top, Dependency, Dependencies, Terraform, Other };

bool is_punct(const Token& t, std::string_view p) { return t.kind == Tok::Punct && t.text == p; }

const char* closer_of(std::string_view open) {
  if (open == "[") return "]";
  if (open == "{") return "}";
  return ")";
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::String:
      return "a string";
    case Tok::Heredoc:
      return "a heredoc";
    case Tok::Number:
      return "a number";
    case Tok::Newline:
      return "a newline";
    case Tok::End:
      return "the end of the file";
    default:
      return "'" + std::string(t.text) + "'";
  }
}

class Walker {
 public:
  Walker(std::string_view src, HclModule& out) : src_(src), lexer_(src), out_(out) {}

  /// Walks the whole file; false with error() set on the first syntax error.
  bool run() {
    advance();
    parse_body(Context::Top, 0, 0, "");
    return error_.empty();
  }
  const std::string& error() const { return error_; }

 private:
  void advance() {
    if (!error_.empty()) return;
    if (!lexer_.next(cur_)) {
      error_ = lexer_.error();
      cur_ = Token{};
    }
  }
  bool fail(int line, const std::string& message) {
    if (error_.empty()) error_ = std::to_string(line) + ": " + message;
    return false;
  }
  std::string text_of(const std::vector<Token>& tokens, std::size_t from, std::size_t to) const {
    return std::string(src_.substr(tokens[from].begin, tokens[to - 1].end - tokens[from].begin));
  }
  std::string literal_or_text(const std::vector<Token>& tokens, std::size_t from,
                              std::size_t to) const {
    if (to - from == 1 && tokens[from].kind == Tok::String && tokens[from].plain) {
      return tokens[from].value;
    }
    return text_of(tokens, from, to);
  }

  bool parse_body(Context ctx, int depth, int open_line, const std::string& block_name);
  bool parse_block(Context ctx, int depth, const Token& name);
  bool parse_attribute(Context ctx, const Token& name);
  bool read_expression(std::vector<Token>& expr);
  void read_paths(const std::vector<Token>& expr);

  std::string_view src_;
  Lexer lexer_;
  HclModule& out_;
  Token cur_;
  std::string error_;
};

bool Walker::parse_body(Context ctx, int depth, int open_line, const std::string& block_name) {
  while (error_.empty()) {
    if (cur_.kind == Tok::Newline) {
      advance();
      continue;
    }
    if (cur_.kind == Tok::End) {
      if (depth == 0) return true;
      return fail(open_line, "unterminated block '" + block_name + "'");
    }
    if (is_punct(cur_, "}")) {
      if (depth == 0) return fail(cur_.line, "unexpected '}'");
      advance();
      return true;
    }
    if (cur_.kind != Tok::Ident) {
      return fail(cur_.line, "expected an attribute or block, found " + describe(cur_));
    }
    Token name = cur_;
    advance();
    if (is_punct(cur_, "=")) {
      advance();
      if (!parse_attribute(ctx, name)) return false;
    } else if (!parse_block(ctx, depth, name)) {
      return false;
    }
  }
  return false;
}

bool Walker::parse_block(Context ctx, int depth, const Token& name) {
  std::vector<std::string> labels;
  while (cur_.kind == Tok::String || cur_.kind == Tok::Ident) {
    labels.push_back(cur_.kind == Tok::String ? cur_.value : std::string(cur_.text));
    advance();
  }
  if (!is_punct(cur_, "{")) {
    if (!error_.empty()) return false;
    return fail(name.line, "expected '=' or '{' after '" + std::string(name.text) + "'");
  }
  int open_line = cur_.line;
  advance();
  Context inner = Context::Other;
  if (ctx == Context::Top && depth == 0) {
    if (name.text == "dependency") {
      inner = Context::Dependency;
      HclModule::Dependency dep;
      dep.name = labels.empty() ? "" : labels.front();
      dep.line = name.line;
      out_.dependencies.push_back(dep);
    } else if (name.text == "dependencies") {
      inner = Context::Dependencies;
    } else if (name.text == "terraform") {
      inner = Context::Terraform;
    } else if (name.text == "include") {
      out_.has_include = true;
    }
  }
  return parse_body(inner, depth + 1, open_line, std::string(name.text));
}

bool Walker::parse_attribute(Context ctx, const Token& name) {
  std::vector<Token> expr;
  if (!read_expression(expr)) return false;
  if (expr.empty()) return fail(name.line, "missing value for '" + std::string(name.text) + "'");
  std::string_view key = name.text;
  if (ctx == Context::Top && key == "prevent_destroy") {
    out_.prevent_destroy = expr.size() == 1 && expr[0].kind == Tok::Ident && expr[0].text == "true";
  } else if (ctx == Context::Dependency && key == "config_path") {
    out_.dependencies.back().config_path = literal_or_text(expr, 0, expr.size());
  } else if (ctx == Context::Dependency && key == "mock_outputs") {
    out_.dependencies.back().has_mock_outputs = true;
  } else if (ctx == Context::Dependencies && key == "paths") {
    read_paths(expr);
  } else if (ctx == Context::Terraform && key == "source") {
    out_.terraform_source = literal_or_text(expr, 0, expr.size());
  }
  return true;
}

// Collects the tokens of one attribute value: up to a newline or a '}' that is not inside
// brackets. Newlines inside brackets are skipped.
bool Walker::read_expression(std::vector<Token>& expr) {
  std::vector<Token> open;
  while (error_.empty()) {
    if (cur_.kind == Tok::End) {
      if (open.empty()) return true;
      return fail(open.back().line, "unterminated '" + std::string(open.back().text) + "'");
    }
    if (open.empty() && (cur_.kind == Tok::Newline || is_punct(cur_, "}"))) return true;
    if (cur_.kind == Tok::Newline) {
      advance();
      continue;
    }
    if (is_punct(cur_, "[") || is_punct(cur_, "{") || is_punct(cur_, "(")) {
      open.push_back(cur_);
    } else if (is_punct(cur_, "]") || is_punct(cur_, "}") || is_punct(cur_, ")")) {
      if (open.empty()) return fail(cur_.line, "unexpected " + describe(cur_));
      const char* want = closer_of(open.back().text);
      if (cur_.text != want) {
        return fail(cur_.line, std::string("expected '") + want + "' but found " + describe(cur_));
      }
      open.pop_back();
    }
    expr.push_back(cur_);
    advance();
  }
  return false;
}

// dependencies { paths = [...] }: each element as a literal, or as written when it is not one.
void Walker::read_paths(const std::vector<Token>& expr) {
  bool is_list = is_punct(expr.front(), "[") && is_punct(expr.back(), "]");
  int depth = 0;
  for (std::size_t i = 1; is_list && i + 1 < expr.size(); ++i) {
    if (is_punct(expr[i], "[") || is_punct(expr[i], "{") || is_punct(expr[i], "(")) ++depth;
    if (is_punct(expr[i], "]") || is_punct(expr[i], "}") || is_punct(expr[i], ")")) --depth;
    if (depth < 0) is_list = false;  // "[a] + [b]": not one list literal
  }
  if (!is_list) {
    out_.dependency_paths.push_back(literal_or_text(expr, 0, expr.size()));
    return;
  }
  std::size_t item_begin = 1;
  depth = 0;
  for (std::size_t i = 1; i < expr.size(); ++i) {
    bool last = i + 1 == expr.size();
    if (!last && (is_punct(expr[i], "[") || is_punct(expr[i], "{") || is_punct(expr[i], "("))) {
      ++depth;
    } else if (!last &&
               (is_punct(expr[i], "]") || is_punct(expr[i], "}") || is_punct(expr[i], ")"))) {
      --depth;
    } else if (last || (depth == 0 && is_punct(expr[i], ","))) {
      if (i > item_begin) out_.dependency_paths.push_back(literal_or_text(expr, item_begin, i));
      item_begin = i + 1;
    }
  }
}

}  // namespace

bool parse_hcl(std::string_view text, HclModule& out, std::string& error) {
  Walker walker(text, out);
  if (walker.run()) return true;
  error = walker.error();
  return false;
}

}  // namespace stackctl
