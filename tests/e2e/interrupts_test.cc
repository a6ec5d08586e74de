// End to end: interrupts at each moment of a command through the built binary — at a prompt on
// a terminal, during `terragrunt --version`, while waiting for the env lock, during a plan and a
// show — and three Ctrl-Cs against a process group that ignores the first two. Each ends with
// exit 130, no child started after it, the env lock released and, with `--output json`, the one
// document (docs/contract.md, The --output json document and Ctrl-C, SIGTERM and SIGHUP;
// docs/reliability.md, classes 2 to 4).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/scenario.h"

using stackctl::testing::catches_signal;
using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using stackctl::testing::tofu_running;
using Calls = std::vector<std::string>;
using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// vpc <- db <- app, one layer at a time.
struct Project : Scenario {
  Project() { chain_of_three(); }
  /// How many runs the journal records (run_start lines).
  int runs_journaled() const {
    if (!exists(".stackctl/dev/journal.jsonl")) return 0;
    std::istringstream in(read(".stackctl/dev/journal.jsonl"));
    int n = 0;
    for (std::string line; std::getline(in, line);)
      n += json::parse(line, nullptr, false).value("type", "") == "run_start";
    return n;
  }
  /// The last layer_end record of layer.
  json last_layer_end(const std::string& layer) const {
    json found;
    std::istringstream in(read(".stackctl/dev/journal.jsonl"));
    for (std::string line; std::getline(in, line);) {
      json j = json::parse(line, nullptr, false);
      if (j.value("type", "") == "layer_end" && j.value("layer", "") == layer) found = j;
    }
    return found;
  }
  /// Writes an executable script under the project root.
  void script(const std::string& relative, const std::string& text) const {
    write(relative, text);
    fs::permissions(root() / relative, fs::perms::owner_all);
  }
};

/// "name action result" of each layer of a result document.
Calls layer_results(const json& doc) {
  Calls out;
  for (const auto& l : doc["layers"])
    out.push_back(l.value("name", "") + " " + l.value("action", "") + " " + l.value("result", ""));
  return out;
}

/// stackctl with stdin and stderr on a pseudo-terminal, as when a user runs it in a shell
/// (it is the session leader and the terminal's foreground process group: a typed Ctrl-C
/// reaches it as SIGINT from the terminal). stdout goes to a file, so that the JSON document
/// can be read apart from the prompts.
class OnATerminal {
 public:
  OnATerminal(const Scenario& s, const std::vector<std::string>& args) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0)
      throw std::runtime_error("no pseudo-terminal");
    const std::string slave = ::ptsname(master_);
    char out_tmpl[] = "/tmp/stackctl-out-XXXXXX";
    const int out_fd = ::mkstemp(out_tmpl);
    out_file_ = out_tmpl;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setsid();  // a new session whose controlling terminal is the slave
      const int tty = ::open(slave.c_str(), O_RDWR);
      ::ioctl(tty, TIOCSCTTY, 0);
      ::dup2(tty, 0);
      ::dup2(out_fd, 1);
      ::dup2(tty, 2);
      ::close(master_);
      if (::chdir(s.root().c_str()) != 0) ::_exit(126);
      ::setenv("STACKCTL_TERRAGRUNT", TERRAGRUNT_SIM_BIN, 1);
      ::setenv("TERRAGRUNT_SIM_LOG", s.call_log().c_str(), 1);
      ::setenv("NO_COLOR", "1", 1);
      ::setenv("TERM", "xterm", 1);
      std::vector<char*> argv{const_cast<char*>(STACKCTL_BIN)};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(STACKCTL_BIN, argv.data());
      ::_exit(127);
    }
    ::close(out_fd);
  }
  ~OnATerminal() {
    if (!waited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(master_);
    ::unlink(out_file_.c_str());
  }
  int pid() const { return pid_; }
  /// Reads the terminal (up to 30 s) until text has appeared on it.
  bool wait_for(const std::string& text) {
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (!contains(screen_, text) && Clock::now() < deadline) read_screen(100);
    return contains(screen_, text);
  }
  /// Keys typed on the terminal ("\x03" is Ctrl-C).
  void type(const std::string& keys) const {
    if (::write(master_, keys.data(), keys.size()) != static_cast<ssize_t>(keys.size()))
      throw std::runtime_error("cannot type on the terminal");
  }
  void signal(int sig) const { ::kill(pid_, sig); }
  /// Waits (up to 60 s, then kills it) for stackctl, reading the terminal meanwhile; out is
  /// stdout, err what the terminal showed.
  Outcome wait() {
    int status = 0;
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      read_screen(50);
      if (Clock::now() > deadline) ::kill(pid_, SIGKILL);
    }
    waited_ = true;
    while (read_screen(50)) {
    }
    Outcome o;
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    o.out = slurp(out_file_);
    o.err = screen_;
    return o;
  }

 private:
  // Appends what the terminal shows within timeout_ms; false when nothing came.
  bool read_screen(int timeout_ms) {
    struct pollfd p = {master_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0 || !(p.revents & POLLIN)) return false;
    char buf[4096];
    const ssize_t n = ::read(master_, buf, sizeof buf);
    if (n <= 0) return false;
    screen_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  int master_ = -1;
  pid_t pid_ = -1;
  std::string out_file_;
  std::string screen_;
  bool waited_ = false;
};

