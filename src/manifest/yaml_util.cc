// Reading YAML text into the loaders' own tree (yaml_util.h), under fixed limits.
//
// The tree is built from yaml-cpp's parser events instead of YAML::Load: the events arrive on
// the way down the document, so the builder stops a 20,000-deep document at kMaxDepth before
// yaml-cpp's recursive parser gets anywhere near the end of the stack; it sees every mapping
// key, so duplicate keys (which YAML::Load silently accepts) are reported; and it sees every
// alias, so an alias bomb is stopped by the node budget instead of exhausting memory.
#include "yaml_util.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <unordered_map>
#include <utility>

namespace stackctl::yaml {
namespace fs = std::filesystem;

namespace {

int line_of(const YAML::Mark& mark) { return mark.line < 0 ? 0 : mark.line + 1; }

/// A limit hit while building the tree; ends the parse with one diagnostic.
class Refusal : public std::runtime_error {
 public:
  Refusal(const YAML::Mark& mark, const std::string& message)
      : std::runtime_error(message), line(line_of(mark)) {}
  int line;
};

/// Builds the tree from parser events (see the file comment for why).
class Builder final : public YAML::EventHandler {
 public:
  Builder(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) {}
  NodePtr root() const { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    leaf(mark, anchor, Kind::Null, std::string(), true);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    leaf(mark, anchor, Kind::Scalar, value, tag == "?");
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, Kind::Sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, Kind::Map);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    std::shared_ptr<Node> node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    bool want_value = false;  // maps: the next node is the value of `key`
    bool keep = false;        // maps: the pending key is usable (a new string)
    std::string key;
    int key_line = 0;
    std::unordered_map<std::string, int> seen;  // maps: key -> line
  };

  void count(std::size_t nodes, const YAML::Mark& mark, bool alias);
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, Kind kind, const std::string& value,
            bool plain);
  void open(const YAML::Mark& mark, YAML::anchor_t anchor, Kind kind);
  void close();
  void attach(const NodePtr& node);
  void take_key(Frame& frame, const NodePtr& node);

  const std::string& file_;
  Diagnostics& diags_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, NodePtr> anchors_;
  std::size_t nodes_ = 0;
  NodePtr root_;
};

void Builder::count(std::size_t nodes, const YAML::Mark& mark, bool alias) {
  nodes_ += nodes;
  if (nodes_ <= kMaxNodes) return;
  throw Refusal(mark, alias ? "aliases expand the document to more than " +
                                  std::to_string(kMaxNodes) + " nodes"
                            : "the document has more than " + std::to_string(kMaxNodes) + " nodes");
}

void Builder::leaf(const YAML::Mark& mark, YAML::anchor_t anchor, Kind kind,
                   const std::string& value, bool plain) {
  count(1, mark, false);
  auto node = std::make_shared<Node>();
  node->kind = kind;
  node->line = line_of(mark);
  node->scalar = value;
  node->plain = plain;
  if (anchor != YAML::NullAnchor) anchors_[anchor] = node;
  attach(node);
}

void Builder::OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) {
  auto it = anchors_.find(anchor);
  // yaml-cpp has already refused undefined anchors; what is left is an alias inside its own
  // anchored node, which would make the tree infinite.
  if (it == anchors_.end()) throw Refusal(mark, "an alias refers to a node that contains it");
  count(it->second->weight, mark, true);
  attach(it->second);
}

