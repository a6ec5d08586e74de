// End to end: the signals and pipes that used to kill stackctl on the spot — SIGHUP from a
// closed terminal or a dropped SSH session, a closed output pipe (`| head`, `| tee` ended by
// Ctrl-C). Each must end the run the documented way, never leave the lock or an unended
// journal behind, and never kill a child (docs/reliability.md).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "support/scenario.h"

using stackctl::testing::catches_signal;
using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Calls = std::vector<std::string>;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// vpc <- db <- app, one layer at a time, each printing plenty of output.
struct Project : Scenario {
  Project() { chain_of_three(); }
  /// The journal's records of the last run: "run_start apply", "layer_end vpc apply ok", ...
  std::vector<std::string> last_run_records() const {
    std::vector<std::string> out;
    std::istringstream in(read(".stackctl/dev/journal.jsonl"));
    for (std::string line; std::getline(in, line);) {
      json j = json::parse(line, nullptr, false);
      const std::string type = j.value("type", "");
      if (type == "run_start") out.clear();
      if (type == "run_start") out.push_back("run_start " + j.value("command", ""));
      if (type == "layer_end")
        out.push_back("layer_end " + j.value("layer", "") + " " + j.value("action", "") + " " +
                      j.value("result", ""));
      if (type == "run_end") out.push_back("run_end " + j.value("result", ""));
    }
    return out;
  }
  /// Every log file of the env's runs, as "<file name>: <size>" .
  std::string log_text(const std::string& name) const {
    std::string text;
    for (const auto& run : fs::directory_iterator(root() / ".stackctl/dev/runs"))
      if (fs::exists(run.path() / name))
        text += read(fs::relative(run.path() / name, root()).string());
    return text;
  }
};

/// stackctl with stdout and stderr each going into a pipe, as under `stackctl ... | head` or
/// `| tee`. SIGPIPE has its default disposition in it, as in a shell.
class Piped {
 public:
  Piped(const Scenario& s, const std::vector<std::string>& args) {
    int out[2], err[2];
    if (::pipe(out) != 0 || ::pipe(err) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      ::signal(SIGPIPE, SIG_DFL);
      const int null_fd = ::open("/dev/null", O_RDONLY);
      ::dup2(null_fd, 0);
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      ::close(out[0]);
      ::close(err[0]);
      if (::chdir(s.root().c_str()) != 0) ::_exit(126);
      ::setenv("STACKCTL_TERRAGRUNT", TERRAGRUNT_SIM_BIN, 1);
      ::setenv("TERRAGRUNT_SIM_LOG", s.call_log().c_str(), 1);
      ::setenv("NO_COLOR", "1", 1);
      std::vector<char*> argv{const_cast<char*>(STACKCTL_BIN)};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(STACKCTL_BIN, argv.data());
      ::_exit(127);
    }
    ::setpgid(pid_, pid_);
    ::close(out[1]);
    ::close(err[1]);
    out_ = out[0];
    err_ = err[0];
  }
  ~Piped() {
    close_readers();
    if (!waited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  /// Reads up to n bytes of stderr (what `head -c` would see), then nothing more.
  std::string read_err(std::size_t n) {
    std::string text;
    char buf[256];
    while (text.size() < n) {
      const ssize_t got = ::read(err_, buf, std::min(sizeof buf, n - text.size()));
      if (got <= 0) break;
      text.append(buf, static_cast<std::size_t>(got));
    }
    return text;
  }
  /// The reader goes away (`head` has seen enough, `tee` was killed): both pipes lose theirs.
  void close_readers() {
    if (out_ >= 0) ::close(out_);
    if (err_ >= 0) ::close(err_);
    out_ = err_ = -1;
  }
  void signal(int sig) const { ::kill(pid_, sig); }
  /// The exit code (128 + N when killed by signal N).
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1, err_ = -1;
  bool waited_ = false;
};

const Calls kFullApply = {"vpc plan", "vpc show", "vpc apply", "db plan",  "db show",
                          "db apply", "app plan", "app show",  "app apply"};

}  // namespace

// ---- SIGHUP -----------------------------------------------------------------------------------

TEST(Signals, SighupByPidIsTreatedLikeSigtermAtEachMomentOfARun) {
  // The moments a hang-up can come: while a plan, a show or an apply runs.
  for (const std::string moment : {"plan", "apply"}) {
    SCOPED_TRACE(moment);
    Project p;
    p.fault("db", R"({"TERRAGRUNT_SIM_SLEEP": ")" + moment + R"(:30"})");
    auto run = p.start({"apply", "--env", "dev", "--yes"});
    // The double logs a call when it ends: the step before db's sleeping one has ended.
    ASSERT_TRUE(p.wait_for_call(moment == "plan" ? "vpc apply" : "db show"));
    ASSERT_TRUE(p.wait_working("db"));
    run->signal(SIGHUP);
    Outcome r = run->wait();
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_EQ(p.signals_seen("db"), 1) << "exactly one interrupt reaches terraform";
    EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
    EXPECT_EQ(p.last_run_records(),
              (Calls{"run_start apply", "layer_end vpc apply ok", "layer_end db apply interrupted",
                     "run_end interrupted"}))
        << p.read(".stackctl/dev/journal.jsonl");
    Calls seq = p.call_sequence();
    EXPECT_EQ(std::count(seq.begin(), seq.end(), "app plan"), 0)
        << "nothing starts after the hang-up";
  }
}

TEST(Signals, SighupWithJsonOutputStillPrintsTheDocument) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "30"})");
  auto run = p.start({"plan", "--env", "dev", "--only", "vpc", "--output", "json"});
  ASSERT_TRUE(p.wait_working("vpc"));
  run->signal(SIGHUP);
  Outcome r = run->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  EXPECT_EQ(doc["exit_code"], 130);
  EXPECT_EQ(doc["success"], false);
  EXPECT_EQ(doc["layers"][0]["result"], "interrupted");
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

