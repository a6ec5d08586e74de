// End to end: what is applied is decided from the real state, not from one checkout's journal.
// A second checkout (its own --state-dir, as a laptop beside a CI job) has a journal that knows
// only what it ran itself; before a destroy, rebuild or drift it reads the state of the layers
// its journal would skip or would not count, so it destroys what another checkout applied and a
// disabled data layer that still holds resources keeps pinning what it stands on.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>

#include <nlohmann/json.hpp>

#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Calls = std::vector<std::string>;

namespace {

// vpc, app -> vpc, rds (data) -> vpc; one layer at a time so the calls have one order.
struct TwoCheckouts : Scenario {
  TwoCheckouts() {
    manifest(
        "version: 1\nlayers:\n  - name: vpc\n  - name: app\n    depends_on: [vpc]\n"
        "  - name: rds\n    depends_on: [vpc]\n    protect: data\n");
    env("dev", "name: dev\nparallelism: 1\n");
    layer_hcl("dev", "vpc", {});
    layer_hcl("dev", "app", {"vpc"});
    layer_hcl("dev", "rds", {"vpc"});
  }
  // The CI job applies everything; the laptop applies vpc only, so its journal says app and rds
  // were never applied.
  void applied_by_ci_and_vpc_by_the_laptop() const {
    ASSERT_EQ(run({"--state-dir", "ci-state", "apply", "--env", "dev", "--yes"}).exit_code, 0);
    ASSERT_EQ(laptop({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);
    clear_calls();
  }
  Outcome laptop(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--state-dir", "laptop-state"});
    return run(args);
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST(RealState, ADestroyFromAnotherCheckoutDestroysWhatTheJournalDoesNotKnowBeforeItsDependency) {
  TwoCheckouts p;
  p.applied_by_ci_and_vpc_by_the_laptop();
  // rds is switched off here, but still holds its data: it pins vpc.
  p.env("dev", "name: dev\nparallelism: 1\ndisable: [rds]\n");
  Outcome r = p.laptop({"destroy", "--env", "dev", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "stackctl destroy on env 'dev':\n"
                       "destroy 1 layer (dependents first)\n"
                       "  destroy  app\n"
                       "kept 2 layers:\n"
                       "  keep     vpc  pinned by rds (disabled, still applied)\n"
                       "  keep     rds  protected (data; disabled, still applied)\n"))
      << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"app show", "rds show", "app destroy"}));
  EXPECT_TRUE(p.exists("envs/dev/vpc/.terragrunt-sim/state.json"));
}

TEST(RealState, ALayerWhoseStateIsEmptyIsSkippedAndSaysSo) {
  TwoCheckouts p;
  ASSERT_EQ(p.laptop({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);
  p.clear_calls();
  Outcome r = p.laptop({"destroy", "--env", "dev", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // rds is enabled: it pins vpc whether it holds its data yet or not.
  EXPECT_TRUE(contains(r.err,
                       "stackctl destroy on env 'dev':\n"
                       "destroy 0 layers (dependents first)\n"
                       "  skip     app  not applied (its state is empty)\n"
                       "kept 2 layers:\n"
                       "  keep     vpc  pinned: rds (data) depends on it\n"
                       "  keep     rds  protected (data)\n"))
      << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"app show"})) << "rds, kept whatever it holds, is not read";
}

TEST(RealState, AStateThatCannotBeReadCountsAsAppliedWithAWarning) {
  TwoCheckouts p;
  p.applied_by_ci_and_vpc_by_the_laptop();
  p.fault("app", R"({"TERRAGRUNT_SIM_FAIL": "show"})");
  Outcome r = p.laptop({"destroy", "--env", "dev", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "warning: cannot read the state of app (exit 1: Error: Simulated failure of "
                       "terraform show): it counts as applied\n"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "destroy 1 layer (dependents first)\n  destroy  app\n")) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"app show", "app destroy"}));
}

TEST(RealState, DriftPlansTheLayersAnotherCheckoutApplied) {
  TwoCheckouts p;
  p.applied_by_ci_and_vpc_by_the_laptop();
  Outcome r = p.laptop({"drift", "--env", "dev"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "plan 3 layers (in any order)\n")) << r.err;
  EXPECT_FALSE(contains(r.err, "not applied")) << r.err;
}

