// The real process runner against real child processes (small /bin/sh scripts).
#include "stackctl/runner/runner.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace stackctl {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "stackctl-runner-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = fs::canonical(pattern);
    options_.echo = [this](const std::string& text) { echoed_.push_back(text); };
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A child that runs a shell script in the temporary folder with a minimal environment.
  ChildSpec sh(const std::string& script) const {
    ChildSpec s;
    s.argv = {"/bin/sh", "-c", script};
    s.cwd = dir_;
    s.env = {{"PATH", "/usr/bin:/bin"}};
    s.label = "test";
    return s;
  }

  // The next Exited event; a failure when none comes within a generous safety limit.
  static ChildResult next_exit(ProcessRunner& runner) {
    for (;;) {
      RunnerEvent ev = runner.wait(seconds(60));
      if (ev.type == RunnerEvent::Type::Exited) return ev.result;
      if (ev.type == RunnerEvent::Type::Timeout) {
        ADD_FAILURE() << "no child exited";
        return {};
      }
    }
  }

  // Waits until the echo holds line (the child reached a point in its script).
  void wait_for_echo(ProcessRunner& runner, const std::string& line) {
    for (int i = 0; i < 600; ++i) {
      for (const auto& e : echoed_)
        if (e == line) return;
      RunnerEvent ev = runner.wait(milliseconds(100));
      ASSERT_EQ(ev.type, RunnerEvent::Type::Timeout) << "the child ended early";
    }
    FAIL() << "the child never printed " << line;
  }

  fs::path dir_;
  ProcessRunnerOptions options_;
  std::vector<std::string> echoed_;
};

TEST_F(RunnerTest, SuccessfulChildIsOk) {
  auto runner = make_process_runner(options_);
  ChildResult r = run_to_completion(*runner, sh("exit 0"));
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.describe(), "exit 0");
}

TEST_F(RunnerTest, ExitCodeIsReported) {
  auto runner = make_process_runner(options_);
  ChildResult r = run_to_completion(*runner, sh("exit 3"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.spawn_error, "");
  EXPECT_EQ(r.describe(), "exit 3");
}

TEST_F(RunnerTest, ChildKilledBySignalIsReportedWithTheSignal) {
  auto runner = make_process_runner(options_);
  ChildResult r = run_to_completion(*runner, sh("kill -KILL $$"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.describe(), "killed by SIGKILL");
}

TEST_F(RunnerTest, ChildRunsInTheGivenFolder) {
  fs::create_directory(dir_ / "layer");
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("pwd");
  spec.cwd = dir_ / "layer";
  spec.capture_stdout = true;
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(r.stdout_data, (dir_ / "layer").string() + "\n");
}

TEST_F(RunnerTest, EnvironmentIsExactlyTheGivenOneNothingInherited) {
  ASSERT_EQ(::setenv("STACKCTL_RUNNER_TEST_LEAK", "leaked", 1), 0);
  auto runner = make_process_runner(options_);
  ChildSpec spec;
  spec.argv = {"env"};  // resolved on the child's PATH
  spec.cwd = dir_;
  spec.env = {{"PATH", "/usr/bin:/bin"}, {"TF_INPUT", "0"}};
  spec.capture_stdout = true;
  ChildResult r = run_to_completion(*runner, spec);
  ::unsetenv("STACKCTL_RUNNER_TEST_LEAK");
  EXPECT_EQ(r.describe(), "exit 0");
  EXPECT_EQ(r.stdout_data, "PATH=/usr/bin:/bin\nTF_INPUT=0\n");
}

TEST_F(RunnerTest, StdinIsDevNull) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("readlink /proc/self/fd/0; cat; echo end");
  spec.capture_stdout = true;
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(r.stdout_data, "/dev/null\nend\n");
}

TEST_F(RunnerTest, ChildLeadsItsOwnProcessGroup) {
  auto runner = make_process_runner(options_);
  // Fields 1 and 5 of /proc/<pid>/stat are the pid and the process group.
  ChildSpec spec = sh("read pid comm state ppid pgrp rest < /proc/$$/stat; echo \"$pid $pgrp\"");
  spec.capture_stdout = true;
  ChildResult r = run_to_completion(*runner, spec);
  std::istringstream in(r.stdout_data);
  long pid = 0, pgrp = 0;
  in >> pid >> pgrp;
  EXPECT_GT(pid, 0);
  EXPECT_EQ(pgrp, pid);
  EXPECT_NE(pgrp, static_cast<long>(::getpgrp()));
}

TEST_F(RunnerTest, OutputIsAppendedToTheLogFileWhole) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("echo one; echo two; echo three >&2; printf 'last without newline'");
  spec.log_file = dir_ / "runs" / "r1" / "vpc.plan.log";  // folders are created
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(r.log_error, "");
  EXPECT_EQ(read_file(spec.log_file), "one\ntwo\nthree\nlast without newline");
  EXPECT_EQ(r.tail, "one\ntwo\nthree\nlast without newline\n");

  ChildSpec again = sh("echo again");
  again.log_file = spec.log_file;
  run_to_completion(*runner, again);
  EXPECT_EQ(read_file(spec.log_file), "one\ntwo\nthree\nlast without newlineagain\n");
}

