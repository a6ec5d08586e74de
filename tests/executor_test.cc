// Scheduler-and-task scenarios over a fake runner: exact child sequences, no processes.
#include <gtest/gtest.h>

#include <csignal>

#include "stackctl/executor.h"
#include "support/fake_runner.h"
#include "support/stack_fixture.h"

using namespace stackctl;
using stackctl::testing::FakeRunner;
using stackctl::testing::plan_json;
using stackctl::testing::StackFixture;
using Calls = std::vector<std::string>;

namespace {

const char* kChain = R"(version: 1
layers:
  - name: kms
    protect: data
  - name: vpc
  - name: sg-db
    depends_on: [vpc]
  - name: rds-app
    depends_on: [sg-db, kms]
    protect: data
  - name: app
    depends_on: [vpc]
)";

struct Harness {
  explicit Harness(const char* manifest = kChain, std::string env = "name: test\n")
      : fx(manifest, env) {
    settings.call.binary = "terragrunt";
    settings.log_dir = "/tmp/logs";
    settings.plan_dir = "/tmp/plans";
  }
  RunResult run(Action action, std::vector<std::string> names, std::size_t parallelism = 1,
                bool keep_going = false) {
    Phase phase{action, {}};
    for (const auto& n : names) phase.layers.push_back(fx.at(n));
    Executor exec(fx.stack, *fx.graph, runner, settings, {});
    ExecOptions opts;
    opts.parallelism = parallelism;
    opts.keep_going = keep_going;
    return exec.run({phase}, opts);
  }
  Outcome outcome(const RunResult& r, const std::string& name) {
    for (const auto& l : r.layers)
      if (fx.stack.layer(l.layer).name == name) return l.outcome;
    return Outcome::NotRun;
  }
  StackFixture fx;
  FakeRunner runner;
  TaskSettings settings;
};

}  // namespace

TEST(Executor, ApplyOneAtATimeRunsPlanShowApplyInManifestOrder) {
  Harness h;
  RunResult r = h.run(Action::Apply, {"kms", "vpc", "sg-db", "rds-app", "app"});
  EXPECT_EQ(h.runner.started,
            (Calls{"kms plan", "kms show", "kms apply", "vpc plan", "vpc show", "vpc apply",
                   "sg-db plan", "sg-db show", "sg-db apply", "rds-app plan", "rds-app show",
                   "rds-app apply", "app plan", "app show", "app apply"}));
  ASSERT_EQ(r.layers.size(), 5u);
  EXPECT_EQ(r.layers[0].changes.add, 1);
  EXPECT_TRUE(r.layers[0].changes_known);
}

TEST(Executor, ApplyPassesThePlanFileFromPlanToShowToApply) {
  Harness h;
  h.run(Action::Apply, {"vpc"});
  ASSERT_EQ(h.runner.specs.size(), 3u);
  EXPECT_EQ(h.runner.specs[0].argv,
            (Calls{"terragrunt", "plan", "-input=false", "-lock-timeout=5m", "-detailed-exitcode",
                   "-out=/tmp/plans/vpc.tfplan"}));
  EXPECT_EQ(h.runner.specs[1].argv, (Calls{"terragrunt", "show", "-json", "/tmp/plans/vpc.tfplan"}));
  EXPECT_EQ(h.runner.specs[2].argv,
            (Calls{"terragrunt", "apply", "-input=false", "-lock-timeout=5m", "/tmp/plans/vpc.tfplan"}));
  EXPECT_EQ(h.runner.specs[0].cwd, h.fx.dir / "envs" / "test" / "vpc");
  EXPECT_EQ(h.runner.specs[0].log_file, "/tmp/logs/vpc.apply.log");
}

TEST(Executor, ApplySkipsTheApplyStepWhenThePlanHasNoChanges) {
  Harness h;
  h.runner.answer("vpc plan", 0);
  RunResult r = h.run(Action::Apply, {"vpc", "app"});
  EXPECT_EQ(h.runner.started, (Calls{"vpc plan", "app plan", "app show", "app apply"}));
  EXPECT_EQ(r.layers[0].outcome, Outcome::Ok);
  EXPECT_EQ(r.layers[0].message, "no changes");
}