/// Whether pid is a live process (a zombie counts as gone).
bool alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z' &&
         text[close + 2] != 'X';
}

/// Polls (up to 30 s) until file exists.
bool wait_for_file(const fs::path& file) {
  for (int i = 0; i < 3000; ++i, ::usleep(10 * 1000))
    if (fs::exists(file)) return true;
  return false;
}

int count_lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

/// What an interrupt at a prompt says (src/run.cc, src/interrupts.cc).
std::string at_the_prompt(const std::string& sig) {
  return "interrupted (" + sig + ") at the confirmation prompt; nothing was started";
}

}  // namespace

// ---- at a prompt on a terminal
// -------------------------------------------------------------------

// `stackctl apply` on a terminal asks `Proceed? [y/N]`; a Ctrl-C typed there (SIGINT from the
// terminal) or a SIGTERM ends the prompt: exit 130, nothing started (not even `terragrunt
// --version`), no lock left, no run journaled, and with --output json the one document.
TEST(Interrupts, CtrlCOrSigtermAtTheProceedPromptEndsTheCommandAndStartsNothing) {
  for (const int sig : {SIGINT, SIGTERM}) {
    for (const bool as_json : {false, true}) {
      const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
      SCOPED_TRACE(std::string(name) + (as_json ? " --output json" : ""));
      Project p;
      Calls args = {"apply", "--env", "dev"};
      if (as_json) args.insert(args.begin(), {"--output", "json"});
      OnATerminal run(p, args);
      ASSERT_TRUE(run.wait_for("Proceed? [y/N] "));
      ::usleep(300 * 1000);  // it waits for the answer now
      if (sig == SIGINT)
        run.type("\x03");  // Ctrl-C: the terminal sends SIGINT
      else
        run.signal(SIGTERM);
      Outcome r = run.wait();
      EXPECT_EQ(r.exit_code, 130) << r.err;
      EXPECT_TRUE(contains(r.err, "\nstackctl: " + at_the_prompt(name) + "\r\n")) << r.err;
      EXPECT_FALSE(p.exists("sim-calls.jsonl"))
          << "no child started: " << p.read("sim-calls.jsonl");
      EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
      EXPECT_EQ(p.runs_journaled(), 0);
      if (!as_json) {
        EXPECT_EQ(r.out, "");
        continue;
      }
      json doc = json::parse(r.out, nullptr, false);
      ASSERT_TRUE(doc.is_object()) << r.out;
      EXPECT_EQ(doc, (json{{"command", "apply"},
                           {"env", "dev"},
                           {"run_id", ""},
                           {"success", false},
                           {"exit_code", 130},
                           {"layers", json::array()},
                           {"errors", {at_the_prompt(name)}}}));
    }
  }
}

