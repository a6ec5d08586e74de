// End to end: destroy of what is already gone, apply --plan-dir and --allow-replace at their
// edges, retries of transient errors and the shared lock of plan and drift, with the built
// stackctl against terragrunt-sim in a temporary project.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/data_stack.h"

using stackctl::testing::Outcome;
using Calls = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

struct Project : stackctl::testing::DataStack {
  Outcome ok(const std::vector<std::string>& args, int code = 0) const {
    auto r = run(args);
    EXPECT_EQ(r.exit_code, code) << r.err;
    return r;
  }
  void forget_calls() const { fs::remove(call_log()); }
  // The last layer_end record of layer in the journal.
  nlohmann::json last_end(const std::string& layer) const {
    nlohmann::json found;
    std::istringstream in(read(".stackctl/dev/journal.jsonl"));
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.value("type", "") == "layer_end" && j.value("layer", "") == layer) found = j;
    }
    return found;
  }
};

const char* kAlreadyGone = "already gone: its state holds nothing to destroy";

int count_of(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

}  // namespace

// --- destroy is idempotent ---------------------------------------------------------------

// terragrunt exits 0 without running terraform when a prompt is answered no (or an exclude
// block stops the unit): the layer fails, is journaled failed, and the next destroy runs it
// again instead of skipping it as "not applied".
TEST(SuccessThatDidNotHappen,
     ADestroyTerragruntStoppedBeforeTerraformFailsAndTheNextDestroyRunsItAgain) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "vpc,app", "--yes"});
  p.fault("app", R"({"TERRAGRUNT_SIM_REFUSE": "destroy:1"})");
  p.forget_calls();
  auto declined = p.ok({"destroy", "--env", "dev", "--only", "app", "--yes"}, 1);
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"}));
  const std::string why =
      "destroy exited 0, but terraform never printed 'Destroy complete!': terragrunt stopped "
      "before running it "
      "(a prompt answered no, a unit it skips); it is not counted as destroyed";
  EXPECT_EQ(
      p.masked(declined.err),
      "stackctl destroy on env 'dev':\n"
      "destroy 1 layer (dependents first)\n"
      "  destroy  app  [app]\n"
      "kept 4 layers:\n"
      "  keep     kms  protected (data)\n"
      "  keep     vpc  pinned: rds-app (data) depends on it\n"
      "  keep     sg-db  pinned: rds-app (data) depends on it\n"
      "  keep     rds-app  protected (data)\n"
      "[1/1] app destroy failed - <t>\n"
      "    destroy exited 0, but terraform never printed 'Destroy complete!': terragrunt stopped "
      "before running it (a prompt answered no, a unit it skips); it is not counted as destroyed\n"
      "    --- last lines of <root>/.stackctl/dev/runs/<run>/app.destroy.log ---\n"
      "    [app] Remote state S3 bucket terragrunt-sim-state does not exist or you don't have "
      "permissions to access it. Would you like Terragrunt to create it? (y/n) n\n"
      "logs: <root>/.stackctl/dev/runs/<run>\n");
  EXPECT_EQ(p.last_end("app")["result"], "failed");
  EXPECT_EQ(p.last_end("app")["message"], why);
  p.fault("app", "{}");
  p.forget_calls();
  auto again = p.ok({"destroy", "--env", "dev", "--yes"});
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"})) << again.err;
  EXPECT_EQ(p.last_end("app")["result"], "ok");
  EXPECT_EQ(p.last_end("app").value("message", ""), "");
}

TEST(SuccessThatDidNotHappen,
     AnApplyTerragruntStoppedBeforeTerraformFailsAndItsDependentsDoNotStart) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_REFUSE": "apply:1"})");
  auto r = p.ok({"apply", "--env", "dev", "--only", "vpc,app", "--yes"}, 1);
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "vpc show", "vpc apply"}));
  EXPECT_EQ(
      p.masked(r.err),
      "stackctl apply on env 'dev':\n"
      "apply 2 layers (in dependency order)\n"
      "  apply  vpc  [network]  pinned: rds-app (data) depends on it\n"
      "  apply  app  [app]\n"
      "[1/2] vpc apply failed +1 ~0 -0 <t>\n"
      "    apply exited 0, but terraform never printed 'Apply complete!': terragrunt stopped "
      "before "
      "running it (a prompt answered no, a unit it skips); it is not counted as applied\n"
      "    --- last lines of <root>/.stackctl/dev/runs/<run>/vpc.apply.log ---\n"
      "    [vpc] Remote state S3 bucket terragrunt-sim-state does not exist or you don't have "
      "permissions to access it. Would you like Terragrunt to create it? (y/n) n\n"
      "logs: <root>/.stackctl/dev/runs/<run>\n");
  EXPECT_EQ(p.last_end("vpc")["result"], "failed");
  const nlohmann::json app = p.last_end("app");
  EXPECT_TRUE(app.is_null() || app["result"] != "ok") << app.dump();
}

