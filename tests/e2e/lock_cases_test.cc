// End to end: the env lock in the cases an operator meets once in a while — a holder whose pid
// was given to another process, a file far too large to be a lock, a holder's text that would
// drive the terminal — with the built stackctl against terragrunt-sim.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <ctime>

#include <nlohmann/json.hpp>

#include "stackctl/util/terminal_text.h"
#include "support/scenario.h"

using stackctl::terminal_safe;
using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Calls = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string this_host() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

/// `seconds_ago` as the lock's `since` (ISO-8601 UTC, whole seconds).
std::string utc(std::time_t seconds_ago) {
  const std::time_t t = std::time(nullptr) - seconds_ago;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

/// A process of this host that lives until the scenario ends: the pid a lock can name.
class LiveProcess {
 public:
  LiveProcess() {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl("/bin/sleep", "sleep", "300", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~LiveProcess() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
};

/// The pid of a process of this host that has exited and been reaped.
int dead_pid() {
  const int pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

struct Project : Scenario {
  Project() {
    manifest("version: 1\nlayers:\n  - name: vpc\n");
    env("dev", "name: dev\n");
    layer_hcl("dev", "vpc", {});
  }
  /// Writes .stackctl/dev/lock as another stackctl would.
  void lock(int pid, const std::string& user, const std::string& command,
            const std::string& since) const {
    const nlohmann::ordered_json j = {{"pid", pid},
                                      {"host", this_host()},
                                      {"user", user},
                                      {"command", command},
                                      {"since", since}};
    write(".stackctl/dev/lock", j.dump() + "\n");
  }
  std::string lock_path() const { return (root() / ".stackctl/dev/lock").string(); }
};

}  // namespace

TEST(StaleLocks, ALockWhosePidNowBelongsToAProcessStartedAfterItIsTakenOverWithAWarning) {
  Project p;
  LiveProcess recycled;  // started now, an hour after the lock was written: not its holder
  const std::string since = utc(3600);
  p.lock(recycled.pid(), "ops", "stackctl apply --env dev", since);
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "warning: took over a stale lock held by ops@" + this_host() +
                                  " (pid " + std::to_string(recycled.pid()) +
                                  ") running 'stackctl apply --env dev' since " + since + "\n"))
      << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "vpc show", "vpc apply"}));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock")) << "the run released the lock it took over";
  EXPECT_EQ(::kill(recycled.pid(), 0), 0) << "the process that got the pid again is left alone";
}

