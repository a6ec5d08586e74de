// Scheduler-and-task scenarios over a fake runner: exact child sequences, no processes.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <deque>
#include <map>
#include <set>
#include <stdexcept>

#include <unistd.h>

#include "stackctl/executor/executor.h"
#include "stackctl/util/error.h"
#include "support/fake_runner.h"
#include "support/stack_fixture.h"

using namespace stackctl;
using stackctl::testing::FakeRunner;
using stackctl::testing::plan_json;
using stackctl::testing::StackFixture;
using Calls = std::vector<std::string>;

namespace fs = std::filesystem;

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
  EXPECT_EQ(h.runner.specs[0].argv, (Calls{"terragrunt", "plan", "-input=false", "-lock-timeout=5m",
                                           "-detailed-exitcode", "-out=/tmp/plans/vpc.tfplan"}));
  EXPECT_EQ(h.runner.specs[1].argv,
            (Calls{"terragrunt", "show", "-json", "/tmp/plans/vpc.tfplan"}));
  EXPECT_EQ(h.runner.specs[2].argv, (Calls{"terragrunt", "apply", "-input=false",
                                           "-lock-timeout=5m", "/tmp/plans/vpc.tfplan"}));
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
  EXPECT_EQ(h.runner.started,
            (Calls{"kms plan", "kms show", "kms apply", "vpc plan", "vpc show", "vpc apply"}));
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

// Exit 0 without terraform's closing line is not success: a destroy or an apply that terragrunt
// stopped (a prompt answered no) fails its layer, and nothing after it starts.
TEST(Executor, AnApplyOrDestroyThatExitsZeroWithoutTerraformsClosingLineFailsItsLayer) {
  Harness h;
  h.runner.closings_not_printed = {"app destroy"};
  RunResult destroy = h.run(Action::Destroy, {"vpc", "app"});
  EXPECT_EQ(h.runner.started, (Calls{"app destroy"}));
  EXPECT_EQ(h.runner.specs[0].mark, "Destroy complete! Resources: ");
  EXPECT_EQ(h.outcome(destroy, "app"), Outcome::Failed);
  EXPECT_EQ(h.outcome(destroy, "vpc"), Outcome::NotRun);
  Harness a;
  a.runner.closings_not_printed = {"vpc apply"};
  RunResult apply = a.run(Action::Apply, {"vpc", "app"});
  EXPECT_EQ(a.runner.started, (Calls{"vpc plan", "vpc show", "vpc apply"}));
  EXPECT_EQ(a.runner.specs[2].mark, "Apply complete! Resources: ");
  EXPECT_EQ(a.runner.specs[0].mark, "") << "a plan's success is its exit code and its plan file";
  EXPECT_EQ(a.outcome(apply, "vpc"), Outcome::Failed);
  EXPECT_EQ(a.outcome(apply, "app"), Outcome::NotRun);
}

