// The layer manifest (docs/contract.md, The layer manifest): reading layers/manifest.yaml into a
// Manifest and checking every rule, reporting all problems with the line of the offending node.
#include "stackctl/manifest/manifest.h"

#include <system_error>
#include <unordered_map>

#include "manifest_rules.h"
#include "stackctl/util/error.h"
#include "stackctl/util/suggest.h"
#include "yaml_util.h"

namespace stackctl {
namespace fs = std::filesystem;
using yaml::Entry;
using yaml::Kind;
using yaml::Node;
using yaml::quote;

namespace {

const std::vector<std::string> kTopKeys = {"version", "tiers", "layers"};
const std::vector<std::string> kLayerKeys = {
    "name",      "tier", "kind",        "path",         "depends_on", "protect", "optional",
    "needs_env", "env",  "description", "instructions", "command",    "module"};

/// The manifest being built and what the checks need besides it.
struct Parse {
  Manifest& m;
  const std::string& file;
  Diagnostics& diags;
  manifest_rules::Lines lines;
  yaml::Suggester suggest;
};

/// The project root for a manifest file: the folder holding layers/, else the file's folder.
fs::path root_of(const fs::path& file) {
  fs::path folder = file.parent_path();
  fs::path root = folder.filename() == "layers" ? folder.parent_path() : folder;
  return root.empty() ? fs::path(".") : root;
}

void read_tiers(const Entry& e, Parse& p) {
  yaml::Reader r(p.file, p.diags, "");
  std::vector<int> lines;
  r.string_list(e, p.m.tiers, &lines);
  std::unordered_map<std::string, int> first;
  for (std::size_t i = 0; i < p.m.tiers.size(); ++i) {
    auto [it, fresh] = first.emplace(p.m.tiers[i], lines[i]);
    if (fresh) continue;
    r.error(lines[i], "duplicate tier " + quote(p.m.tiers[i]) + " (first defined at line " +
                          std::to_string(it->second) + ")");
  }
}

/// Reads `name`, checks its form and uniqueness, and indexes it.
void read_name(const Node& node, std::size_t pos, Layer& layer, Parse& p) {
  yaml::Reader r(p.file, p.diags, "layer #" + std::to_string(pos + 1) + ": ");
  const Entry* e = node.find("name");
  if (e == nullptr) {
    r.error(node.line, "missing 'name'");
    return;
  }
  if (!r.string(*e, layer.name)) return;
  const int line = e->value->line;
  if (layer.name.size() > 128) {
    r.error(line, "name " + quote(layer.name) + " is longer than 128 characters");
  } else if (!valid_layer_name(layer.name)) {
    r.error(line, "invalid name " + quote(layer.name) +
                      " (use lowercase letters, digits, '.', '_' and '-', starting with a "
                      "letter or digit)");
  }
  auto [it, fresh] = p.m.index.emplace(layer.name, pos);
  if (!fresh) {
    p.diags.error(p.file, line,
                  "duplicate layer " + quote(layer.name) + " (first defined at line " +
                      std::to_string(p.m.layers[it->second].line) + ")");
  }
}

void read_tier(const Node& node, Layer& layer, const yaml::Reader& r, Parse& p) {
  const Entry* e = node.find("tier");
  if (e == nullptr) {
    if (!p.m.tiers.empty()) r.error(node.line, "missing 'tier' (the manifest defines tiers)");
    return;
  }
  if (!r.string(*e, layer.tier) || p.m.tiers.empty()) return;
  for (const std::string& t : p.m.tiers) {
    if (t == layer.tier) return;
  }
  std::string hint = p.suggest(layer.tier, p.m.tiers);
  if (hint.empty()) hint = " (tiers: " + yaml::join_some(p.m.tiers, 20) + ")";
  r.error(e->value->line, "unknown tier " + quote(layer.tier) + hint);
}

void read_kind(const Entry& e, Layer& layer, const yaml::Reader& r) {
  std::string kind;
  if (!r.string(e, kind)) return;
  if (kind == "terragrunt") {
    layer.kind = LayerKind::Terragrunt;
  } else if (kind == "manual") {
    layer.kind = LayerKind::Manual;
  } else if (kind == "command") {
    layer.kind = LayerKind::Command;
  } else {
    r.error(e.value->line,
            "unknown kind " + quote(kind) + " (expected terragrunt, manual or command)");
  }
}

void read_protect(const Entry& e, Layer& layer, const yaml::Reader& r) {
  std::string value;
  if (!r.string(e, value)) return;
  if (auto protect = parse_protect(value)) {
    layer.protect = *protect;
  } else {
    r.error(e.value->line, "invalid protect " + quote(value) + " (expected none, keep or data)");
  }
}

/// Reads every key but name and tier into layer; kind rules are checked afterwards.
void read_fields(const Node& node, std::size_t pos, Layer& layer, const yaml::Reader& r, Parse& p) {
  for (const Entry& e : node.entries) {
    const std::string& k = e.key;
    if (k == "kind") read_kind(e, layer, r);
    if (k == "protect") read_protect(e, layer, r);
    if (k == "optional") r.boolean(e, layer.optional);
    if (k == "description") r.string(e, layer.description);
    if (k == "instructions") r.string(e, layer.instructions);
    if (k == "module") r.string(e, layer.module);
    if (k == "env") r.env_vars(e, layer.env);
    if (k == "command") r.string_list(e, layer.command);
    if (k == "depends_on") r.string_list(e, layer.depends_on, &p.lines.depends_on[pos]);
    if (k == "needs_env") {
      std::vector<int> lines;
      if (r.string_list(e, layer.needs_env, &lines)) r.env_names(layer.needs_env, lines, k);
    }
    if (k == "path" && r.string(e, layer.path)) p.lines.path[pos] = e.value->line;
  }
}

void read_layer(const Node& node, std::size_t pos, Parse& p) {
  Layer& layer = p.m.layers[pos];
  layer.line = node.line;
  p.lines.path[pos] = node.line;
  read_name(node, pos, layer, p);
  yaml::Reader r(p.file, p.diags, manifest_rules::label(layer, pos) + ": ");
  r.unknown_keys(node, kLayerKeys);
  read_tier(node, layer, r, p);
  read_fields(node, pos, layer, r, p);
  manifest_rules::check_kind(node, layer, r);
  if (node.find("path") == nullptr) {
    // A command runs in the env's folder unless it names another.
    layer.path = layer.kind == LayerKind::Command ? "." : layer.name;
    if (!valid_layer_name(layer.name)) return;
  }
  manifest_rules::check_path(layer, p.lines.path[pos], r);
}

void read_layers(const Entry& e, Parse& p) {
  const Node& list = *e.value;
  if (list.kind == Kind::Null) return;
  if (list.kind != Kind::Sequence) {
    p.diags.error(p.file, list.line,
                  "'layers' must be a list, not " + std::string(yaml::describe(list.kind)));
    return;
  }
  p.m.layers.resize(list.items.size());
  p.lines.depends_on.resize(list.items.size());
  p.lines.path.resize(list.items.size());
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    const Node& item = *list.items[i];
    if (item.kind == Kind::Map) {
      read_layer(item, i, p);
      continue;
    }
    p.m.layers[i].line = item.line;
    p.diags.error(
        p.file, item.line,
        "layer #" + std::to_string(i + 1) + " must be a mapping, not " + yaml::describe(item.kind));
  }
}

/// The document's top-level mapping, or nullptr after a diagnostic.
yaml::NodePtr read_root(std::string_view text, Parse& p) {
  yaml::NodePtr root = yaml::parse(text, p.file, p.diags);
  if (root == nullptr && p.diags.has_errors()) return nullptr;
  if (root == nullptr || root->kind == Kind::Null) {
    p.diags.error(p.file, 0, "the manifest is empty (expected 'version: 1' and a 'layers' list)");
    return nullptr;
  }
  if (root->kind != Kind::Map) {
    p.diags.error(p.file, root->line,
                  "the manifest must be a mapping with 'version' and 'layers', not " +
                      std::string(yaml::describe(root->kind)));
    return nullptr;
  }
  return root;
}

/// Checks the top-level mapping and reads version, tiers and layers.
void read_document(const Node& root, Parse& p) {
  yaml::Reader r(p.file, p.diags, "");
  r.unknown_keys(root, kTopKeys);
  if (const Entry* v = root.find("version")) {
    r.integer(*v, 1, 1, p.m.version);
  } else {
    p.diags.error(p.file, 0, "missing 'version' (expected 'version: 1')");
  }
  if (const Entry* t = root.find("tiers")) read_tiers(*t, p);
  if (const Entry* l = root.find("layers")) {
    read_layers(*l, p);
  } else {
    p.diags.error(p.file, 0, "missing 'layers' (the ordered list of layers)");
  }
}

}  // namespace