// ---- closed pipes -----------------------------------------------------------------------------

TEST(Signals, ClosedOutputPipesNeverStopARunAndTheLogsKeepEverything) {
  // `stackctl -v apply ... 2>&1 | head -c 200`: the reader goes away after a few lines while
  // every child still prints; each write to stdout and stderr fails from then on.
  Project p;
  Piped run(p, {"-v", "apply", "--env", "dev", "--yes"});
  const std::string seen = run.read_err(200);
  EXPECT_FALSE(seen.empty());
  run.close_readers();
  EXPECT_EQ(run.wait(), 0) << "not killed by SIGPIPE, not stopped by EPIPE";
  EXPECT_EQ(p.call_sequence(), kFullApply);
  EXPECT_EQ(p.last_run_records(),
            (Calls{"run_start apply", "layer_end vpc apply ok", "layer_end db apply ok",
                   "layer_end app apply ok", "run_end ok"}));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  for (const std::string layer : {"vpc", "db", "app"})
    EXPECT_TRUE(contains(p.log_text(layer + ".apply.log"), "Apply complete!")) << layer;
}

TEST(Signals, ClosedPipeThenCtrlCEndsTheRunTheDocumentedWay) {
  // `stackctl apply ... | tee log`, then Ctrl-C: tee dies first, stackctl's "Ctrl-C received"
  // line has nowhere to go, and it must still interrupt db once, wait for it and exit 130.
  Project p;
  p.fault("db", R"({"TERRAGRUNT_SIM_SLEEP": "apply:30"})");
  Piped run(p, {"-v", "apply", "--env", "dev", "--yes"});
  ASSERT_TRUE(p.wait_for_call("db show"));  // the double logs a call when it ends
  ASSERT_TRUE(p.wait_working("db"));
  run.close_readers();
  run.signal(SIGINT);
  EXPECT_EQ(run.wait(), 130);
  EXPECT_EQ(p.signals_seen("db"), 1);
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  EXPECT_EQ(p.last_run_records(), (Calls{"run_start apply", "layer_end vpc apply ok",
                                         "layer_end db apply interrupted", "run_end interrupted"}));
  EXPECT_TRUE(contains(p.log_text("db.apply.log"), "Interrupt received"))
      << p.log_text("db.apply.log");
}

TEST(Signals, ClosedPipeThenSighupWhileTheChildStillPrints) {
  // The terminal of an SSH session goes away: the pipe to it closes and SIGHUP follows.
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "apply:30"})");
  Piped run(p, {"-v", "apply", "--env", "dev", "--yes"});
  ASSERT_TRUE(p.wait_for_call("vpc show"));  // the double logs a call when it ends
  ASSERT_TRUE(p.wait_working("vpc"));
  run.close_readers();
  run.signal(SIGHUP);
  EXPECT_EQ(run.wait(), 130);
  EXPECT_EQ(p.signals_seen("vpc"), 1);
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  EXPECT_EQ(p.last_run_records().back(), "run_end interrupted");
}

namespace {

// Polls (up to 30 s) until file exists.
bool wait_for_file(const fs::path& file) {
  for (int i = 0; i < 300; ++i) {
    if (fs::exists(file)) return true;
    ::usleep(100 * 1000);
  }
  return false;
}

}  // namespace