TEST(Executor, DataGuardRefusesAPlanThatReplacesADataResource) {
  Harness h;
  h.runner.answer("rds-app show", 0,
                  plan_json({{"aws_db_instance.this", {"delete", "create"}},
                             {"aws_db_parameter_group.x", {"update"}}}));
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

TEST(Executor, KeepLayerReplaceIsRefusedEvenWithYesAndAllowedOnlyByName) {
  const char* manifest = "version: 1\nlayers:\n  - name: acm\n    protect: keep\n";
  Harness h(manifest);
  h.runner.answer("acm show", 0, plan_json({{"aws_acm_certificate.this", {"delete", "create"}}}));
  h.settings.yes = true;
  RunResult refused = h.run(Action::Apply, {"acm"});
  EXPECT_EQ(refused.layers[0].outcome, Outcome::Refused);
  EXPECT_EQ(refused.layers[0].message,
            "refusing to apply acm (keep): the plan deletes or replaces\n"
            "  - aws_acm_certificate.this (replace)\n"
            "name each address with --allow-replace ADDR to allow it");
  EXPECT_EQ(h.runner.started, (Calls{"acm plan", "acm show"})) << "--yes never reaches apply";
  h.settings.allow_replace = {"aws_acm_certificate.this"};
  h.runner.started.clear();
  RunResult allowed = h.run(Action::Apply, {"acm"});
  EXPECT_EQ(allowed.layers[0].outcome, Outcome::Ok);
  EXPECT_EQ(h.runner.started, (Calls{"acm plan", "acm show", "acm apply"}));
}

TEST(Executor, APlanThatWritesNoPlanFileFailsAndIsNeverReportedAsNoChanges) {
  for (int code : {0, 2}) {
    SCOPED_TRACE(code);
    Harness h;
    h.settings.plan_dir =
        fs::temp_directory_path() / ("stackctl-no-plans-" + std::to_string(::getpid()));
    h.runner.answer("vpc plan", code);
    h.runner.plans_not_written.insert("vpc plan");
    RunResult r = h.run(Action::Apply, {"vpc"});
    EXPECT_EQ(r.layers[0].outcome, Outcome::Failed);
    EXPECT_EQ(r.layers[0].message, "plan exited " + std::to_string(code) +
                                       " but wrote no plan file " +
                                       (h.settings.plan_dir / "vpc.tfplan").string());
    EXPECT_EQ(h.runner.started, (Calls{"vpc plan"})) << "nothing is shown or applied";
  }
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
    return std::find(h.runner.started.begin(), h.runner.started.end(), c) -
           h.runner.started.begin();
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
  EXPECT_EQ(h.runner.started,
            (Calls{"zone plan", "zone show", "zone apply", "vpc plan", "vpc show", "vpc apply"}));
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
  EXPECT_EQ(h.runner.specs[3].argv,
            (Calls{"ansible-playbook", "-i", "inventory", "playbooks/a b.yml"}));
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
  void phase_started(const Phase& p) override {
    events.push_back(std::string("phase ") + to_string(p.action));
  }
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

namespace {

/// A runner whose children named in `hang` ("<label> <step>") run until they are signalled;
/// every other child is answered at once by a FakeRunner. Time is a fake clock that moves only
/// while wait() has nothing to report, by the timeout the executor asked for: no sleeping.
struct HangingRunner : ProcessRunner {
  FakeRunner quick;
  std::set<std::string> hang;
  bool ignore_sigint = false;  ///< hanging children survive SIGINT; only SIGKILL ends them
  double now = 0;
  std::vector<std::string> started;  ///< every child, "<label> <step>"
  std::vector<std::string> signals;  ///< "SIGINT vpc apply", in the order sent
  std::vector<double> signal_times;  ///< clock at each of signals

  int start(const ChildSpec& spec) override {
    const std::string key = spec.label + " " + (spec.argv.size() > 1 ? spec.argv[1] : "");
    started.push_back(key);
    if (!hang.count(key)) return quick.start(spec);
    hanging_[next_id_] = key;
    return next_id_++;
  }
  RunnerEvent wait(std::chrono::milliseconds timeout) override {
    RunnerEvent ev;
    if (!ended_.empty()) {
      ev.type = RunnerEvent::Type::Exited;
      ev.result = ended_.front();
      ended_.pop_front();
      return ev;
    }
    if (quick.running() > 0) return quick.wait(timeout);
    now += static_cast<double>(timeout.count()) / 1000.0;
    return ev;
  }
  void signal(int id, int sig) override {
    auto it = hanging_.find(id);
    if (it == hanging_.end()) return;
    signals.push_back(signal_name(sig) + " " + it->second);
    signal_times.push_back(now);
    if (sig == SIGINT && ignore_sigint) return;
    ChildResult r;
    r.id = id;
    if (sig == SIGKILL)
      r.signal = SIGKILL;
    else
      r.exit_code = 1;
    r.tail = "Interrupt received.\n";
    ended_.push_back(r);
    hanging_.erase(it);
  }
  void signal_all(int sig) override {
    std::vector<int> ids;
    for (const auto& [id, key] : hanging_) ids.push_back(id);
    for (int id : ids) signal(id, sig);
  }
  std::size_t running() const override { return quick.running() + hanging_.size() + ended_.size(); }

 private:
  std::map<int, std::string> hanging_;
  std::deque<ChildResult> ended_;
  int next_id_ = 1000;
};

struct TimeoutHarness {
  explicit TimeoutHarness(std::chrono::milliseconds limit) : fx(kChain) {
    settings.call.binary = "terragrunt";
    settings.log_dir = "/tmp/logs";
    settings.plan_dir = "/tmp/plans";
    opts.layer_timeout = limit;
    opts.clock = [this] { return runner.now; };
  }
  RunResult run(const std::vector<std::string>& names) {
    Phase phase{Action::Apply, {}};
    for (const auto& n : names) phase.layers.push_back(fx.at(n));
    Executor exec(fx.stack, *fx.graph, runner, settings, {});
    return exec.run({phase}, opts);
  }
  const LayerResult& result(const RunResult& r, const std::string& name) const {
    for (const auto& l : r.layers)
      if (fx.stack.layer(l.layer).name == name) return l;
    throw std::runtime_error("no result for " + name);
  }
  StackFixture fx;
  HangingRunner runner;
  TaskSettings settings;
  ExecOptions opts;
};

}  // namespace

TEST(ExecutorLayerTimeout, AHangingChildGetsOneSigintAndItsLayerFailsWithoutDependents) {
  TimeoutHarness h(std::chrono::seconds(2));
  h.runner.hang = {"vpc apply"};
  RunResult r = h.run({"vpc", "sg-db", "app"});
  EXPECT_EQ(h.runner.started, (Calls{"vpc plan", "vpc show", "vpc apply"}));
  EXPECT_EQ(h.runner.signals, (Calls{"SIGINT vpc apply"}));
  ASSERT_EQ(h.runner.signal_times.size(), 1u);
  EXPECT_GE(h.runner.signal_times[0], 2.0) << "not before the layer's time is up";
  const LayerResult& vpc = h.result(r, "vpc");
  EXPECT_EQ(vpc.outcome, Outcome::Failed);
  EXPECT_EQ(vpc.message, "timed out after 2s");
  EXPECT_EQ(vpc.exit_code, 1);
  EXPECT_EQ(vpc.tail, "Interrupt received.\n");
  EXPECT_EQ(h.result(r, "sg-db").outcome, Outcome::NotRun);
  EXPECT_EQ(h.result(r, "app").outcome, Outcome::NotRun);
}

TEST(ExecutorLayerTimeout, AChildIgnoringSigintIsKilledAfterTheGracePeriod) {
  TimeoutHarness h(std::chrono::seconds(2));
  h.runner.hang = {"vpc plan"};
  h.runner.ignore_sigint = true;
  RunResult r = h.run({"vpc"});
  EXPECT_EQ(h.runner.signals, (Calls{"SIGINT vpc plan", "SIGKILL vpc plan"}));
  ASSERT_EQ(h.runner.signal_times.size(), 2u);
  EXPECT_GE(h.runner.signal_times[1] - h.runner.signal_times[0], 1.0) << "grace: a tenth, >= 1s";
  const LayerResult& vpc = h.result(r, "vpc");
  EXPECT_EQ(vpc.outcome, Outcome::Failed);
  EXPECT_EQ(vpc.message, "timed out after 2s; killed with SIGKILL after a 1s grace period");
  EXPECT_EQ(vpc.exit_code, 128 + SIGKILL);
  EXPECT_EQ(h.runner.started, (Calls{"vpc plan"})) << "no show or apply after a timeout";
}

TEST(ExecutorLayerTimeout, TheGracePeriodIsATenthOfTheTimeoutAtMost30s) {
  TimeoutHarness ten_minutes(std::chrono::minutes(10));
  ten_minutes.runner.hang = {"vpc plan"};
  ten_minutes.runner.ignore_sigint = true;
  EXPECT_EQ(ten_minutes.result(ten_minutes.run({"vpc"}), "vpc").message,
            "timed out after 10m; killed with SIGKILL after a 30s grace period");
  TimeoutHarness short_one(std::chrono::milliseconds(250));
  short_one.runner.hang = {"vpc plan"};
  short_one.runner.ignore_sigint = true;
  EXPECT_EQ(short_one.result(short_one.run({"vpc"}), "vpc").message,
            "timed out after 250ms; killed with SIGKILL after a 1s grace period");
  TimeoutHarness ninety(std::chrono::seconds(90));
  ninety.runner.hang = {"vpc plan"};
  ninety.runner.ignore_sigint = true;
  EXPECT_EQ(ninety.result(ninety.run({"vpc"}), "vpc").message,
            "timed out after 90s; killed with SIGKILL after a 9s grace period");
}

TEST(ExecutorLayerTimeout, WithKeepGoingOnlyTheTimedOutLayersDependentsAreLeftOut) {
  TimeoutHarness h(std::chrono::seconds(5));
  h.runner.hang = {"kms apply"};
  h.opts.keep_going = true;
  RunResult r = h.run({"kms", "vpc", "sg-db", "rds-app", "app"});
  EXPECT_EQ(h.runner.signals, (Calls{"SIGINT kms apply"}));
  EXPECT_EQ(h.result(r, "kms").message, "timed out after 5s");
  EXPECT_EQ(h.result(r, "vpc").outcome, Outcome::Ok);
  EXPECT_EQ(h.result(r, "sg-db").outcome, Outcome::Ok);
  EXPECT_EQ(h.result(r, "app").outcome, Outcome::Ok);
  EXPECT_EQ(h.result(r, "rds-app").outcome, Outcome::NotRun) << "it depends on kms";
}

// The ticks that redraw the progress display come from the run's clock, not the wall: a child
// hanging for 3.5 seconds of the fake clock gets three ticks, one a second, without any sleep.
TEST(ExecutorClock, TicksComeOnceASecondOfTheInjectedClock) {
  struct TickTimes : RunObserver {
    explicit TickTimes(const HangingRunner& r) : runner(r) {}
    void tick() override { at.push_back(runner.now); }
    const HangingRunner& runner;
    std::vector<double> at;
  };
  TimeoutHarness h(std::chrono::milliseconds(3500));
  h.runner.hang = {"vpc plan"};
  TickTimes ticks(h.runner);
  Phase phase{Action::Apply, {h.fx.at("vpc")}};
  Executor exec(h.fx.stack, *h.fx.graph, h.runner, h.settings, {&ticks});
  RunResult r = exec.run({phase}, h.opts);
  EXPECT_EQ(ticks.at, (std::vector<double>{1.0, 2.0, 3.0}));
  EXPECT_EQ(h.runner.signal_times, (std::vector<double>{3.5}));
  EXPECT_EQ(h.result(r, "vpc").message, "timed out after 3500ms");
}

TEST(ExecutorLayerTimeout, LayersEndingInTimeAreNeverSignalled) {
  TimeoutHarness h(std::chrono::seconds(2));
  RunResult r = h.run({"kms", "vpc", "app"});
  EXPECT_TRUE(h.runner.signals.empty());
  for (const auto& l : r.layers) EXPECT_EQ(l.outcome, Outcome::Ok);
}

namespace {

/// An observer that cannot record one layer's end, as the journal on a full disk.
struct FailingJournal : RunObserver {
  FailingJournal(const Stack& s, std::string layer) : stack(s), fails_on(std::move(layer)) {}
  void layer_finished(const LayerResult& r) override {
    if (stack.layer(r.layer).name == fails_on)
      throw Error(ExitCode::Software, "cannot write journal J: No space left on device");
  }
  const Stack& stack;
  std::string fails_on;
};

}  // namespace

TEST(Executor, AnObserverFailureStartsNothingMoreAndLetsRunningLayersEndBeforeRethrowing) {
  Harness h;
  FailingJournal journal(h.fx.stack, "kms");
  Recorder rec(h.fx.stack);
  Executor exec(h.fx.stack, *h.fx.graph, h.runner, h.settings, {&journal, &rec});
  ExecOptions opts;
  opts.parallelism = 2;
  Phase phase{Action::Apply, {h.fx.at("kms"), h.fx.at("vpc"), h.fx.at("sg-db"), h.fx.at("app")}};
  try {
    exec.run({phase}, opts);
    ADD_FAILURE() << "the observer's error was swallowed";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write journal J: No space left on device");
  }
  // sg-db started when vpc ended; once kms could not be recorded app never starts, and sg-db,
  // already running, ends normally.
  EXPECT_EQ(h.runner.started, (Calls{"vpc plan", "kms plan", "vpc show", "kms show", "vpc apply",
                                     "kms apply", "sg-db plan", "sg-db show", "sg-db apply"}));
  EXPECT_TRUE(h.runner.signals.empty()) << "a running layer is never killed for it";
  EXPECT_EQ(rec.events, (Calls{"phase apply", "start vpc apply", "start kms apply", "end vpc ok",
                               "start sg-db apply", "end kms ok", "end sg-db ok"}));
}

namespace {

// Reads the state of the dependents it is given for a layer, and refuses the layer when one of
// those reads printed a resource.
struct DependentsGuard : StartGuard {
  std::map<std::string, std::vector<std::string>> reads;  ///< layer -> dependents to read
  std::vector<std::string> asked;                         ///< the layers asked, in order
  const Stack* stack = nullptr;
  std::vector<ChildSpec> checks(std::size_t layer, Action) override {
    const std::string& name = stack->layer(layer).name;
    asked.push_back(name);
    std::vector<ChildSpec> specs;
    for (const auto& d : reads[name]) {
      ChildSpec s;
      s.argv = {"terragrunt", "show", "-json"};
      s.label = d;
      s.capture_stdout = true;
      specs.push_back(s);
    }
    return specs;
  }
  std::optional<std::string> verdict(std::size_t layer, Action,
                                     const std::vector<ChildResult>& results) override {
    for (const auto& r : results)
      if (r.stdout_data.find("null_resource") != std::string::npos)
        return "refused: a dependent of " + stack->layer(layer).name + " now holds resources";
    return std::nullopt;
  }
};

RunResult run_guarded(Harness& h, DependentsGuard& guard, const std::vector<std::string>& names) {
  guard.stack = &h.fx.stack;
  Phase phase{Action::Destroy, {}};
  for (const auto& n : names) phase.layers.push_back(h.fx.at(n));
  Executor exec(h.fx.stack, *h.fx.graph, h.runner, h.settings, {}, &guard);
  return exec.run({phase}, ExecOptions{});
}

}  // namespace

TEST(ExecutorStartGuard, ALayerStartsOnlyAfterItsGuardReadsFoundNothingAndIsRefusedOtherwise) {
  Harness h;
  DependentsGuard guard;
  guard.reads["vpc"] = {"app"};  // app was skipped as empty; vpc is destroyed under it
  h.runner.holding = {"app"};    // and app was applied meanwhile
  RunResult r = run_guarded(h, guard, {"vpc", "sg-db"});
  EXPECT_EQ(guard.asked, (Calls{"sg-db", "vpc"}));
  EXPECT_EQ(h.runner.started, (Calls{"sg-db destroy", "app state"})) << "no vpc destroy";
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(r.layers[1].outcome, Outcome::Refused);
  EXPECT_EQ(r.layers[1].exit_code, 3);
  EXPECT_EQ(r.layers[1].message, "refused: a dependent of vpc now holds resources");
}

TEST(ExecutorStartGuard, AnEmptyStateLetsTheDestroyGoOn) {
  Harness h;
  DependentsGuard guard;
  guard.reads["vpc"] = {"app", "sg-db"};
  RunResult r = run_guarded(h, guard, {"vpc"});
  EXPECT_EQ(h.runner.started, (Calls{"app state", "sg-db state", "vpc destroy"}));
  EXPECT_EQ(h.outcome(r, "vpc"), Outcome::Ok);
}

TEST(ExecutorStartGuard, AnInterruptDuringTheGuardReadsStartsNothingOfTheLayer) {
  Harness h;
  DependentsGuard guard;
  guard.reads["vpc"] = {"app"};
  h.runner.interrupt_after_starts = 1;
  RunResult r = run_guarded(h, guard, {"vpc"});
  EXPECT_EQ(h.runner.started, (Calls{"app state"}));
  EXPECT_EQ(h.runner.signals, (std::vector<int>{SIGINT}));
  EXPECT_EQ(h.outcome(r, "vpc"), Outcome::Interrupted);
  EXPECT_EQ(r.interrupts, 1);
}

namespace {
// What OpenTofu 1.12.6 writes with -json-into for one planned change (tests/data/plan-stream/).
std::string stream_of(const std::string& address, const std::string& action, int add, int destroy) {
  const std::string resource =
      R"({"addr":")" + address + R"(","module":"","resource":")" + address + R"("})";
  return R"({"@level":"info","@message":"OpenTofu 1.12.6","type":"version","ui":"1.2"})"
         "\n"
         R"({"@level":"info","change":{"resource":)" +
         resource + R"(,"action":")" + action +
         R"("},"type":"planned_change"})"
         "\n"
         R"({"@level":"info","changes":{"add":)" +
         std::to_string(add) + R"(,"change":0,"import":0,"remove":)" + std::to_string(destroy) +
         R"(,"forget":0,"operation":"plan"},"type":"change_summary"})"
         "\n";
}