TEST(DestroyIdempotent, ALayerNeverAppliedIsDestroyedAsAlreadyGone) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  p.forget_calls();
  auto r = p.ok({"destroy", "--env", "dev", "--only", "app", "--yes"});
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"}));
  EXPECT_EQ(p.masked(r.err),
            "stackctl destroy on env 'dev':\n"
            "destroy 1 layer (dependents first)\n"
            "  destroy  app  [app]\n"
            "kept 4 layers:\n"
            "  keep     kms  protected (data)\n"
            "  keep     vpc  pinned: rds-app (data) depends on it\n"
            "  keep     sg-db  pinned: rds-app (data) depends on it\n"
            "  keep     rds-app  protected (data)\n"
            "[1/1] app destroy ok +0 ~0 -0 <t>\n"
            "    already gone: its state holds nothing to destroy\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
  EXPECT_EQ(p.last_end("app")["result"], "ok");
  EXPECT_EQ(p.last_end("app")["message"], kAlreadyGone);
}

TEST(DestroyIdempotent, DestroyingTwiceSucceedsAndOnlyTheSecondSaysAlreadyGone) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "vpc,app", "--yes"});
  auto first = p.ok({"destroy", "--env", "dev", "--only", "app", "--yes"});
  EXPECT_EQ(count_of(first.err, kAlreadyGone), 0) << first.err;
  auto second = p.ok({"destroy", "--env", "dev", "--only", "app", "--yes"});
  EXPECT_EQ(count_of(second.err, kAlreadyGone), 1) << second.err;
  auto json = p.ok({"--output", "json", "destroy", "--env", "dev", "--only", "app", "--yes"});
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["exit_code"], 0);
  EXPECT_EQ(doc["layers"][0]["result"], "ok");
  EXPECT_EQ(doc["layers"][0]["message"], kAlreadyGone);
}

