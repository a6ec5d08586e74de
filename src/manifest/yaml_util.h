#pragma once
// Private to the manifest and env loaders: a YAML document read into a small owned tree, and
// typed readers over that tree that report every problem as `FILE:LINE: message`.
//
// yaml-cpp is used only through its event parser (in yaml_util.cc), so this tree is built under
// our own limits: nesting depth, node count (which bounds alias expansion), duplicate keys.
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stackctl/manifest/manifest.h"
#include "stackctl/util/diagnostics.h"

namespace stackctl::yaml {

/// Files larger than this are refused before parsing.
constexpr std::size_t kMaxFileBytes = 16u * 1024u * 1024u;
/// Deeper nesting of sequences and mappings is refused while parsing.
constexpr std::size_t kMaxDepth = 256;
/// A document may hold at most this many nodes, counting every alias as a copy of its anchor.
constexpr std::size_t kMaxNodes = 200000;

enum class Kind { Null, Scalar, Sequence, Map };

struct Node;
using NodePtr = std::shared_ptr<const Node>;

/// One `key: value` of a mapping; line is the key's line.
struct Entry {
  std::string key;
  int line = 0;
  NodePtr value;
};

/// A parsed YAML node. Aliases share the anchored node, so the tree may be a DAG.
struct Node {
  Kind kind = Kind::Null;
  int line = 0;                ///< 1-based
  std::string scalar;          ///< Kind::Scalar
  bool plain = true;           ///< scalar written without quotes or tag
  std::vector<NodePtr> items;  ///< Kind::Sequence
  std::vector<Entry> entries;  ///< Kind::Map, in file order, keys unique
  std::size_t weight = 1;      ///< nodes in this subtree, aliases expanded

  /// The entry called key, or nullptr.
  const Entry* find(std::string_view key) const;
};

/// Parses text as one YAML document. Refuses (with a diagnostic) oversized text, NUL bytes,
/// invalid UTF-8, syntax errors, nesting deeper than kMaxDepth, more than kMaxNodes nodes and
/// more than one document; reports duplicate and non-string mapping keys and drops them.
/// Returns nullptr when there is no usable document (an empty text adds no diagnostic).
NodePtr parse(std::string_view text, const std::string& file, Diagnostics& diags);

/// Appends found to out sorted by line (file-wide findings first), as a reader meets them.
void append_by_line(const Diagnostics& found, Diagnostics& out);

/// Reads a whole file of at most kMaxFileBytes; nullopt after a diagnostic naming file.
std::optional<std::string> read_file(const std::filesystem::path& path, Diagnostics& diags);

/// "a string", "a list", "a mapping" or "empty", for "must be X, not Y" messages.
const char* describe(Kind k);

/// s in single quotes with control characters and quotes escaped, cut after 80 bytes, so
/// any name read from a file can be shown in a message without harm.
std::string quote(std::string_view s);

/// The elements joined with ", ".
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

/// At most limit elements joined with ", ", then ", ..." when some were left out.
std::string join_some(const std::vector<std::string>& items, std::size_t limit);

/// Did-you-mean hints (see stackctl/suggest.h) for the first few unknown names only, so a file
/// with thousands of unknown names against thousands of candidates stays quick to check.
class Suggester {
 public:
  /// ` (did you mean 'NAME'?)` or "" (always "" once the budget is spent).
  std::string operator()(std::string_view word, const std::vector<std::string>& candidates);

 private:
  int left_ = 100;
};

/// True when name matches `[A-Za-z_][A-Za-z0-9_]*`.
bool valid_env_name(std::string_view name);

/// Typed reads of mapping values with messages of the form `PREFIX'key' must be ...`.
/// Every read returns false (after a diagnostic) when the value has the wrong shape.
class Reader {
 public:
  /// prefix starts every message, e.g. "layer 'vpc': " (may be empty).
  Reader(std::string file, Diagnostics& diags, std::string prefix)
      : file_(std::move(file)), diags_(diags), prefix_(std::move(prefix)) {}

  /// A reader for a nested mapping: messages start with this prefix, then more.
  Reader nested(const std::string& more) const { return Reader(file_, diags_, prefix_ + more); }

  /// Adds an error at line with the prefix.
  void error(int line, const std::string& message) const;
  /// Adds a warning at line with the prefix.
  void warning(int line, const std::string& message) const;

  /// Reports keys of map not in allowed: the key, a suggestion, and the allowed keys.
  void unknown_keys(const Node& map, const std::vector<std::string>& allowed) const;
  /// A scalar; null is refused (`'key' is empty`).
  bool string(const Entry& e, std::string& out) const;
  /// `true` or `false` (also True/TRUE/False/FALSE).
  bool boolean(const Entry& e, bool& out) const;
  /// A decimal integer within [min, max].
  bool integer(const Entry& e, long min, long max, int& out) const;
  /// A list of scalars (null reads as an empty list); lines gets each item's line.
  bool string_list(const Entry& e, std::vector<std::string>& out,
                   std::vector<int>* lines = nullptr) const;
  /// A mapping of variable names to scalar values (null reads as empty).
  bool env_vars(const Entry& e, EnvVars& out) const;
  /// Checks each name is a valid variable name; what names the list in messages.
  bool env_names(const std::vector<std::string>& names, const std::vector<int>& lines,
                 std::string_view what) const;

 private:
  std::string file_;
  Diagnostics& diags_;
  std::string prefix_;
};

}  // namespace stackctl::yaml
