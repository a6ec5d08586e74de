// End to end: destroy of what is already gone, apply --plan-dir and --allow-replace at their
// edges, retries of transient errors and the shared lock of plan and drift, with the built
// stackctl against terragrunt-sim in a temporary project.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
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
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

// --- destroy is idempotent ---------------------------------------------------------------

// terragrunt exits 0 without running terraform when a prompt is answered no (or an exclude
// block stops the unit): the layer fails, is journaled failed, and the next destroy runs it
// again instead of skipping it as "not applied".
TEST(SuccessThatDidNotHappen, ADestroyTerragruntStoppedBeforeTerraformFailsAndTheNextDestroyRunsItAgain) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "vpc,app", "--yes"});
  p.fault("app", R"({"TERRAGRUNT_SIM_REFUSE": "destroy:1"})");
  p.forget_calls();
  auto declined = p.ok({"destroy", "--env", "dev", "--only", "app", "--yes"}, 1);
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"}));
  const std::string why =
      "destroy exited 0, but terraform never printed 'Destroy complete!': terragrunt stopped before running it "
      "(a prompt answered no, a unit it skips); it is not counted as destroyed";
  EXPECT_NE(declined.err.find("app destroy failed"), std::string::npos) << declined.err;
  EXPECT_NE(declined.err.find("    " + why + "\n"), std::string::npos) << declined.err;
  EXPECT_EQ(p.last_end("app")["result"], "failed");
  EXPECT_EQ(p.last_end("app")["message"], why);
  p.fault("app", "{}");
  p.forget_calls();
  auto again = p.ok({"destroy", "--env", "dev", "--yes"});
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"})) << again.err;
  EXPECT_EQ(p.last_end("app")["result"], "ok");
  EXPECT_EQ(p.last_end("app").value("message", ""), "");
}