// Ctrl-C while `terragrunt --version` answers `stackctl output`: nothing else starts, exit 130.
TEST(Signals, CtrlCDuringTheVersionOfAnOutputCommandStartsNothingMore) {
  Project p;
  p.write("bin/terragrunt",
          "#!/bin/sh\n"
          "if [ \"$1\" = --version ]; then : > \"$0.version\"; sleep 30; echo 'terragrunt version "
          "v0.77.0'; exit 0; fi\n"
          "echo \"$@\" >> \"$0.calls\"\n");
  fs::permissions(p.root() / "bin/terragrunt", fs::perms::owner_all);
  auto bg = p.start({"output", "--env", "dev", "vpc"},
                    {{"STACKCTL_TERRAGRUNT", (p.root() / "bin/terragrunt").string()}});
  ASSERT_TRUE(wait_for_file(p.root() / "bin/terragrunt.version"));
  bg->signal(SIGINT, true);
  Outcome r = bg->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_TRUE(contains(r.err, "interrupted (SIGINT) during '" +
                                  (p.root() / "bin/terragrunt").string() +
                                  " --version'; nothing was started"))
      << r.err;
  EXPECT_FALSE(fs::exists(p.root() / "bin/terragrunt.calls")) << "terragrunt output never started";
  EXPECT_FALSE(fs::exists(p.root() / ".stackctl/dev/lock")) << "the lock is released";
}

// Ctrl-C while git says what changed (`apply --changed`): no further git call, no terragrunt,
// exit 130 with the JSON document.
TEST(Signals, CtrlCWhileGitSaysWhatChangedStartsNothingMore) {
  Project p;
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    return stackctl::testing::run_program("/usr/bin/env", args, p.root(),
                                          {{"GIT_CONFIG_GLOBAL", "/dev/null"}});
  };
  ASSERT_EQ(git({"init", "-q"}).exit_code, 0);
  git({"-c", "user.name=t", "-c", "user.email=t@e", "add", "-A"});
  ASSERT_EQ(git({"-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "one"}).exit_code,
            0);
  p.write("envs/dev/vpc/terragrunt.hcl", "# changed\n");
  const std::string real_git =
      stackctl::testing::run_program("/bin/sh", {"-c", "command -v git"}, p.root(), {}).out;
  p.write("slow/git",
          "#!/bin/sh\necho \"$@\" >> \"$0.calls\"\n: > \"$0.started\"\nsleep 30\nexec " +
              real_git.substr(0, real_git.find('\n')) + " \"$@\"\n");
  fs::permissions(p.root() / "slow/git", fs::perms::owner_all);
  const char* path = std::getenv("PATH");
  auto bg =
      p.start({"--output", "json", "apply", "--env", "dev", "--changed", "--yes"},
              {{"PATH", (p.root() / "slow").string() + ":" + (path ? path : "/usr/bin:/bin")}});
  ASSERT_TRUE(wait_for_file(p.root() / "slow/git.started"));
  bg->signal(SIGINT, true);
  Outcome r = bg->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_TRUE(
      contains(r.err, "interrupted (SIGINT) while asking git what changed; nothing was started"))
      << r.err;
  EXPECT_EQ(p.read("slow/git.calls").find('\n'), p.read("slow/git.calls").size() - 1)
      << "one git call, then none: " << p.read("slow/git.calls");
  EXPECT_FALSE(fs::exists(p.call_log())) << "terragrunt never started";
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out;
  EXPECT_EQ(doc["exit_code"], 130);
}

// SIGTERM while a run waits for the env lock another run holds: the wait ends at once with exit
// 130 and the JSON document, nothing starts, and the holder's run goes on undisturbed.
TEST(Signals, SigtermWhileWaitingForTheEnvLockEndsTheWaitAtOnce) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "plan:4"})");
  auto holder = p.start({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  ASSERT_TRUE(p.wait_working("vpc"));
  auto waiting = p.start({"--output", "json", "apply", "--env", "dev", "--only", "app", "--yes",
                          "--lock-timeout", "60s"});
  ASSERT_TRUE(catches_signal(waiting->pid(), SIGTERM));
  ::usleep(500 * 1000);  // it is polling for the lock now
  waiting->signal(SIGTERM);
  Outcome r = waiting->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_TRUE(
      contains(r.err, "interrupted (SIGTERM) while waiting for the env lock; nothing was started"))
      << r.err;
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out;
  EXPECT_EQ(doc["exit_code"], 130);
  Outcome first = holder->wait();
  EXPECT_EQ(first.exit_code, 0) << first.err;
  for (const auto& c : p.call_sequence()) EXPECT_EQ(c.rfind("app ", 0), std::string::npos) << c;
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}
