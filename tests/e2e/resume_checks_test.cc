// End to end: `resume` takes from the journal only where to continue and checks everything
// again as the command it resumes would: a hand-edited journal widens nothing, a destroy waits
// for its applied dependents, a confirm: true env needs its name, and saved plans pass every
// start check of `apply --plan-dir` again (docs/reliability.md, class 5).
#include <gtest/gtest.h>

#include <algorithm>

#include <fstream>

#include <nlohmann/json.hpp>

#include "support/data_stack.h"

using stackctl::testing::Outcome;
using Calls = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

struct Project : stackctl::testing::DataStack {
  explicit Project(const std::string& env_extra = "") {
    if (!env_extra.empty()) env("dev", "name: dev\nparallelism: 1\n" + env_extra);
  }
  Outcome ok(const std::vector<std::string>& args, int code = 0) const {
    Outcome r = run(args);
    EXPECT_EQ(r.exit_code, code) << r.err;
    return r;
  }
  /// Appends a run_start of `command` with `phases` (action and layers) and nothing after it,
  /// as a hand-edited journal has it.
  void unfinished_run(const std::string& run_id, const std::string& command,
                      const nlohmann::json& phases) const {
    const nlohmann::json start = {{"type", "run_start"},
                                  {"run_id", run_id},
                                  {"time", "2026-12-01T10:00:00Z"},
                                  {"argv", {"stackctl", command, "--env", "dev"}},
                                  {"command", command},
                                  {"env", "dev"},
                                  {"options", nlohmann::json::object()},
                                  {"phases", phases}};
    std::ofstream(root() / ".stackctl/dev/journal.jsonl", std::ios::app) << start.dump() << "\n";
  }
  std::string plans() const { return (root() / "plans").string(); }
  /// The run id of the last run_start in the journal.
  std::string last_run_id() const {
    std::string id;
    std::ifstream in(root() / ".stackctl/dev/journal.jsonl");
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line);
      if (j.value("type", "") == "run_start") id = j.value("run_id", "");
    }
    return id;
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST(ResumeChecks, AHandEditedDestroyWidenedToADataLayerIsRefusedLikeTheDestroyItself) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  // What `destroy --only kms` says of kms is what the resume of the widened run says.
  const std::string protected_kms =
      "  - kms is protected (data); name it with --allow-destroy kms to destroy it\n";
  Outcome direct = p.ok({"destroy", "--env", "dev", "--only", "kms", "--yes"}, 3);
  EXPECT_TRUE(contains(direct.err, protected_kms)) << direct.err;
  p.clear_calls();
  p.unfinished_run("r-widened", "destroy", {{{"action", "destroy"}, {"layers", {"app", "kms"}}}});
  Outcome r = p.ok({"resume", "--env", "dev", "--yes"}, 3);
  EXPECT_EQ(
      r.err,
      "stackctl: refusing to destroy: the selection includes layers that must not be destroyed\n" +
          protected_kms + "nothing was started\n");
  EXPECT_FALSE(fs::exists(p.call_log())) << "nothing ran, app included";
  // Naming kms allows its protection, never its pinning under rds-app: still refused.
  Outcome allowed = p.ok({"resume", "--env", "dev", "--yes", "--allow-destroy", "kms"}, 3);
  EXPECT_EQ(
      allowed.err,
      "stackctl: refusing to destroy: the selection includes layers that must not be destroyed\n"
      "  - kms is pinned: rds-app (data) depends on it\n"
      "nothing was started\n");
  EXPECT_FALSE(fs::exists(p.call_log()));
}