TEST_F(RunnerTest, VeryLongLinesReachTheLogUnchanged) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("head -c 200000 /dev/zero | tr '\\0' x; echo; echo end");
  spec.log_file = dir_ / "long.log";
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(read_file(spec.log_file), std::string(200000, 'x') + "\nend\n");
  ASSERT_GE(r.tail.size(), 4u);
  EXPECT_EQ(r.tail.substr(r.tail.size() - 4), "end\n");
  EXPECT_LT(r.tail.size(), 10000u);  // long lines are cut in the tail
}

TEST_F(RunnerTest, EchoPrefixesEachLineWithTheLabel) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("echo hello; echo oops >&2");
  spec.label = "vpc";
  spec.echo = true;
  run_to_completion(*runner, spec);
  EXPECT_EQ(echoed_, (std::vector<std::string>{"[vpc] hello\n", "[vpc] oops\n"}));
}

TEST_F(RunnerTest, NoEchoUnlessAsked) {
  auto runner = make_process_runner(options_);
  run_to_completion(*runner, sh("echo hello"));
  EXPECT_TRUE(echoed_.empty());
}

TEST_F(RunnerTest, SecretsAreRedactedInLogEchoAndTailButNotInCapturedStdout) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("echo 'password=hunter22 token=abc'; echo 'again hunter22' >&2");
  spec.label = "db";
  spec.echo = true;
  spec.capture_stdout = true;
  spec.redact = {"hunter22", "abc"};  // "abc" is too short to be redacted
  spec.log_file = dir_ / "db.log";
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(read_file(spec.log_file), "password=*** token=abc\nagain ***\n");
  EXPECT_EQ(echoed_,
            (std::vector<std::string>{"[db] password=*** token=abc\n", "[db] again ***\n"}));
  EXPECT_EQ(r.tail, "password=*** token=abc\nagain ***\n");
  EXPECT_EQ(r.stdout_data, "password=hunter22 token=abc\n");
}

TEST_F(RunnerTest, TailKeepsTheLastThirtyLines) {
  auto runner = make_process_runner(options_);
  ChildResult r = run_to_completion(
      *runner, sh("i=1; while [ $i -le 40 ]; do echo line $i; i=$((i+1)); done; exit 1"));
  std::string expected;
  for (int i = 11; i <= 40; ++i) expected += "line " + std::to_string(i) + "\n";
  EXPECT_EQ(r.tail, expected);
  EXPECT_EQ(r.exit_code, 1);
}

// terraform's closing line is found however much a hook prints after it, and the last one wins.
TEST_F(RunnerTest, TheLastMarkedLineIsKeptPastTheTail) {
  auto runner = make_process_runner(options_);
  ChildSpec spec =
      sh("echo 'Destroy complete! Resources: 9 destroyed.'; echo 'Destroy complete! Resources: "
         "2 destroyed. hunter22'; i=1; while [ $i -le 100 ]; do echo hook $i; i=$((i+1)); done");
  spec.mark = "Destroy complete! Resources: ";
  spec.redact = {"hunter22"};
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(r.marked_line, "Destroy complete! Resources: 2 destroyed. ***");
  EXPECT_EQ(r.tail.find("Destroy complete!"), std::string::npos);
  spec.mark = "";
  EXPECT_EQ(run_to_completion(*runner, spec).marked_line, "");
}