TEST(DestroyIdempotent, ALayerWhoseDependencyIsGoneTooIsAlreadyGoneWhenTheJournalSaysSo) {
  stackctl::testing::Scenario p;
  p.chain_of_three();
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
  ASSERT_EQ(p.run({"destroy", "--env", "dev", "--yes"}).exit_code, 0);
  p.clear_calls();
  auto r = p.run({"destroy", "--env", "dev", "--only", "db", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // app's state is read again right before db's destroy starts (it was skipped as holding nothing).
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc show", "db show", "app show", "app show", "db destroy"}))
      << "app, which the journal shows gone and whose state cannot be read without db's outputs, "
         "is not run";
  EXPECT_EQ(p.masked(r.err),
            "stackctl destroy on env 'dev':\n"
            "destroy 1 layer (dependents first)\n"
            "  destroy  db\n"
            "  skip     app  not applied (its dependency db holds nothing)\n"
            "[1/1] db destroy ok - <t>\n"
            "    already gone: the journal shows it holds nothing, and terragrunt cannot read the "
            "outputs of "
            "its dependencies, which hold nothing either\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
}

TEST(DestroyIdempotent, WithoutAJournalToSaySoADependencyWithoutOutputsFailsTheDestroyWithTheFix) {
  stackctl::testing::Scenario p;
  p.chain_of_three();
  auto r = p.run({"destroy", "--env", "dev", "--only", "app", "--yes"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(
      p.masked(r.err),
      "stackctl destroy on env 'dev':\n"
      "destroy 1 layer (dependents first)\n"
      "  destroy  app\n"
      "[1/1] app destroy failed - <t>\n"
      "    destroy failed: exit 1\n"
      "    terragrunt cannot read the outputs of a dependency that holds nothing; if app holds "
      "nothing "
      "too it is already gone; to let terragrunt destroy it anyway, add \"destroy\" to "
      "mock_outputs_allowed_terraform_commands of its dependency blocks\n"
      "    --- last lines of <root>/.stackctl/dev/runs/<run>/app.destroy.log ---\n"
      "    [app] <clock> ERROR  <root>/envs/dev/db/terragrunt.hcl is a dependency of "
      "<root>/envs/dev/app/terragrunt.hcl but detected no outputs. Either the target module has "
      "not "
      "been applied yet, or the module has no outputs.\n"
      "    [app] \n"
      "    [app] If this dependency is accessed before the outputs are ready (which can happen "
      "during "
      "the planning phase of an unapplied stack), consider using mock_outputs:\n"
      "    [app] \n"
      "    [app] dependency \"db\" {\n"
      "    [app]     config_path = \"../db\"\n"
      "    [app] \n"
      "    [app]     mock_outputs = {\n"
      "    [app]         db_output = \"mock-db-output\"\n"
      "    [app]     }\n"
      "    [app] }\n"
      "    [app] \n"
      "    [app] For more info, see:\n"
      "    [app] "
      "https://terragrunt.gruntwork.io/docs/features/stacks/"
      "#unapplied-dependency-and-mock-outputs\n"
      "    [app] \n"
      "    [app] If you do not require outputs from your dependency, consider using the "
      "dependencies "
      "block instead:\n"
      "    [app] "
      "https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/#dependencies\n"
      "    [app] \n"
      "logs: <root>/.stackctl/dev/runs/<run>\n");
}

// --- apply --plan-dir never leaves a selected layer out silently ---------------------------

TEST(PlanDirMissing, ASelectedLayerWithoutASavedPlanRefusesTheWholeApplyBeforeAnythingRuns) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "kms,vpc", "--yes"});
  p.ok({"plan", "--env", "dev", "--only", "vpc", "--out-dir", "plans"});
  p.forget_calls();
  const std::string dir = (p.root() / "plans").string();
  for (const char* mode : {"--yes", "--dry-run"}) {
    SCOPED_TRACE(mode);
    auto r = p.run({"apply", "--env", "dev", "--up-to", "sg-db", "--plan-dir", "plans", mode});
    EXPECT_EQ(r.exit_code, 64) << r.err;
    EXPECT_EQ(r.err,
              "stackctl: 2 layers to apply have no saved plan in " + dir +
                  " (it holds vpc):\n"
                  "  - kms: not planned by run " +
                  nlohmann::json::parse(p.read("plans/summary.json"))["run_id"].get<std::string>() +
                  "\n  - sg-db: not planned by run " +
                  nlohmann::json::parse(p.read("plans/summary.json"))["run_id"].get<std::string>() +
                  "\nplan them with 'stackctl plan --env dev --out-dir " + dir +
                  "', or leave them out of the selection; nothing was started\n");
    EXPECT_FALSE(fs::exists(p.call_log()));
    EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  }
}

TEST(PlanDirMissing, WithoutASelectionALayerThePlanRunCouldNotSaveIsReported) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "kms,vpc", "--yes"});
  p.fault("sg-db", R"({"TERRAGRUNT_SIM_FAIL": "plan"})");
  p.ok({"plan", "--env", "dev", "--up-to", "sg-db", "--out-dir", "plans"}, 1);
  auto summary = nlohmann::json::parse(p.read("plans/summary.json"));
  EXPECT_EQ(summary["not_saved"],
            nlohmann::json::parse(R"([{"name": "sg-db", "result": "failed"}])"));
  p.forget_calls();
  auto r = p.run({"apply", "--env", "dev", "--plan-dir", "plans", "--yes"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_EQ(
      p.masked(r.err),
      "stackctl: a layer to apply has no saved plan in <root>/plans (it holds kms, vpc):\n"
      "  - sg-db: the plan run <run> ended it failed\n"
      "plan them with 'stackctl plan --env dev --out-dir <root>/plans', or leave them out of the "
      "selection; nothing was started\n");
  EXPECT_FALSE(fs::exists(p.call_log()));
}

TEST(PlanDirMissing, ASelectionFullyCoveredBySavedPlansApplies) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "kms,vpc", "--yes"});
  p.ok({"plan", "--env", "dev", "--up-to", "sg-db", "--out-dir", "plans"});
  p.forget_calls();
  p.ok({"apply", "--env", "dev", "--only", "sg-db", "--plan-dir", "plans", "--yes"});
  EXPECT_EQ(p.call_sequence(), (Calls{"sg-db show", "sg-db apply"}));
}