TEST(SuccessThatDidNotHappen, AnApplyTerragruntStoppedBeforeTerraformFailsAndItsDependentsDoNotStart) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_REFUSE": "apply:1"})");
  auto r = p.ok({"apply", "--env", "dev", "--only", "vpc,app", "--yes"}, 1);
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "vpc show", "vpc apply"}));
  EXPECT_NE(r.err.find("    apply exited 0, but terraform never printed 'Apply complete!': terragrunt stopped "
                       "before running it (a prompt answered no, a unit it skips); it is not counted as applied\n"),
            std::string::npos)
      << r.err;
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
  EXPECT_NE(r.err.find("app destroy ok"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("    " + std::string(kAlreadyGone) + "\n"), std::string::npos) << r.err;
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
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc show", "db show", "app show", "db destroy"}))
      << "app, which the journal shows gone and whose state cannot be read without db's outputs, is not run";
  EXPECT_NE(r.err.find("db destroy ok"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("    already gone: the journal shows it holds nothing, and terragrunt cannot read the "
                       "outputs of its dependencies, which hold nothing either\n"),
            std::string::npos)
      << r.err;
}

TEST(DestroyIdempotent, WithoutAJournalToSaySoADependencyWithoutOutputsFailsTheDestroyWithTheFix) {
  stackctl::testing::Scenario p;
  p.chain_of_three();
  auto r = p.run({"destroy", "--env", "dev", "--only", "app", "--yes"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("    destroy failed: exit 1\n"
                       "    terragrunt cannot read the outputs of a dependency that holds nothing; if app holds "
                       "nothing too it is already gone; to let terragrunt destroy it anyway, add \"destroy\" to "
                       "mock_outputs_allowed_terraform_commands of its dependency blocks\n"),
            std::string::npos)
      << r.err;
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
    EXPECT_EQ(r.err, "stackctl: 2 layers to apply have no saved plan in " + dir +
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
  EXPECT_EQ(summary["not_saved"], nlohmann::json::parse(R"([{"name": "sg-db", "result": "failed"}])"));
  p.forget_calls();
  auto r = p.run({"apply", "--env", "dev", "--plan-dir", "plans", "--yes"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("stackctl: a layer to apply has no saved plan in " + (p.root() / "plans").string() +
                       " (it holds kms, vpc):\n  - sg-db: the plan run " +
                       summary["run_id"].get<std::string>() + " ended it failed\n"),
            std::string::npos)
      << r.err;
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
  p.ok({"apply", "--env", "dev", "--only", "rds-app", "--allow-replace", "rds-app:null_resource.rds-app",
        "--yes"});
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
  EXPECT_NE(r.err.find("refusing to apply rds-app (data): the plan deletes or replaces\n"
                       "      - null_resource.rds-app (replace)\n"),
            std::string::npos)
      << r.err;
}

TEST(AllowReplaceScope, AnUnknownLayerIsAUsageErrorWithDidYouMeanBeforeAnythingRuns) {
  Project p;
  auto r = p.run({"apply", "--env", "dev", "--allow-replace", "rds-ap:null_resource.rds-app", "--yes"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("stackctl: --allow-replace rds-ap:null_resource.rds-app: unknown layer 'rds-ap' "
                       "(did you mean 'rds-app'?)\n"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
}

TEST(AllowReplaceScope, AScopedAddressThePlanDoesNotReplaceRefusesThatLayer) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  p.fault("rds-app", R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.rds-app"})");
  p.forget_calls();
  auto r = p.run({"apply", "--env", "dev", "--only", "rds-app", "--allow-replace",
                  "rds-app:null_resource.rds", "--allow-replace", "rds-app:null_resource.rds-app", "--yes"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"rds-app plan", "rds-app show"}));
  EXPECT_NE(r.err.find("refusing to apply rds-app: nothing the plan deletes or replaces matches\n"
                       "      - --allow-replace rds-app:null_resource.rds\n"
                       "    (the plan deletes or replaces null_resource.rds-app); correct or drop the address\n"),
            std::string::npos)
      << r.err;
}

TEST(AllowReplaceScope, AScopedAddressForALayerWithoutChangesRefusesIt) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  p.forget_calls();
  auto r = p.run({"apply", "--env", "dev", "--only", "vpc", "--allow-replace", "vpc:null_resource.vpc", "--yes"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan"}));
  EXPECT_NE(r.err.find("(the plan deletes or replaces nothing); correct or drop the address"), std::string::npos)
      << r.err;
}

TEST(AllowReplaceScope, UnscopedAddressesKeepWorkingAndOneThatMatchesNothingIsAnError) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  p.fault("rds-app", R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.rds-app"})");
  p.ok({"apply", "--env", "dev", "--only", "rds-app", "--allow-replace", "null_resource.rds-app", "--yes"});
  auto r = p.run({"apply", "--env", "dev", "--only", "vpc", "--allow-replace", "null_resource.typo", "--yes"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("no plan of this run deletes or replaces what these name (they allowed nothing):\n"
                       "  - --allow-replace null_resource.typo\n"),
            std::string::npos)
      << r.err;
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
  EXPECT_NE(r.err.find("retry vpc apply: plan failed (exit 1) with a transient error; try 2 of 3 in 0.1s\n"
                       "    matched " + std::string(kResetPattern) + "\n"),
            std::string::npos)
      << r.err;
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
  EXPECT_NE(r.err.find("envs/dev/env.yaml:4: retry: pattern '(unclosed' is not a regular expression: "),
            std::string::npos)
      << r.err;
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
  EXPECT_NE(apply.err.find("stackctl: env 'dev' is locked: 1 shared holder: held by "), std::string::npos) << apply.err;
  EXPECT_NE(apply.err.find(" plan --env dev --only vpc' since "), std::string::npos) << apply.err;
  auto status = p.run({"status", "--env", "dev"});
  EXPECT_NE(status.out.find("shared lock: held by "), std::string::npos) << status.out;
  auto status_doc = nlohmann::json::parse(p.run({"--output", "json", "status", "--env", "dev"}).out);
  EXPECT_EQ(status_doc["lock"]["held_by"], nullptr);
  ASSERT_EQ(status_doc["lock"]["shared"].size(), 1u);
  EXPECT_EQ(status_doc["lock"]["shared"][0]["gone"], false);
  auto unlock = p.run({"unlock", "--env", "dev"});
  EXPECT_EQ(unlock.exit_code, 4) << unlock.err;
  EXPECT_NE(unlock.err.find("env 'dev' is locked by 1 shared holder:\n  - held by "), std::string::npos) << unlock.err;
  auto r = slow->wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_empty(p.root() / ".stackctl/dev/lock.shared")) << "every shared holder left";
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  p.ok({"apply", "--env", "dev", "--only", "kms", "--yes"});
}