TEST_F(RunnerTest, ProgramNotOnPathIsASpawnErrorNotAThrow) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("");
  spec.argv = {"stackctl-no-such-program", "plan"};
  int id = runner->start(spec);
  EXPECT_EQ(runner->running(), 1u);
  ChildResult r = next_exit(*runner);
  EXPECT_EQ(r.id, id);
  EXPECT_EQ(r.spawn_error, "stackctl-no-such-program: not found on PATH");
  EXPECT_EQ(r.describe(), "could not start: stackctl-no-such-program: not found on PATH");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(runner->running(), 0u);
}

TEST_F(RunnerTest, MissingOrNonExecutableBinaryNamesThePath) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("");
  spec.argv = {"/nonexistent/bin/terragrunt"};
  EXPECT_EQ(run_to_completion(*runner, spec).describe(),
            "could not start: /nonexistent/bin/terragrunt: No such file or directory");

  std::ofstream(dir_ / "plain.txt") << "#!/bin/sh\n";
  spec.argv = {(dir_ / "plain.txt").string()};
  EXPECT_EQ(run_to_completion(*runner, spec).spawn_error,
            (dir_ / "plain.txt").string() + ": not executable");

  spec.argv = {dir_.string()};
  EXPECT_EQ(run_to_completion(*runner, spec).spawn_error, dir_.string() + ": is a directory");
}

// Children of this test program that have exited but were not reaped.
int zombie_children() {
  int zombies = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string stat = read_file(entry.path() / "stat");
    std::size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream in(stat.substr(close + 1));
    char state = 0;
    long ppid = 0;
    in >> state >> ppid;
    if (state == 'Z' && ppid == static_cast<long>(::getpid())) ++zombies;
  }
  return zombies;
}

TEST_F(RunnerTest, ExecFailureIsASpawnErrorAndLeavesNoZombie) {
  const fs::path bad = dir_ / "not-a-program";
  std::ofstream(bad) << "plain text, no #! line\n";
  fs::permissions(bad, fs::perms::owner_all);
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("");
  spec.argv = {bad.string()};
  EXPECT_EQ(run_to_completion(*runner, spec).spawn_error, bad.string() + ": Exec format error");
  EXPECT_EQ(zombie_children(), 0);
}

TEST_F(RunnerTest, MissingFolderIsASpawnError) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("exit 0");
  spec.cwd = dir_ / "no-such-layer";
  EXPECT_EQ(run_to_completion(*runner, spec).spawn_error, "cannot change directory to " +
                                                              (dir_ / "no-such-layer").string() +
                                                              ": No such file or directory");
}

TEST_F(RunnerTest, ProgramIsFoundOnTheChildsPath) {
  fs::create_directory(dir_ / "bin");
  const fs::path tool = dir_ / "bin" / "fake-terragrunt";
  std::ofstream(tool) << "#!/bin/sh\necho \"fake $1\"\n";
  fs::permissions(tool, fs::perms::owner_all);
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("");
  spec.argv = {"fake-terragrunt", "plan"};
  spec.env = {{"PATH", (dir_ / "bin").string() + ":/usr/bin:/bin"}};
  spec.capture_stdout = true;
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(r.describe(), "exit 0");
  EXPECT_EQ(r.stdout_data, "fake plan\n");
}