struct StreamHarness : Harness {
  explicit StreamHarness(const char* manifest = kChain) : Harness(manifest) {
    settings.plan_dir =
        fs::temp_directory_path() / ("stackctl-streams-" + std::to_string(::getpid()));
    settings.plan_stream = &plan_stream;
    plan_stream.on = true;
  }
  ~StreamHarness() {
    std::error_code ec;
    fs::remove_all(settings.plan_dir, ec);
  }
  PlanStreamSwitch plan_stream;
};
}  // namespace

TEST(Executor, AnApplyPlanThatWritesItsStreamStartsNoShow) {
  StreamHarness h;
  h.runner.streams["vpc plan"] = stream_of("null_resource.vpc", "create", 1, 0);
  RunResult r = h.run(Action::Apply, {"vpc"});
  EXPECT_EQ(h.runner.started, (Calls{"vpc plan", "vpc apply"}));
  EXPECT_EQ(h.runner.specs[0].argv,
            (Calls{"terragrunt", "plan", "-input=false", "-lock-timeout=5m", "-detailed-exitcode",
                   "-out=" + (h.settings.plan_dir / "vpc.tfplan").string(),
                   "-json-into=" + (h.settings.plan_dir / "vpc.tfplan.stream.json").string()}));
  ASSERT_EQ(r.layers.size(), 1u);
  EXPECT_EQ(r.layers[0].outcome, Outcome::Ok);
  EXPECT_EQ(changes_text(r.layers[0].changes), "+1 ~0 -0");
  ASSERT_EQ(r.layers[0].resource_changes.size(), 1u);
  EXPECT_EQ(r.layers[0].resource_changes[0].address, "null_resource.vpc");
  EXPECT_EQ(
      fs::status(h.settings.plan_dir / "vpc.tfplan.stream.json").permissions() & fs::perms::all,
      fs::perms::owner_read | fs::perms::owner_write);
}

