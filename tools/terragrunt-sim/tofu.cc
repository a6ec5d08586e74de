// The parent starts `/proc/self/exe` as `tofu <command> <args>` with the invocation in
// TERRAGRUNT_SIM_TOFU, never in a process group of its own (terragrunt does not give tofu one),
// then polls for the child's end and for its own signals. Its reaction to a signal of its own
// is the emulated version's (see InterruptPolicy).
#include "tofu.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>

#include <nlohmann/json.hpp>

#include "flow.h"
#include "signals.h"
#include "state.h"

extern char** environ;

namespace tgsim {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string payload_of(const Context& ctx) {
  return json{{"module_dir", ctx.module_dir.string()},
              {"command", ctx.inv.command},
              {"tf_args", ctx.inv.tf_args},
              {"log_disable", ctx.log.disabled()},
              {"forward_stdout", ctx.log.forwards_raw()},
              {"non_interactive", ctx.inv.non_interactive},
              {"unit", ctx.log.unit()},
              {"version", ctx.version.to_string()}}
      .dump();
}

/// Starts the child; -1 when fork fails.
pid_t start_child(const Context& ctx) {
  std::vector<std::string> args = {"tofu", ctx.inv.command};
  args.insert(args.end(), ctx.inv.tf_args.begin(), ctx.inv.tf_args.end());
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "TERRAGRUNT_SIM_TOFU=", 20) != 0) env.emplace_back(*e);
  }
  env.push_back(std::string(kTofuVariable) + "=" + payload_of(ctx));
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  for (auto& e : env) envp.push_back(e.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::execve("/proc/self/exe", argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

/// TERRAGRUNT_SIM_SIGNAL_SCALE: a factor for terragrunt's signal timers (default 1).
bool signal_scale(double& scale, std::string& error) {
  scale = 1;
  const char* raw = std::getenv("TERRAGRUNT_SIM_SIGNAL_SCALE");
  if (raw == nullptr || *raw == '\0') return true;
  char* end = nullptr;
  scale = std::strtod(raw, &end);
  if (*end == '\0' && scale > 0) return true;
  error =
      std::string("invalid TERRAGRUNT_SIM_SIGNAL_SCALE '") + raw + "': expected a positive number";
  return false;
}

/// Go's name of a signal as terragrunt titles it.
const char* signal_title(int sig) { return sig == SIGTERM ? "Terminated" : "Interrupt"; }

/// Terragrunt's side of the wait: its timers after a signal of its own.
class Supervisor {
 public:
  Supervisor(const Context& ctx, pid_t child, double scale)
      : ctx_(ctx), child_(child), scale_(scale), policy_(ctx.version.interrupt_policy()) {}

  /// Waits for the child; returns terragrunt's exit code.
  int wait();

 private:
  void on_first_signal(int sig);
  /// False when terragrunt exits without waiting for tofu.
  bool on_second_signal();
  /// False when terragrunt exits without waiting for tofu.
  bool run_timers();
  int exit_code(int status) const;
  Clock::time_point after(double seconds) const {
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(seconds * scale_));
  }

  const Context& ctx_;
  pid_t child_;
  double scale_;
  InterruptPolicy policy_;
  int handled_ = 0;
  int signal_ = SIGINT;
  bool forwarded_ = false;
  std::optional<Clock::time_point> forward_at_, kill_at_, exit_at_;
};

void Supervisor::on_first_signal(int sig) {
  signal_ = sig;
  std::string line =
      std::string(signal_title(sig)) + " signal received. Gracefully shutting down...";
  if (policy_.second_signal_exits) line += " (it can take up to 30s)";
  ctx_.log.info(line);
  switch (policy_.action) {
    case InterruptPolicy::Action::KillAtOnce:
      ::kill(child_, SIGKILL);
      return;
    case InterruptPolicy::Action::ForwardAtOnce:
      // At once, but after tofu has taken the group's copy: two SIGINTs pending together would
      // merge into one.
      forward_at_ = Clock::now() + std::chrono::milliseconds(30);
      return;
    case InterruptPolicy::Action::ForwardLater:
      break;
  }
  forward_at_ = after(policy_.forward_after_s);
  if (policy_.kill_after_s > 0) kill_at_ = after(policy_.kill_after_s);
  if (policy_.force_exit_after_s > 0) exit_at_ = after(policy_.force_exit_after_s);
}

bool Supervisor::on_second_signal() {
  if (policy_.second_signal_exits) {
    ctx_.log.info(std::string("Second ") + signal_title(last_signal()) +
                  " signal received, force shutting down...");
    return false;
  }
  if (policy_.action == InterruptPolicy::Action::ForwardLater && !forwarded_) {
    forwarded_ = true;
    ::kill(child_, signal_);
  }
  return true;
}

bool Supervisor::run_timers() {
  auto now = Clock::now();
  if (forward_at_ && now >= *forward_at_ && !forwarded_) {
    forwarded_ = true;
    ::kill(child_, signal_);
  }
  if (kill_at_ && now >= *kill_at_) {
    kill_at_.reset();
    ::kill(child_, SIGKILL);
  }
  if (exit_at_ && now >= *exit_at_) {
    ctx_.log.info("Failed to gracefully shutdown within 1m0s, force shutting down...");
    return false;
  }
  return true;
}

int Supervisor::exit_code(int status) const {
  std::string failed = "Failed to execute \"" + ctx_.terraform_command_line() + "\" in .\n";
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    ctx_.log.error(failed + "signal: " +
                   (sig == SIGKILL  ? "killed"
                    : sig == SIGINT ? "interrupt"
                                    : strsignal(sig)));
    return 1;
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  bool changes = code == 2 && ctx_.inv.command == "plan" && ctx_.tf.detailed_exitcode;
  if (code != 0 && !changes) ctx_.log.error(failed + "exit status " + std::to_string(code));
  return code;
}

int Supervisor::wait() {
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(child_, &status, WNOHANG);
    if (done == child_) return exit_code(status);
    if (done < 0 && errno != EINTR) return 1;
    while (handled_ < signals_received()) {
      ++handled_;
      if (handled_ == 1) on_first_signal(last_signal());
      if (handled_ == 2 && !on_second_signal()) return 1;
    }
    if (!run_timers()) return 1;
    sleep_unless_signalled(0.02);
  }
}

}  // namespace

