// The real ProcessRunner: children in their own process groups, one poll() loop over their
// pipes and the signal self-pipe, children always reaped. A child counts as running until every
// process of its group is gone, and an interrupt reaches the processes its spec names: for
// terragrunt, everything in the group but terragrunt itself (docs/contract.md, Ctrl-C, SIGTERM and
// SIGHUP).
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_output.h"
#include "signal_pipe.h"
#include "spawn.h"
#include "stackctl/runner/runner.h"
#include "stackctl/util/process_group.h"

namespace stackctl {

namespace {

using Clock = std::chrono::steady_clock;

// Writes an echoed line to stderr in one write(), so lines of parallel children never mix.
void echo_to_stderr(const std::string& text) {
  std::string_view rest(text);
  while (!rest.empty()) {
    ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Sends sig to the child's process group; to the child alone if the group is already gone.
void kill_group(pid_t pid, int sig) {
  if (::kill(-pid, sig) != 0 && errno == ESRCH) ::kill(pid, sig);
}

// How often the group of a child is looked at while it has an interrupt pending or processes
// left after its leader exited.
constexpr int kGroupPollMs = 50;
// How long a just-forked member still running the leader's program is left to exec before a
// pending signal is sent to it anyway.
constexpr std::chrono::milliseconds kForkGrace{200};
// How long processes may linger after their leader before the runner says it waits for them.
constexpr std::chrono::seconds kLingerNotice{2};

// Whether any process of the group is left that is not a zombie. kill(-pgid, 0) answers the
// common case (nothing left) in one call; only a group that still exists is read from /proc.
bool group_alive(pid_t pgid) {
  if (::kill(-pgid, 0) != 0 && errno == ESRCH) return false;
  return !process_group_members(pgid).empty();
}

struct Child {
  int id = 0;
  pid_t pid = -1;         ///< the leader; also the process group id
  int fds[2] = {-1, -1};  ///< stdout, stderr read ends; -1 once at EOF
  Clock::time_point started;
  std::unique_ptr<ChildOutput> output;
  std::string label;
  InterruptScope scope = InterruptScope::Group;
  bool leader_exited = false;  ///< reaped; the result waits for the rest of the group
  int status = 0;              ///< the leader's wait status, once leader_exited
  bool status_known = false;
  Clock::time_point leader_exit_time;
  bool linger_told = false;
  int pending_signal = 0;     ///< GroupButLeader: the signal new group members still get
  std::set<pid_t> signalled;  ///< members that got pending_signal already
  std::string leader_name;    ///< the leader's command name, as last seen in its group
  std::map<pid_t, Clock::time_point> forked;  ///< members seen still running the leader's program
  bool killing = false;                       ///< SIGKILL sent: every member left gets it too
  std::set<pid_t> killed_pids;
  std::string killed;  ///< who SIGKILL ended

  ~Child() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
};

class PosixRunner final : public ProcessRunner {
 public:
  explicit PosixRunner(const ProcessRunnerOptions& options)
      : echo_(options.echo ? options.echo : EchoSink(echo_to_stderr)) {}
  ~PosixRunner() override;

  int start(const ChildSpec& spec) override;
  RunnerEvent wait(std::chrono::milliseconds timeout) override;
  void signal_all(int sig) override;
  void signal(int id, int sig) override;
  std::size_t running() const override { return unreported_; }

 private:
  void poll_once(int timeout_ms);
  void read_pipe(Child& child, int stream, bool until_empty);
  void reap_exited();
  void finish(Child& child);
  RunnerEvent pop();
  void signal_child(Child& child, int sig);
  void deliver_pending(Child& child);
  void kill_members(Child& child);
  bool watching_groups() const;

  EchoSink echo_;
  SignalPipe signals_;
  std::vector<std::unique_ptr<Child>> live_;  ///< started, not yet exited, in start order
  std::deque<RunnerEvent> pending_;           ///< seen, not yet returned by wait()
  int next_id_ = 1;
  std::size_t unreported_ = 0;
};

PosixRunner::~PosixRunner() {
  for (auto& child : live_) {
    kill_group(child->pid, SIGKILL);
    int status = 0;
    while (::waitpid(child->pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  live_.clear();  // closes the pipes and logs before signals_ restores the old handlers
}

int PosixRunner::start(const ChildSpec& spec) {
  ++unreported_;
  auto child = std::make_unique<Child>();
  child->id = next_id_++;
  child->started = Clock::now();
  child->output = std::make_unique<ChildOutput>(spec, echo_);
  Spawned spawned = spawn_child(spec);
  if (!spawned.error.empty()) {
    RunnerEvent ev;
    ev.type = RunnerEvent::Type::Exited;
    ev.result.id = child->id;
    ev.result.spawn_error = spawned.error;
    child->output->take_into(ev.result);
    pending_.push_back(std::move(ev));
    return child->id;
  }
  child->pid = spawned.pid;
  child->label = spec.label;
  child->scope = spec.interrupt_scope;
  child->fds[0] = spawned.out_fd;
  child->fds[1] = spawned.err_fd;
  live_.push_back(std::move(child));
  return live_.back()->id;
}

// Waits in poll() slices until an event is queued or the deadline passes.
RunnerEvent PosixRunner::wait(std::chrono::milliseconds timeout) {
  const bool forever = timeout.count() < 0 || timeout.count() >= INT_MAX;
  const Clock::time_point deadline = forever ? Clock::time_point::max() : Clock::now() + timeout;
  for (;;) {
    if (!pending_.empty()) return pop();
    int slice = -1;
    if (!forever) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      slice = static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
    }
    // Without the self-pipe, no SIGCHLD wakes poll(): look for exits every 50 ms. Nothing
    // wakes poll() either when a process of a group starts or ends (it is not our child).
    if (signals_.fd() < 0 && live_.empty()) return RunnerEvent{};  // nothing could ever happen
    if (signals_.fd() < 0 || watching_groups())
      if (slice < 0 || slice > kGroupPollMs) slice = kGroupPollMs;
    poll_once(slice);
    if (!pending_.empty()) return pop();
    if (!forever && Clock::now() >= deadline) return RunnerEvent{};
  }
}

// One round: wait for pipe data or a signal, route the output, queue interrupts and exits.
void PosixRunner::poll_once(int timeout_ms) {
  std::vector<pollfd> fds;
  std::vector<std::pair<Child*, int>> owners;  // fds[i + first_child] belongs to owners[i]
  if (signals_.fd() >= 0) fds.push_back({signals_.fd(), POLLIN, 0});
  const std::size_t first_child = fds.size();
  for (auto& child : live_)
    for (int s = 0; s < 2; ++s)
      if (child->fds[s] >= 0) {
        fds.push_back({child->fds[s], POLLIN, 0});
        owners.emplace_back(child.get(), s);
      }

  int ready = ::poll(fds.data(), static_cast<nfds_t>(fds.size()), timeout_ms);
  if (ready > 0) {
    for (std::size_t i = 0; i < owners.size(); ++i)
      if (fds[first_child + i].revents != 0) read_pipe(*owners[i].first, owners[i].second, false);
    if (first_child == 1 && fds[0].revents != 0) {
      for (int sig : signals_.drain()) {
        if (sig != SIGINT && sig != SIGTERM) continue;  // SIGCHLD only wakes us up
        RunnerEvent ev;
        ev.type = RunnerEvent::Type::Interrupt;
        ev.signal = sig;
        pending_.push_back(std::move(ev));
      }
    }
  }
  reap_exited();
}

// Reads what one pipe has: one chunk, or with until_empty all that is buffered. At the pipe's
// end it is closed.
void PosixRunner::read_pipe(Child& child, int stream, bool until_empty) {
  char buf[65536];
  int& fd = child.fds[stream];
  while (fd >= 0) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      child.output->add(static_cast<OutputStream>(stream),
                        std::string_view(buf, static_cast<std::size_t>(n)));
      if (!until_empty) return;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    ::close(fd);
    fd = -1;
  }
}

bool PosixRunner::watching_groups() const {
  for (const auto& child : live_)
    if (child->leader_exited || child->pending_signal != 0 || child->killing) return true;
  return false;
}

// Reaps exited leaders; a child whose group is empty is finished. One whose group still has
// processes (terraform saving state, a helper) stays until they are gone: the env lock must
// not be released while any of them runs.
void PosixRunner::reap_exited() {
  for (std::size_t i = 0; i < live_.size();) {
    Child& child = *live_[i];
    if (!child.leader_exited) {
      int status = 0;
      pid_t r = ::waitpid(child.pid, &status, WNOHANG);
      if (r == 0 || (r < 0 && errno == EINTR)) {
        deliver_pending(child);
        ++i;
        continue;
      }
      // r < 0 (ECHILD): someone else reaped it and its status is lost.
      child.leader_exited = true;
      child.status_known = r == child.pid;
      child.status = status;
      child.leader_exit_time = Clock::now();
    }
    if (group_alive(child.pid)) {
      deliver_pending(child);
      if (child.killing) kill_members(child);
      if (!child.linger_told && Clock::now() - child.leader_exit_time >= kLingerNotice) {
        child.linger_told = true;
        echo_("[" + child.label + "] waiting for the processes left in its process group: " +
              describe_members(process_group_members(child.pid)) + "\n");
      }
      ++i;
      continue;
    }
    finish(child);
    live_.erase(live_.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

// The child and its group are gone: all they wrote is in the pipes, so drain them without
// waiting for their end (a process of another group that holds a pipe open does not hold the
// result back), then queue it.
void PosixRunner::finish(Child& child) {
  read_pipe(child, 0, true);
  read_pipe(child, 1, true);
  child.output->finish();
  RunnerEvent ev;
  ev.type = RunnerEvent::Type::Exited;
  ChildResult& r = ev.result;
  r.id = child.id;
  if (child.status_known && WIFSIGNALED(child.status)) r.signal = WTERMSIG(child.status);
  if (child.status_known && WIFEXITED(child.status)) r.exit_code = WEXITSTATUS(child.status);
  r.duration_s = std::chrono::duration<double>(Clock::now() - child.started).count();
  r.killed = child.killed;
  child.output->take_into(r);
  pending_.push_back(std::move(ev));
}

RunnerEvent PosixRunner::pop() {
  RunnerEvent ev = std::move(pending_.front());
  pending_.pop_front();
  if (ev.type == RunnerEvent::Type::Exited) --unreported_;
  return ev;
}

void PosixRunner::signal_all(int sig) {
  for (auto& child : live_) signal_child(*child, sig);
}

void PosixRunner::signal(int id, int sig) {
  for (auto& child : live_)
    if (child->id == id) signal_child(*child, sig);
}

// SIGKILL ends the whole group. Other signals reach the whole group, or for GroupButLeader
// each other member once, and every member that appears later, until the child is finished.
void PosixRunner::signal_child(Child& child, int sig) {
  if (sig == SIGKILL) {
    child.killing = true;
    return kill_members(child);
  }
  if (child.scope == InterruptScope::Group) return kill_group(child.pid, sig);
  child.pending_signal = sig;
  child.signalled.clear();
  child.forked.clear();
  deliver_pending(child);
}

void PosixRunner::deliver_pending(Child& child) {
  if (child.pending_signal == 0) return;
  const Clock::time_point now = Clock::now();
  const std::vector<GroupMember> members = process_group_members(child.pid);
  for (const GroupMember& m : members)
    if (m.pid == child.pid) child.leader_name = m.name;  // kept once the leader has exited
  for (const GroupMember& m : members) {
    if (m.pid == child.pid || child.signalled.count(m.pid)) continue;
    // A process the leader has just forked runs the leader's program until it execs: a signal
    // landing then meets the leader's handler and is lost at the exec. It is sent once the
    // process runs a program of its own, or after kForkGrace if it never execs.
    if (m.name == child.leader_name) {
      auto seen = child.forked.emplace(m.pid, now).first;
      if (now - seen->second < kForkGrace) continue;
    }
    child.signalled.insert(m.pid);
    ::kill(m.pid, child.pending_signal);
  }
}

void PosixRunner::kill_members(Child& child) {
  std::vector<GroupMember> fresh;
  for (GroupMember& m : process_group_members(child.pid))
    if (child.killed_pids.insert(m.pid).second) fresh.push_back(std::move(m));
  if (!fresh.empty()) child.killed += (child.killed.empty() ? "" : ", ") + describe_members(fresh);
  if (child.leader_exited && fresh.empty() && !group_alive(child.pid)) return;
  kill_group(child.pid, SIGKILL);
}

}  // namespace

std::unique_ptr<ProcessRunner> make_process_runner(const ProcessRunnerOptions& options) {
  return std::make_unique<PosixRunner>(options);
}

}  // namespace stackctl
