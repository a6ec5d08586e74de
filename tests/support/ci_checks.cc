#include "support/ci_checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "support/scenario.h"

namespace stackctl::testing {

std::string git_in(const Scenario& s, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"git", "-c", "user.name=t", "-c", "user.email=t@example.com"};
  argv.insert(argv.end(), args.begin(), args.end());
  Outcome r = run_program("/usr/bin/env", argv, s.root(), {{"GIT_CONFIG_GLOBAL", "/dev/null"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out.substr(0, r.out.find('\n'));
}

namespace fs = std::filesystem;

namespace {

std::optional<std::string> existing(const char* variable, const std::string& pinned,
                                    const std::string& what, std::string& why) {
  const char* set = std::getenv(variable);
  std::string path = set && *set ? set : pinned;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return path;
  why = "\n*** " + what + " is missing: " + path +
        " does not exist. `bash .ci/real-tools` puts it there (" + variable +
        " overrides the path). SKIPPED. ***\n";
  return std::nullopt;
}

std::string outcome_text(const Outcome& r) {
  return r.exit_code == 0 ? "" : r.out + r.err + "(exit " + std::to_string(r.exit_code) + ")";
}

}  // namespace

std::optional<std::string> actionlint_binary(std::string& why) {
  return existing("STACKCTL_ACTIONLINT", STACKCTL_PINNED_ACTIONLINT, "actionlint", why);
}

std::string actionlint_findings(const std::string& actionlint, const std::string& workflow) {
  Scenario s;
  s.write(".github/workflows/stackctl.yml", workflow);
  fs::create_directories(s.root() / ".git");  // actionlint looks for the repository root
  return outcome_text(
      run_program(actionlint, {"-no-color", ".github/workflows/stackctl.yml"}, s.root(), {}));
}

std::optional<std::string> gitlab_ci_schema(std::string& why) {
  auto schema = existing("STACKCTL_GITLAB_CI_SCHEMA", STACKCTL_PINNED_GITLAB_CI_SCHEMA,
                         "GitLab's CI schema", why);
  if (!schema) return schema;
  if (std::system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0) {
    why =
        "\n*** python3 with jsonschema is missing (pip install jsonschema): the GitLab schema "
        "check is SKIPPED. ***\n";
    return std::nullopt;
  }
  return schema;
}

std::string gitlab_schema_findings(const std::string& schema, const std::string& pipeline) {
  Scenario s;
  s.write("pipeline.json", yaml_to_json(YAML::Load(pipeline)).dump(1));
  const char* check = R"(import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
for e in errors:
    print("/".join(str(p) for p in e.path) + ": " + e.message[:300])
sys.exit(1 if errors else 0)
)";
  return outcome_text(
      run_program("/usr/bin/env", {"python3", "-c", check, schema, "pipeline.json"}, s.root(), {}));
}

nlohmann::json yaml_to_json(const YAML::Node& node) {
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& kv : node) out[kv.first.as<std::string>()] = yaml_to_json(kv.second);
    return out;
  }
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : node) out.push_back(yaml_to_json(item));
    return out;
  }
  if (node.IsNull()) return nullptr;
  const std::string v = node.as<std::string>();
  if (node.Tag() == "?") {  // a plain scalar
    if (v == "true" || v == "false") return v == "true";
    if (!v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::stoll(v);
  }
  return v;
}

