#include "ci_yaml.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <nlohmann/json.hpp>

namespace stackctl::yaml_text {

Node Node::scalar(std::string value) {
  Node n;
  n.value_ = std::move(value);
  return n;
}

Node Node::boolean(bool value) {
  Node n = scalar(value ? "true" : "false");
  n.raw_ = true;
  return n;
}

Node Node::map() {
  Node n;
  n.kind_ = Kind::Map;
  return n;
}

Node Node::seq(bool flow) {
  Node n;
  n.kind_ = Kind::Seq;
  n.flow_ = flow;
  return n;
}

Node Node::list(const std::vector<std::string>& items) {
  Node n = seq(true);
  for (const auto& i : items) n.add(scalar(i));
  return n;
}

Node& Node::set(const std::string& key, Node value, std::vector<std::string> comments) {
  keys_.push_back(key);
  comments_.push_back(std::move(comments));
  children_.push_back(std::move(value));
  return children_.back();
}

Node& Node::add(Node item) {
  children_.push_back(std::move(item));
  return children_.back();
}

namespace {

// Words YAML 1.1 (and so many CI parsers) reads as booleans or null.
bool special_word(const std::string& s) {
  static const char* words[] = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"};
  std::string lower = s;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(std::begin(words), std::end(words), [&](const char* w) { return lower == w; });
}

bool plain_char(char c, bool in_flow) {
  unsigned char u = static_cast<unsigned char>(c);
  if (std::isalnum(u) || c == '_' || c == '.' || c == '/' || c == '-' || c == '@') return true;
  return !in_flow && (c == ' ' || c == '=' || c == '\'' || c == ',' || c == '(' || c == ')');
}

bool plain(const std::string& s, bool in_flow) {
  if (s.empty() || special_word(s)) return false;
  unsigned char first = static_cast<unsigned char>(s[0]);
  if (!std::isalpha(first) && s[0] != '_' && s[0] != '/') return false;
  if (s.back() == ' ') return false;
  return std::all_of(s.begin(), s.end(), [in_flow](char c) { return plain_char(c, in_flow); });
}

std::string quoted(const std::string& s) {
  // A JSON string is a valid YAML double-quoted scalar.
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A multi-line string as a literal block (`|` or `|-`), when every line can be written as is.
bool literal_ok(const std::string& s) {
  if (s.find('\n') == std::string::npos || s[0] == ' ' || s[0] == '\n') return false;
  if (s.size() >= 2 && s.compare(s.size() - 2, 2, "\n\n") == 0) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == '\n' || static_cast<unsigned char>(c) >= 0x20; });
}

std::string literal(const std::string& s, int indent) {
  std::string out = s.back() == '\n' ? "|" : "|-";
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);)
    out += "\n" + (line.empty() ? std::string()
                                : std::string(static_cast<std::size_t>(indent), ' ') + line);
  return out;
}

class Emitter {
 public:
  std::string str() const { return out_.str(); }

  void map(const Node& n, int indent) {
    for (std::size_t i = 0; i < n.keys().size(); ++i) {
      for (const auto& c : n.comments()[i]) line(indent, c.empty() ? "#" : "# " + c);
      entry(pad(indent) + scalar_text(n.keys()[i], false) + ":", n.children()[i], indent);
    }
  }

 private:
  static std::string pad(int indent) { return std::string(static_cast<std::size_t>(indent), ' '); }
  void line(int indent, const std::string& text) { out_ << pad(indent) << text << "\n"; }

  // `prefix` is what precedes the value on its line: "key:" or "- ".
  void entry(const std::string& prefix, const Node& v, int indent) {
    if (v.kind() == Node::Kind::Scalar) {
      out_ << prefix << " "
           << (v.raw()                 ? v.value()
               : literal_ok(v.value()) ? literal(v.value(), indent + 2)
                                       : scalar_text(v.value(), false))
           << "\n";
    } else if (v.children().empty()) {
      out_ << prefix << (v.kind() == Node::Kind::Map ? " {}" : " []") << "\n";
    } else if (v.kind() == Node::Kind::Seq && v.flow()) {
      std::string items;
      for (const auto& c : v.children())
        items += (items.empty() ? "" : ", ") + scalar_text(c.value(), true);
      out_ << prefix << " [" << items << "]\n";
    } else {
      out_ << prefix << "\n";
      if (v.kind() == Node::Kind::Map)
        map(v, indent + 2);
      else
        seq(v, indent + 2);
    }
  }

  void seq(const Node& n, int indent) {
    for (const auto& item : n.children()) {
      if (item.kind() != Node::Kind::Map || item.children().empty()) {
        entry(pad(indent) + "-", item, indent);
        continue;
      }
      // `- key: value`, the other keys under the first one (after its comments).
      Emitter inner;
      inner.map(item, indent + 2);
      std::string text = inner.str();
      std::size_t at = 0;
      while (text.compare(at + static_cast<std::size_t>(indent) + 2, 1, "#") == 0)
        at = text.find('\n', at) + 1;
      text.replace(at + static_cast<std::size_t>(indent), 2, "- ");
      out_ << text;
    }
  }

  std::ostringstream out_;
};

}  // namespace

std::string scalar_text(const std::string& value, bool in_flow) {
  return plain(value, in_flow) ? value : quoted(value);
}

std::string emit(const Node& root, const std::vector<std::string>& header) {
  std::string out;
  for (const auto& h : header) out += h.empty() ? "#\n" : "# " + h + "\n";
  Emitter e;
  e.map(root, 0);
  return out + e.str();
}

}  // namespace stackctl::yaml_text