// In an env with `confirm: true`, destroy asks for the env name; Ctrl-C or SIGTERM there ends it
// the same way and destroys nothing.
TEST(Interrupts, CtrlCOrSigtermAtTheEnvNamePromptDestroysNothing) {
  for (const int sig : {SIGINT, SIGTERM}) {
    const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
    SCOPED_TRACE(name);
    Project p;
    p.env("dev", "name: dev\nparallelism: 1\nconfirm: true\n");
    ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
    p.clear_calls();
    OnATerminal run(p, {"--output", "json", "destroy", "--env", "dev"});
    ASSERT_TRUE(run.wait_for("Type the env name (dev) to destroy it: "));
    run.type("de");        // half typed
    ::usleep(300 * 1000);  // it waits for the rest now
    if (sig == SIGINT)
      run.type("\x03");
    else
      run.signal(SIGTERM);
    Outcome r = run.wait();
    EXPECT_EQ(r.exit_code, 130) << r.err;
    EXPECT_TRUE(contains(r.err, "\nstackctl: " + at_the_prompt(name) + "\r\n")) << r.err;
    EXPECT_FALSE(p.exists("sim-calls.jsonl")) << "no child started: " << p.read("sim-calls.jsonl");
    EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
    EXPECT_EQ(p.runs_journaled(), 1) << "only the apply";
    for (const std::string layer : {"vpc", "db", "app"})
      EXPECT_TRUE(contains(p.read("envs/dev/" + layer + "/.terragrunt-sim/state.json"),
                           "null_resource." + layer))
          << layer << " is still there";
    json doc = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << r.out;
    EXPECT_EQ(doc["exit_code"], 130);
    EXPECT_EQ(doc["command"], "destroy");
    EXPECT_EQ(doc["layers"], json::array());
    EXPECT_EQ(doc["errors"], json::array({at_the_prompt(name)}));
  }
}

// ---- the JSON document at each moment
// ------------------------------------------------------------

// Ctrl-C while `terragrunt --version` answers an apply: the document says 130 and why; no layer
// ran, so it lists none; no run is journaled.
TEST(Interrupts, CtrlCDuringTheVersionCallPrintsTheDocumentAndJournalsNoRun) {
  Project p;
  p.script("bin/terragrunt",
           "#!/bin/sh\n"
           "if [ \"$1\" = --version ]; then : > \"$0.version\"; sleep 30; echo 'terragrunt version "
           "v0.77.0'; exit 0; fi\n"
           "echo \"$@\" >> \"$0.calls\"\n");
  const std::string binary = (p.root() / "bin/terragrunt").string();
  auto bg = p.start({"--output", "json", "apply", "--env", "dev", "--yes"},
                    {{"STACKCTL_TERRAGRUNT", binary}});
  ASSERT_TRUE(wait_for_file(binary + ".version"));
  bg->signal(SIGINT, true);  // Ctrl-C: the terminal signals the whole foreground group
  Outcome r = bg->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  const std::string why =
      "interrupted (SIGINT) during '" + binary + " --version'; nothing was started";
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  EXPECT_EQ(doc, (json{{"command", "apply"},
                       {"env", "dev"},
                       {"run_id", ""},
                       {"success", false},
                       {"exit_code", 130},
                       {"layers", json::array()},
                       {"errors", {why}}}));
  EXPECT_FALSE(fs::exists(binary + ".calls")) << "no layer started";
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  EXPECT_EQ(p.runs_journaled(), 0);
}

