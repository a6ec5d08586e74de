// End to end against the REAL terragrunt and OpenTofu: Ctrl-C while tofu runs `show -json` of
// the plan it just made. A real show lasts a fraction of a second, so the scenario holds it: it
// stops the tofu process (SIGSTOP) as soon as it appears, sends Ctrl-C, waits until stackctl's
// SIGINT is pending in tofu and lets tofu go on (SIGCONT). The SIGINT then meets tofu at the
// start of its show (it ends with `signal: interrupt`); the layer must end interrupted and
// nothing be applied.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "real/real_project.h"

using namespace stackctl::testing;
namespace fs = std::filesystem;

namespace {

class RealInterrupts : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto t = real_tools(why);
    if (!t) {
      std::cerr << "\n*** REAL TOOLS MISSING: SKIPPING THE REAL-TOOLS SCENARIO ***\n*** " << why
                << " ***\n\n";
      GTEST_SKIP() << why;
    }
    tools = *t;
  }
  RealTools tools;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Watches /proc (up to 120 s) for a tofu whose arguments are `show -json ...` and whose working
/// folder is inside project (scenarios of other tests run at the same time), and stops it at
/// once; its pid, or -1.
int stop_the_show(const fs::path& project) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& entry : fs::directory_iterator("/proc")) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      const std::string cmdline = slurp(entry.path() / "cmdline");
      if (cmdline.find(std::string("\0show\0-json\0", 12)) == std::string::npos) continue;
      if (slurp(entry.path() / "comm") != "tofu\n") continue;
      std::error_code ec;
      const std::string cwd = fs::read_symlink(entry.path() / "cwd", ec).string();
      if (ec || cwd.rfind(project.string() + "/", 0) != 0) continue;
      const int pid = std::stoi(name);
      ::kill(pid, SIGSTOP);
      return pid;
    }
    ::usleep(500);
  }
  return -1;
}

/// The line of /proc/PID/status that starts with field, "" when there is none.
std::string status_line(int pid, const std::string& field) {
  std::istringstream status(slurp("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field, 0) == 0) return line;
  return "";
}

/// Polls (up to 2 s) until process pid is stopped; false when it ended first.
bool stopped(int pid) {
  for (int i = 0; i < 200; ++i, ::usleep(10 * 1000)) {
    const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) return false;
    if (stat[close + 2] == 'T' || stat[close + 2] == 't') return true;
  }
  return false;
}

/// Polls (up to 30 s) until sig is pending for process pid (SigPnd or ShdPnd).
bool pending(int pid, int sig) {
  for (int i = 0; i < 3000; ++i, ::usleep(10 * 1000))
    for (const std::string field : {"SigPnd:", "ShdPnd:"}) {
      const std::string line = status_line(pid, field);
      if (!line.empty() && (std::stoull(line.substr(field.size()), nullptr, 16) >> (sig - 1)) & 1)
        return true;
    }
  return false;
}

}  // namespace

TEST_F(RealInterrupts, CtrlCDuringARealShowInterruptsTheLayerAndNothingIsApplied) {
  // A show found in its last instant ends before it can be stopped, and the run goes on to
  // apply: that attempt proves nothing and the scenario starts again in a new project.
  for (int attempt = 1; attempt <= 5; ++attempt) {
    SCOPED_TRACE("attempt " + std::to_string(attempt));
    RealProject p(tools, {{"vpc", {}}});
    // A saved plan's apply starts at its show (with OpenTofu 1.12 a plain apply starts none: the
    // plan's own stream stands in for it).
    ASSERT_EQ(p.stackctl({"plan", "--env", "real", "--out-dir", "plans"}).exit_code, 0);
    auto run = p.start_stackctl({"apply", "--env", "real", "--plan-dir", "plans", "--yes"});
    const int show = stop_the_show(fs::canonical(p.root()));
    ASSERT_GT(show, 0) << "tofu show never ran: " << run->wait().err;
    if (!stopped(show)) {
      std::cerr << "attempt " << attempt << ": tofu show ended before it could be stopped\n";
      run->wait();
      continue;
    }
    run->signal(SIGINT, true);  // Ctrl-C: the terminal signals stackctl's foreground group
    const bool delivered = pending(show, SIGINT);
    ::kill(show, SIGCONT);
    ASSERT_TRUE(delivered) << "stackctl never sent tofu show its SIGINT";
    Outcome o = run->wait();
    EXPECT_EQ(o.exit_code, 130) << o.err;
    EXPECT_EQ(p.last_result("vpc"), "interrupted");
    const std::string log = p.last_log("vpc.apply");
    EXPECT_EQ(log.find("Creating..."), std::string::npos) << "nothing was applied: " << log;
    EXPECT_EQ(p.resources("vpc"), std::vector<std::string>{}) << "the real state is unchanged";
    EXPECT_FALSE(p.exists(".stackctl/real/lock")) << "the env lock is released";
    return;
  }
  FAIL() << "five shows in a row ended before they could be stopped";
}