void Builder::open(const YAML::Mark& mark, YAML::anchor_t anchor, Kind kind) {
  if (stack_.size() >= kMaxDepth) {
    throw Refusal(mark, "nesting is deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  count(1, mark, false);
  Frame frame;
  frame.node = std::make_shared<Node>();
  frame.node->kind = kind;
  frame.node->line = line_of(mark);
  frame.anchor = anchor;
  stack_.push_back(std::move(frame));
}

void Builder::close() {
  Frame frame = std::move(stack_.back());
  stack_.pop_back();
  NodePtr node = frame.node;
  if (frame.anchor != YAML::NullAnchor) anchors_[frame.anchor] = node;
  attach(node);
}

void Builder::attach(const NodePtr& node) {
  if (stack_.empty()) {
    root_ = node;
    return;
  }
  Frame& top = stack_.back();
  top.node->weight += node->weight;
  if (top.node->kind == Kind::Sequence) {
    top.node->items.push_back(node);
  } else if (!top.want_value) {
    take_key(top, node);
  } else {
    if (top.keep) top.node->entries.push_back(Entry{top.key, top.key_line, node});
    top.want_value = false;
  }
}

void Builder::take_key(Frame& frame, const NodePtr& node) {
  frame.want_value = true;
  frame.keep = false;
  frame.key_line = node->line;
  if (node->kind != Kind::Scalar) {
    diags_.error(file_, node->line,
                 std::string("mapping keys must be strings, not ") + describe(node->kind));
    return;
  }
  auto [it, fresh] = frame.seen.emplace(node->scalar, node->line);
  if (!fresh) {
    diags_.error(file_, node->line,
                 "duplicate key " + quote(node->scalar) + " (first defined at line " +
                     std::to_string(it->second) + ")");
    return;
  }
  frame.keep = true;
  frame.key = node->scalar;
}

/// Fails the parse on a second document; reading it whole is not needed to refuse it.
class SecondDocument final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    throw Refusal(mark, "expected one YAML document, found a second one");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// Length of the valid UTF-8 sequence at s[i], or 0 when it is not valid UTF-8.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  unsigned char c1 = byte(i + 1);
  if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
  if (c == 0xED && c1 >= 0xA0) return 0;  // UTF-16 surrogate
  if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
  if (c == 0xF4 && c1 >= 0x90) return 0;  // beyond U+10FFFF
  return len;
}

/// Refuses text yaml-cpp would misread: oversized, UTF-16/32, NUL bytes, invalid UTF-8.
bool check_text(std::string_view text, const std::string& file, Diagnostics& diags) {
  if (text.size() > kMaxFileBytes) {
    diags.error(file, 0, "file is larger than 16 MiB (" + std::to_string(text.size()) + " bytes)");
    return false;
  }
  if (text.size() >= 2 && (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")) {
    diags.error(file, 1, "file is UTF-16; save it as UTF-8");
    return false;
  }
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::string column = std::to_string(i - line_start + 1);
    if (text[i] == '\0') {
      diags.error(file, line, "NUL byte at column " + column + " (the file must be UTF-8 text)");
      return false;
    }
    std::size_t len = utf8_length(text, i);
    if (len == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[i]));
      diags.error(file, line, std::string("invalid UTF-8 byte ") + hex + " at column " + column);
      return false;
    }
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += len;
  }
  return true;
}

}  // namespace

const Entry* Node::find(std::string_view key) const {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

NodePtr parse(std::string_view text, const std::string& file, Diagnostics& diags) {
  if (!check_text(text, file, diags)) return nullptr;
  std::istringstream in{std::string(text)};
  Builder builder(file, diags);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder)) return nullptr;
    SecondDocument second;
    parser.HandleNextDocument(second);
    return builder.root();
  } catch (const Refusal& e) {
    diags.error(file, e.line, e.what());
  } catch (const YAML::Exception& e) {
    diags.error(file, line_of(e.mark), e.msg);
  } catch (const std::exception& e) {
    diags.error(file, 0, std::string("cannot parse: ") + e.what());
  }
  return nullptr;
}

void append_by_line(const Diagnostics& found, Diagnostics& out) {
  std::vector<Diagnostic> items = found.all();
  std::stable_sort(items.begin(), items.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  for (const Diagnostic& d : items) {
    if (d.severity == Severity::Error) {
      out.error(d.file, d.line, d.message);
    } else {
      out.warning(d.file, d.line, d.message);
    }
  }
}

std::optional<std::string> read_file(const fs::path& path, Diagnostics& diags) {
  const std::string name = path.string();
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    diags.error(
        name, 0,
        "cannot read file: " + (ec ? ec.message() : std::string("No such file or directory")));
    return std::nullopt;
  }
  if (!fs::is_regular_file(st)) {
    diags.error(name, 0, "cannot read file: not a regular file");
    return std::nullopt;
  }
  std::uintmax_t size = fs::file_size(path, ec);
  if (ec) {
    diags.error(name, 0, "cannot read file: " + ec.message());
    return std::nullopt;
  }
  if (size > kMaxFileBytes) {
    diags.error(name, 0, "file is larger than 16 MiB (" + std::to_string(size) + " bytes)");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    diags.error(name, 0, "cannot read file: " + std::generic_category().message(errno));
    return std::nullopt;
  }
  // One byte past the size is enough to notice a file that grew since the size check.
  std::string text;
  text.resize(static_cast<std::size_t>(size) + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    diags.error(name, 0, "cannot read file: read error");
    return std::nullopt;
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace stackctl::yaml
