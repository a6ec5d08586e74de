// An environment file (docs/contract.md, An environment): reading envs/<env>/env.yaml into an
// EnvConfig, every problem reported with its line, and finding the envs that exist.
#include "stackctl/manifest/env.h"

#include <algorithm>
#include <system_error>
#include <unordered_set>

#include "stackctl/util/duration.h"
#include "stackctl/util/retry.h"
#include "stackctl/util/suggest.h"
#include "yaml_util.h"

namespace stackctl {
namespace fs = std::filesystem;
using yaml::Entry;
using yaml::Kind;
using yaml::quote;

namespace {

const std::vector<std::string> kEnvKeys = {
    "name",    "dir",         "enable",     "disable",       "env",   "require_env", "protect",
    "confirm", "parallelism", "terragrunt", "module_source", "retry", "keep_runs"};
const std::vector<std::string> kTerragruntKeys = {"binary", "args"};
const std::vector<std::string> kRetryKeys = {"attempts", "sleep", "patterns"};

/// Env folder names: `[A-Za-z0-9][A-Za-z0-9._-]*`, so a name can never leave envs/.
bool valid_env_folder(std::string_view name) {
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (name.empty() || !alnum(name[0])) return false;
  for (char c : name) {
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

/// Reads a list of layer names, recording "KEY:NAME" lines; repeated names are warned about.
void read_names(const Entry& e, const yaml::Reader& r, std::vector<std::string>& out,
                EnvConfig& cfg) {
  std::vector<int> lines;
  r.string_list(e, out, &lines);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto [it, fresh] = cfg.lines.emplace(e.key + ":" + out[i], lines[i]);
    if (!fresh) r.warning(lines[i], "lists " + quote(out[i]) + " twice in " + quote(e.key));
  }
}

void read_enable(const Entry& e, const yaml::Reader& r, EnvConfig& cfg) {
  if (e.value->kind == Kind::Scalar) {
    if (e.value->scalar == "all") {
      cfg.enable_all = true;
    } else {
      r.error(e.value->line,
              "'enable' must be a list of layer names or 'all', not " + quote(e.value->scalar));
    }
    return;
  }
  read_names(e, r, cfg.enable, cfg);
}

void read_protect(const Entry& e, const yaml::Reader& r, EnvConfig& cfg) {
  const yaml::Node& map = *e.value;
  if (map.kind == Kind::Null) return;
  if (map.kind != Kind::Map) {
    r.error(map.line, "'protect' must be a mapping of layer names to none, keep or data, not " +
                          std::string(yaml::describe(map.kind)));
    return;
  }
  for (const Entry& p : map.entries) {
    cfg.lines["protect:" + p.key] = p.line;
    std::string value;
    if (!r.string(p, value)) continue;
    if (auto protect = parse_protect(value)) {
      cfg.protect[p.key] = *protect;
    } else {
      r.error(p.value->line, "invalid protect " + quote(value) + " for " + quote(p.key) +
                                 " (expected none, keep or data)");
    }
  }
}

void read_terragrunt(const Entry& e, const yaml::Reader& parent, EnvConfig& cfg) {
  const yaml::Node& map = *e.value;
  if (map.kind == Kind::Null) return;
  if (map.kind != Kind::Map) {
    parent.error(map.line, "'terragrunt' must be a mapping with 'binary' and 'args', not " +
                               std::string(yaml::describe(map.kind)));
    return;
  }
  yaml::Reader r = parent.nested("terragrunt: ");
  r.unknown_keys(map, kTerragruntKeys);
  if (const Entry* binary = map.find("binary")) {
    if (r.string(*binary, cfg.terragrunt_binary) && cfg.terragrunt_binary.empty()) {
      r.error(binary->line, "'binary' is empty");
    }
  }
  if (const Entry* args = map.find("args")) r.string_list(*args, cfg.terragrunt_args);
}

/// retry: {attempts: N, sleep: DURATION, patterns: [REGEX, ...]}; attempts counts every try.
void read_retry(const Entry& e, const yaml::Reader& parent, EnvConfig& cfg) {
  const yaml::Node& map = *e.value;
  if (map.kind == Kind::Null) return;
  if (map.kind != Kind::Map) {
    parent.error(map.line,
                 "'retry' must be a mapping with 'attempts', 'sleep' and 'patterns' (e.g. "
                 "retry: {attempts: 3, sleep: 10s}), not " +
                     std::string(yaml::describe(map.kind)));
    return;
  }
  yaml::Reader r = parent.nested("retry: ");
  r.unknown_keys(map, kRetryKeys);
  cfg.retry.attempts = 3;  // terragrunt's own default, once retries are switched on
  if (const Entry* attempts = map.find("attempts")) r.integer(*attempts, 1, 10, cfg.retry.attempts);
  if (const Entry* sleep = map.find("sleep")) {
    std::string text;
    if (r.string(*sleep, text)) {
      auto d = parse_duration(text);
      if (!d && !text.empty() && text.find_first_not_of("0123456789") == std::string::npos)
        d = std::chrono::seconds(std::stol(text.substr(0, 6)));
      if (!d || *d > std::chrono::hours(1))
        r.error(sleep->value->line,
                "'sleep' must be a duration up to 1h (e.g. 5s, 1m), not " + quote(text));
      else
        cfg.retry.sleep_s = std::chrono::duration<double>(*d).count();
    }
  }
  if (const Entry* patterns = map.find("patterns")) {
    std::vector<int> lines;
    if (!r.string_list(*patterns, cfg.retry.patterns, &lines)) return;
    for (std::size_t i = 0; i < cfg.retry.patterns.size(); ++i)
      if (auto why = pattern_problem(cfg.retry.patterns[i]))
        r.error(lines[i], "pattern " + quote(cfg.retry.patterns[i]) + " is " + *why);
  }
}

/// module_source may use only the {module} and {layer} placeholders.
void read_module_source(const Entry& e, const yaml::Reader& r, EnvConfig& cfg) {
  if (!r.string(e, cfg.module_source)) return;
  const std::string& s = cfg.module_source;
  for (std::size_t open = s.find('{'); open != std::string::npos; open = s.find('{', open + 1)) {
    std::size_t close = s.find('}', open);
    std::string word = s.substr(open, close == std::string::npos ? close : close - open + 1);
    if (word == "{module}" || word == "{layer}") continue;
    r.error(e.value->line, "'module_source' has an unknown placeholder " + quote(word) +
                               " (use {module} and {layer})");
  }
}

void read_name(const Entry& e, const yaml::Reader& r, EnvConfig& cfg) {
  std::string name;
  if (!r.string(e, name)) return;
  std::string folder = cfg.folder.filename().string();
  if (!folder.empty() && name != folder) {
    r.error(e.value->line,
            "name " + quote(name) + " does not match the folder name " + quote(folder));
  }
  cfg.name = name;
}

void read_dir(const Entry& e, const yaml::Reader& r, EnvConfig& cfg) {
  if (!r.string(e, cfg.dir)) return;
  if (cfg.dir.empty()) {
    r.error(e.value->line, "'dir' is empty (use '.' for the env's own folder)");
  } else if (fs::path(cfg.dir).is_absolute()) {
    r.error(e.value->line, "dir " + quote(cfg.dir) + " must be relative to the env's folder");
  }
}

void read_entry(const Entry& e, const yaml::Reader& r, EnvConfig& cfg) {
  const std::string& k = e.key;
  cfg.lines[k] = e.line;
  if (k == "name") read_name(e, r, cfg);
  if (k == "dir") read_dir(e, r, cfg);
  if (k == "enable") read_enable(e, r, cfg);
  if (k == "disable") read_names(e, r, cfg.disable, cfg);
  if (k == "env") r.env_vars(e, cfg.env);
  if (k == "protect") read_protect(e, r, cfg);
  if (k == "confirm") r.boolean(e, cfg.confirm);
  if (k == "terragrunt") read_terragrunt(e, r, cfg);
  if (k == "module_source") read_module_source(e, r, cfg);
  if (k == "retry") read_retry(e, r, cfg);
  if (k == "parallelism") {
    int n = 0;
    if (r.integer(e, 1, 256, n)) cfg.parallelism = n;
  }
  if (k == "keep_runs") {
    int n = 0;
    if (r.integer(e, 1, 100000, n)) cfg.keep_runs = n;
  }
  if (k == "require_env") {
    std::vector<int> lines;
    if (r.string_list(e, cfg.require_env, &lines)) r.env_names(cfg.require_env, lines, k);
  }
}

/// A layer both enabled and disabled is a contradiction, reported at the disable entry.
void check_overlap(const EnvConfig& cfg, const yaml::Reader& r) {
  std::unordered_set<std::string> enabled(cfg.enable.begin(), cfg.enable.end());
  for (const std::string& name : cfg.disable) {
    if (enabled.erase(name) == 0) continue;  // erased: a repeated name is reported once
    r.error(cfg.lines.at("disable:" + name),
            "layer " + quote(name) + " is both enabled and disabled");
  }
}

}  // namespace

EnvConfig parse_env(std::string_view text, const std::string& file, Diagnostics& diags) {
  EnvConfig cfg;
  cfg.file = file;
  cfg.folder = cfg.file.parent_path();
  cfg.name = cfg.folder.filename().string();
  Diagnostics found;
  yaml::NodePtr root = yaml::parse(text, file, found);
  yaml::Reader r(file, found, "");
  // An empty env.yaml is an env with every default.
  if (root != nullptr && root->kind == Kind::Map) {
    r.unknown_keys(*root, kEnvKeys);
    for (const Entry& e : root->entries) read_entry(e, r, cfg);
    check_overlap(cfg, r);
  } else if (root != nullptr && root->kind != Kind::Null) {
    r.error(root->line, "the env file must be a mapping (e.g. 'name: dev'), not " +
                            std::string(yaml::describe(root->kind)));
  }
  yaml::append_by_line(found, diags);
  return cfg;
}

EnvConfig load_env(const fs::path& envs_dir, const std::string& name, Diagnostics& diags) {
  std::vector<std::string> envs = list_envs(envs_dir);
  if (std::find(envs.begin(), envs.end(), name) == envs.end()) {
    std::string found = envs.empty() ? "no envs found (each env is a folder holding env.yaml)"
                                     : "envs: " + yaml::join(envs);
    diags.error(envs_dir.string(), 0,
                "unknown env " + quote(name) + did_you_mean(name, envs) + "; " + found);
    EnvConfig cfg;
    cfg.name = name;
    return cfg;
  }
  const fs::path file = envs_dir / name / "env.yaml";
  std::optional<std::string> text = yaml::read_file(file, diags);
  EnvConfig cfg = parse_env(text ? *text : std::string(), file.string(), diags);
  cfg.file = file;
  cfg.folder = envs_dir / name;
  return cfg;
}

std::vector<std::string> list_envs(const fs::path& envs_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(envs_dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::error_code file_ec;
    if (valid_env_folder(name) && fs::is_regular_file(it->path() / "env.yaml", file_ec)) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace stackctl
