// Interrupts outside the executor: waiting for the lock, the prompt, and no child after one.
#include "stackctl/runner/interrupts.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include "signal_pipe.h"
#include "stackctl/util/error.h"

namespace stackctl {

InterruptWatch::InterruptWatch() : pipe_(std::make_unique<SignalPipe>()) {}
InterruptWatch::~InterruptWatch() = default;

int InterruptWatch::received() {
  for (int sig : pipe_->drain())
    if (sig != SIGCHLD && first_ == 0) first_ = sig;
  return first_;
}

void InterruptWatch::check(const std::string& moment) {
  if (received() == 0) return;
  throw Error(ExitCode::Interrupted,
              "interrupted (" + signal_name(first_) + ") " + moment + "; nothing was started");
}

bool InterruptWatch::sleep(std::chrono::milliseconds timeout) {
  if (received() != 0) return true;
  struct pollfd p = {pipe_->fd(), POLLIN, 0};
  if (p.fd < 0) {
    ::usleep(static_cast<useconds_t>(timeout.count()) * 1000);
    return received() != 0;
  }
  ::poll(&p, 1, static_cast<int>(timeout.count()));
  return received() != 0;
}

std::optional<std::string> InterruptWatch::read_line(int fd, const std::string& moment) {
  std::string line;
  for (;;) {
    if (received() != 0) {
      std::fputc('\n', stderr);  // end the prompt's line before the error
      check(moment);
    }
    struct pollfd p[2] = {{fd, POLLIN, 0}, {pipe_->fd(), POLLIN, 0}};
    if (::poll(p, p[1].fd < 0 ? 1 : 2, -1) < 0 && errno != EINTR) return std::nullopt;
    if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char c = 0;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return line.empty() ? std::nullopt : std::optional<std::string>(line);
    if (c == '\n') return line;
    line += c;
  }
}

InterruptLatch::InterruptLatch(ProcessRunner& inner, int interrupted) : inner_(inner) {
  if (interrupted == 0) return;
  RunnerEvent ev;
  ev.type = RunnerEvent::Type::Interrupt;
  ev.signal = interrupted;
  queue(ev);
}

void InterruptLatch::queue(const RunnerEvent& ev) {
  if (ev.type == RunnerEvent::Type::Interrupt && interrupted_ == 0) interrupted_ = ev.signal;
  if (ev.type == RunnerEvent::Type::Exited) ++exits_queued_;
  queued_.push_back(ev);
}

// Takes what the inner runner already has to report (an interrupt still in its pipe, children
// that ended) without waiting, so start() decides on everything that has happened.
void InterruptLatch::fetch_pending() {
  for (;;) {
    RunnerEvent ev = inner_.wait(std::chrono::milliseconds(0));
    if (ev.type == RunnerEvent::Type::Timeout) return;
    queue(ev);
  }
}

int InterruptLatch::start(const ChildSpec& spec) {
  if (interrupted_ == 0) fetch_pending();
  if (interrupted_ == 0) return inner_.start(spec);
  RunnerEvent refused;
  refused.type = RunnerEvent::Type::Exited;
  refused.result.id = next_refused_id_++;
  refused.result.signal = SIGINT;
  refused.result.spawn_error = kNotStartedAfterInterrupt;
  queue(refused);
  return refused.result.id;
}

RunnerEvent InterruptLatch::wait(std::chrono::milliseconds timeout) {
  if (queued_.empty()) {
    RunnerEvent ev = inner_.wait(timeout);
    if (ev.type == RunnerEvent::Type::Interrupt && interrupted_ == 0) interrupted_ = ev.signal;
    return ev;
  }
  RunnerEvent ev = queued_.front();
  queued_.pop_front();
  if (ev.type == RunnerEvent::Type::Exited) --exits_queued_;
  return ev;
}

void InterruptLatch::signal(int id, int sig) {
  if (id >= (1 << 30)) return;  // a refused child: there is no process
  inner_.signal(id, sig);
}

}  // namespace stackctl