// --- --allow-replace LAYER:ADDR -----------------------------------------------------------

TEST(AllowReplaceScope, AScopedAddressAllowsTheReplaceInItsLayer) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  p.fault("rds-app", R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.rds-app"})");
  p.forget_calls();
  p.ok({"apply", "--env", "dev", "--only", "rds-app", "--allow-replace",
        "rds-app:null_resource.rds-app", "--yes"});
  EXPECT_EQ(p.call_sequence(), (Calls{"rds-app plan", "rds-app show", "rds-app apply"}));
}

TEST(AllowReplaceScope, AnAddressScopedToAnotherLayerAllowsNothingHere) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  p.fault("rds-app", R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.rds-app"})");
  p.forget_calls();
  auto r = p.run({"apply", "--env", "dev", "--only", "rds-app", "--allow-replace",
                  "kms:null_resource.rds-app", "--yes"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"rds-app plan", "rds-app show"}));
  EXPECT_EQ(p.masked(r.err),
            "stackctl apply on env 'dev':\n"
            "apply 1 layer (in dependency order)\n"
            "  apply  rds-app  [database]  protected (data)\n"
            "[1/1] rds-app apply refused +1 ~0 -1 <t>\n"
            "    refusing to apply rds-app (data): the plan deletes or replaces\n"
            "      - null_resource.rds-app (replace)\n"
            "    name each address with --allow-replace ADDR to allow it\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
}

TEST(AllowReplaceScope, AnUnknownLayerIsAUsageErrorWithDidYouMeanBeforeAnythingRuns) {
  Project p;
  auto r =
      p.run({"apply", "--env", "dev", "--allow-replace", "rds-ap:null_resource.rds-app", "--yes"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_EQ(p.masked(r.err),
            "stackctl: --allow-replace rds-ap:null_resource.rds-app: unknown layer 'rds-ap' (did "
            "you mean "
            "'rds-app'?)\n");
  EXPECT_FALSE(fs::exists(p.call_log()));
}

TEST(AllowReplaceScope, AScopedAddressThePlanDoesNotReplaceRefusesThatLayer) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  p.fault("rds-app", R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.rds-app"})");
  p.forget_calls();
  auto r = p.run({"apply", "--env", "dev", "--only", "rds-app", "--allow-replace",
                  "rds-app:null_resource.rds", "--allow-replace", "rds-app:null_resource.rds-app",
                  "--yes"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"rds-app plan", "rds-app show"}));
  EXPECT_EQ(
      p.masked(r.err),
      "stackctl apply on env 'dev':\n"
      "apply 1 layer (in dependency order)\n"
      "  apply  rds-app  [database]  protected (data)\n"
      "[1/1] rds-app apply refused +1 ~0 -1 <t>\n"
      "    refusing to apply rds-app: nothing the plan deletes or replaces matches\n"
      "      - --allow-replace rds-app:null_resource.rds\n"
      "    (the plan deletes or replaces null_resource.rds-app); correct or drop the address\n"
      "logs: <root>/.stackctl/dev/runs/<run>\n");
}

