// Two passes: the lexer turns the text into tokens (a string, heredoc or comment is one token or
// none, so braces inside them never count), the parser walks bodies of attributes and blocks.
// Expressions are kept as token ranges; only literals the simulator needs are interpreted.
#include "hcl_reader.h"

#include <cctype>

namespace tgsim {
namespace {

enum class Tok { Ident, String, Heredoc, Number, Punct, Newline, End };

struct Token {
  Tok kind;
  std::string_view text;  ///< the source text, quotes included
  int line;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}

  /// Tokenizes the whole text; false with error_ set.
  bool run(std::vector<Token>& out);
  const std::string& error() const { return error_; }

 private:
  bool fail(int line, const std::string& message) {
    error_ = std::to_string(line) + ": " + message;
    return false;
  }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  bool skip_comment();
  bool string_token(std::vector<Token>& out);
  bool heredoc_token(std::vector<Token>& out);
  void push(std::vector<Token>& out, Tok kind, std::size_t start, int line) {
    out.push_back({kind, s_.substr(start, i_ - start), line});
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int line_ = 1;
  std::string error_;
};

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

// At '#', "//" or "/*": skips the comment (the newline ending a line comment stays).
bool Lexer::skip_comment() {
  if (peek() == '/' && peek(1) == '*') {
    int start_line = line_;
    std::size_t end = s_.find("*/", i_ + 2);
    if (end == std::string_view::npos) return fail(start_line, "unterminated comment");
    for (std::size_t k = i_; k < end; ++k) line_ += s_[k] == '\n';
    i_ = end + 2;
    return true;
  }
  while (i_ < s_.size() && s_[i_] != '\n') ++i_;
  return true;
}

// A quoted string; `${ ... }` and `%{ ... }` may hold braces and nested strings.
bool Lexer::string_token(std::vector<Token>& out) {
  std::size_t start = i_++;
  int start_line = line_;
  int depth = 0;
  bool nested_quote = false;
  while (i_ < s_.size()) {
    char c = s_[i_];
    if (c == '\n' && depth == 0) return fail(start_line, "unterminated string");
    if (c == '\n') ++line_;
    if (c == '\\') {
      i_ += 2;
      continue;
    }
    if (depth > 0 && c == '"') nested_quote = !nested_quote;
    if (!nested_quote && (c == '$' || c == '%') && peek(1) == '{') {
      ++depth;
      i_ += 2;
      continue;
    }
    if (!nested_quote && depth > 0 && c == '}') --depth;
    ++i_;
    if (c == '"' && depth == 0) {
      push(out, Tok::String, start, start_line);
      return true;
    }
  }
  return fail(start_line, "unterminated string");
}

// `<<EOF` or `<<-EOF`, then lines up to one holding only the marker.
bool Lexer::heredoc_token(std::vector<Token>& out) {
  std::size_t start = i_;
  int start_line = line_;
  i_ += 2;
  if (peek() == '-') ++i_;
  std::size_t marker_start = i_;
  while (i_ < s_.size() && is_ident_char(s_[i_])) ++i_;
  std::string_view marker = s_.substr(marker_start, i_ - marker_start);
  if (marker.empty() || peek() != '\n') return fail(start_line, "malformed heredoc marker");
  while (i_ < s_.size()) {
    ++i_;  // the newline
    ++line_;
    std::size_t eol = s_.find('\n', i_);
    if (eol == std::string_view::npos) eol = s_.size();
    std::string_view content = s_.substr(i_, eol - i_);
    while (!content.empty() && (content.front() == ' ' || content.front() == '\t')) {
      content.remove_prefix(1);
    }
    while (!content.empty() && (content.back() == ' ' || content.back() == '\r')) {
      content.remove_suffix(1);
    }
    i_ = eol;
    if (content == marker) {
      push(out, Tok::Heredoc, start, start_line);
      return true;
    }
  }
  return fail(start_line, "unterminated heredoc " + std::string(marker));
}

bool Lexer::run(std::vector<Token>& out) {
  while (i_ < s_.size()) {
    char c = s_[i_];
    std::size_t start = i_;
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i_;
    } else if (c == '\n') {
      ++i_;
      push(out, Tok::Newline, start, line_++);
    } else if (c == '#' || (c == '/' && (peek(1) == '/' || peek(1) == '*'))) {
      if (!skip_comment()) return false;
    } else if (c == '"') {
      if (!string_token(out)) return false;
    } else if (c == '<' && peek(1) == '<' &&
               (peek(2) == '-' || std::isalpha(static_cast<unsigned char>(peek(2))))) {
      if (!heredoc_token(out)) return false;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i_ < s_.size() && is_ident_char(s_[i_])) ++i_;
      push(out, Tok::Ident, start, line_);
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.'))
        ++i_;
      push(out, Tok::Number, start, line_);
    } else {
      ++i_;
      push(out, Tok::Punct, start, line_);
    }
  }
  out.push_back({Tok::End, {}, line_});
  return true;
}

/// An attribute: its name and the tokens of its value.
struct Attribute {
  std::string_view name;
  std::vector<Token> value;
  int line;
};

/// A block with its attributes and nested blocks.
struct Block {
  std::string_view type;
  std::vector<std::string> labels;
  int line = 0;
  std::vector<Attribute> attributes;
  std::vector<Block> blocks;
};

/// The unquoted content of a string token without templates (escapes \" and \\ resolved).
std::string unquote(std::string_view quoted) {
  std::string out;
  for (std::size_t k = 1; k + 1 < quoted.size(); ++k) {
    if (quoted[k] == '\\' && k + 2 < quoted.size()) ++k;
    out += quoted[k];
  }
  return out;
}

class Parser {
 public:
  explicit Parser(const std::vector<Token>& tokens) : t_(tokens) {}