TEST(StaleLocks, APlainUnlockRemovesALockWhosePidWasRecycledButNotOneItsLiveHolderWrote) {
  Project p;
  LiveProcess process;
  // Written a second ago by the process that still runs: held.
  p.lock(process.pid(), "ops", "stackctl apply --env dev", utc(0));
  Outcome held = p.run({"unlock", "--env", "dev"});
  EXPECT_EQ(held.exit_code, 4) << held.err;
  EXPECT_TRUE(contains(held.err, "env 'dev' is locked: held by ops@" + this_host() + " (pid " +
                                     std::to_string(process.pid()) + ")"))
      << held.err;
  EXPECT_TRUE(p.exists(".stackctl/dev/lock"));
  // The same pid, but the lock is an hour older than the process: its holder is gone.
  const std::string since = utc(3600);
  p.lock(process.pid(), "ops", "stackctl apply --env dev", since);
  Outcome r = p.run({"unlock", "--env", "dev"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "removed the lock of env dev (held by ops@" + this_host() + " (pid " +
                       std::to_string(process.pid()) +
                       ") running 'stackctl apply --env dev' since " + since + ")\n");
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  EXPECT_EQ(::kill(process.pid(), 0), 0);
}

TEST(LockLimits, AFileOver64KiBIsNotALockItCountsAsHeldUntilForcedAway) {
  Project p;
  // A stale lock of a dead process, padded: at exactly 64 KiB it is still read (and taken
  // over); one byte more and it is not a lock at all.
  const int dead = dead_pid();
  auto padded = [&](std::size_t size) {
    nlohmann::ordered_json j = {{"pid", dead},      {"host", this_host()},
                                {"user", "ops"},    {"command", "stackctl apply --env dev"},
                                {"since", utc(60)}, {"note", ""}};
    const std::size_t base = j.dump().size() + 1;
    j["note"] = std::string(size - base, 'x');
    const std::string text = j.dump() + "\n";
    EXPECT_EQ(text.size(), size);
    return text;
  };
  ASSERT_NE(::kill(dead, 0), 0) << "pid " << dead << " must be free";
  p.write(".stackctl/dev/lock", padded(64 * 1024));
  Outcome at_limit = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(at_limit.exit_code, 0) << at_limit.err;
  EXPECT_TRUE(contains(at_limit.err, "warning: took over a stale lock held by ops@"))
      << at_limit.err;

  p.clear_calls();
  p.write(".stackctl/dev/lock", padded(64 * 1024 + 1));
  Outcome over = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(over.exit_code, 4) << over.err;
  EXPECT_TRUE(contains(
      over.err, "stackctl: env 'dev' is locked: held by an unknown holder (the lock file " +
                    p.lock_path() +
                    " is not a valid lock: it is over 64 KiB, which no lock is); wait for it, "
                    "or run 'stackctl unlock --env dev --force' if it is gone\n"))
      << over.err;
  EXPECT_FALSE(fs::exists(p.call_log())) << "nothing ran";
  Outcome plain = p.run({"unlock", "--env", "dev"});
  EXPECT_EQ(plain.exit_code, 4) << plain.err;
  EXPECT_EQ(plain.err, "stackctl: env 'dev' is locked: held by an unknown holder (the lock file " +
                           p.lock_path() +
                           " is not a valid lock); pass --force to remove it anyway\n");
  EXPECT_TRUE(p.exists(".stackctl/dev/lock"));
  Outcome forced = p.run({"unlock", "--env", "dev", "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(forced.err, "removed the lock of env dev\n");
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  EXPECT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
}

TEST(Terminal, ALockHoldersTextIsShownEscapedNotObeyed) {
  Project p;
  // A live holder (this test's own process, started before the lock was written).
  const std::string user = "ops\x1b]0;pwned\x07";
  const std::string command = "stackctl apply\x1b[1A\x1b[2K --env dev\r[1/1] vpc apply ok";
  const std::string since = utc(0);
  p.lock(static_cast<int>(::getpid()), user, command, since);
  const std::string shown =
      terminal_safe("held by " + user + "@" + this_host() + " (pid " + std::to_string(::getpid()) +
                    ") running '" + command + "' since " + since);
  ASSERT_NE(shown, "held by " + user);
  for (const bool colour : {false, true}) {
    SCOPED_TRACE(colour ? "CLICOLOR_FORCE=1" : "NO_COLOR=1");
    const std::map<std::string, std::string> env =
        colour ? std::map<std::string, std::string>{{"NO_COLOR", ""}, {"CLICOLOR_FORCE", "1"}}
               : std::map<std::string, std::string>{};
    Outcome run = p.run({"apply", "--env", "dev", "--yes"}, env);
    EXPECT_EQ(run.exit_code, 4) << run.err;
    EXPECT_TRUE(contains(run.err, "stackctl: env 'dev' is locked: " + shown + "; wait for it"))
        << run.err;
    Outcome unlock = p.run({"unlock", "--env", "dev"}, env);
    EXPECT_EQ(unlock.exit_code, 4) << unlock.err;
    EXPECT_TRUE(contains(unlock.err, "stackctl: env 'dev' is locked: " + shown + "; pass --force"))
        << unlock.err;
    for (const Outcome* o : {&run, &unlock}) {
      EXPECT_FALSE(contains(o->err, "\x07")) << o->err;
      EXPECT_FALSE(contains(o->err, "\r")) << o->err;
      if (!colour) {
        EXPECT_FALSE(contains(o->err, "\x1b")) << o->err;
      }
      EXPECT_FALSE(contains(o->err, "\x1b]0;")) << o->err;
      EXPECT_FALSE(contains(o->err, "\x1b[1A")) << o->err;
    }
  }
  Outcome forced = p.run({"unlock", "--env", "dev", "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(forced.err, "removed the lock of env dev (" + shown + ")\n");
}