int run_in_tofu(Context& ctx) {
  ctx.forked = true;
  std::string error;
  double scale = 1;
  if (!signal_scale(scale, error) ||
      !set_signal_log((sim_dir(ctx.module_dir) / "terragrunt-signals.log").string(), error)) {
    return terragrunt_error(ctx, error).exit_code;
  }
  pid_t child = start_child(ctx);
  if (child < 0)
    return terragrunt_error(ctx, std::string("fork: ") + std::strerror(errno)).exit_code;
  return Supervisor(ctx, child, scale).wait();
}

int tofu_main(const std::string& payload) {
  json j = json::parse(payload, nullptr, false);
  std::string error;
  auto version = j.is_object() ? parse_sim_version(j.value("version", "")) : std::nullopt;
  if (!version) return 1;
  Context ctx;
  ctx.version = *version;
  ctx.in_tofu = true;
  ctx.module_dir = j.value("module_dir", "");
  ctx.inv.command = j.value("command", "");
  ctx.inv.tf_args = j.value("tf_args", std::vector<std::string>{});
  ctx.inv.non_interactive = j.value("non_interactive", false);
  ctx.log = Logger(j.value("log_disable", false), j.value("forward_stdout", false));
  ctx.log.set_unit(j.value("unit", ""));
  auto tf = parse_tf_options(ctx.inv.tf_args, error);
  if (!tf || !load_faults(ctx.module_dir, ctx.inv.command, ctx.faults, error) ||
      !install_signal_handlers((sim_dir(ctx.module_dir) / "signals.log").string(), error)) {
    ctx.log.tf_stderr(error + "\n");
    return 1;
  }
  ctx.tf = *tf;
  int code = run_tofu_command(ctx);
  if (ctx.faults.exit_code && signals_received() == 0) code = *ctx.faults.exit_code;
  return code;
}

}  // namespace tgsim