TEST(ResumeChecks, PhasesThatDoNotFitTheRecordedCommandAreRefusedNamingThem) {
  struct Case {
    std::string command;
    nlohmann::json phases;
    std::string named;
  };
  const std::vector<Case> cases = {
      {"destroy",
       {{{"action", "apply"}, {"layers", {"app"}}}},
       "command 'destroy' with phases apply"},
      {"apply",
       {{{"action", "destroy"}, {"layers", {"app"}}}},
       "command 'apply' with phases destroy"},
      {"rebuild",
       {{{"action", "destroy"}, {"layers", {"app"}}}},
       "command 'rebuild' with phases destroy"},
      {"apply",
       {{{"action", "apply"}, {"layers", {"app"}}}, {{"action", "apply"}, {"layers", {"vpc"}}}},
       "command 'apply' with phases apply, apply"},
      {"apply", {{{"action", "plan"}, {"layers", {"app"}}}}, "command 'apply' with phases plan"},
      {"import",
       {{{"action", "apply"}, {"layers", {"app"}}}},
       "command 'import' with phases apply"},
      {"apply", nlohmann::json::array(), "command 'apply' with phases none"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.named);
    Project p;
    p.ok({"apply", "--env", "dev", "--yes"});
    p.clear_calls();
    p.unfinished_run("r-edited", c.command, c.phases);
    Outcome r = p.ok({"resume", "--env", "dev", "--yes"}, 3);
    EXPECT_EQ(
        r.err,
        "stackctl: cannot resume run r-edited: its journal record does not match a run stackctl "
        "makes (" +
            c.named + "); nothing was started\n");
    EXPECT_FALSE(fs::exists(p.call_log())) << "nothing ran";
  }
}

TEST(ResumeChecks, AResumedDestroyIsRefusedWhileALayerThatDependsOnItIsStillApplied) {
  Project p;
  p.manifest(
      "version: 1\nlayers:\n  - name: vpc\n  - name: app\n    depends_on: [vpc]\n"
      "  - name: cdn\n    depends_on: [app]\n");
  p.layer_hcl("dev", "cdn", {"app"});
  p.ok({"apply", "--env", "dev", "--yes"});
  p.clear_calls();
  // The journal says the interrupted destroy was to take vpc only; app and cdn stand on it.
  p.unfinished_run("r-narrowed", "destroy", {{{"action", "destroy"}, {"layers", {"vpc"}}}});
  Outcome r = p.ok({"resume", "--env", "dev", "--yes"}, 3);
  EXPECT_EQ(r.err,
            "stackctl: cannot resume run r-narrowed: layers that depend on what it would destroy "
            "are still "
            "applied\n  - app\n  - cdn\ndestroy them first (stackctl destroy --only LAYER); "
            "nothing was started\n");
  EXPECT_FALSE(fs::exists(p.call_log())) << "nothing ran";
  // Once they are gone, the same resume destroys vpc.
  p.ok({"destroy", "--env", "dev", "--only", "app", "--yes"});
  p.clear_calls();
  p.unfinished_run("r-narrowed-2", "destroy", {{{"action", "destroy"}, {"layers", {"vpc"}}}});
  Outcome resumed = p.ok({"resume", "--env", "dev", "--yes"});
  EXPECT_TRUE(contains(resumed.err, "resuming run r-narrowed-2\n")) << resumed.err;
  // app and cdn, which the journal shows destroyed, are read first: they must not still hold
  // resources that stand on vpc; again right before vpc's destroy starts. Each pair is read at
  // once, in no set order.
  Calls calls = p.call_sequence();
  ASSERT_EQ(calls.size(), 5u) << ::testing::PrintToString(calls);
  std::sort(calls.begin(), calls.begin() + 2);
  std::sort(calls.begin() + 2, calls.begin() + 4);
  EXPECT_EQ(calls, (Calls{"app show", "cdn show", "app show", "cdn show", "vpc destroy"}));
}

