#include "stackctl/runner/terragrunt.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace stackctl {
namespace {

using Argv = std::vector<std::string>;

TEST(TerragruntArgv, EachActionExactlyAsTheContractSays) {
  TerragruntCall call;  // terragrunt, no extra args, -lock-timeout=5m
  const std::filesystem::path plan = "/work/.stackctl/dev/runs/r1/vpc.tfplan";
  EXPECT_EQ(terragrunt_argv(call, Action::Plan, plan),
            (Argv{"terragrunt", "plan", "-input=false", "-lock-timeout=5m", "-detailed-exitcode",
                  "-out=/work/.stackctl/dev/runs/r1/vpc.tfplan"}));
  EXPECT_EQ(terragrunt_argv(call, Action::Show, plan),
            (Argv{"terragrunt", "show", "-json", "/work/.stackctl/dev/runs/r1/vpc.tfplan"}));
  EXPECT_EQ(terragrunt_argv(call, Action::Apply, plan),
            (Argv{"terragrunt", "apply", "-input=false", "-lock-timeout=5m",
                  "/work/.stackctl/dev/runs/r1/vpc.tfplan"}));
  EXPECT_EQ(terragrunt_argv(call, Action::Destroy),
            (Argv{"terragrunt", "destroy", "-input=false", "-auto-approve", "-lock-timeout=5m"}));
  EXPECT_EQ(terragrunt_argv(call, Action::Output), (Argv{"terragrunt", "output", "-json"}));
}

TEST(TerragruntArgv, BinaryExtraArgsAndLockTimeoutComeFromTheCall) {
  TerragruntCall call;
  call.binary = "/opt/tg/bin/terragrunt";
  call.extra_args = {"--log-level", "warn"};
  call.lock_timeout = "20m";
  EXPECT_EQ(terragrunt_argv(call, Action::Plan, "/p/vpc.tfplan"),
            (Argv{"/opt/tg/bin/terragrunt", "--log-level", "warn", "plan", "-input=false",
                  "-lock-timeout=20m", "-detailed-exitcode", "-out=/p/vpc.tfplan"}));
  EXPECT_EQ(terragrunt_argv(call, Action::Destroy),
            (Argv{"/opt/tg/bin/terragrunt", "--log-level", "warn", "destroy", "-input=false",
                  "-auto-approve", "-lock-timeout=20m"}));
  EXPECT_EQ(terragrunt_argv(call, Action::Output),
            (Argv{"/opt/tg/bin/terragrunt", "--log-level", "warn", "output", "-json"}));
}

TEST(TerragruntArgv, RelativePlanFileIsMadeAbsolute) {
  TerragruntCall call;
  Argv argv = terragrunt_argv(call, Action::Show, "plans/vpc.tfplan");
  ASSERT_EQ(argv.size(), 4u);
  EXPECT_EQ(argv[3], (std::filesystem::current_path() / "plans/vpc.tfplan").string());
}

TEST(TerragruntArgv, GatesAndCommandsAreNotTerragruntCalls) {
  EXPECT_TRUE(terragrunt_argv(TerragruntCall{}, Action::Gate).empty());
  EXPECT_TRUE(terragrunt_argv(TerragruntCall{}, Action::Command).empty());
}

TEST(ActionNames, AreTheWordsUsedInLogsAndTheJournal) {
  EXPECT_STREQ(to_string(Action::Plan), "plan");
  EXPECT_STREQ(to_string(Action::Show), "show");
  EXPECT_STREQ(to_string(Action::Apply), "apply");
  EXPECT_STREQ(to_string(Action::Destroy), "destroy");
  EXPECT_STREQ(to_string(Action::Output), "output");
  EXPECT_STREQ(to_string(Action::Command), "command");
  EXPECT_STREQ(to_string(Action::Gate), "gate");
}

struct VersionCase {
  const char* output;
  int major, minor, patch;
};

TEST(ParseTerragruntVersion, AcceptsWhatTerragruntPrints) {
  const VersionCase cases[] = {
      {"terragrunt version v0.72.3\n", 0, 72, 3},
      {"terragrunt version 0.99.1", 0, 99, 1},
      {"terragrunt version v1.1.3\n", 1, 1, 3},
      {"14:02:11.123 WARN   The `run-all` command is deprecated\nterragrunt version v0.80.4\n", 0,
       80, 4},
      {"14:02:11.123 INFO   terragrunt version v0.73.0", 0, 73, 0},
      {"terragrunt version v0.68.0-beta2024\n", 0, 68, 0},
      {"terragrunt version  v0.55.21\r\nextra line\n", 0, 55, 21},
  };
  for (const auto& c : cases) {
    auto v = parse_terragrunt_version(c.output);
    ASSERT_TRUE(v.has_value()) << c.output;
    EXPECT_EQ(v->major, c.major) << c.output;
    EXPECT_EQ(v->minor, c.minor) << c.output;
    EXPECT_EQ(v->patch, c.patch) << c.output;
  }
}

TEST(ParseTerragruntVersion, RejectsAnythingElse) {
  for (const char* output :
       {"", "v0.72.3", "terraform version v1.5.7", "terragrunt version", "terragrunt version v0.72",
        "terragrunt version vx.y.z", "terragrunt versionv0.72.3",
        "terragrunt version 1234567890.1.2", "bash: terragrunt: command not found"})
    EXPECT_FALSE(parse_terragrunt_version(output).has_value()) << output;
}

TEST(NonInteractiveVar, Below073IsTheOldDialect) {
  EXPECT_STREQ((TerragruntVersion{0, 72, 3}.non_interactive_var()), "TERRAGRUNT_NON_INTERACTIVE");
  EXPECT_STREQ((TerragruntVersion{0, 50, 0}.non_interactive_var()), "TERRAGRUNT_NON_INTERACTIVE");
  EXPECT_STREQ((TerragruntVersion{0, 73, 0}.non_interactive_var()), "TG_NON_INTERACTIVE");
  EXPECT_STREQ((TerragruntVersion{0, 99, 1}.non_interactive_var()), "TG_NON_INTERACTIVE");
  EXPECT_STREQ((TerragruntVersion{1, 0, 0}.non_interactive_var()), "TG_NON_INTERACTIVE");
  EXPECT_STREQ((TerragruntVersion{1, 1, 3}.non_interactive_var()), "TG_NON_INTERACTIVE");
}

TEST(ChildEnvironment, AddsAutomationVariablesThenEnvThenLayerLaterWins) {
  const EnvVars base = {{"PATH", "/usr/bin"}, {"HOME", "/home/ci"}, {"TF_INPUT", "1"}};
  const EnvVars env_vars = {{"ENV", "dev"}, {"AWS_PROFILE", "foo-dev"}, {"HOME", "/env-home"}};
  const EnvVars layer_vars = {{"AWS_REGION", "us-east-1"}, {"ENV", "dev-us"}};
  EXPECT_EQ(child_environment(base, TerragruntVersion{0, 99, 1}, env_vars, layer_vars),
            (EnvVars{{"PATH", "/usr/bin"},
                     {"HOME", "/env-home"},
                     {"TF_INPUT", "1"},
                     {"TF_IN_AUTOMATION", "1"},
                     {"TG_NON_INTERACTIVE", "true"},
                     {"ENV", "dev-us"},
                     {"AWS_PROFILE", "foo-dev"},
                     {"AWS_REGION", "us-east-1"}}));
}

TEST(ChildEnvironment, OldDialectGetsTheOldVariable) {
  EXPECT_EQ(
      child_environment({}, TerragruntVersion{0, 72, 3}, {}, {}),
      (EnvVars{
          {"TF_IN_AUTOMATION", "1"}, {"TF_INPUT", "0"}, {"TERRAGRUNT_NON_INTERACTIVE", "true"}}));
}

TEST(ChildEnvironment, EnvYamlCanOverrideTheAutomationDefaults) {
  EnvVars env = child_environment({}, TerragruntVersion{1, 0, 0}, {{"TF_IN_AUTOMATION", "0"}}, {});
  EXPECT_EQ(env, (EnvVars{{"TF_IN_AUTOMATION", "0"}, {"TG_NON_INTERACTIVE", "true"}}));
}

TEST(ChildEnvironment, TfInputIsSetOnlyBelowTerragrunt076WhichReadsItAsADeprecatedFlag) {
  auto has_tf_input = [](TerragruntVersion v) {
    for (const auto& [name, value] : child_environment({}, v, {}, {}))
      if (name == "TF_INPUT") return value == "0";
    return false;
  };
  EXPECT_TRUE(has_tf_input({0, 72, 6}));
  EXPECT_TRUE(has_tf_input({0, 75, 9}));
  EXPECT_FALSE(has_tf_input({0, 76, 0}));
  EXPECT_FALSE(has_tf_input({0, 93, 12}));
  EXPECT_FALSE(has_tf_input({1, 1, 4}));
}

TEST(SparePlannedWork, ShowAndApplyAfterAPlanSkipAutoInitInTheirDialect) {
  EnvVars old{{"A", "1"}};
  spare_planned_work(old, TerragruntVersion{0, 72, 6}, Action::Apply);
  EXPECT_EQ(old, (EnvVars{{"A", "1"}, {"TERRAGRUNT_NO_AUTO_INIT", "true"}}));
  EnvVars apply;
  spare_planned_work(apply, TerragruntVersion{1, 1, 3}, Action::Apply);
  EXPECT_EQ(apply, (EnvVars{{"TG_NO_AUTO_INIT", "true"}}))
      << "apply PLANFILE keeps the dependency outputs";
  for (Action a : {Action::Plan, Action::Destroy, Action::Output}) {
    EnvVars none;
    spare_planned_work(none, TerragruntVersion{1, 1, 3}, a);
    EXPECT_EQ(none, EnvVars{}) << to_string(a);
  }
}

TEST(SparePlannedWork, ShowFromTerragrunt11SkipsDependencyOutputsThroughItsExperiment) {
  EnvVars show;
  spare_planned_work(show, TerragruntVersion{1, 1, 3}, Action::Show);
  EXPECT_EQ(show, (EnvVars{{"TG_NO_AUTO_INIT", "true"},
                           {"TG_EXPERIMENT", "optional-dependency-outputs"},
                           {"TG_NO_DEPENDENCY_OUTPUTS", "true"}}));
  EnvVars before_11;
  spare_planned_work(before_11, TerragruntVersion{0, 93, 12}, Action::Show);
  EXPECT_EQ(before_11, (EnvVars{{"TG_NO_AUTO_INIT", "true"}}));
}

TEST(SparePlannedWork, WhatTheUserSetIsKeptAndTheirExperimentsStayEnabled) {
  EnvVars user{{"TG_NO_AUTO_INIT", "false"}, {"TG_EXPERIMENT", "symlinks"}};
  spare_planned_work(user, TerragruntVersion{1, 1, 3}, Action::Show);
  EXPECT_EQ(user, (EnvVars{{"TG_NO_AUTO_INIT", "false"},
                           {"TG_EXPERIMENT", "symlinks,optional-dependency-outputs"},
                           {"TG_NO_DEPENDENCY_OUTPUTS", "true"}}));
  EnvVars enabled{{"TG_EXPERIMENT", "a,optional-dependency-outputs"}};
  spare_planned_work(enabled, TerragruntVersion{1, 1, 3}, Action::Show);
  EXPECT_EQ(enabled[0], (std::pair<std::string, std::string>{"TG_EXPERIMENT",
                                                             "a,optional-dependency-outputs"}));
  EnvVars declined{{"TG_NO_DEPENDENCY_OUTPUTS", "false"}};
  spare_planned_work(declined, TerragruntVersion{1, 1, 3}, Action::Show);
  EXPECT_EQ(declined,
            (EnvVars{{"TG_NO_DEPENDENCY_OUTPUTS", "false"}, {"TG_NO_AUTO_INIT", "true"}}));
}

TEST(CurrentEnvironment, ReadsTheProcessEnvironment) {
  ASSERT_EQ(::setenv("STACKCTL_TG_TEST", "a=b", 1), 0);
  EnvVars env = current_environment();
  ::unsetenv("STACKCTL_TG_TEST");
  int found = 0;
  for (const auto& [name, value] : env)
    if (name == "STACKCTL_TG_TEST") {
      ++found;
      EXPECT_EQ(value, "a=b");
    }
  EXPECT_EQ(found, 1);
}

}  // namespace
}  // namespace stackctl