const Layer* Manifest::find(std::string_view name) const {
  auto it = index.find(std::string(name));
  return it == index.end() ? nullptr : &layers[it->second];
}

const Layer& Manifest::named(const std::string& name) const {
  if (const Layer* l = find(name)) return *l;
  std::vector<std::string> names;
  names.reserve(layers.size());
  for (const Layer& l : layers) names.push_back(l.name);
  throw usage_error("unknown layer '" + name + "'" + did_you_mean(name, names));
}

std::optional<std::size_t> Manifest::position(std::string_view name) const {
  auto it = index.find(std::string(name));
  if (it == index.end()) return std::nullopt;
  return it->second;
}

bool valid_layer_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(name[0])) return false;
  for (char c : name) {
    if (!lower_or_digit(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

const char* to_string(LayerKind k) {
  switch (k) {
    case LayerKind::Terragrunt:
      return "terragrunt";
    case LayerKind::Manual:
      return "manual";
    case LayerKind::Command:
      return "command";
  }
  return "terragrunt";
}

const char* to_string(Protect p) {
  switch (p) {
    case Protect::None:
      return "none";
    case Protect::Keep:
      return "keep";
    case Protect::Data:
      return "data";
  }
  return "none";
}

std::optional<Protect> parse_protect(std::string_view s) {
  if (s == "none") return Protect::None;
  if (s == "keep") return Protect::Keep;
  if (s == "data") return Protect::Data;
  return std::nullopt;
}

Manifest parse_manifest(std::string_view text, const std::string& file, Diagnostics& diags) {
  Manifest m;
  m.file = file;
  m.root = root_of(m.file);
  Diagnostics found;
  Parse p{m, file, found, {}, {}};
  if (yaml::NodePtr root = read_root(text, p)) {
    read_document(*root, p);
    manifest_rules::check_paths_unique(m, p.lines, file, found);
    manifest_rules::check_dependencies(m, p.lines, file, found);
  }
  yaml::append_by_line(found, diags);
  return m;
}

Manifest load_manifest(const fs::path& file, Diagnostics& diags) {
  std::optional<std::string> text = yaml::read_file(file, diags);
  Manifest m = text ? parse_manifest(*text, file.string(), diags) : Manifest{};
  m.file = file;
  std::error_code ec;
  fs::path absolute = fs::absolute(file, ec);
  m.root = root_of(ec ? file : absolute.lexically_normal());
  return m;
}

std::optional<fs::path> find_project_root(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (ec) return std::nullopt;
  if (dir.filename().empty() && dir.has_relative_path()) dir = dir.parent_path();
  while (true) {
    if (fs::is_regular_file(dir / "layers" / "manifest.yaml", ec)) return dir;
    if (!dir.has_relative_path()) return std::nullopt;
    dir = dir.parent_path();
  }
}

}  // namespace stackctl