TEST(ResumeChecks, ResumingADestroyInAConfirmTrueEnvNeedsTheEnvNameLikeTheDestroy) {
  Project p("confirm: true\n");
  p.ok({"apply", "--env", "dev", "--yes"});
  p.fault("app", R"({"TERRAGRUNT_SIM_FAIL": "destroy"})");
  p.clear_calls();
  p.ok({"destroy", "--env", "dev", "--yes", "--confirm-env", "dev"}, 1);
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"}));
  fs::remove(p.root() / "envs/dev/app/.terragrunt-sim/faults.json");
  p.clear_calls();
  const std::string refusal =
      "stackctl: env 'dev' has confirm: true: pass --yes --confirm-env dev to destroy it without a "
      "terminal\n";
  Outcome plain = p.ok({"resume", "--env", "dev", "--yes"}, 3);
  EXPECT_TRUE(contains(plain.err, refusal)) << plain.err;
  Outcome wrong = p.ok({"resume", "--env", "dev", "--yes", "--confirm-env", "prod"}, 3);
  EXPECT_TRUE(contains(wrong.err, refusal)) << wrong.err;
  EXPECT_FALSE(fs::exists(p.call_log())) << "nothing ran";
  Outcome resumed = p.ok({"resume", "--env", "dev", "--yes", "--confirm-env", "dev"});
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"}));
}

// A run of `apply --plan-dir plans` over kms and vpc that failed at kms: vpc was never applied.
struct SavedPlanRun : Project {
  SavedPlanRun() {
    ok({"plan", "--env", "dev", "--only", "kms,vpc", "--out-dir", "plans"});
    fault("kms", R"({"TERRAGRUNT_SIM_FAIL": "apply"})");
    ok({"apply", "--env", "dev", "--plan-dir", "plans", "--yes"}, 1);
    run_id = last_run_id();
    fs::remove(root() / "envs/dev/kms/.terragrunt-sim/faults.json");
    clear_calls();
  }
  std::string run_id;
};

TEST(ResumeChecks, ResumingAnApplyOfSavedPlansRefusesAFolderThatNowHoldsAnotherEnvsPlans) {
  SavedPlanRun p;
  auto summary = nlohmann::json::parse(p.read("plans/summary.json"));
  summary["env"] = "prod";
  p.write("plans/summary.json", summary.dump(2));
  Outcome r = p.ok({"resume", "--env", "dev", "--yes"}, 3);
  EXPECT_TRUE(contains(
      r.err,
      "stackctl: --plan-dir plans holds plans for env 'prod', not 'dev'; nothing was started\n"))
      << r.err;
  EXPECT_FALSE(fs::exists(p.call_log())) << "nothing ran";
}

TEST(ResumeChecks, ResumingAnApplyOfSavedPlansRefusesALayerLeftWhosePlanIsNoLongerSaved) {
  SavedPlanRun p;
  // The folder was planned again for kms alone: vpc, still to apply, has no plan there.
  p.ok({"plan", "--env", "dev", "--only", "kms", "--out-dir", "plans"});
  const std::string kms_only =
      nlohmann::json::parse(p.read("plans/summary.json")).value("run_id", "");
  p.clear_calls();
  Outcome r = p.ok({"resume", "--env", "dev", "--yes"}, 64);
  EXPECT_TRUE(contains(r.err, "stackctl: a layer to apply has no saved plan in " + p.plans() +
                                  " (it holds kms):\n  - vpc: not planned by run " + kms_only +
                                  "\nplan them with 'stackctl plan --env dev --out-dir " +
                                  p.plans() +
                                  "', or leave them out of the selection; nothing was started\n"))
      << r.err;
  EXPECT_FALSE(fs::exists(p.call_log())) << "kms was not applied either";
}

TEST(ResumeChecks, ResumingAnApplyOfSavedPlansRefusesAMissingPlanFile) {
  SavedPlanRun p;
  fs::remove(p.root() / "plans/vpc.tfplan");
  Outcome r = p.ok({"resume", "--env", "dev", "--yes"}, 64);
  EXPECT_TRUE(contains(r.err, "stackctl: the saved plan of vpc is missing: " + p.plans() +
                                  "/vpc.tfplan; plan again\n"))
      << r.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
}

TEST(ResumeChecks, ResumingAnApplyOfSavedPlansThatStillPassesItsChecksAppliesWhatIsLeft) {
  SavedPlanRun p;
  Outcome r = p.ok({"resume", "--env", "dev", "--yes"});
  EXPECT_TRUE(contains(r.err, "resuming run " + p.run_id + "\n")) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"kms show", "kms apply", "vpc show", "vpc apply"}));
}