// Ctrl-C while waiting for the env lock another apply holds: the wait ends at once (not at the
// 60 s --lock-timeout), with the document; the holder keeps its lock and goes on.
TEST(Interrupts, CtrlCWhileWaitingForTheEnvLockEndsTheWaitAtOnceWithTheDocument) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "plan:30"})");
  auto holder = p.start({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  ASSERT_TRUE(p.wait_working("vpc"));
  const std::string held = p.read(".stackctl/dev/lock");
  auto waiting = p.start({"--output", "json", "apply", "--env", "dev", "--only", "app", "--yes",
                          "--lock-timeout", "60s"});
  ASSERT_TRUE(catches_signal(waiting->pid(), SIGINT));
  ::usleep(500 * 1000);  // it is polling for the lock now
  const auto sent = Clock::now();
  waiting->signal(SIGINT, true);
  Outcome r = waiting->wait();
  EXPECT_LT(Clock::now() - sent, std::chrono::seconds(5)) << "the wait ended at once";
  EXPECT_EQ(r.exit_code, 130) << r.err;
  const std::string why =
      "interrupted (SIGINT) while waiting for the env lock; nothing was started";
  EXPECT_TRUE(contains(r.err, "stackctl: " + why + "\n")) << r.err;
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  EXPECT_EQ(doc, (json{{"command", "apply"},
                       {"env", "dev"},
                       {"run_id", ""},
                       {"success", false},
                       {"exit_code", 130},
                       {"layers", json::array()},
                       {"errors", {why}}}));
  EXPECT_EQ(p.read(".stackctl/dev/lock"), held) << "the holder's lock is untouched";
  EXPECT_TRUE(p.exists(p.sim_lock("vpc"))) << "the holder's plan still runs";
  EXPECT_EQ(p.runs_journaled(), 1) << "only the holder's run";
  holder->signal(SIGINT);
  EXPECT_EQ(holder->wait().exit_code, 130);
  for (const auto& c : p.call_sequence()) EXPECT_EQ(c.rfind("app ", 0), std::string::npos) << c;
}

// Ctrl-C while db plans: the document lists each layer: vpc applied, db interrupted, app not run.
TEST(Interrupts, CtrlCDuringAPlanPrintsEachLayersResult) {
  Project p;
  p.fault("db", R"({"TERRAGRUNT_SIM_SLEEP": "plan:30"})");
  auto run = p.start({"--output", "json", "apply", "--env", "dev", "--yes"});
  ASSERT_TRUE(p.wait_for_call("vpc apply"));
  ASSERT_TRUE(p.wait_working("db"));
  run->signal(SIGINT, true);
  Outcome r = run->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  EXPECT_EQ(doc["exit_code"], 130);
  EXPECT_EQ(doc["success"], false);
  EXPECT_NE(doc["run_id"], "");
  EXPECT_EQ(layer_results(doc),
            (Calls{"vpc apply ok", "db apply interrupted", "app apply not-run"}));
  EXPECT_EQ(doc["layers"][1]["exit_code"], 1) << "the interrupted plan's exit code";
  EXPECT_EQ(doc["errors"], json::array());
  EXPECT_EQ(p.signals_seen("db"), 1);
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "vpc show", "vpc apply", "db plan"}));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

// Ctrl-C while db's `show -json` runs (its plan had changes): the show gets the one SIGINT, db
// ends interrupted and is never applied, app never starts; the document says so.
TEST(Interrupts, CtrlCDuringShowInterruptsTheLayerAndNothingIsApplied) {
  Project p;
  p.fault("db", R"({"TERRAGRUNT_SIM_SLEEP": "show:30"})");
  auto run = p.start({"--output", "json", "apply", "--env", "dev", "--yes"});
  ASSERT_TRUE(p.wait_for_call("db plan"));
  ASSERT_GT(tofu_running(p.root() / "envs/dev/db", "show"), 0) << "db's show never ran";
  run->signal(SIGINT, true);
  Outcome r = run->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(p.signals_seen("db"), 1) << "exactly one interrupt reaches the show";
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "vpc show", "vpc apply", "db plan", "db show"}));
  EXPECT_FALSE(p.exists("envs/dev/db/.terragrunt-sim/state.json")) << "db was never applied";
  EXPECT_EQ(p.last_layer_end("db").value("result", ""), "interrupted")
      << p.read(".stackctl/dev/journal.jsonl");
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  EXPECT_EQ(doc["exit_code"], 130);
  EXPECT_EQ(layer_results(doc),
            (Calls{"vpc apply ok", "db apply interrupted", "app apply not-run"}));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