TEST(Executor, TheGuardRefusesAReplaceFoundInTheStream) {
  StreamHarness h;
  h.runner.streams["rds-app plan"] = stream_of("aws_db_instance.this", "replace", 1, 1);
  RunResult r = h.run(Action::Apply, {"rds-app"});
  EXPECT_EQ(h.runner.started, (Calls{"rds-app plan"}));
  EXPECT_EQ(r.layers[0].outcome, Outcome::Refused);
  EXPECT_EQ(r.layers[0].message,
            "refusing to apply rds-app (data): the plan deletes or replaces\n"
            "  - aws_db_instance.this (replace)\n"
            "name each address with --allow-replace ADDR to allow it");
}

TEST(Executor, AMissingTornOrUnnamedStreamFallsBackToTheShow) {
  StreamHarness h;
  std::string torn = stream_of("null_resource.vpc", "create", 1, 0);
  h.runner.streams["vpc plan"] = torn.substr(0, torn.size() - 5);
  h.runner.streams["app plan"] =
      stream_of("null_resource.app", "noop", 1, 0);  // a replace that forgets
  RunResult r = h.run(Action::Apply, {"kms", "vpc", "app"});
  EXPECT_EQ(h.runner.started, (Calls{"kms plan", "kms show", "kms apply", "vpc plan", "vpc show",
                                     "vpc apply", "app plan", "app show", "app apply"}));
  EXPECT_TRUE(h.plan_stream.on) << "the flag itself worked";
}

