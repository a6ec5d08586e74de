// The real ProcessRunner: children in their own process groups, one poll() loop over their
// pipes and the signal self-pipe, children always reaped.
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_output.h"
#include "signal_pipe.h"
#include "spawn.h"
#include "stackctl/runner.h"

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

struct Child {
  int id = 0;
  pid_t pid = -1;
  int fds[2] = {-1, -1};  ///< stdout, stderr read ends; -1 once at EOF
  Clock::time_point started;
  std::unique_ptr<ChildOutput> output;

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
  void finish(Child& child, const int* status);
  RunnerEvent pop();

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
    // Without the self-pipe, no SIGCHLD wakes poll(): look for exits every 50 ms.
    if (signals_.fd() < 0) {
      if (live_.empty()) return RunnerEvent{};  // nothing could ever happen
      if (slice < 0 || slice > 50) slice = 50;
    }
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

void PosixRunner::reap_exited() {
  for (std::size_t i = 0; i < live_.size();) {
    int status = 0;
    pid_t r = ::waitpid(live_[i]->pid, &status, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR)) {
      ++i;
      continue;
    }
    // r < 0 (ECHILD): someone else reaped it and its status is lost.
    finish(*live_[i], r == live_[i]->pid ? &status : nullptr);
    live_.erase(live_.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

// The child has exited: all it wrote is in the pipes, so drain them without waiting for their
// end (a grandchild that still holds a pipe open does not hold the result back), then queue it.
void PosixRunner::finish(Child& child, const int* status) {
  read_pipe(child, 0, true);
  read_pipe(child, 1, true);
  child.output->finish();
  RunnerEvent ev;
  ev.type = RunnerEvent::Type::Exited;
  ChildResult& r = ev.result;
  r.id = child.id;
  if (status != nullptr && WIFSIGNALED(*status)) r.signal = WTERMSIG(*status);
  if (status != nullptr && WIFEXITED(*status)) r.exit_code = WEXITSTATUS(*status);
  r.duration_s = std::chrono::duration<double>(Clock::now() - child.started).count();
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
  for (auto& child : live_) kill_group(child->pid, sig);
}

void PosixRunner::signal(int id, int sig) {
  for (auto& child : live_)
    if (child->id == id) kill_group(child->pid, sig);
}

}  // namespace

std::unique_ptr<ProcessRunner> make_process_runner(const ProcessRunnerOptions& options) {
  return std::make_unique<PosixRunner>(options);
}

}  // namespace stackctl
