// Retries of known transient errors: terragrunt's default patterns, env.yaml `retry:`, which
// steps are repeated (and which never are), and the notices the executor sends.
#include "stackctl/util/retry.h"

#include <gtest/gtest.h>

#include <fstream>

#include <unistd.h>

#include "stackctl/executor/executor.h"
#include "support/fake_runner.h"
#include "support/stack_fixture.h"

namespace stackctl {
namespace {

namespace fs = std::filesystem;
using testing::FakeRunner;
using testing::StackFixture;
using Calls = std::vector<std::string>;

// What terraform prints when the provider download breaks off (as terragrunt-sim does).
const char* kResetByPeer =
    "Error: Failed to install provider\n\nError while installing hashicorp/aws v5.31.0: Error "
    "installing "
    "provider \"aws\":\nread tcp 10.0.0.2:51234->13.224.0.1:443: read: connection reset by peer\n";

TEST(TransientErrors, TerragruntsDefaultListIsUsedWhenTheEnvNamesNoPatterns) {
  EXPECT_EQ(terragrunt_retryable_errors().size(), 13u);
  EXPECT_EQ(transient_match({}, kResetByPeer),
            std::optional<std::string>(
                "(?s).*Error installing provider.*tcp.*connection reset by peer.*"))
      << "(?s): the dot matches the line break inside the message";
  EXPECT_EQ(transient_match({}, "Error: NoSuchBucket: The specified bucket does not exist"),
            std::optional<std::string>("NoSuchBucket: The specified bucket does not exist"));
  EXPECT_EQ(transient_match(
                {}, "Error: Unsupported argument\nAn argument named \"x\" is not expected here."),
            std::nullopt);
}

TEST(TransientErrors, TheEnvsPatternsReplaceTheDefaults) {
  EXPECT_EQ(transient_match({"RequestLimitExceeded", "(?s)Throttling.*rate"},
                            "Throttling:\nrate exceeded"),
            std::optional<std::string>("(?s)Throttling.*rate"));
  EXPECT_EQ(transient_match({"RequestLimitExceeded"}, kResetByPeer), std::nullopt);
  EXPECT_EQ(transient_match({"Throttling.*rate"}, "Throttling:\nrate exceeded"), std::nullopt)
      << "without (?s) the dot stops at a line break";
}

TEST(TransientErrors, APatternThatIsNotARegularExpressionIsNamed) {
  EXPECT_EQ(pattern_problem("(?s).*Client\\.Timeout exceeded.*"), std::nullopt);
  ASSERT_TRUE(pattern_problem("(unclosed"));
  EXPECT_EQ(pattern_problem("(unclosed")->rfind("not a regular expression: ", 0), 0u);
}

TEST(TransientErrors, AnApplyThatStartedAResourceActionChangedSomething) {
  EXPECT_TRUE(changed_nothing(std::string("Acquiring state lock.\n") + kResetByPeer));
  EXPECT_FALSE(changed_nothing("null_resource.vpc: Creating...\nError: timeout"));
  EXPECT_FALSE(changed_nothing("aws_db_instance.this: Destroying... [id=db-1]\n"));
  EXPECT_FALSE(changed_nothing("aws_db_instance.this: Modifying... [id=db-1]\n"));
}

// A fake runner that also delivers one Ctrl-C as soon as no child runs (a layer waits to retry).
struct IdleInterruptRunner : FakeRunner {
  bool interrupt_when_idle = false;
  RunnerEvent wait(std::chrono::milliseconds timeout) override {
    if (interrupt_when_idle && running() == 0) {
      interrupt_when_idle = false;
      RunnerEvent ev;
      ev.type = RunnerEvent::Type::Interrupt;
      ev.signal = 2;
      return ev;
    }
    return FakeRunner::wait(timeout);
  }
};

// A one-layer stack whose env retries; the fake runner answers every call of a step the same.
struct Retrying {
  explicit Retrying(const std::string& retry = "retry: {attempts: 3, sleep: 0s}\n")
      : fx("version: 1\nlayers:\n  - name: vpc\n", "name: test\n" + retry) {
    settings.call.binary = "terragrunt";
    settings.log_dir = fx.dir / "logs";
    settings.plan_dir = fx.dir / "plans";
    fs::create_directories(settings.log_dir);
  }
  void transient(const std::string& step) {
    runner.answer("vpc " + step, 1);
    runner.script["vpc " + step].tail = kResetByPeer;
  }
  struct Seen : RunObserver {
    std::vector<RetryNotice> notices;
    void layer_retrying(const RetryNotice& n) override { notices.push_back(n); }
  } seen;
  RunResult run(Action action) {
    Executor exec(fx.stack, *fx.graph, runner, settings, {&seen});
    return exec.run({Phase{action, {0}}}, ExecOptions{});
  }
  StackFixture fx;
  IdleInterruptRunner runner;
  TaskSettings settings;
};

TEST(Retry, ATransientPlanFailureIsTriedAgainUpToTheAttemptsThenFails) {
  Retrying r;
  r.transient("plan");
  RunResult result = r.run(Action::Apply);
  EXPECT_EQ(r.runner.started, (Calls{"vpc plan", "vpc plan", "vpc plan"}));
  ASSERT_EQ(result.layers.size(), 1u);
  EXPECT_EQ(result.layers[0].outcome, Outcome::Failed);
  EXPECT_EQ(result.layers[0].retries, 2);
  ASSERT_EQ(r.seen.notices.size(), 2u);
  EXPECT_EQ(r.seen.notices[0].step, "plan");
  EXPECT_EQ(r.seen.notices[0].attempt, 2);
  EXPECT_EQ(r.seen.notices[1].attempt, 3);
  EXPECT_EQ(r.seen.notices[1].attempts, 3);
  EXPECT_EQ(r.seen.notices[1].pattern,
            "(?s).*Error installing provider.*tcp.*connection reset by peer.*");
}

TEST(Retry, WithoutRetryInTheEnvNothingIsTriedAgain) {
  Retrying r("");
  r.transient("plan");
  EXPECT_EQ(r.run(Action::Apply).layers[0].outcome, Outcome::Failed);
  EXPECT_EQ(r.runner.started, (Calls{"vpc plan"}));
}

TEST(Retry, AFailureThatIsNotTransientIsNeverTriedAgain) {
  Retrying r;
  r.runner.answer("vpc plan", 1);
  r.runner.script["vpc plan"].tail = "Error: Unsupported argument\n";
  r.run(Action::Apply);
  EXPECT_EQ(r.runner.started, (Calls{"vpc plan"}));
}

TEST(Retry, AnApplyThatChangedNothingYetIsTriedAgain) {
  Retrying r("retry: {attempts: 2, sleep: 0s}\n");
  r.transient("apply");
  r.run(Action::Apply);
  EXPECT_EQ(r.runner.started, (Calls{"vpc plan", "vpc show", "vpc apply", "vpc apply"}));
}

TEST(Retry, AnApplyWhoseLogShowsAResourceActionIsNeverTriedAgain) {
  Retrying r("retry: {attempts: 2, sleep: 0s}\n");
  r.transient("apply");
  std::ofstream(r.settings.log_dir / "vpc.apply.log") << "null_resource.vpc: Creating...\n"
                                                      << kResetByPeer;
  RunResult result = r.run(Action::Apply);
  EXPECT_EQ(r.runner.started, (Calls{"vpc plan", "vpc show", "vpc apply"}));
  EXPECT_EQ(result.layers[0].outcome, Outcome::Failed);
  EXPECT_TRUE(r.seen.notices.empty());
}

TEST(Retry, ADestroyIsTriedAgainOnlyBeforeItDestroyedAnything) {
  Retrying r("retry: {attempts: 2, sleep: 0s}\n");
  r.transient("destroy");
  r.run(Action::Destroy);
  EXPECT_EQ(r.runner.started, (Calls{"vpc destroy", "vpc destroy"}));
}

TEST(Retry, EachStepHasItsOwnAttempts) {
  Retrying r("retry: {attempts: 2, sleep: 0s}\n");
  r.transient("show");
  r.run(Action::Apply);
  EXPECT_EQ(r.runner.started, (Calls{"vpc plan", "vpc show", "vpc show"}));
}

TEST(Retry, AnInterruptDuringTheWaitEndsTheLayerAtOnce) {
  Retrying r("retry: {attempts: 3, sleep: 1h}\n");
  r.transient("plan");
  r.runner.interrupt_when_idle = true;
  const auto started = std::chrono::steady_clock::now();
  RunResult result = r.run(Action::Apply);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(r.runner.started, (Calls{"vpc plan"}));
  ASSERT_EQ(result.layers.size(), 1u);
  EXPECT_EQ(result.layers[0].outcome, Outcome::Interrupted);
  EXPECT_EQ(result.layers[0].message, "interrupted while waiting to retry plan");
}

}  // namespace
}  // namespace stackctl