  /// Parses a body up to '}' (nested) or the end (top level).
  bool body(Block& into, bool nested);
  const std::string& error() const { return error_; }

 private:
  bool fail(int line, const std::string& message) {
    error_ = std::to_string(line) + ": " + message;
    return false;
  }
  const Token& cur() const { return t_[i_]; }
  bool is_punct(char c) const { return cur().kind == Tok::Punct && cur().text[0] == c; }
  bool expression(Attribute& attr);

  const std::vector<Token>& t_;
  std::size_t i_ = 0;
  std::string error_;
};

// Up to a newline (or the block's closing brace) outside brackets.
bool Parser::expression(Attribute& attr) {
  std::vector<Token> open;
  for (;; ++i_) {
    const Token& t = cur();
    if (t.kind == Tok::End) {
      if (!open.empty())
        return fail(open.back().line, "unterminated '" + std::string(open.back().text) + "'");
      break;
    }
    if (open.empty() && (t.kind == Tok::Newline || (t.kind == Tok::Punct && t.text[0] == '}')))
      break;
    if (t.kind == Tok::Punct && (t.text[0] == '(' || t.text[0] == '[' || t.text[0] == '{')) {
      open.push_back(t);
    } else if (t.kind == Tok::Punct && (t.text[0] == ')' || t.text[0] == ']' || t.text[0] == '}')) {
      if (open.empty()) return fail(t.line, "unexpected '" + std::string(t.text) + "'");
      open.pop_back();
    }
    if (t.kind != Tok::Newline) attr.value.push_back(t);
  }
  if (attr.value.empty())
    return fail(attr.line, "missing value for '" + std::string(attr.name) + "'");
  return true;
}

bool Parser::body(Block& into, bool nested) {
  for (;;) {
    while (cur().kind == Tok::Newline) ++i_;
    if (cur().kind == Tok::End) {
      if (nested) return fail(into.line, "unterminated block '" + std::string(into.type) + "'");
      return true;
    }
    if (is_punct('}')) {
      if (!nested) return fail(cur().line, "unexpected '}'");
      ++i_;
      return true;
    }
    if (cur().kind != Tok::Ident) {
      return fail(cur().line,
                  "expected an attribute or block, found '" + std::string(cur().text) + "'");
    }
    const Token& name = cur();
    ++i_;
    if (is_punct('=')) {
      ++i_;
      Attribute attr{name.text, {}, name.line};
      if (!expression(attr)) return false;
      into.attributes.push_back(std::move(attr));
      continue;
    }
    Block block;
    block.type = name.text;
    block.line = name.line;
    while (cur().kind == Tok::String || cur().kind == Tok::Ident) {
      block.labels.push_back(cur().kind == Tok::String ? unquote(cur().text)
                                                       : std::string(cur().text));
      ++i_;
    }
    if (!is_punct('{'))
      return fail(name.line, "expected '=' or '{' after '" + std::string(name.text) + "'");
    ++i_;
    if (!body(block, true)) return false;
    into.blocks.push_back(std::move(block));
  }
}

/// The expression's source text from its first to its last token.
std::string raw_text(const std::vector<Token>& value) {
  const char* begin = value.front().text.data();
  const char* end = value.back().text.data() + value.back().text.size();
  return std::string(begin, static_cast<std::size_t>(end - begin));
}

/// `["a", "b"]` as its raw string tokens; nullopt when the value is not such a list.
std::optional<std::vector<std::string>> string_list(const std::vector<Token>& value) {
  if (value.size() < 2 || value.front().text != "[" || value.back().text != "]")
    return std::nullopt;
  std::vector<std::string> out;
  for (std::size_t k = 1; k + 1 < value.size(); ++k) {
    if (value[k].kind == Tok::String)
      out.emplace_back(value[k].text);
    else if (value[k].text != ",")
      return std::nullopt;
  }
  return out;
}

bool is_true(const std::vector<Token>& value) {
  return value.size() == 1 && value[0].text == "true";
}

HclDependency dependency_of(const Block& b) {
  HclDependency d;
  d.name = b.labels.empty() ? "" : b.labels[0];
  d.line = b.line;
  for (const Attribute& a : b.attributes) {
    if (a.name == "config_path") d.config_path = raw_text(a.value);
    if (a.name == "mock_outputs") d.has_mock_outputs = true;
    if (a.name == "skip_outputs") d.skip_outputs = is_true(a.value);
    if (a.name == "mock_outputs_allowed_terraform_commands") {
      std::vector<std::string> commands;
      for (const std::string& quoted : string_list(a.value).value_or(std::vector<std::string>{})) {
        commands.push_back(unquote(quoted));
      }
      d.mock_allowed_commands = commands;
    }
  }
  return d;
}

}  // namespace

bool read_hcl(std::string_view text, HclConfig& out, std::string& error) {
  out = HclConfig{};
  std::vector<Token> tokens;
  Lexer lexer(text);
  if (!lexer.run(tokens)) {
    error = lexer.error();
    return false;
  }
  Block root;
  Parser parser(tokens);
  if (!parser.body(root, false)) {
    error = parser.error();
    return false;
  }
  for (const Attribute& a : root.attributes) {
    if (a.name == "prevent_destroy") out.prevent_destroy = is_true(a.value);
  }
  for (const Block& b : root.blocks) {
    if (b.type == "dependency") out.dependencies.push_back(dependency_of(b));
    if (b.type != "dependencies") continue;
    for (const Attribute& a : b.attributes) {
      if (a.name != "paths") continue;
      for (const std::string& p : string_list(a.value).value_or(std::vector<std::string>{})) {
        out.dependency_paths.push_back(p);
      }
    }
  }
  return true;
}

}  // namespace tgsim
