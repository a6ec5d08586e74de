// `stackctl import`: finds the terragrunt.hcl files of a tree, reads their edges with the HCL
// reader, orders the layers (Kahn's algorithm over folder order) and prints a manifest.
#include "stackctl/commands/import.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <queue>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "stackctl/manifest/hcl.h"
#include "stackctl/manifest/manifest.h"
#include "stackctl/util/file_text.h"

namespace stackctl {
namespace fs = std::filesystem;

namespace {

const char* const kLayerFile = "terragrunt.hcl";

/// One folder holding a terragrunt.hcl.
struct Component {
  fs::path folder;  ///< relative to the imported folder
  HclModule hcl;
  std::set<std::size_t> deps;  ///< component indices
  ImportedLayer layer;
};

std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == '/' || c == '-' || c == '_' || c == '.') {
      if (!out.back().empty()) out.emplace_back();
    } else {
      out.back() += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

// Folders below dir holding a terragrunt.hcl, relative and in folder order; hidden folders
// (.terragrunt-cache, .git) are not entered, and dir's own file is the root configuration.
std::vector<fs::path> find_components(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_directory(ec) && !name.empty() && name[0] == '.') {
      it.disable_recursion_pending();
    } else if (name == kLayerFile && it->is_regular_file(ec) && it.depth() > 0) {
      out.push_back(it->path().parent_path().lexically_relative(dir));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool looks_like_expression(const std::string& s) {
  auto ident = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (s.empty() || !ident(s[0])) return false;
  std::size_t i = 1;
  while (i < s.size() && (ident(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) ++i;
  return i < s.size() && (s[i] == '.' || s[i] == '(');
}

// The folder a dependency path names, resolved against the component's folder: literals and
// templates that use only get_terragrunt_dir(). nullopt for anything that needs evaluation.
std::optional<fs::path> resolve_written(const fs::path& component, const std::string& written) {
  std::string s = written;
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    s = s.substr(1, s.size() - 2);
    for (std::string fn : {"${get_terragrunt_dir()}", "${get_original_terragrunt_dir()}"})
      for (auto pos = s.find(fn); pos != std::string::npos; pos = s.find(fn))
        s.replace(pos, fn.size(), component.string());
  } else if (looks_like_expression(s)) {
    return std::nullopt;
  }
  if (s.empty() || s.find("${") != std::string::npos || s.find("%{") != std::string::npos)
    return std::nullopt;
  fs::path p = fs::path(s).is_absolute() ? fs::path(s) : component / s;
  p = p.lexically_normal();
  if (!p.has_filename() && p.has_parent_path()) p = p.parent_path();
  return p;
}

std::string one_line(std::string s) {
  std::replace_if(
      s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return s;
}

// Turns each written dependency of component c into an edge or a note.
void resolve_edges(const fs::path& root, std::vector<Component>& comps, std::size_t c,
                   const std::map<fs::path, std::size_t>& by_folder) {
  Component& comp = comps[c];
  std::vector<std::string> written;
  for (const auto& d : comp.hcl.dependencies) written.push_back(d.config_path);
  for (const auto& p : comp.hcl.dependency_paths) written.push_back(p);
  for (const auto& w : written) {
    auto abs = resolve_written(root / comp.folder, w);
    std::string reason;
    if (!abs) {
      reason = "not a literal path";
    } else {
      fs::path rel = abs->lexically_relative(root);
      auto it = by_folder.find(rel);
      if (rel.empty() || *rel.begin() == "..")
        reason = "outside DIR";
      else if (it == by_folder.end())
        reason = "no layer there";
      else
        comp.deps.insert(it->second);
    }
    if (!reason.empty())
      comp.layer.notes.push_back("depends on " + one_line(w) + " (" + reason + ")");
  }
}

// A cycle among the layers Kahn's algorithm could not place, from the first layer in folder
// order, following the first unplaced dependency each time.
std::string describe_cycle(const std::vector<Component>& comps, const std::vector<bool>& placed) {
  std::size_t at = 0;
  while (placed[at]) ++at;
  std::vector<std::size_t> path;
  std::vector<std::size_t> seen_at(comps.size(), comps.size());
  while (seen_at[at] == comps.size()) {
    seen_at[at] = path.size();
    path.push_back(at);
    for (std::size_t d : comps[at].deps)
      if (!placed[d]) {
        at = d;
        break;
      }
  }
  std::string out = "dependency cycle: ";
  for (std::size_t k = seen_at[at]; k < path.size(); ++k) out += comps[path[k]].layer.name + " -> ";
  return out + comps[at].layer.name;
}

// Kahn's algorithm with a min-heap of component indices (folder order). Empty error on success.
std::vector<std::size_t> order_components(const std::vector<Component>& comps, std::string& error) {
  std::vector<std::size_t> missing(comps.size());
  std::vector<std::vector<std::size_t>> dependents(comps.size());
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < comps.size(); ++i) {
    missing[i] = comps[i].deps.size();
    for (std::size_t d : comps[i].deps) dependents[d].push_back(i);
    if (missing[i] == 0) ready.push(i);
  }
  std::vector<std::size_t> order;
  std::vector<bool> placed(comps.size(), false);
  while (!ready.empty()) {
    std::size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    placed[i] = true;
    for (std::size_t d : dependents[i])
      if (--missing[d] == 0) ready.push(d);
  }
  if (order.size() != comps.size()) error = describe_cycle(comps, placed);
  return order;
}

// Names every component; false with error for a folder that makes no valid name or a clash.
bool name_components(std::vector<Component>& comps, std::string& error) {
  std::map<std::string, std::size_t> taken;
  for (std::size_t i = 0; i < comps.size(); ++i) {
    std::string folder = comps[i].folder.generic_string();
    auto name = import_layer_name(folder);
    if (!name) {
      error = "folder '" + folder + "' cannot be a layer name (layer names are " +
              "[a-z0-9][a-z0-9._-]*; nested folders are joined with '-')";
      return false;
    }
    auto [it, fresh] = taken.emplace(*name, i);
    if (!fresh) {
      error = "folders '" + comps[it->second].folder.generic_string() + "' and '" + folder +
              "' both make the layer name '" + *name + "'";
      return false;
    }
    comps[i].layer.name = *name;
    comps[i].layer.folder = folder;
    comps[i].layer.data_name = import_suggests_data(folder);
  }
  return true;
}

bool parse_components(const fs::path& dir, std::vector<Component>& comps, std::string& error) {
  for (auto& c : comps) {
    fs::path file = dir / c.folder / kLayerFile;
    auto text = read_text_file(file);
    if (!text) return (error = file.string() + ": cannot read", false);
    std::string parse_error;
    if (!parse_hcl(*text, c.hcl, parse_error))
      return (error = file.string() + ":" + parse_error, false);
    c.layer.prevent_destroy = c.hcl.prevent_destroy;
  }
  return true;
}

ImportResult failed(ExitCode code, const std::string& error) {
  ImportResult r;
  r.code = code;
  r.error = error;
  return r;
}

// A YAML plain scalar when it cannot be read as anything but a string; quoted otherwise.
std::string yaml_scalar(const std::string& s) {
  static const std::set<std::string> special = {"true", "false", "yes", "no", "on",
                                                "off",  "null",  "y",   "n"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  bool letter = !s.empty() && lower[0] >= 'a' && lower[0] <= 'z';
  return letter && !special.count(lower) ? s : "\"" + s + "\"";
}

std::string protect_note(const ImportedLayer& l) {
  if (l.data_name && l.prevent_destroy)
    return "# protect: data  (suggested by the name and prevent_destroy = true)";
  if (l.data_name) return "# protect: data  (suggested by the name)";
  if (l.prevent_destroy) return "# protect: keep  (suggested by prevent_destroy = true)";
  return "";
}

}  // namespace

std::optional<std::string> import_layer_name(std::string_view folder) {
  std::string name;
  for (char c : folder)
    name += static_cast<char>(c == '/' ? '-' : c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (!valid_layer_name(name)) return std::nullopt;
  return name;
}

bool import_suggests_data(std::string_view folder) {
  static const std::set<std::string> data = {"rds", "s3", "kms", "elasticsearch", "codecommit"};
  auto slash = folder.rfind('/');
  auto last = words_of(folder.substr(slash == std::string_view::npos ? 0 : slash + 1));
  if (!last.empty() && (last.front() == "iam" || last.front() == "sg")) return false;
  auto all = words_of(folder);
  return std::any_of(all.begin(), all.end(),
                     [](const std::string& w) { return data.count(w) > 0; });
}

ImportResult import_tree(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return failed(ExitCode::Usage, dir.string() + ": not a folder");
  std::vector<Component> comps;
  for (auto& folder : find_components(dir)) comps.push_back(Component{folder, {}, {}, {}});
  if (comps.empty())
    return failed(ExitCode::Usage, "no terragrunt.hcl in the folders below " + dir.string());
  std::string error;
  if (!name_components(comps, error) || !parse_components(dir, comps, error))
    return failed(ExitCode::Invalid, error);
  fs::path root = fs::weakly_canonical(fs::absolute(dir));
  std::map<fs::path, std::size_t> by_folder;
  for (std::size_t i = 0; i < comps.size(); ++i) by_folder.emplace(comps[i].folder, i);
  for (std::size_t i = 0; i < comps.size(); ++i) resolve_edges(root, comps, i, by_folder);
  std::vector<std::size_t> order = order_components(comps, error);
  if (!error.empty()) return failed(ExitCode::Invalid, error);
  std::vector<std::size_t> position(comps.size());
  for (std::size_t k = 0; k < order.size(); ++k) position[order[k]] = k;
  ImportResult result;
  for (std::size_t i : order) {
    std::vector<std::size_t> deps(comps[i].deps.begin(), comps[i].deps.end());
    std::sort(deps.begin(), deps.end(),
              [&](std::size_t a, std::size_t b) { return position[a] < position[b]; });
    result.layers.push_back(comps[i].layer);
    for (std::size_t d : deps) result.layers.back().depends_on.push_back(comps[d].layer.name);
  }
  return result;
}

std::string render_import(const std::vector<ImportedLayer>& layers, const std::string& from) {
  std::ostringstream o;
  o << "# Imported by `stackctl import` from DIR = " << one_line(from) << ": " << layers.size()
    << " layers.\n"
    << "# Review before saving as layers/manifest.yaml: add implicit edges, manual gates,\n"
    << "# optional, needs_env and per-layer env, and settle each suggested protect.\n"
    << "version: 1\n"
    << "layers:\n";
  for (const auto& l : layers) {
    o << "  - name: " << yaml_scalar(l.name) << "\n";
    if (l.folder != l.name) o << "    path: " << yaml_scalar(l.folder) << "\n";
    if (!l.depends_on.empty()) {
      o << "    depends_on: [";
      for (std::size_t k = 0; k < l.depends_on.size(); ++k)
        o << (k ? ", " : "") << yaml_scalar(l.depends_on[k]);
      o << "]\n";
    }
    if (std::string note = protect_note(l); !note.empty()) o << "    " << note << "\n";
    for (const auto& n : l.notes) o << "    # " << n << "\n";
  }
  return o.str();
}

int import_manifest(const Context& ctx, const std::string& from) {
  ImportResult r = import_tree(from);
  if (!r.error.empty()) throw Error(r.code, r.error);
  std::string yaml = render_import(r.layers, from);
  if (ctx.console.format != OutputFormat::Text) {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : r.layers)
      layers.push_back(
          {{"name", l.name}, {"path", l.folder}, {"depends_on", l.depends_on}, {"notes", l.notes}});
    std::cout << nlohmann::json{{"command", "import"}, {"success", true},
                                {"exit_code", 0},      {"manifest", yaml},
                                {"layers", layers},    {"errors", nlohmann::json::array()}}
                     .dump(2)
              << std::endl;
    return 0;
  }
  std::cout << yaml;
  std::size_t notes = 0;
  for (const auto& l : r.layers) notes += l.notes.size();
  if (!ctx.console.quiet)
    std::cerr << "imported " << r.layers.size() << " layers from " << from << "; " << notes
              << " dependencies left as comments\n";
  return 0;
}

}  // namespace stackctl