TEST_F(RunnerTest, ParallelChildrenAreEachReportedOnce) {
  auto runner = make_process_runner(options_);
  std::map<int, int> expected;
  for (int code : {1, 2, 3}) {
    ChildSpec spec = sh("echo child " + std::to_string(code) + "; exit " + std::to_string(code));
    spec.log_file = dir_ / ("child" + std::to_string(code) + ".log");
    expected[runner->start(spec)] = code;
  }
  EXPECT_EQ(runner->running(), 3u);
  std::map<int, int> seen;
  for (int i = 0; i < 3; ++i) {
    ChildResult r = next_exit(*runner);
    seen[r.id] = r.exit_code;
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(runner->running(), 0u);
  EXPECT_EQ(runner->wait(milliseconds(0)).type, RunnerEvent::Type::Timeout);
  for (int code : {1, 2, 3})
    EXPECT_EQ(read_file(dir_ / ("child" + std::to_string(code) + ".log")),
              "child " + std::to_string(code) + "\n");
}

TEST_F(RunnerTest, WaitTimesOutWhileAChildRuns) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("echo started; exec sleep 30");
  spec.echo = true;
  int id = runner->start(spec);
  wait_for_echo(*runner, "[test] started\n");
  EXPECT_EQ(runner->wait(milliseconds(10)).type, RunnerEvent::Type::Timeout);
  EXPECT_EQ(runner->running(), 1u);
  runner->signal(id, SIGTERM);
  ChildResult r = next_exit(*runner);
  EXPECT_EQ(r.describe(), "killed by SIGTERM");
}

TEST_F(RunnerTest, EachSignalReceivedIsOneInterruptEvent) {
  auto runner = make_process_runner(options_);
  ASSERT_EQ(std::raise(SIGINT), 0);  // would end the test program without the runner
  RunnerEvent ev = runner->wait(seconds(10));
  EXPECT_EQ(ev.type, RunnerEvent::Type::Interrupt);
  EXPECT_EQ(ev.signal, SIGINT);

  ASSERT_EQ(std::raise(SIGTERM), 0);
  ASSERT_EQ(std::raise(SIGINT), 0);
  ev = runner->wait(seconds(10));
  EXPECT_EQ(ev.type, RunnerEvent::Type::Interrupt);
  EXPECT_EQ(ev.signal, SIGTERM);
  ev = runner->wait(seconds(10));
  EXPECT_EQ(ev.type, RunnerEvent::Type::Interrupt);
  EXPECT_EQ(ev.signal, SIGINT);
  EXPECT_EQ(runner->wait(milliseconds(0)).type, RunnerEvent::Type::Timeout);
}