TEST(AllowReplaceScope, AScopedAddressForALayerWithoutChangesRefusesIt) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  p.forget_calls();
  auto r = p.run({"apply", "--env", "dev", "--only", "vpc", "--allow-replace",
                  "vpc:null_resource.vpc", "--yes"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan"}));
  EXPECT_EQ(p.masked(r.err),
            "stackctl apply on env 'dev':\n"
            "apply 1 layer (in dependency order)\n"
            "  apply  vpc  [network]  pinned: rds-app (data) depends on it\n"
            "[1/1] vpc apply refused +0 ~0 -0 <t>\n"
            "    refusing to apply vpc: nothing the plan deletes or replaces matches\n"
            "      - --allow-replace vpc:null_resource.vpc\n"
            "    (the plan deletes or replaces nothing); correct or drop the address\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
}

TEST(AllowReplaceScope, UnscopedAddressesKeepWorkingAndOneThatMatchesNothingIsAnError) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  p.fault("rds-app", R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.rds-app"})");
  p.ok({"apply", "--env", "dev", "--only", "rds-app", "--allow-replace", "null_resource.rds-app",
        "--yes"});
  auto r = p.run(
      {"apply", "--env", "dev", "--only", "vpc", "--allow-replace", "null_resource.typo", "--yes"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_EQ(
      p.masked(r.err),
      "stackctl apply on env 'dev':\n"
      "apply 1 layer (in dependency order)\n"
      "  apply  vpc  [network]  pinned: rds-app (data) depends on it\n"
      "[1/1] vpc apply ok +0 ~0 -0 <t>\n"
      "error: no plan of this run deletes or replaces what these name (they allowed nothing):\n"
      "  - --allow-replace null_resource.typo\n"
      "correct or drop the address, or scope it to its layer (LAYER:ADDR) to check it before that "
      "layer applies\n"
      "logs: <root>/.stackctl/dev/runs/<run>\n");
}

// --- retries of transient errors (env.yaml retry:) ------------------------------------------

namespace {

// The first of terragrunt's patterns the double's provider error matches: with (?s) its ".*" runs
// on past the error to the "-lock-timeout" that terragrunt's error summary quotes.
const char* kResetPattern = "(?s).*Error installing provider.*tcp.*timeout.*";

struct RetryProject : Project {
  explicit RetryProject(const std::string& retry) {
    write("envs/dev/env.yaml", "name: dev\nparallelism: 1\n" + retry);
  }
  std::vector<nlohmann::json> records(const std::string& type) const {
    std::vector<nlohmann::json> out;
    std::istringstream in(read(".stackctl/dev/journal.jsonl"));
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.value("type", "") == type) out.push_back(j);
    }
    return out;
  }
};

}  // namespace

TEST(Retries, ATransientPlanFailureIsTriedAgainShownAndJournaled) {
  RetryProject p("retry: {attempts: 3, sleep: 100ms}\n");
  p.fault("vpc", R"({"TERRAGRUNT_SIM_TRANSIENT_TIMES": "plan:1"})");
  auto r = p.ok({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "vpc plan", "vpc show", "vpc apply"}));
  EXPECT_EQ(p.masked(r.err),
            "stackctl apply on env 'dev':\n"
            "apply 1 layer (in dependency order)\n"
            "  apply  vpc  [network]  pinned: rds-app (data) depends on it\n"
            "retry vpc apply: plan failed (exit 1) with a transient error; try 2 of 3 in <t>\n"
            "    matched (?s).*Error installing provider.*tcp.*timeout.*\n"
            "[1/1] vpc apply ok +1 ~0 -0 <t>\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
  auto retries = p.records("layer_retry");
  ASSERT_EQ(retries.size(), 1u);
  EXPECT_EQ(retries[0]["layer"], "vpc");
  EXPECT_EQ(retries[0]["step"], "plan");
  EXPECT_EQ(retries[0]["attempt"], 2);
  EXPECT_EQ(retries[0]["attempts"], 3);
  EXPECT_EQ(retries[0]["pattern"], kResetPattern);
  EXPECT_EQ(retries[0]["exit_code"], 1);
  EXPECT_EQ(p.last_end("vpc")["result"], "ok");
  EXPECT_EQ(p.last_end("vpc")["retries"], 1);
}

TEST(Retries, AnApplyThatFailedBeforeAnyChangeIsTriedAgain) {
  RetryProject p("retry: {attempts: 2, sleep: 0s}\n");
  p.fault("vpc", R"({"TERRAGRUNT_SIM_TRANSIENT_TIMES": "apply:1"})");
  p.ok({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "vpc show", "vpc apply", "vpc apply"}));
}

TEST(Retries, WithoutRetryInEnvYamlATransientErrorFailsAtOnce) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_TRANSIENT_TIMES": "plan:1"})");
  p.ok({"apply", "--env", "dev", "--only", "vpc", "--yes"}, 1);
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan"}));
}