// The same, with a terragrunt that answers the show anyway: its tofu is interrupted, then it
// prints the plan it read before and exits 0. The layer is still interrupted and never applied.
TEST(Interrupts, AShowThatStillExitsZeroAfterCtrlCIsNotFollowedByAnApply) {
  Project p;
  p.script("bin/terragrunt",
           "#!/bin/sh\n"
           "if [ \"$1\" != show ]; then exec \"$SIM\" \"$@\"; fi\n"
           "\"$SIM\" \"$@\" > show.json || exit 1\n"
           ": > \"$0.showing\"\n"
           "TERRAGRUNT_SIM_SLEEP=show:30 \"$SIM\" \"$@\" > /dev/null\n"
           "while IFS= read -r line; do printf '%s\\n' \"$line\"; done < show.json\n"
           "exit 0\n");
  const fs::path bin = p.root() / "bin";
  auto run = p.start(
      {"--output", "json", "apply", "--env", "dev", "--yes"},
      {{"STACKCTL_TERRAGRUNT", (bin / "terragrunt").string()}, {"SIM", TERRAGRUNT_SIM_BIN}});
  ASSERT_TRUE(wait_for_file(bin / "terragrunt.showing"));
  ASSERT_GT(tofu_running(p.root() / "envs/dev/vpc", "show"), 0) << "vpc's second show never ran";
  run->signal(SIGINT, true);
  Outcome r = run->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(p.signals_seen("vpc"), 1);
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "vpc show", "vpc show"}))
      << "no apply after the show";
  EXPECT_FALSE(p.exists("envs/dev/vpc/.terragrunt-sim/state.json")) << "vpc was never applied";
  EXPECT_EQ(p.last_layer_end("vpc").value("result", ""), "interrupted")
      << p.read(".stackctl/dev/journal.jsonl");
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  EXPECT_EQ(layer_results(doc),
            (Calls{"vpc apply interrupted", "db apply not-run", "app apply not-run"}));
}

// ---- three Ctrl-Cs
// ---------------------------------------------------------------------------------

namespace {

/// A terragrunt (a script) whose tofu traps SIGINT, logs it and goes on, beside a `sleep` that
/// ignores SIGINT and SIGTERM: a process group that two interrupts do not end.
struct StubbornGroup {
  explicit StubbornGroup(const Project& p) : bin(p.root() / "bin") {
    p.script("bin/terragrunt",
             "#!/bin/sh\n"
             "if [ \"$1\" = --version ]; then echo 'terragrunt version v0.77.0'; exit 0; fi\n"
             "echo $$ > \"$0.pid\"\n"
             "\"$(dirname \"$0\")/tofu\" \"$@\"\n");
    p.script("bin/tofu",
             "#!/bin/sh\n"
             "trap 'echo SIGINT >> \"$0.signals\"' INT\n"
             "trap '' TERM\n"
             "(trap '' INT TERM; exec sleep 600) &\n"
             "echo \"$$ $!\" > \"$0.pids.tmp\" && mv \"$0.pids.tmp\" \"$0.pids\"\n"
             "while :; do wait $!; done\n");
  }
  std::string terragrunt_path() const { return (bin / "terragrunt").string(); }
  /// Waits until tofu traps SIGINT and reads the three pids; false when it never got there.
  bool started() {
    if (!wait_for_file(bin / "tofu.pids")) return false;
    std::istringstream(slurp(bin / "terragrunt.pid")) >> terragrunt;
    std::istringstream(slurp(bin / "tofu.pids")) >> tofu >> sleeper;
    return terragrunt > 0 && tofu > 0 && sleeper > 0;
  }
  int sigints_seen() const { return count_lines(slurp(bin / "tofu.signals")); }
  /// Polls (up to 30 s) until tofu logged n SIGINTs; how many it logged.
  int wait_sigints(int n) const {
    for (int i = 0; i < 3000 && sigints_seen() < n; ++i) ::usleep(10 * 1000);
    return sigints_seen();
  }
  bool all_alive() const { return alive(terragrunt) && alive(tofu) && alive(sleeper); }
  bool any_alive() const { return alive(terragrunt) || alive(tofu) || alive(sleeper); }
  /// The warning that names them, in pid order: "SIGKILL ended 11 (terragrunt), 13 (tofu), ...".
  std::string sigkill_warning() const {
    std::vector<std::pair<int, std::string>> group = {
        {terragrunt, "terragrunt"}, {tofu, "tofu"}, {sleeper, "sleep"}};
    std::sort(group.begin(), group.end());
    std::string text = "SIGKILL ended ";
    for (const auto& [pid, name] : group)
      text += std::to_string(pid) + " (" + name + ")" + (pid == group.back().first ? "" : ", ");
    return text;
  }
  fs::path bin;
  int terragrunt = 0, tofu = 0, sleeper = 0;
};

/// Waits for run while watching the env lock: whether any of the group was still alive at the
/// moment the lock went away. A run that never ends is killed after 60 s, with the group.
Outcome wait_watching_the_lock(const Project& p, stackctl::testing::Background& run,
                               const StubbornGroup& group, bool& alive_when_the_lock_went) {
  std::atomic<bool> left{true}, ended{false};
  std::thread watch([&] {
    for (int i = 0; i < 60000 && p.exists(".stackctl/dev/lock"); ++i) ::usleep(1000);
    left = p.exists(".stackctl/dev/lock") || group.any_alive();
  });
  std::thread watchdog([&] {
    for (int i = 0; i < 600 && !ended; ++i) ::usleep(100 * 1000);
    if (ended) return;
    ::kill(-group.terragrunt, SIGKILL);
    ::kill(run.pid(), SIGKILL);
  });
  Outcome r = run.wait();
  ended = true;
  watchdog.join();
  watch.join();
  alive_when_the_lock_went = left;
  return r;
}

}  // namespace

