// From changed files to changed layers (see changed.h for the rules). Pure: no git, no I/O
// beyond resolving paths.
#include "stackctl/commands/changed.h"

#include <algorithm>

namespace stackctl {
namespace fs = std::filesystem;

namespace {

using Rel = std::optional<std::string>;

/// p relative to top with '/', or nullopt when p is outside top.
Rel relative_to(const fs::path& p, const fs::path& top) {
  fs::path abs = fs::weakly_canonical(fs::absolute(p));
  fs::path r = abs.lexically_relative(top);
  if (r.empty()) return std::nullopt;
  std::string s = r.generic_string();
  if (s == ".") return std::string();
  if (s == ".." || s.rfind("../", 0) == 0) return std::nullopt;
  return s;
}

/// True when file lies inside the folder dir (both relative to the top; "" is the top).
bool inside(const std::string& file, const std::string& dir) {
  return dir.empty() || (file.size() > dir.size() && file.compare(0, dir.size(), dir) == 0 &&
                         file[dir.size()] == '/');
}

std::string join(const std::vector<std::string>& items, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += " and " + std::to_string(items.size() - max) + " more";
  return out;
}

/// Files under dir, named relative to it: "files changed in envs/dev/vpc: terragrunt.hcl".
std::string files_reason(const std::string& what, const std::string& dir,
                         const std::vector<std::string>& files) {
  std::vector<std::string> names;
  names.reserve(files.size());
  for (const auto& f : files) names.push_back(dir.empty() ? f : f.substr(dir.size() + 1));
  return "files changed in " + what + (dir.empty() ? "." : dir) + ": " + join(names, 3);
}

/// Collects reasons per layer without repeating one.
class Reasons {
 public:
  explicit Reasons(std::size_t n) : by_layer_(n) {}
  void add(std::size_t i, const std::string& reason) {
    auto& r = by_layer_[i];
    if (std::find(r.begin(), r.end(), reason) == r.end()) r.push_back(reason);
  }
  void add_all(const std::string& reason) {
    for (std::size_t i = 0; i < by_layer_.size(); ++i) add(i, reason);
  }
  bool has(std::size_t i) const { return !by_layer_[i].empty(); }
  std::vector<LayerChange> result() const {
    std::vector<LayerChange> out;
    for (std::size_t i = 0; i < by_layer_.size(); ++i)
      if (!by_layer_[i].empty()) out.push_back({i, by_layer_[i]});
    return out;
  }

 private:
  std::vector<std::vector<std::string>> by_layer_;
};

/// The fields of two entries of one layer that differ (the line aside).
std::vector<std::string> differing_fields(const Layer& a, const Layer& b) {
  std::vector<std::string> out;
  auto check = [&out](bool same, const char* field) {
    if (!same) out.push_back(field);
  };
  check(a.tier == b.tier, "tier");
  check(a.kind == b.kind, "kind");
  check(a.path == b.path, "path");
  check(a.depends_on == b.depends_on, "depends_on");
  check(a.protect == b.protect, "protect");
  check(a.optional == b.optional, "optional");
  check(a.needs_env == b.needs_env, "needs_env");
  check(a.env == b.env, "env");
  check(a.description == b.description, "description");
  check(a.instructions == b.instructions, "instructions");
  check(a.command == b.command, "command");
  check(a.module == b.module, "module");
  return out;
}

void compare_manifest(const Manifest& current, const std::optional<std::string>& old_text,
                      const std::string& file, Reasons& reasons) {
  if (!old_text) return reasons.add_all("new in the manifest (" + file + " is new)");
  Diagnostics diags;
  Manifest old = parse_manifest(*old_text, file, diags);
  if (diags.has_errors())
    return reasons.add_all("the base version of " + file +
                           " does not parse: every entry counts as changed");
  for (std::size_t i = 0; i < current.layers.size(); ++i) {
    const Layer* before = old.find(current.layers[i].name);
    if (!before) {
      reasons.add(i, "new in the manifest");
      continue;
    }
    auto fields = differing_fields(*before, current.layers[i]);
    if (!fields.empty()) reasons.add(i, "manifest entry changed: " + join(fields, fields.size()));
  }
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// Whether env switches the layer on, the way env.yaml reads: optional layers need `enable`.
bool enabled_by(const EnvConfig& env, const Layer& l) {
  bool on = !l.optional || env.enable_all || contains(env.enable, l.name);
  return on && !contains(env.disable, l.name);
}

std::optional<Protect> protect_override(const EnvConfig& env, const std::string& name) {
  auto it = env.protect.find(name);
  if (it == env.protect.end()) return std::nullopt;
  return it->second;
}

void compare_env(const Stack& stack, const std::optional<std::string>& old_text,
                 const std::string& file, Reasons& reasons) {
  if (!old_text) return reasons.add_all(file + " is new");
  Diagnostics diags;
  EnvConfig old = parse_env(*old_text, file, diags);
  if (diags.has_errors())
    return reasons.add_all("the base version of " + file +
                           " does not parse: every layer counts as changed");
  const EnvConfig& now = stack.env;
  std::vector<std::string> shared;
  if (old.dir != now.dir) shared.push_back("dir");
  if (old.env != now.env) shared.push_back("env");
  if (old.require_env != now.require_env) shared.push_back("require_env");
  if (old.terragrunt_binary != now.terragrunt_binary || old.terragrunt_args != now.terragrunt_args)
    shared.push_back("terragrunt");
  if (!shared.empty())
    reasons.add_all(file + " changed " + join(shared, shared.size()) + ", which every layer uses");
  for (std::size_t i = 0; i < stack.size(); ++i) {
    const Layer& l = stack.layer(i);
    bool was = enabled_by(old, l), is = enabled_by(now, l);
    if (was != is) reasons.add(i, file + ": " + (is ? "enabled" : "disabled"));
    if (protect_override(old, l.name) != protect_override(now, l.name))
      reasons.add(i, file + ": protect changed");
  }
}

std::optional<std::string> old_version(const GitChanges& changes, const std::string& rel) {
  auto it = changes.old_files.find(rel);
  return it == changes.old_files.end() ? std::nullopt : it->second;
}

/// The files and folders a command layer's argv names (words that exist relative to the env's
/// tree, where the command runs), relative to the top.
std::vector<std::string> command_inputs(const Layer& l, const fs::path& tree, const fs::path& top) {
  std::vector<std::string> out;
  for (const std::string& word : l.command) {
    if (word.empty() || word[0] == '-') continue;
    std::error_code ec;
    fs::path p = fs::path(word).is_absolute() ? fs::path(word) : tree / word;
    if (!fs::exists(p, ec)) continue;
    if (Rel r = relative_to(p, top); r && !r->empty()) out.push_back(*r);
  }
  return out;
}

/// The folder of each layer relative to the top; the deepest one owns a file.
std::optional<std::size_t> owner(const std::vector<Rel>& dirs, const std::string& file) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    if (!dirs[i] || !inside(file, *dirs[i])) continue;
    if (!best || dirs[i]->size() > dirs[*best]->size()) best = i;
  }
  return best;
}

/// Where each input of the stack lies, relative to the repository's top folder.
struct Places {
  Rel manifest, env, tree;
  std::vector<Rel> dirs;                         ///< terragrunt layers' folders
  std::vector<Rel> modules;                      ///< modules/<module> of layers naming one
  std::vector<std::vector<std::string>> inputs;  ///< command layers' argv files

