#include "signal_pipe.h"

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

namespace stackctl {

namespace {

// The handler cannot take arguments, so the pipe it writes to is process state. Only the
// newest SignalPipe uses it; older ones get it back when the newer one goes away.
volatile std::sig_atomic_t g_write_fd = -1;
volatile std::sig_atomic_t g_owner_pid = 0;

constexpr int kSignals[kSignalCount] = {SIGINT, SIGTERM, SIGHUP, SIGCHLD};

extern "C" void on_signal(int sig) {
  const int saved_errno = errno;
  // Between fork() and exec() a child still runs this handler: it must not write to the
  // parent's pipe (that would be a fake interrupt for the parent).
  if (g_write_fd >= 0 && ::getpid() == g_owner_pid) {
    // A hang-up (the terminal closed, the SSH session dropped) asks the run to end exactly as
    // SIGTERM does: readers of the pipe see SIGTERM.
    const unsigned char byte = static_cast<unsigned char>(sig == SIGHUP ? SIGTERM : sig);
    ssize_t ignored = ::write(g_write_fd, &byte, 1);  // full pipe: the wakeup is pending anyway
    (void)ignored;
  }
  errno = saved_errno;
}

}  // namespace

SignalPipe::SignalPipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return;
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  previous_fd_ = g_write_fd;
  previous_owner_ = g_owner_pid;
  g_owner_pid = ::getpid();
  g_write_fd = write_fd_;

  struct sigaction sa = {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // other code's blocking calls are not cut short by EINTR
  for (int i = 0; i < kSignalCount; ++i) {
    struct sigaction act = sa;
    if (kSignals[i] == SIGCHLD) act.sa_flags |= SA_NOCLDSTOP;
    ::sigaction(kSignals[i], &act, &previous_[i]);
  }
}

SignalPipe::~SignalPipe() {
  if (read_fd_ < 0) return;
  for (int i = 0; i < kSignalCount; ++i) ::sigaction(kSignals[i], &previous_[i], nullptr);
  g_write_fd = previous_fd_;
  g_owner_pid = previous_owner_;
  ::close(read_fd_);
  ::close(write_fd_);
}

std::vector<int> SignalPipe::drain() {
  std::vector<int> out;
  if (read_fd_ < 0) return out;
  unsigned char buf[64];
  for (;;) {
    ssize_t n = ::read(read_fd_, buf, sizeof buf);
    if (n > 0) {
      for (ssize_t i = 0; i < n; ++i) out.push_back(buf[i]);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return out;  // EAGAIN: empty
  }
}

}  // namespace stackctl