TEST(RealState, ADryRunGoesByTheJournalAndSaysSo) {
  TwoCheckouts p;
  p.applied_by_ci_and_vpc_by_the_laptop();
  Outcome r = p.laptop({"destroy", "--env", "dev", "--yes", "--dry-run", "--allow-destroy", "rds"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "  skip     app  not applied (per the journal)\n")) << r.err;
  EXPECT_EQ(p.call_sequence(), Calls{});
}

// Ctrl-C while a state is read: nothing else starts, no lock or run is left, and the one JSON
// document says why.
TEST(RealState, CtrlCWhileAStateIsReadStopsTheCommandBeforeAnythingStarts) {
  TwoCheckouts p;
  p.applied_by_ci_and_vpc_by_the_laptop();
  p.fault("app", R"({"TERRAGRUNT_SIM_SLEEP": "show:30"})");
  auto bg = p.start(
      {"--state-dir", "laptop-state", "--output", "json", "destroy", "--env", "dev", "--yes"});
  ASSERT_GT(stackctl::testing::tofu_running(p.root() / "envs/dev/app", "show"), 0)
      << "app's show never ran";
  bg->signal(SIGINT, true);
  Outcome r = bg->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  const auto doc = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_EQ(doc,
            (nlohmann::json{
                {"command", "destroy"},
                {"env", "dev"},
                {"run_id", ""},
                {"success", false},
                {"exit_code", 130},
                {"layers", nlohmann::json::array()},
                {"errors",
                 {"interrupted (SIGINT) while reading the state of app; nothing was started"}}}))
      << r.out;
  EXPECT_EQ(p.call_sequence(), (Calls{"app show"}));
  EXPECT_FALSE(p.exists("laptop-state/dev/lock"));
}

namespace {

// vpc, app -> vpc, web -> vpc; this checkout applied vpc and web, never app.
struct AppNeverApplied : Scenario {
  AppNeverApplied() {
    manifest(
        "version: 1\nlayers:\n  - name: vpc\n  - name: app\n    depends_on: [vpc]\n"
        "  - name: web\n    depends_on: [vpc]\n");
    env("dev", "name: dev\nparallelism: 1\n");
    layer_hcl("dev", "vpc", {});
    layer_hcl("dev", "app", {"vpc"});
    layer_hcl("dev", "web", {"vpc"});
    EXPECT_EQ(run({"apply", "--env", "dev", "--only", "vpc,web", "--yes"}).exit_code, 0);
    clear_calls();
  }
};

}  // namespace

// The preview skipped app (its state was empty); while web was destroyed, another checkout
// applied app. Right before vpc's destroy starts, app's state is read again: vpc is refused.
TEST(RealState, ADependentFilledByAnotherCheckoutAfterThePreviewRefusesTheDestroyOfItsDependency) {
  AppNeverApplied p;
  p.fault("web", R"({"TERRAGRUNT_SIM_SLEEP": "destroy:15"})");
  auto bg = p.start({"destroy", "--env", "dev", "--yes"});
  ASSERT_GT(stackctl::testing::tofu_running(p.root() / "envs/dev/web", "destroy"), 0)
      << "web's destroy never ran";
  ASSERT_EQ(p.run({"--state-dir", "ci-state", "apply", "--env", "dev", "--only", "app", "--yes"})
                .exit_code,
            0);
  Outcome r = bg->wait();
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "  skip     app  not applied (its state is empty)\n")) << r.err;
  EXPECT_TRUE(contains(r.out + r.err,
                       "refused: app now holds resources (its state was empty at the preview); "
                       "nothing of vpc was destroyed"))
      << r.out << r.err;
  const Calls calls = p.call_sequence();
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "vpc destroy"), 0)
      << ::testing::PrintToString(calls);
  EXPECT_TRUE(p.exists("envs/dev/vpc/.terragrunt-sim/state.json"));
}