  Places(const Stack& stack, const fs::path& top)
      : manifest(relative_to(stack.manifest->file, top)),
        env(relative_to(stack.env.file, top)),
        tree(relative_to(stack.tree, top)),
        dirs(stack.size()),
        modules(stack.size()),
        inputs(stack.size()) {
    for (std::size_t i = 0; i < stack.size(); ++i) {
      const Layer& l = stack.layer(i);
      if (l.kind == LayerKind::Terragrunt) dirs[i] = relative_to(stack.dirs[i], top);
      if (!l.module.empty())
        modules[i] = relative_to(stack.manifest->root / "modules" / l.module, top);
      if (l.kind == LayerKind::Command) inputs[i] = command_inputs(l, stack.tree, top);
    }
  }
};

/// Sorts each changed file to what it changes: an entry of the manifest or env.yaml, a layer's
/// folder, a module, a command's input, or the env's shared configuration.
class FileSorter {
 public:
  FileSorter(const Stack& stack, const GitChanges& changes)
      : stack_(stack),
        changes_(changes),
        places_(stack, changes.toplevel),
        reasons_(stack.size()),
        in_folder_(stack.size()),
        in_module_(stack.size()) {}

  Reasons sort() {
    for (const std::string& f : changes_.files) file(f);
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (!in_folder_[i].empty())
        reasons_.add(i, files_reason("", *places_.dirs[i], in_folder_[i]));
      if (!in_module_[i].empty())
        reasons_.add(i, files_reason("module ", *places_.modules[i], in_module_[i]));
    }
    return reasons_;
  }

 private:
  void file(const std::string& f) {
    if (places_.manifest && f == *places_.manifest)
      return compare_manifest(*stack_.manifest, old_version(changes_, f), f, reasons_);
    if (places_.env && f == *places_.env)
      return compare_env(stack_, old_version(changes_, f), f, reasons_);
    auto own = owner(places_.dirs, f);
    if (own) in_folder_[*own].push_back(f);
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (places_.modules[i] && inside(f, *places_.modules[i])) in_module_[i].push_back(f);
      for (const auto& input : places_.inputs[i])
        if (f == input || inside(f, input)) reasons_.add(i, "input of its command changed: " + f);
    }
    if (own || !places_.tree || !inside(f, *places_.tree) || fs::path(f).extension() != ".hcl")
      return;
    for (std::size_t i = 0; i < stack_.size(); ++i)
      if (stack_.layer(i).kind == LayerKind::Terragrunt)
        reasons_.add(i, "shared configuration changed: " + f);
  }

  const Stack& stack_;
  const GitChanges& changes_;
  Places places_;
  Reasons reasons_;
  std::vector<std::vector<std::string>> in_folder_, in_module_;
};

}  // namespace

std::vector<LayerChange> changed_layers(const Stack& stack, const Graph& g,
                                        const GitChanges& changes, bool with_dependents) {
  Reasons reasons = FileSorter(stack, changes).sort();
  if (!with_dependents) return reasons.result();
  const std::size_t n = stack.size();
  std::vector<bool> changed(n, false);
  for (std::size_t i = 0; i < n; ++i) changed[i] = reasons.has(i);
  for (std::size_t i = 0; i < n; ++i) {
    if (changed[i]) continue;
    std::vector<std::string> roots;
    for (std::size_t a : g.ancestors(i))
      if (changed[a]) roots.push_back(stack.layer(a).name);
    if (!roots.empty()) reasons.add(i, "depends on " + join(roots, 3) + ", which changed");
  }
  return reasons.result();
}

}  // namespace stackctl
