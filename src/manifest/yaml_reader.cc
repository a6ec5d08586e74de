// Typed reads over the loaders' YAML tree, each with an exact message for a value of the wrong
// shape, and the small text helpers those messages need.
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "stackctl/util/suggest.h"
#include "yaml_util.h"

namespace stackctl::yaml {

const char* describe(Kind k) {
  switch (k) {
    case Kind::Null:
      return "empty";
    case Kind::Scalar:
      return "a string";
    case Kind::Sequence:
      return "a list";
    case Kind::Map:
      return "a mapping";
  }
  return "empty";
}

std::string quote(std::string_view s) {
  constexpr std::size_t kShown = 80;
  std::string out = "'";
  std::size_t i = 0;
  for (; i < s.size() && i < kShown; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\'' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  // Never end inside a multi-byte character: drop its leading bytes.
  if (i < s.size()) {
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) {
      --i;
      out.pop_back();
    }
    out += "...";
  }
  return out + "'";
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::string join_some(const std::vector<std::string>& items, std::size_t limit) {
  if (items.size() <= limit) return join(items);
  std::vector<std::string> some(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(limit));
  return join(some) + ", ...";
}

std::string Suggester::operator()(std::string_view word,
                                  const std::vector<std::string>& candidates) {
  if (left_ == 0) return std::string();
  --left_;
  return did_you_mean(word, candidates);
}

bool valid_env_name(std::string_view name) {
  if (name.empty()) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!alpha(name[0])) return false;
  for (char c : name) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

void Reader::error(int line, const std::string& message) const {
  diags_.error(file_, line, prefix_ + message);
}

void Reader::warning(int line, const std::string& message) const {
  diags_.warning(file_, line, prefix_ + message);
}

void Reader::unknown_keys(const Node& map, const std::vector<std::string>& allowed) const {
  for (const Entry& e : map.entries) {
    bool known = false;
    for (const std::string& a : allowed) known = known || a == e.key;
    if (known) continue;
    error(e.line, "unknown key " + quote(e.key) + did_you_mean(e.key, allowed) +
                      "; allowed keys: " + join(allowed));
  }
}

bool Reader::string(const Entry& e, std::string& out) const {
  if (e.value->kind == Kind::Scalar) {
    out = e.value->scalar;
    return true;
  }
  if (e.value->kind == Kind::Null) {
    error(e.line, quote(e.key) + " is empty");
  } else {
    error(e.value->line, quote(e.key) + " must be a string, not " + describe(e.value->kind));
  }
  return false;
}

bool Reader::boolean(const Entry& e, bool& out) const {
  const Node& v = *e.value;
  if (v.kind == Kind::Scalar && v.plain) {
    const std::string& s = v.scalar;
    bool yes = s == "true" || s == "True" || s == "TRUE";
    bool no = s == "false" || s == "False" || s == "FALSE";
    if (yes || no) {
      out = yes;
      return true;
    }
  }
  std::string found = v.kind == Kind::Scalar ? quote(v.scalar) : describe(v.kind);
  error(v.kind == Kind::Null ? e.line : v.line,
        quote(e.key) + " must be true or false, not " + found);
  return false;
}

bool Reader::integer(const Entry& e, long min, long max, int& out) const {
  const Node& v = *e.value;
  if (v.kind == Kind::Scalar && v.plain && !v.scalar.empty()) {
    errno = 0;
    char* end = nullptr;
    long n = std::strtol(v.scalar.c_str(), &end, 10);
    if (errno == 0 && *end == '\0' && n >= min && n <= max) {
      out = static_cast<int>(n);
      return true;
    }
  }
  std::string found = v.kind == Kind::Scalar ? quote(v.scalar) : describe(v.kind);
  std::string want = min == max
                         ? std::to_string(min)
                         : "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  error(v.kind == Kind::Null ? e.line : v.line,
        quote(e.key) + " must be " + want + ", not " + found);
  return false;
}

bool Reader::string_list(const Entry& e, std::vector<std::string>& out,
                         std::vector<int>* lines) const {
  const Node& v = *e.value;
  if (v.kind == Kind::Null) return true;
  if (v.kind != Kind::Sequence) {
    error(v.line, quote(e.key) + " must be a list, not " + describe(v.kind));
    return false;
  }
  bool ok = true;
  for (const NodePtr& item : v.items) {
    if (item->kind != Kind::Scalar) {
      error(item->line, quote(e.key) + " items must be strings, not " + describe(item->kind));
      ok = false;
      continue;
    }
    out.push_back(item->scalar);
    if (lines != nullptr) lines->push_back(item->line);
  }
  return ok;
}

bool Reader::env_vars(const Entry& e, EnvVars& out) const {
  const Node& v = *e.value;
  if (v.kind == Kind::Null) return true;
  if (v.kind != Kind::Map) {
    error(v.line,
          quote(e.key) + " must be a mapping of variable names to values, not " + describe(v.kind));
    return false;
  }
  bool ok = true;
  for (const Entry& var : v.entries) {
    if (!valid_env_name(var.key)) {
      error(var.line, "invalid variable name " + quote(var.key) + " in " + quote(e.key) +
                          " (expected letters, digits and '_', not starting with a digit)");
      ok = false;
    } else if (var.value->kind != Kind::Scalar) {
      error(var.line, quote(e.key) + " value of " + var.key + " must be a string, not " +
                          describe(var.value->kind));
      ok = false;
    } else {
      out.emplace_back(var.key, var.value->scalar);
    }
  }
  return ok;
}

bool Reader::env_names(const std::vector<std::string>& names, const std::vector<int>& lines,
                       std::string_view what) const {
  bool ok = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (valid_env_name(names[i])) continue;
    error(i < lines.size() ? lines[i] : 0,
          "invalid variable name " + quote(names[i]) + " in '" + std::string(what) +
              "' (expected letters, digits and '_', not starting with a digit)");
    ok = false;
  }
  return ok;
}

}  // namespace stackctl::yaml