TEST_F(RunnerTest, PreviousSignalHandlersComeBackWhenTheRunnerGoes) {
  struct sigaction before = {}, during = {}, after = {};
  ::sigaction(SIGINT, nullptr, &before);
  {
    auto runner = make_process_runner(options_);
    ::sigaction(SIGINT, nullptr, &during);
    EXPECT_NE(during.sa_handler, before.sa_handler);
  }
  ::sigaction(SIGINT, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

TEST_F(RunnerTest, SignalAllDeliversExactlyOneSigintToEachChild) {
  auto runner = make_process_runner(options_);
  // Counts SIGINTs; after the first it waits a little so that a duplicate would be counted.
  ChildSpec spec =
      sh("n=0; trap 'n=$((n+1))' INT; echo ready; "
         "while [ \"$n\" -eq 0 ]; do sleep 0.05; done; sleep 0.3; echo \"interrupts: $n\"");
  spec.echo = true;
  spec.label = "trap";
  spec.capture_stdout = true;
  runner->start(spec);
  wait_for_echo(*runner, "[trap] ready\n");
  runner->signal_all(SIGINT);
  ChildResult r = next_exit(*runner);
  EXPECT_EQ(r.describe(), "exit 0");
  EXPECT_EQ(r.stdout_data, "ready\ninterrupts: 1\n");
}

TEST_F(RunnerTest, SignalReachesTheGrandchildrenThroughTheProcessGroup) {
  auto runner = make_process_runner(options_);
  // terragrunt runs terraform as its own child: both must see the user's Ctrl-C.
  ChildSpec spec =
      sh("trap 'echo parent INT' INT; "
         "/bin/sh -c 'trap \"echo grandchild INT; exit 5\" INT; echo ready; "
         "while :; do sleep 0.05; done'; echo \"grandchild exit $?\"");
  spec.echo = true;
  spec.capture_stdout = true;
  runner->start(spec);
  wait_for_echo(*runner, "[test] ready\n");
  runner->signal_all(SIGINT);
  ChildResult r = next_exit(*runner);
  EXPECT_EQ(r.describe(), "exit 0");
  EXPECT_EQ(r.stdout_data, "ready\ngrandchild INT\nparent INT\ngrandchild exit 5\n");
}

TEST_F(RunnerTest, RunToCompletionForwardsAnInterruptToTheChild) {
  auto runner = make_process_runner(options_);
  // The child plays the user: it sends stackctl (its parent) a Ctrl-C and waits for it to
  // come back.
  ChildSpec spec =
      sh("n=0; trap 'n=$((n+1))' INT; kill -INT $PPID; "
         "while [ \"$n\" -eq 0 ]; do sleep 0.05; done; echo \"interrupts: $n\"; exit 1");
  spec.capture_stdout = true;
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(r.interrupt, SIGINT);
  EXPECT_EQ(r.describe(), "exit 1");
  EXPECT_EQ(r.stdout_data, "interrupts: 1\n");
}

TEST_F(RunnerTest, DestroyingTheRunnerKillsAndReapsRunningChildren) {
  pid_t pid = 0;
  {
    auto runner = make_process_runner(options_);
    ChildSpec spec = sh("echo $$; exec sleep 30");
    spec.echo = true;
    runner->start(spec);
    for (int i = 0; i < 600 && echoed_.empty(); ++i) runner->wait(milliseconds(100));
    ASSERT_EQ(echoed_.size(), 1u);
    pid = static_cast<pid_t>(std::stol(echoed_[0].substr(std::string("[test] ").size())));
    ASSERT_EQ(::kill(pid, 0), 0);
  }
  // Reaped: not even a zombie is left to signal.
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  EXPECT_EQ(zombie_children(), 0);
}

TEST_F(RunnerTest, ProcessesLeftInTheGroupAreWaitedForBeforeTheChildIsReported) {
  auto runner = make_process_runner(options_);
  // The leader exits at once; a helper it left in its process group works on for a second.
  ChildSpec spec = sh("(sleep 1; echo late > marker) & exit 0");
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(r.describe(), "exit 0");
  EXPECT_EQ(read_file(dir_ / "marker"), "late\n") << "reported before the helper was done";
  EXPECT_GE(r.duration_s, 0.9);
  EXPECT_EQ(r.killed, "");
}

TEST_F(RunnerTest, AProcessOfAnotherGroupHoldingThePipeDoesNotHoldTheResultBack) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("setsid sleep 30 & echo $!; echo done");
  spec.capture_stdout = true;
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(r.describe(), "exit 0");
  std::istringstream in(r.stdout_data);
  long pid = 0;
  std::string done;
  in >> pid >> done;
  EXPECT_EQ(done, "done");
  EXPECT_LT(r.duration_s, 10);
  if (pid > 0) ::kill(static_cast<pid_t>(pid), SIGKILL);  // the sleep in its own session
}

TEST_F(RunnerTest, SigkillEndsTheProcessesLeftInTheGroupAndNamesThem) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("sleep 30 & echo started; exit 0");
  spec.echo = true;
  runner->start(spec);
  wait_for_echo(*runner, "[test] started\n");
  // The leader is gone; its sleep stays and keeps the child running.
  EXPECT_EQ(runner->wait(milliseconds(300)).type, RunnerEvent::Type::Timeout);
  runner->signal_all(SIGKILL);
  ChildResult r = next_exit(*runner);
  EXPECT_EQ(r.describe(), "exit 0");
  EXPECT_NE(r.killed.find(" (sleep)"), std::string::npos) << r.killed;
}