TEST(Retries, AnInterruptWhileALayerWaitsToRetryStopsTheRunAtOnce) {
  RetryProject p("retry: {attempts: 3, sleep: 1h}\n");
  p.fault("vpc", R"({"TERRAGRUNT_SIM_TRANSIENT": "plan:1"})");
  auto run = p.start({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  bool waiting = false;
  for (int i = 0; i < 300 && !waiting; ++i, ::usleep(100000))
    waiting = p.exists(".stackctl/dev/journal.jsonl") && !p.records("layer_retry").empty();
  ASSERT_TRUE(waiting) << "the retry was never journaled";
  const auto sent = std::chrono::steady_clock::now();
  run->signal(SIGINT);
  auto r = run->wait();
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan"}));
  EXPECT_EQ(p.last_end("vpc")["result"], "interrupted");
  EXPECT_EQ(p.last_end("vpc")["message"], "interrupted while waiting to retry plan");
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(Retries, AnInvalidPatternIsAnEnvErrorWithItsLine) {
  RetryProject p("retry:\n  patterns: [\"(unclosed\"]\n");
  auto r = p.run({"plan", "--env", "dev"});
  EXPECT_EQ(r.exit_code, 65) << r.err;
  EXPECT_EQ(p.masked(r.err),
            "stackctl: <root>/envs/dev/env.yaml:4: retry: pattern '(unclosed' is not a regular "
            "expression: "
            "Mismatched '(' and ')' in regular expression\n");
  EXPECT_FALSE(fs::exists(p.call_log()));
}

// --- plan and drift share the env lock -----------------------------------------------------

TEST(Locks, PlansRunTogetherAndAnApplyOrUnlockIsRefusedWhileOneHolds) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "plan:4"})");
  auto slow = p.start({"plan", "--env", "dev", "--only", "vpc"});
  ASSERT_TRUE(p.wait_working("vpc"));
  auto other = p.run({"plan", "--env", "dev", "--only", "kms"});
  EXPECT_EQ(other.exit_code, 0) << other.err;
  auto drift = p.run({"drift", "--env", "dev", "--only", "kms"});
  EXPECT_EQ(drift.exit_code, 2) << drift.err;  // kms never applied: it has changes
  auto apply = p.run({"apply", "--env", "dev", "--only", "kms", "--yes", "--lock-timeout", "0s"});
  EXPECT_EQ(apply.exit_code, 4) << apply.err;
  // Who holds it: user@host of this machine, the pid of the slow plan, its command line.
  const auto masked = [&p](const std::string& text) {
    return std::regex_replace(p.masked(text), std::regex(R"(held by [^ ]+@[^ ]+ \(pid )"),
                              "held by <who> (pid ");
  };
  const std::string holder = "held by <who> (pid " + std::to_string(slow->pid()) + ") running '" +
                             std::string(STACKCTL_BIN) + " plan --env dev --only vpc' since <when>";
  EXPECT_EQ(masked(apply.err),
            "stackctl apply on env 'dev':\n"
            "apply 1 layer (in dependency order)\n"
            "  apply  kms  [encryption]  protected (data)\n"
            "stackctl: env 'dev' is locked: 1 shared holder: " +
                holder +
                "; wait for them, or run 'stackctl unlock --env dev --force' if they are gone\n");
  auto status = p.run({"status", "--env", "dev"});
  EXPECT_EQ(masked(status.out),
            "last run <run>: drift started <when>, ok at <when>\n"
            "\n"
            "shared lock: " +
                holder +
                "\n"
                "\n"
                "LAYER    ACTION   RESULT       WHEN                  CHANGES\n"
                "kms      plan     ok           <when>  +1 ~0 -0 outputs 1\n"
                "vpc      -\n"
                "sg-db    -\n"
                "rds-app  -\n"
                "app      -\n");
  auto status_doc =
      nlohmann::json::parse(p.run({"--output", "json", "status", "--env", "dev"}).out);
  EXPECT_EQ(status_doc["lock"]["held_by"], nullptr);
  ASSERT_EQ(status_doc["lock"]["shared"].size(), 1u);
  EXPECT_EQ(status_doc["lock"]["shared"][0]["gone"], false);
  auto unlock = p.run({"unlock", "--env", "dev"});
  EXPECT_EQ(unlock.exit_code, 4) << unlock.err;
  EXPECT_EQ(masked(unlock.err),
            "stackctl: env 'dev' is locked by 1 shared holder:\n"
            "  - " +
                holder +
                " (shared)\n"
                "pass --force to remove them anyway\n");
  auto r = slow->wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_empty(p.root() / ".stackctl/dev/lock.shared")) << "every shared holder left";
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  p.ok({"apply", "--env", "dev", "--only", "kms", "--yes"});
}