TEST(Executor, APlanRefusedForTheFlagIsPlannedAgainWithoutItAndNoLaterPlanGetsIt) {
  StreamHarness h;
  ChildResult refused;
  refused.exit_code = 1;
  refused.tail =
      "Error: Failed to parse command-line flags\n\nflag provided but not defined: -json-into\n";
  h.runner.script["vpc plan"] = refused;
  RunResult r = h.run(Action::Apply, {"vpc"});
  EXPECT_EQ(h.runner.started, (Calls{"vpc plan", "vpc plan"}));
  EXPECT_FALSE(h.plan_stream.on);
  ASSERT_EQ(h.runner.specs.size(), 2u);
  EXPECT_EQ(h.runner.specs[1].argv.back(), "-out=" + (h.settings.plan_dir / "vpc.tfplan").string());
  EXPECT_EQ(r.layers[0].outcome, Outcome::Failed) << "the scripted answer fails the second try too";
  EXPECT_EQ(r.layers[0].retries, 0);
}

TEST(Executor, APlanOrDriftNeverAsksForTheStream) {
  StreamHarness h;
  h.run(Action::Plan, {"vpc"});
  EXPECT_EQ(h.runner.specs[0].argv.back(), "-out=" + (h.settings.plan_dir / "vpc.tfplan").string());
  EXPECT_EQ(h.runner.started, (Calls{"vpc plan", "vpc show"}));
}

