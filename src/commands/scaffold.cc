// `stackctl scaffold`: renders terragrunt.hcl skeletons from the manifest and an env, and writes
// the ones that are missing. Rendering is pure; only scaffold_stack touches the disk, and it
// opens every file with O_EXCL semantics so that nothing is ever overwritten.
#include "stackctl/commands/scaffold.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "stackctl/manifest/workspace.h"
#include "stackctl/util/error.h"

namespace stackctl {
namespace fs = std::filesystem;

namespace {

const char* const kLayerFile = "terragrunt.hcl";

// A quoted HCL string: quotes and backslashes escaped, template openers doubled.
std::string hcl_quote(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if ((c == '$' || c == '%') && i + 1 < s.size() && s[i + 1] == '{') {
      out += c;
      out += c;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string lookup(const EnvVars& vars, const std::string& key) {
  for (const auto& [k, v] : vars)
    if (k == key) return v;
  return "";
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

// The layer's module source, or empty when the env has no template or the template needs a
// module the layer does not name.
std::string module_source(const EnvConfig& env, const Layer& layer) {
  std::string s = env.module_source;
  if (s.empty() || (layer.module.empty() && s.find("{module}") != std::string::npos)) return "";
  replace_all(s, "{module}", layer.module);
  replace_all(s, "{layer}", layer.name);
  return s;
}

std::string provider_block(const std::string& region_expr) {
  return "generate \"provider\" {\n"
         "  path      = \"provider.tf\"\n"
         "  if_exists = \"overwrite_terragrunt\"\n"
         "  contents  = <<EOF\n"
         "provider \"aws\" {\n"
         "  region = \"" +
         region_expr +
         "\"\n"
         "}\n"
         "EOF\n"
         "}\n";
}

void render_terraform(std::ostream& o, const Stack& stack, const Layer& l) {
  std::string source = module_source(stack.env, l);
  if (!source.empty()) {
    o << "terraform {\n  source = " << hcl_quote(source) << "\n}\n\n";
    return;
  }
  o << "# No module source: "
    << (stack.env.module_source.empty() ? "env.yaml has no module_source"
                                        : "the layer has no module in the manifest")
    << ". Name the module here:\n"
    << "# terraform {\n#   source = \"...\"\n# }\n\n";
}

// One dependency block per terragrunt layer in depends_on; manual gates and command steps are
// ordering only (stackctl runs them), terragrunt knows nothing of them.
std::vector<std::size_t> terragrunt_deps(const Stack& stack, const Layer& l) {
  std::vector<std::size_t> out;
  for (const auto& name : l.depends_on) {
    auto pos = stack.manifest->position(name);
    if (pos && stack.layer(*pos).kind == LayerKind::Terragrunt) out.push_back(*pos);
  }
  return out;
}

void render_dependencies(std::ostream& o, const Stack& stack, std::size_t i,
                         const std::vector<std::size_t>& deps) {
  if (deps.empty()) return;
  o << "# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are\n"
    << "# dependency.<name>.outputs.<output>.\n";
  for (std::size_t d : deps) {
    std::string rel = stack.dirs[d].lexically_relative(stack.dirs[i]).generic_string();
    o << "dependency " << hcl_quote(stack.layer(d).name) << " {\n"
      << "  config_path = " << hcl_quote(rel) << "\n}\n\n";
  }
}

void render_region(std::ostream& o, const Stack& stack, const Layer& l) {
  std::string region = lookup(l.env, "AWS_REGION");
  if (region.empty() || region == lookup(stack.env.env, "AWS_REGION")) return;
  o << "# This layer runs in " << region << " (its AWS_REGION in layers/manifest.yaml): this\n"
    << "# provider replaces the one of the root configuration. The state stays in the env's "
       "bucket.\n"
    << provider_block(region) << "\n";
}

void render_placeholders(std::ostream& o, const Stack& stack,
                         const std::vector<std::size_t>& deps) {
  o << "# locals {\n# }\n\n"
    << "# inputs = {\n";
  if (!deps.empty())
    o << "#   some_input = dependency." << stack.layer(deps.front()).name
      << ".outputs.some_output\n";
  o << "# }\n";
}

std::string shown(const fs::path& p) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return p.string();
  fs::path rel = p.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return p.string();
  return rel.string();
}

// Creates file with content unless it exists. True when written; skipped set when it existed.
bool write_new(const fs::path& file, const std::string& content, bool& skipped,
               std::string& error) {
  skipped = false;
  std::error_code ec;
  if (fs::exists(fs::symlink_status(file, ec))) {
    skipped = true;
    return true;
  }
  fs::create_directories(file.parent_path(), ec);
  if (ec) return (error = shown(file.parent_path()) + ": " + ec.message(), false);
  std::FILE* f = std::fopen(file.c_str(), "wx");
  if (!f && errno == EEXIST) return (skipped = true);
  if (!f) return (error = shown(file) + ": " + std::strerror(errno), false);
  bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) error = shown(file) + ": write failed";
  return ok;
}

bool place(const fs::path& file, const std::string& content, ScaffoldReport& report,
           std::string& error) {
  bool skipped = false;
  if (!write_new(file, content, skipped, error)) return false;
  report.files.push_back({file, !skipped});
  return true;
}

}  // namespace

std::size_t ScaffoldReport::count(bool written) const {
  std::size_t n = 0;
  for (const auto& f : files) n += f.written == written;
  return n;
}

std::string root_file_name(const Stack& stack) {
  std::error_code ec;
  bool legacy = fs::exists(stack.tree / kLayerFile, ec) && !fs::exists(stack.tree / kRootHcl, ec);
  return legacy ? kLayerFile : kRootHcl;
}

std::string render_root_hcl(const Stack& stack) {
  const std::string& env = stack.env.name;
  std::string region = lookup(stack.env.env, "AWS_REGION");
  std::ostringstream o;
  o << "# Root configuration of env " << env << ", included by the terragrunt.hcl of every layer.\n"
    << "# Written by `stackctl scaffold`, which never overwrites it: edit it freely.\n\n"
    << "locals {\n"
    << "  env = " << hcl_quote(env) << "\n"
    << "  # The env's region (AWS_REGION in env.yaml): the state bucket and the provider. A layer\n"
    << "  # with an AWS_REGION of its own replaces the provider in its terragrunt.hcl.\n"
    << "  region = " << hcl_quote(region.empty() ? "CHANGE-ME" : region) << "\n"
    << "}\n\n"
    << "# One state file per layer, keyed by env and layer folder. Set the bucket and lock table\n"
    << "# names here or in TF_STATE_BUCKET and TF_STATE_LOCK_TABLE.\n"
    << "remote_state {\n"
    << "  backend = \"s3\"\n"
    << "  generate = {\n"
    << "    path      = \"backend.tf\"\n"
    << "    if_exists = \"overwrite_terragrunt\"\n"
    << "  }\n"
    << "  config = {\n"
    << "    bucket         = get_env(\"TF_STATE_BUCKET\", "
    << hcl_quote("CHANGE-ME-" + env + "-terraform-state") << ")\n"
    << "    key            = \"${local.env}/${path_relative_to_include()}/terraform.tfstate\"\n"
    << "    region         = local.region\n"
    << "    encrypt        = true\n"
    << "    dynamodb_table = get_env(\"TF_STATE_LOCK_TABLE\", "
    << hcl_quote("CHANGE-ME-" + env + "-terraform-locks") << ")\n"
    << "  }\n"
    << "}\n\n"
    << provider_block("${local.region}");
  return o.str();
}

std::string render_layer_hcl(const Stack& stack, std::size_t i, const std::string& root_file) {
  const Layer& l = stack.layer(i);
  std::vector<std::size_t> deps = terragrunt_deps(stack, l);
  std::ostringstream o;
  o << "# Layer " << l.name << " of env " << stack.env.name
    << (l.module.empty() ? "" : " (module " + l.module + ")") << ".\n"
    << "# Written by `stackctl scaffold`, which never overwrites it: edit it freely.\n\n"
    << "include \"root\" {\n"
    << "  path = find_in_parent_folders(" << hcl_quote(root_file) << ")\n"
    << "}\n\n";
  render_terraform(o, stack, l);
  render_dependencies(o, stack, i, deps);
  render_region(o, stack, l);
  render_placeholders(o, stack, deps);
  return o.str();
}

bool scaffold_stack(const Stack& stack, ScaffoldReport& report, std::string& error) {
  std::string root_file = root_file_name(stack);
  if (!place(stack.tree / root_file, render_root_hcl(stack), report, error)) return false;
  for (std::size_t i = 0; i < stack.size(); ++i) {
    if (!stack.enabled[i] || stack.layer(i).kind != LayerKind::Terragrunt) continue;
    if (!place(stack.dirs[i] / kLayerFile, render_layer_hcl(stack, i, root_file), report, error))
      return false;
  }
  return true;
}

int scaffold_env(const Context& ctx, const std::string& env) {
  auto ws = open_workspace(ctx, env);
  ScaffoldReport report;
  std::string error;
  bool ok = scaffold_stack(ws->stack(), report, error);
  // A file that cannot be written is a failure of the command, like a failed child (exit 1).
  int code = ok ? 0 : static_cast<int>(ExitCode::ChildFailed);
  if (ctx.console.format != OutputFormat::Text) {
    nlohmann::json written = nlohmann::json::array(), skipped = nlohmann::json::array();
    for (const auto& f : report.files) (f.written ? written : skipped).push_back(shown(f.path));
    std::cout << nlohmann::json{{"command", "scaffold"},
                                {"env", env},
                                {"success", ok},
                                {"exit_code", code},
                                {"written", written},
                                {"skipped", skipped},
                                {"errors", ok ? nlohmann::json::array() : nlohmann::json{error}}}
                     .dump(2)
              << std::endl;
    return code;
  }
  if (!ctx.console.quiet)
    for (const auto& f : report.files)
      std::cerr << (f.written ? "wrote " : "skipped ") << shown(f.path)
                << (f.written ? "\n" : " (exists)\n");
  if (!ok) throw Error(ExitCode::ChildFailed, "cannot write " + error);
  std::cerr << "env " << env << ": " << report.count(true) << " written, " << report.count(false)
            << " skipped (already there)\n";
  return 0;
}

}  // namespace stackctl