TEST_F(RunnerTest, AnInterruptSkipsTheLeaderOfAGroupButLeaderChild) {
  auto runner = make_process_runner(options_);
  // terragrunt (the leader) must never see it; terraform (its child) gets exactly one.
  ChildSpec spec =
      sh("trap 'echo leader INT' INT; "
         "/bin/sh -c 'n=0; trap \"n=\\$((n+1))\" INT; echo ready; "
         "while [ $n -eq 0 ]; do sleep 0.05; done; sleep 0.3; echo \"worker INT x$n\"; exit 5'; "
         "echo \"worker exit $?\"");
  spec.echo = true;
  spec.capture_stdout = true;
  spec.interrupt_scope = InterruptScope::GroupButLeader;
  runner->start(spec);
  wait_for_echo(*runner, "[test] ready\n");
  runner->signal_all(SIGINT);
  ChildResult r = next_exit(*runner);
  EXPECT_EQ(r.describe(), "exit 0");
  EXPECT_EQ(r.stdout_data, "ready\nworker INT x1\nworker exit 5\n");
}

TEST_F(RunnerTest, AProcessThatStartsWhileAnInterruptIsPendingGetsIt) {
  auto runner = make_process_runner(options_);
  // The leader is between two workers when the interrupt comes (the first gets it and ends);
  // the second starts later and must get it too, or it would run its full 20 s.
  ChildSpec spec = sh("echo ready; sleep 0.5; echo first $?; sleep 20; echo second $?");
  spec.echo = true;
  spec.capture_stdout = true;
  spec.interrupt_scope = InterruptScope::GroupButLeader;
  runner->start(spec);
  wait_for_echo(*runner, "[test] ready\n");
  runner->signal_all(SIGINT);
  ChildResult r = next_exit(*runner);
  EXPECT_EQ(r.describe(), "exit 0") << "the leader itself was not signalled";
  EXPECT_EQ(r.stdout_data, "ready\nfirst 130\nsecond 130\n");
  EXPECT_LT(r.duration_s, 10);
}

TEST_F(RunnerTest, AGroupChildGetsTheInterruptOnItsWholeGroup) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("echo ready; sleep 20; echo after $?");
  spec.echo = true;
  spec.capture_stdout = true;
  spec.interrupt_scope = InterruptScope::Group;
  runner->start(spec);
  wait_for_echo(*runner, "[test] ready\n");
  runner->signal_all(SIGINT);
  ChildResult r = next_exit(*runner);
  EXPECT_EQ(r.describe(), "killed by SIGINT");
}

TEST_F(RunnerTest, UnwritableLogIsReportedNotFatal) {
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("echo hello; exit 4");
  spec.log_file = "/dev/full";
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.tail, "hello\n");
  EXPECT_EQ(r.log_error, "cannot write log file /dev/full: No space left on device");
}

TEST_F(RunnerTest, LogThatCannotBeOpenedIsReportedNotFatal) {
  std::ofstream(dir_ / "file") << "x";
  auto runner = make_process_runner(options_);
  ChildSpec spec = sh("echo hello");
  spec.log_file = dir_ / "file" / "vpc.plan.log";
  ChildResult r = run_to_completion(*runner, spec);
  EXPECT_EQ(r.describe(), "exit 0");
  EXPECT_EQ(r.log_error, "cannot open log file " + spec.log_file.string() + ": Not a directory");
}

TEST_F(RunnerTest, DescribeNamesTheCase) {
  ChildResult r;
  r.exit_code = 1;
  EXPECT_EQ(r.describe(), "exit 1");
  r.signal = SIGINT;
  EXPECT_EQ(r.describe(), "killed by SIGINT");
  r.spawn_error = "terragrunt: not found on PATH";
  EXPECT_EQ(r.describe(), "could not start: terragrunt: not found on PATH");
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(63), "signal 63");
}

TEST_F(RunnerTest, ShellStatusIsWhatAShellWouldReport) {
  ChildResult r;
  r.exit_code = 0;
  EXPECT_EQ(r.shell_status(), 0);
  r.exit_code = 3;
  EXPECT_EQ(r.shell_status(), 3);
  r.signal = SIGKILL;
  EXPECT_EQ(r.shell_status(), 137);
  r.spawn_error = "terragrunt: not found on PATH";
  EXPECT_EQ(r.shell_status(), 127);
}

}  // namespace
}  // namespace stackctl