namespace {
// Plan files as a map, so a scenario can tell what the tasks asked of them and wrote.
struct FakePlanFiles : PlanFiles {
  bool exists(const fs::path& file) override { return present.count(file.string()) > 0; }
  void keep_private(const fs::path& file) override { kept.push_back(file.string()); }
  std::string read_private(const fs::path& file) override {
    keep_private(file);
    auto it = texts.find(file.string());
    return it == texts.end() ? "" : it->second;
  }
  std::string write_private(const fs::path& file, const std::string& text) override {
    if (refuse.count(file.string()))
      return "cannot write " + file.string() + ": No space left on device";
    texts[file.string()] = text;
    return "";
  }
  std::set<std::string> present, refuse;
  std::map<std::string, std::string> texts;
  std::vector<std::string> kept;
};
}  // namespace

TEST(Executor, APlanJsonThatCannotBeWrittenFailsItsLayer) {
  StreamHarness h;
  h.settings.keep_plan_json = true;
  fs::create_directories(h.settings.plan_dir / "vpc.json");  // a folder where the file goes
  RunResult r = h.run(Action::Plan, {"kms", "vpc", "app"}, 1, true);
  EXPECT_EQ(h.runner.started, (Calls{"kms plan", "kms show", "vpc plan", "vpc show"}));
  ASSERT_EQ(r.layers.size(), 3u);
  EXPECT_EQ(r.layers[0].outcome, Outcome::Ok);
  EXPECT_EQ(r.layers[1].outcome, Outcome::Failed);
  EXPECT_EQ(r.layers[1].exit_code, 1);
  EXPECT_EQ(r.layers[1].message,
            "cannot write " + (h.settings.plan_dir / "vpc.json").string() + ": Is a directory");
  EXPECT_EQ(r.layers[2].message, "not started: a layer it needs did not succeed");
  EXPECT_EQ(fs::status(h.settings.plan_dir / "kms.json").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST(Executor, TheTasksKnowPlanFilesOnlyThroughPlanFiles) {
  Harness h;
  FakePlanFiles files;
  h.settings.plan_files = &files;
  h.settings.keep_plan_json = true;
  files.present = {"/tmp/plans/kms.tfplan", "/tmp/plans/vpc.tfplan"};
  files.refuse = {"/tmp/plans/vpc.json"};
  RunResult r = h.run(Action::Plan, {"kms", "vpc", "sg-db"}, 1, true);
  EXPECT_EQ(h.runner.started, (Calls{"kms plan", "kms show", "vpc plan", "vpc show"}));
  EXPECT_EQ(r.layers[0].outcome, Outcome::Ok);
  EXPECT_EQ(r.layers[1].message, "cannot write /tmp/plans/vpc.json: No space left on device");
  EXPECT_EQ(r.layers[2].message, "not started: a layer it needs did not succeed");
  EXPECT_EQ(files.kept, (Calls{"/tmp/plans/kms.tfplan", "/tmp/plans/vpc.tfplan"}));
  EXPECT_EQ(files.texts.count("/tmp/plans/kms.json"), 1u);
}

TEST(Executor, ASavedPlanIsLookedForThroughPlanFiles) {
  Harness h;
  FakePlanFiles files;
  h.settings.plan_files = &files;
  h.settings.use_saved_plans = true;
  files.present = {"/tmp/plans/vpc.tfplan"};
  RunResult r = h.run(Action::Apply, {"kms", "vpc"}, 1, true);
  EXPECT_EQ(h.runner.started, (Calls{"vpc show", "vpc apply"}));
  EXPECT_EQ(r.layers[0].message, "no saved plan /tmp/plans/kms.tfplan");
  EXPECT_EQ(r.layers[1].outcome, Outcome::Ok);
}

TEST(Executor, TheStreamIsReadThroughPlanFiles) {
  StreamHarness h;
  FakePlanFiles files;
  h.settings.plan_files = &files;
  const std::string plan = (h.settings.plan_dir / "vpc.tfplan").string();
  const std::string stream = (h.settings.plan_dir / "vpc.tfplan.stream.json").string();
  files.present = {plan};
  files.texts[stream] = stream_of("null_resource.vpc", "create", 1, 0);
  RunResult r = h.run(Action::Apply, {"vpc"});
  EXPECT_EQ(h.runner.started, (Calls{"vpc plan", "vpc apply"}));
  EXPECT_EQ(changes_text(r.layers[0].changes), "+1 ~0 -0");
  EXPECT_EQ(files.kept, (Calls{plan, stream}));
}