TEST(Executor, AFailedLayerStopsTheRunAndItsDependentsNeverStart) {
  Harness h;
  h.runner.answer("vpc apply", 1);
  RunResult r = h.run(Action::Apply, {"kms", "vpc", "sg-db", "rds-app", "app"});
  EXPECT_EQ(h.runner.started, (Calls{"kms plan", "kms show", "kms apply", "vpc plan", "vpc show",
                                     "vpc apply"}));
  EXPECT_EQ(h.outcome(r, "vpc"), Outcome::Failed);
  EXPECT_EQ(h.outcome(r, "sg-db"), Outcome::NotRun);
  EXPECT_EQ(h.outcome(r, "app"), Outcome::NotRun);
}

TEST(Executor, KeepGoingStartsIndependentLayersButNeverADependentOfAFailure) {
  Harness h;
  h.runner.answer("sg-db plan", 1);
  RunResult r = h.run(Action::Apply, {"kms", "vpc", "sg-db", "rds-app", "app"}, 1, true);
  EXPECT_EQ(h.outcome(r, "sg-db"), Outcome::Failed);
  EXPECT_EQ(h.outcome(r, "rds-app"), Outcome::NotRun);
  EXPECT_EQ(h.outcome(r, "app"), Outcome::Ok);
}

TEST(Executor, DestroyRunsInReverseManifestOrder) {
  Harness h;
  h.run(Action::Destroy, {"vpc", "sg-db", "app"});
  EXPECT_EQ(h.runner.started, (Calls{"app destroy", "sg-db destroy", "vpc destroy"}));
  EXPECT_EQ(h.runner.specs[0].argv,
            (Calls{"terragrunt", "destroy", "-input=false", "-auto-approve", "-lock-timeout=5m"}));
}

TEST(Executor, DestroyIsFailFastEvenWithKeepGoing) {
  Harness h;
  h.runner.answer("app destroy", 1);
  RunResult r = h.run(Action::Destroy, {"vpc", "sg-db", "app"}, 1, true);
  EXPECT_EQ(h.runner.started, (Calls{"app destroy"}));
  EXPECT_EQ(h.outcome(r, "sg-db"), Outcome::NotRun);
}

TEST(Executor, DataGuardRefusesAPlanThatReplacesADataResource) {
  Harness h;
  h.runner.answer("rds-app show", 0, plan_json({{"aws_db_instance.this", {"delete", "create"}}, {"aws_db_parameter_group.x", {"update"}}}));
  RunResult r = h.run(Action::Apply, {"rds-app"});
  EXPECT_EQ(h.runner.started, (Calls{"rds-app plan", "rds-app show"}));
  ASSERT_EQ(r.layers.size(), 1u);
  EXPECT_EQ(r.layers[0].outcome, Outcome::Refused);
  EXPECT_EQ(r.layers[0].exit_code, 3);
  EXPECT_EQ(r.layers[0].message,
            "refusing to apply rds-app (data): the plan deletes or replaces\n"
            "  - aws_db_instance.this (replace)\n"
            "name each address with --allow-replace ADDR to allow it");
}

TEST(Executor, AllowReplaceLetsTheNamedAddressThrough) {
  Harness h;
  h.runner.answer("rds-app show", 0, plan_json({{"aws_db_instance.this", {"create", "delete"}}}));
  h.settings.allow_replace = {"aws_db_instance.this"};
  RunResult r = h.run(Action::Apply, {"rds-app"});
  EXPECT_EQ(h.runner.started, (Calls{"rds-app plan", "rds-app show", "rds-app apply"}));
  EXPECT_EQ(r.layers[0].outcome, Outcome::Ok);
  EXPECT_EQ(r.layers[0].changes.replace, 1);
}

TEST(Executor, UnprotectedLayersMayReplaceResources) {
  Harness h;
  h.runner.answer("app show", 0, plan_json({{"aws_instance.app", {"delete", "create"}}}));
  RunResult r = h.run(Action::Apply, {"app"});
  EXPECT_EQ(r.layers[0].outcome, Outcome::Ok);
  EXPECT_EQ(h.runner.started.back(), "app apply");
}