// A second run in this checkout applied app while this destroy waited for the lock: the phases
// planned again destroy app too, so the destroy is refused before anything starts.
TEST(RealState, ARunJournaledWhileADestroyWaitedForTheLockRefusesItWhenThePhasesNowDiffer) {
  AppNeverApplied p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "plan:20"})");  // long enough for the destroy's
                                                             // preview on a loaded machine
  auto apply = p.start({"apply", "--env", "dev", "--yes"});
  ASSERT_GT(stackctl::testing::tofu_running(p.root() / "envs/dev/vpc", "plan"), 0)
      << "vpc's plan never ran";
  auto destroy = p.start({"destroy", "--env", "dev", "--yes", "--lock-timeout", "2m"});
  EXPECT_TRUE(p.wait_for_call("app show")) << "the destroy's preview never read app";
  EXPECT_EQ(apply->wait().exit_code, 0);
  Outcome r = destroy->wait();
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "  skip     app  not applied (its state is empty)\n")) << r.err;
  EXPECT_TRUE(contains(r.err, "refused: the journal changed since the preview (run ")) << r.err;
  EXPECT_TRUE(contains(r.err,
                       " (apply)), and this run would now differ from it:\n"
                       "  - destroy: app would now be destroyed (the preview skipped it)\n"
                       "nothing was started; run the command again to see the new preview"))
      << r.err;
  const Calls calls = p.call_sequence();
  EXPECT_EQ(
      std::count_if(calls.begin(), calls.end(),
                    [](const std::string& c) { return c.find(" destroy") != std::string::npos; }),
      0)
      << ::testing::PrintToString(calls);
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

// Two states read at once (parallelism 2): Ctrl-C stops both reads and names both layers.
TEST(RealState, CtrlCDuringParallelStateReadsStopsEveryReadAndStartsNothing) {
  AppNeverApplied p;
  p.run({"destroy", "--env", "dev", "--only", "web", "--yes"});
  p.clear_calls();
  p.env("dev", "name: dev\nparallelism: 2\n");
  p.fault("app", R"({"TERRAGRUNT_SIM_SLEEP": "show:30"})");
  p.fault("web", R"({"TERRAGRUNT_SIM_SLEEP": "show:30"})");
  auto bg = p.start({"destroy", "--env", "dev", "--yes"});
  ASSERT_GT(stackctl::testing::tofu_running(p.root() / "envs/dev/app", "show"), 0)
      << "app's show never ran";
  ASSERT_GT(stackctl::testing::tofu_running(p.root() / "envs/dev/web", "show"), 0)
      << "web's show never ran beside it";
  bg->signal(SIGINT, true);
  Outcome r = bg->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_TRUE(contains(
      r.err, "interrupted (SIGINT) while reading the state of app, web; nothing was started"))
      << r.err;
  Calls calls = p.call_sequence();
  std::sort(calls.begin(), calls.end());  // read at once, in no set order
  EXPECT_EQ(calls, (Calls{"app show", "web show"}));
  EXPECT_TRUE(p.exists("envs/dev/vpc/.terragrunt-sim/state.json"));
}

// A plan ran while the destroy waited for the lock: the journal changed, the phases planned
// again did not, and the destroy goes on.
TEST(RealState, ARunJournaledWhileADestroyWaitedForTheLockLetsItGoOnWhenThePhasesAreTheSame) {
  AppNeverApplied p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "plan:5"})");
  auto plan = p.start({"plan", "--env", "dev", "--only", "vpc"});
  ASSERT_GT(stackctl::testing::tofu_running(p.root() / "envs/dev/vpc", "plan"), 0)
      << "vpc's plan never ran";
  auto destroy = p.start({"destroy", "--env", "dev", "--yes", "--lock-timeout", "2m"});
  EXPECT_TRUE(p.wait_for_call("app show")) << "the destroy's preview never read app";
  EXPECT_EQ(plan->wait().exit_code, 0);
  Outcome r = destroy->wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "refused")) << r.err;
  const Calls calls = p.call_sequence();
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "web destroy"), 1)
      << ::testing::PrintToString(calls);
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "vpc destroy"), 1)
      << ::testing::PrintToString(calls);
}