// The first Ctrl-C reaches tofu, the second too, the third SIGKILLs the group: terragrunt, tofu
// and sleep. The layer is journaled interrupted with the processes named, the lock goes only
// once all of them are gone, exit 130.
TEST(Interrupts, TheThirdCtrlCKillsEveryProcessOfTheGroupThatIgnoredTheFirstTwo) {
  Project p;
  StubbornGroup group(p);
  auto run = p.start({"--output", "json", "apply", "--env", "dev", "--only", "vpc", "--yes"},
                     {{"STACKCTL_TERRAGRUNT", group.terragrunt_path()}});
  ASSERT_TRUE(group.started());
  run->signal(SIGINT);
  ASSERT_EQ(group.wait_sigints(1), 1);
  run->signal(SIGINT);
  ASSERT_EQ(group.wait_sigints(2), 2) << "the second Ctrl-C is forwarded too";
  ::usleep(300 * 1000);
  EXPECT_TRUE(group.all_alive()) << "two interrupts end nothing here";
  EXPECT_TRUE(p.exists(".stackctl/dev/lock"));

  run->signal(SIGINT);
  bool alive_when_the_lock_went = true;
  Outcome r = wait_watching_the_lock(p, *run, group, alive_when_the_lock_went);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_FALSE(alive_when_the_lock_went) << "the lock went before the group was gone";
  EXPECT_FALSE(group.any_alive()) << "a process of the group is left";
  EXPECT_EQ(group.sigints_seen(), 2) << "the third is a SIGKILL, not a third SIGINT";
  EXPECT_TRUE(contains(
      r.err, "Ctrl-C received (2): no new layer starts; sending SIGINT to every running layer"))
      << r.err;
  EXPECT_TRUE(contains(
      r.err, "Ctrl-C received (3): no new layer starts; sending SIGKILL to every running layer\n"))
      << r.err;
  const std::string killed = group.sigkill_warning();
  EXPECT_TRUE(contains(r.err, "    warning: " + killed + "\n")) << "the terminal line: " << r.err;
  json end = p.last_layer_end("vpc");
  EXPECT_EQ(end.value("result", ""), "interrupted") << end.dump();
  EXPECT_EQ(end.value("warning", ""), killed) << end.dump();
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  EXPECT_EQ(doc["exit_code"], 130);
  EXPECT_EQ(layer_results(doc), (Calls{"vpc apply interrupted"}));
  EXPECT_EQ(doc["layers"][0].value("warning", ""), killed);
}