TEST(Executor, ParallelRunStartsIndependentLayersTogetherWithinTheBound) {
  Harness h;
  h.run(Action::Apply, {"kms", "vpc", "sg-db", "rds-app", "app"}, 2);
  EXPECT_EQ(h.runner.max_running, 2u);
  // Dependencies are never violated: sg-db starts after vpc's apply, rds-app after both.
  auto pos = [&](const std::string& c) {
    return std::find(h.runner.started.begin(), h.runner.started.end(), c) - h.runner.started.begin();
  };
  EXPECT_LT(pos("vpc apply"), pos("sg-db plan"));
  EXPECT_LT(pos("sg-db apply"), pos("rds-app plan"));
  EXPECT_LT(pos("kms apply"), pos("rds-app plan"));
}

TEST(Executor, InterruptStopsStartingLayersAndForwardsOneSigint) {
  Harness h;
  h.runner.interrupt_after_starts = 1;
  h.runner.answer("kms plan", 1);  // terraform exits 1 after a graceful stop
  RunResult r = h.run(Action::Apply, {"kms", "vpc", "app"});
  EXPECT_EQ(r.interrupts, 1);
  EXPECT_EQ(h.runner.signals, (std::vector<int>{SIGINT}));
  EXPECT_EQ(h.runner.started, (Calls{"kms plan"}));
  EXPECT_EQ(h.outcome(r, "kms"), Outcome::Interrupted);
  EXPECT_EQ(h.outcome(r, "vpc"), Outcome::NotRun);
}

TEST(Executor, SecondCtrlCForwardsASecondSigintAndTheThirdKills) {
  Harness h;
  h.runner.interrupt_after_starts = 1;
  h.runner.interrupt_count = 3;
  h.runner.answer("kms plan", 1);
  RunResult r = h.run(Action::Apply, {"kms", "vpc"});
  EXPECT_EQ(r.interrupts, 3);
  EXPECT_EQ(h.runner.signals, (std::vector<int>{SIGINT, SIGINT, SIGKILL}));
  EXPECT_EQ(h.outcome(r, "kms"), Outcome::Interrupted);
}

TEST(Executor, UnconfirmedManualStepStopsItsDependentsButNotOthers) {
  const char* manifest = R"(version: 1
layers:
  - name: zone
  - name: registrar-ns
    kind: manual
    depends_on: [zone]
    instructions: Point the registrar at the name servers.
  - name: acm
    depends_on: [registrar-ns]
  - name: vpc
)";
  Harness h(manifest);
  RunResult r = h.run(Action::Apply, {"zone", "registrar-ns", "acm", "vpc"});
  EXPECT_EQ(h.runner.started, (Calls{"zone plan", "zone show", "zone apply", "vpc plan", "vpc show", "vpc apply"}));
  EXPECT_EQ(h.outcome(r, "registrar-ns"), Outcome::Pending);
  EXPECT_EQ(h.outcome(r, "acm"), Outcome::NotRun);
  EXPECT_EQ(h.outcome(r, "vpc"), Outcome::Ok);
}

TEST(Executor, ConfirmedManualStepLetsTheRunGoOn) {
  const char* manifest = R"(version: 1
layers:
  - name: gate
    kind: manual
    instructions: Do it.
  - name: acm
    depends_on: [gate]
)";
  Harness h(manifest);
  h.settings.confirmed_gates = {"gate"};
  RunResult r = h.run(Action::Apply, {"gate", "acm"});
  EXPECT_EQ(h.outcome(r, "gate"), Outcome::Ok);
  EXPECT_EQ(h.runner.started, (Calls{"acm plan", "acm show", "acm apply"}));
}

TEST(Executor, CommandStepRunsItsArgvInTheEnvFolderOnApplyOnly) {
  const char* manifest = R"(version: 1
layers:
  - name: db
  - name: bootstrap-db
    kind: command
    depends_on: [db]
    command: [ansible-playbook, -i, inventory, "playbooks/a b.yml"]
)";
  Harness h(manifest);
  h.run(Action::Apply, {"db", "bootstrap-db"});
  ASSERT_EQ(h.runner.specs.size(), 4u);
  EXPECT_EQ(h.runner.specs[3].argv, (Calls{"ansible-playbook", "-i", "inventory", "playbooks/a b.yml"}));
  EXPECT_EQ(h.runner.specs[3].cwd, h.fx.stack.tree);
  FakeRunner& r2 = h.runner;
  r2.started.clear();
  h.run(Action::Destroy, {"db", "bootstrap-db"});
  EXPECT_EQ(r2.started, (Calls{"db destroy"}));
}

