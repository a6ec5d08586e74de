// Scenarios for reading envs/<env>/env.yaml: every key, every rule's exact message, and finding
// envs by name.
#include "stackctl/manifest/env.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/scenario.h"

namespace stackctl {
namespace {
namespace fs = std::filesystem;
using testing::Scenario;
using Lines = std::vector<std::string>;

const char* const kFile = "envs/dev/env.yaml";

/// Every finding of parsing text as envs/dev/env.yaml, rendered.
Lines findings(const std::string& text) {
  Diagnostics diags;
  parse_env(text, kFile, diags);
  Lines out;
  for (const Diagnostic& d : diags.all()) out.push_back(d.str());
  return out;
}

TEST(Env, ReadsEveryKeyOfTheContractExample) {
  Diagnostics diags;
  EnvConfig env = parse_env(R"yaml(name: dev
dir: ../../live/dev
enable: [kms, nat]
disable: [s3-worker]
env: {ENV: dev, AWS_PROFILE: foo-dev}
require_env: [AWS_ACCOUNT_ID]
protect: {rds-app: data, vpc: keep}
confirm: true
parallelism: 4
terragrunt: {binary: /opt/tg, args: [--terragrunt-no-auto-init]}
module_source: "git::https://example.com/modules.git//{module}?ref=v1"
)yaml",
                            kFile, diags);
  ASSERT_EQ(diags.str(), "");
  EXPECT_EQ(env.name, "dev");
  EXPECT_EQ(env.file, fs::path("envs/dev/env.yaml"));
  EXPECT_EQ(env.folder, fs::path("envs/dev"));
  EXPECT_EQ(env.dir, "../../live/dev");
  EXPECT_FALSE(env.enable_all);
  EXPECT_EQ(env.enable, (Lines{"kms", "nat"}));
  EXPECT_EQ(env.disable, (Lines{"s3-worker"}));
  EXPECT_EQ(env.env, (EnvVars{{"ENV", "dev"}, {"AWS_PROFILE", "foo-dev"}}));
  EXPECT_EQ(env.require_env, (Lines{"AWS_ACCOUNT_ID"}));
  EXPECT_EQ(env.protect,
            (std::map<std::string, Protect>{{"rds-app", Protect::Data}, {"vpc", Protect::Keep}}));
  EXPECT_TRUE(env.confirm);
  EXPECT_EQ(env.parallelism, std::optional<int>(4));
  EXPECT_EQ(env.terragrunt_binary, "/opt/tg");
  EXPECT_EQ(env.terragrunt_args, (Lines{"--terragrunt-no-auto-init"}));
  EXPECT_EQ(env.module_source, "git::https://example.com/modules.git//{module}?ref=v1");
  EXPECT_EQ(env.lines, (std::map<std::string, int>{{"name", 1},
                                                   {"dir", 2},
                                                   {"enable", 3},
                                                   {"enable:kms", 3},
                                                   {"enable:nat", 3},
                                                   {"disable", 4},
                                                   {"disable:s3-worker", 4},
                                                   {"env", 5},
                                                   {"require_env", 6},
                                                   {"protect", 7},
                                                   {"protect:rds-app", 7},
                                                   {"protect:vpc", 7},
                                                   {"confirm", 8},
                                                   {"parallelism", 9},
                                                   {"terragrunt", 10},
                                                   {"module_source", 11}}));
}

TEST(Env, AnEmptyFileIsAnEnvWithDefaults) {
  Diagnostics diags;
  EnvConfig env = parse_env("# nothing to change\n", kFile, diags);
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(env.name, "dev");  // the folder's name
  EXPECT_EQ(env.dir, ".");
  EXPECT_FALSE(env.confirm);
  EXPECT_EQ(env.parallelism, std::nullopt);
  EXPECT_EQ(env.terragrunt_binary, "");
}

TEST(Env, EnableAllSwitchesOnEveryOptionalLayer) {
  Diagnostics diags;
  EnvConfig env = parse_env("enable: all\n", kFile, diags);
  EXPECT_EQ(diags.str(), "");
  EXPECT_TRUE(env.enable_all);
  EXPECT_EQ(findings("enable: some\n"),
            (Lines{"envs/dev/env.yaml:1: 'enable' must be a list of layer names or 'all', not "
                   "'some'"}));
}

TEST(EnvRules, NameMustEqualTheFolderName) {
  EXPECT_EQ(findings("name: prod\n"),
            (Lines{"envs/dev/env.yaml:1: name 'prod' does not match the folder name 'dev'"}));
}

TEST(EnvRules, UnknownKeysAreNamedWithTheAllowedOnes) {
  EXPECT_EQ(findings("name: dev\nenabled: [nat]\n"),
            (Lines{"envs/dev/env.yaml:2: unknown key 'enabled' (did you mean 'enable'?); allowed "
                   "keys: name, dir, enable, disable, env, require_env, protect, confirm, "
                   "parallelism, terragrunt, module_source, retry, keep_runs"}));
  EXPECT_EQ(findings("terragrunt: {binray: tg}\n"),
            (Lines{"envs/dev/env.yaml:1: terragrunt: unknown key 'binray' (did you mean "
                   "'binary'?); allowed keys: binary, args"}));
}

TEST(Env, RetryIsOffByDefaultAndTakesTerragruntsDefaultsOnceSet) {
  Diagnostics diags;
  EXPECT_EQ(parse_env("name: dev\n", kFile, diags).retry.attempts, 1);
  EnvConfig on = parse_env("name: dev\nretry: {}\n", kFile, diags);
  EXPECT_EQ(on.retry.attempts, 3);
  EXPECT_EQ(on.retry.sleep_s, 5);
  EXPECT_TRUE(on.retry.patterns.empty());
  EnvConfig set = parse_env(
      "retry:\n  attempts: 5\n  sleep: 1m30s\n  patterns: [RequestLimitExceeded, "
      "'(?s)Throttling.*']\n",
      kFile, diags);
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(set.retry.attempts, 5);
  EXPECT_EQ(set.retry.sleep_s, 90);
  EXPECT_EQ(set.retry.patterns, (Lines{"RequestLimitExceeded", "(?s)Throttling.*"}));
  EXPECT_EQ(parse_env("retry: {sleep: 10}\n", kFile, diags).retry.sleep_s, 10) << "whole seconds";
}

TEST(EnvRules, RetryValuesAreCheckedWithTheirLines) {
  EXPECT_EQ(
      findings("retry: 3\n"),
      (Lines{
          "envs/dev/env.yaml:1: 'retry' must be a mapping with 'attempts', 'sleep' and 'patterns' "
          "(e.g. retry: {attempts: 3, sleep: 10s}), not a string"}));
  EXPECT_EQ(findings("retry:\n  sleep: forever\n"),
            (Lines{"envs/dev/env.yaml:2: retry: 'sleep' must be a duration up to 1h (e.g. 5s, 1m), "
                   "not 'forever'"}));
  EXPECT_EQ(findings("retry:\n  tries: 2\n").size(), 1u);
  ASSERT_EQ(findings("retry:\n  patterns:\n    - ok\n    - '(open'\n").size(), 1u);
  EXPECT_EQ(findings("retry:\n  patterns:\n    - ok\n    - '(open'\n")[0].rfind(
                "envs/dev/env.yaml:4: retry: pattern '(open' is not a regular expression: ", 0),
            0u);
}

TEST(EnvRules, DirMustBeRelative) {
  EXPECT_EQ(findings("dir: /srv/live\n"),
            (Lines{"envs/dev/env.yaml:1: dir '/srv/live' must be relative to the env's folder"}));
  EXPECT_EQ(findings("dir: ''\n"),
            (Lines{"envs/dev/env.yaml:1: 'dir' is empty (use '.' for the env's own folder)"}));
}

TEST(EnvRules, ProtectValuesAreNoneKeepOrData) {
  EXPECT_EQ(findings("protect:\n  rds-app: always\n"),
            (Lines{"envs/dev/env.yaml:2: invalid protect 'always' for 'rds-app' (expected none, "
                   "keep or data)"}));
  EXPECT_EQ(findings("protect: [rds-app]\n"),
            (Lines{"envs/dev/env.yaml:1: 'protect' must be a mapping of layer names to none, "
                   "keep or data, not a list"}));
}

TEST(EnvRules, ConfirmParallelismAndTerragruntAreTyped) {
  EXPECT_EQ(findings("confirm: sure\n"),
            (Lines{"envs/dev/env.yaml:1: 'confirm' must be true or false, not 'sure'"}));
  EXPECT_EQ(findings("parallelism: 0\n"),
            (Lines{"envs/dev/env.yaml:1: 'parallelism' must be an integer from 1 to 256, not "
                   "'0'"}));
  EXPECT_EQ(findings("parallelism: 257\n"),
            (Lines{"envs/dev/env.yaml:1: 'parallelism' must be an integer from 1 to 256, not "
                   "'257'"}));
  EXPECT_EQ(findings("parallelism: 99999999999999999999\n"),
            (Lines{"envs/dev/env.yaml:1: 'parallelism' must be an integer from 1 to 256, not "
                   "'99999999999999999999'"}));
  EXPECT_EQ(findings("parallelism: [4]\n"),
            (Lines{"envs/dev/env.yaml:1: 'parallelism' must be an integer from 1 to 256, not a "
                   "list"}));
  EXPECT_EQ(findings("terragrunt: tg\n"),
            (Lines{"envs/dev/env.yaml:1: 'terragrunt' must be a mapping with 'binary' and "
                   "'args', not a string"}));
  EXPECT_EQ(findings("terragrunt:\n  binary: ''\n  args: -x\n"),
            (Lines{"envs/dev/env.yaml:2: terragrunt: 'binary' is empty",
                   "envs/dev/env.yaml:3: terragrunt: 'args' must be a list, not a string"}));
}

TEST(EnvRules, VariablesMustHaveValidNames) {
  EXPECT_EQ(findings("env: {GOOD: 1, 2BAD: x}\nrequire_env: [OK, not-ok]\n"),
            (Lines{"envs/dev/env.yaml:1: invalid variable name '2BAD' in 'env' (expected "
                   "letters, digits and '_', not starting with a digit)",
                   "envs/dev/env.yaml:2: invalid variable name 'not-ok' in 'require_env' "
                   "(expected letters, digits and '_', not starting with a digit)"}));
}

TEST(EnvRules, ModuleSourceUsesOnlyKnownPlaceholders) {
  EXPECT_EQ(findings("module_source: \"git::x//{module}?ref={version}\"\n"),
            (Lines{"envs/dev/env.yaml:1: 'module_source' has an unknown placeholder '{version}' "
                   "(use {module} and {layer})"}));
  EXPECT_EQ(findings("module_source: \"../modules/{module}/{layer}\"\n"), Lines{});
}

TEST(EnvRules, ALayerCannotBeBothEnabledAndDisabled) {
  EXPECT_EQ(findings("enable: [nat, kms]\ndisable:\n  - kms\n  - kms\n"),
            (Lines{"envs/dev/env.yaml:3: layer 'kms' is both enabled and disabled",
                   "envs/dev/env.yaml:4: warning: lists 'kms' twice in 'disable'"}));
}

TEST(EnvRules, AllProblemsAreReported) {
  EXPECT_EQ(findings(R"yaml(name: prod
colour: blue
confirm: maybe
parallelism: -1
protect: {vpc: everything}
confirm: true
)yaml"),
            (Lines{"envs/dev/env.yaml:1: name 'prod' does not match the folder name 'dev'",
                   "envs/dev/env.yaml:2: unknown key 'colour'; allowed keys: name, dir, enable, "
                   "disable, env, require_env, protect, confirm, parallelism, terragrunt, "
                   "module_source, retry, keep_runs",
                   "envs/dev/env.yaml:3: 'confirm' must be true or false, not 'maybe'",
                   "envs/dev/env.yaml:4: 'parallelism' must be an integer from 1 to 256, not "
                   "'-1'",
                   "envs/dev/env.yaml:5: invalid protect 'everything' for 'vpc' (expected none, "
                   "keep or data)",
                   "envs/dev/env.yaml:6: duplicate key 'confirm' (first defined at line 3)"}));
}

TEST(EnvRules, HostileInputIsADiagnostic) {
  EXPECT_EQ(findings("- name: dev\n"),
            (Lines{"envs/dev/env.yaml:1: the env file must be a mapping (e.g. 'name: dev'), not "
                   "a list"}));
  EXPECT_EQ(findings("env: " + std::string(5000, '[') + std::string(5000, ']') + "\n"),
            (Lines{"envs/dev/env.yaml:1: nesting is deeper than 256 levels"}));
  EXPECT_EQ(findings("name: \"dev\x01\"\n"),
            (Lines{"envs/dev/env.yaml:1: name 'dev\\x01' does not match the folder name 'dev'"}));
  EXPECT_EQ(findings("name: [unclosed\n"),
            (Lines{"envs/dev/env.yaml:2: end of sequence flow not found"}));
}

TEST(LoadEnv, ReadsEnvsDirNameEnvYaml) {
  Scenario s;
  s.env("dev", "name: dev\nenable: [nat]\n");
  Diagnostics diags;
  EnvConfig env = load_env(s.root() / "envs", "dev", diags);
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(env.name, "dev");
  EXPECT_EQ(env.file, s.root() / "envs" / "dev" / "env.yaml");
  EXPECT_EQ(env.folder, s.root() / "envs" / "dev");
  EXPECT_EQ(env.enable, (Lines{"nat"}));
  EXPECT_EQ(env.lines.at("enable:nat"), 2);
}

TEST(LoadEnv, AnUnknownEnvListsTheEnvsThatExist) {
  Scenario s;
  s.env("dev", "");
  s.env("prod", "");
  s.write("envs/staging/README", "no env.yaml here");
  Diagnostics diags;
  load_env(s.root() / "envs", "prd", diags);
  load_env(s.root() / "envs", "staging", diags);
  load_env(s.root() / "envs", "../envs/dev", diags);
  const std::string envs = (s.root() / "envs").string();
  EXPECT_EQ(diags.str(), envs + ": unknown env 'prd' (did you mean 'prod'?); envs: dev, prod\n" +
                             envs + ": unknown env 'staging'; envs: dev, prod\n" + envs +
                             ": unknown env '../envs/dev'; envs: dev, prod");
}

TEST(LoadEnv, NoEnvsAtAll) {
  Scenario s;
  Diagnostics diags;
  load_env(s.root() / "envs", "dev", diags);
  EXPECT_EQ(diags.str(), (s.root() / "envs").string() +
                             ": unknown env 'dev'; no envs found (each env is a folder holding "
                             "env.yaml)");
}

TEST(ListEnvs, SortedFoldersHoldingEnvYaml) {
  Scenario s;
  s.env("prod", "");
  s.env("dev", "");
  s.env(".hidden", "");
  s.write("envs/notes.txt", "");
  s.write("envs/empty/terragrunt.hcl", "");
  EXPECT_EQ(list_envs(s.root() / "envs"), (Lines{"dev", "prod"}));
  EXPECT_EQ(list_envs(s.root() / "missing"), Lines{});
}

}  // namespace
}  // namespace stackctl