namespace {

const std::set<std::string> kGlobalKeys{"default",  "include",       "stages",      "variables",
                                        "workflow", "spec",          "image",       "services",
                                        "cache",    "before_script", "after_script"};
const std::set<std::string> kJobKeys{"after_script",
                                     "allow_failure",
                                     "artifacts",
                                     "before_script",
                                     "cache",
                                     "coverage",
                                     "dast_configuration",
                                     "dependencies",
                                     "environment",
                                     "extends",
                                     "hooks",
                                     "identity",
                                     "id_tokens",
                                     "image",
                                     "inherit",
                                     "interruptible",
                                     "manual_confirmation",
                                     "needs",
                                     "pages",
                                     "parallel",
                                     "release",
                                     "resource_group",
                                     "retry",
                                     "rules",
                                     "script",
                                     "secrets",
                                     "services",
                                     "stage",
                                     "tags",
                                     "timeout",
                                     "trigger",
                                     "variables",
                                     "when"};
const std::set<std::string> kDefaultKeys{
    "after_script", "artifacts",     "before_script", "cache",    "hooks", "id_tokens",
    "image",        "interruptible", "retry",         "services", "tags",  "timeout"};
const std::set<std::string> kRuleKeys{"if",    "changes",       "exists",
                                      "when",  "allow_failure", "variables",
                                      "needs", "interruptible", "start_in"};
const std::set<std::string> kWhen{"on_success", "on_failure", "always",
                                  "never",      "manual",     "delayed"};
const std::set<std::string> kArtifactKeys{"paths",  "exclude", "expire_in", "expose_as", "name",
                                          "public", "access",  "reports",   "untracked", "when"};

// The `if:` conditions of a job's rules, which decide the pipelines it is in.
std::set<std::string> rule_conditions(const YAML::Node& job) {
  std::set<std::string> out;
  for (const auto& r : job["rules"])
    if (r["if"]) out.insert(r["if"].as<std::string>());
  return out;
}

void check_rules(const std::string& name, const YAML::Node& rules, std::vector<std::string>& out) {
  if (!rules.IsSequence()) {
    out.push_back(name + ": rules is not a list");
    return;
  }
  for (const auto& r : rules)
    for (const auto& kv : r) {
      std::string key = kv.first.as<std::string>();
      if (!kRuleKeys.count(key)) out.push_back(name + ": unknown rules keyword " + key);
      if (key == "when" && !kWhen.count(kv.second.as<std::string>()))
        out.push_back(name + ": rules when: " + kv.second.as<std::string>() +
                      " is not a GitLab value");
    }
}

void check_artifacts(const std::string& name, const YAML::Node& a, std::vector<std::string>& out) {
  for (const auto& kv : a)
    if (!kArtifactKeys.count(kv.first.as<std::string>()))
      out.push_back(name + ": unknown artifacts keyword " + kv.first.as<std::string>());
  for (const auto& p : a["paths"]) {
    std::string path = p.as<std::string>();
    if (path.empty() || path[0] == '/' || path.find("..") != std::string::npos)
      out.push_back(name + ": artifact path " + path + " is not inside the project");
  }
}

}  // namespace

std::vector<std::string> gitlab_structure_problems(const YAML::Node& doc) {
  std::vector<std::string> out;
  std::set<std::string> stages{".pre", ".post"};
  if (doc["stages"])
    for (const auto& s : doc["stages"]) stages.insert(s.as<std::string>());
  else
    stages.insert({"build", "test", "deploy"});
  std::map<std::string, YAML::Node> jobs;
  for (const auto& kv : doc) {
    std::string key = kv.first.as<std::string>();
    if (kGlobalKeys.count(key)) continue;
    if (!kv.second.IsMap() ||
        (!kv.second["script"] && !kv.second["trigger"] && !kv.second["extends"])) {
      out.push_back("unknown top-level key " + key + " (not a keyword, not a job with a script)");
      continue;
    }
    jobs[key] = kv.second;
  }
  for (const auto& kv : doc["default"])
    if (!kDefaultKeys.count(kv.first.as<std::string>()))
      out.push_back("default: unknown keyword " + kv.first.as<std::string>());
  if (doc["workflow"]) check_rules("workflow", doc["workflow"]["rules"], out);
  for (const auto& [name, job] : jobs) {
    for (const auto& kv : job)
      if (!kJobKeys.count(kv.first.as<std::string>()))
        out.push_back(name + ": unknown job keyword " + kv.first.as<std::string>());
    std::string stage = job["stage"] ? job["stage"].as<std::string>() : "test";
    if (!stages.count(stage)) out.push_back(name + ": stage " + stage + " is not in stages");
    if (job["rules"]) check_rules(name, job["rules"], out);
    if (job["when"] && !kWhen.count(job["when"].as<std::string>()))
      out.push_back(name + ": when: " + job["when"].as<std::string>() + " is not a GitLab value");
    if (job["artifacts"]) check_artifacts(name, job["artifacts"], out);
    if (job["script"] && (!job["script"].IsSequence() || job["script"].size() == 0))
      out.push_back(name + ": script is not a non-empty list");
    for (const auto& n : job["needs"]) {
      std::string needed = n.IsMap() ? n["job"].as<std::string>() : n.as<std::string>();
      bool optional = n.IsMap() && n["optional"] && n["optional"].as<bool>();
      auto it = jobs.find(needed);
      if (it == jobs.end()) {
        out.push_back(name + ": needs " + needed + ", which is not a job");
        continue;
      }
      // A needed job must be in every pipeline this one is in.
      auto mine = rule_conditions(job), theirs = rule_conditions(it->second);
      if (!optional && !theirs.empty() &&
          !std::includes(theirs.begin(), theirs.end(), mine.begin(), mine.end()))
        out.push_back(name + ": needs " + needed + ", which is not in all of its pipelines");
    }
  }
  return out;
}

}  // namespace stackctl::testing