TEST(Executor, AFailureLetsRunningLayersFinishButStartsNoNewLayer) {
  Harness h;
  h.runner.answer("kms plan", 1);
  RunResult r = h.run(Action::Apply, {"kms", "vpc", "sg-db", "rds-app", "app"}, 2);
  // vpc (the longest path) and kms start together; kms fails while vpc is planning: vpc still
  // goes through show and apply, and nothing else starts.
  EXPECT_EQ(h.runner.started, (Calls{"vpc plan", "kms plan", "vpc show", "vpc apply"}));
  EXPECT_EQ(h.outcome(r, "vpc"), Outcome::Ok);
  EXPECT_EQ(h.outcome(r, "kms"), Outcome::Failed);
  EXPECT_EQ(h.outcome(r, "sg-db"), Outcome::NotRun);
  EXPECT_EQ(h.outcome(r, "app"), Outcome::NotRun);
  EXPECT_EQ(r.layers.size(), 5u);
}

TEST(Executor, JournalWeightsPickTheSlowLayerFirstAmongReadyOnes) {
  const char* manifest = R"(version: 1
layers:
  - name: quick-a
  - name: quick-b
  - name: slow
)";
  Harness h(manifest);
  h.runner.script["quick-a plan"].exit_code = 0;
  h.runner.script["quick-b plan"].exit_code = 0;
  h.runner.script["slow plan"].exit_code = 0;
  Phase phase{Action::Apply, {0, 1, 2}};
  Executor exec(h.fx.stack, *h.fx.graph, h.runner, h.settings, {});
  ExecOptions opts;
  opts.parallelism = 2;
  opts.weights = {1.0, 1.0, 30.0};
  exec.run({phase}, opts);
  EXPECT_EQ(h.runner.started, (Calls{"slow plan", "quick-a plan", "quick-b plan"}));
}

TEST(Executor, PhasesAfterAFailedOneAreReportedAsNotRun) {
  Harness h;
  h.runner.answer("app destroy", 1);
  Executor exec(h.fx.stack, *h.fx.graph, h.runner, h.settings, {});
  RunResult r = exec.run({Phase{Action::Destroy, {h.fx.at("app")}},
                          Phase{Action::Apply, {h.fx.at("vpc"), h.fx.at("app")}}},
                         ExecOptions{});
  EXPECT_EQ(h.runner.started, (Calls{"app destroy"}));
  ASSERT_EQ(r.layers.size(), 3u);
  EXPECT_EQ(r.layers[0].outcome, Outcome::Failed);
  EXPECT_EQ(r.layers[1].action, Action::Apply);
  EXPECT_EQ(r.layers[1].outcome, Outcome::NotRun);
  EXPECT_EQ(r.layers[1].message, "not started: an earlier phase did not succeed");
  EXPECT_EQ(h.fx.stack.layer(r.layers[2].layer).name, "app");
  EXPECT_EQ(r.layers[2].outcome, Outcome::NotRun);
}

namespace {

/// Writes each event as a short line, in the order the executor reports them.
struct Recorder : RunObserver {
  explicit Recorder(const Stack& s) : stack(s) {}
  void phase_started(const Phase& p) override { events.push_back(std::string("phase ") + to_string(p.action)); }
  void layer_started(std::size_t l, Action a) override {
    events.push_back("start " + stack.layer(l).name + " " + to_string(a));
  }
  void layer_finished(const LayerResult& r) override {
    events.push_back("end " + stack.layer(r.layer).name + " " + to_string(r.outcome));
  }
  const Stack& stack;
  std::vector<std::string> events;
};

}  // namespace

TEST(Executor, ObserversSeeEveryStartAndEndInOrder) {
  Harness h;
  h.runner.answer("vpc plan", 0);
  Recorder rec(h.fx.stack);
  Executor exec(h.fx.stack, *h.fx.graph, h.runner, h.settings, {&rec});
  ExecOptions opts;
  opts.parallelism = 2;
  exec.run({Phase{Action::Apply, {h.fx.at("vpc"), h.fx.at("app")}}}, opts);
  EXPECT_EQ(rec.events, (Calls{"phase apply", "start vpc apply", "end vpc ok", "start app apply",
                               "end app ok"}));
}
