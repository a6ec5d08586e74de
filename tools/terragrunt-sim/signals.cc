// The handler only does async-signal-safe work: one write(2) to the log, a counter, and a byte
// into a pipe that wakes the sleeper.
#include "signals.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace tgsim {
namespace {

volatile sig_atomic_t g_count = 0;
volatile sig_atomic_t g_last = SIGINT;
volatile sig_atomic_t g_log_fd = -1;
int g_wake[2] = {-1, -1};
char g_int_line[64];
char g_term_line[64];
std::size_t g_int_len = 0;
std::size_t g_term_len = 0;

extern "C" void on_signal(int sig) {
  int saved = errno;
  g_count = g_count + 1;
  g_last = sig;
  int fd = g_log_fd;
  if (fd >= 0) {
    ssize_t ignored =
        sig == SIGINT ? ::write(fd, g_int_line, g_int_len) : ::write(fd, g_term_line, g_term_len);
    (void)ignored;
  }
  char byte = 1;
  ssize_t ignored = ::write(g_wake[1], &byte, 1);
  (void)ignored;
  errno = saved;
}

std::size_t format_line(char* buf, std::size_t size, const char* name) {
  std::string line = std::string(name) + " pid=" + std::to_string(::getpid()) + "\n";
  std::size_t n = std::min(line.size(), size);
  std::memcpy(buf, line.data(), n);
  return n;
}

}  // namespace

bool set_signal_log(const std::string& log_path, std::string& error) {
  int fd = -1;
  if (!log_path.empty()) {
    fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
      error = "cannot open " + log_path + ": " + std::strerror(errno);
      return false;
    }
  }
  int old = g_log_fd;
  g_log_fd = fd;
  if (old >= 0) ::close(old);
  return true;
}

bool install_signal_handlers(const std::string& log_path, std::string& error) {
  g_int_len = format_line(g_int_line, sizeof g_int_line, "SIGINT");
  g_term_len = format_line(g_term_line, sizeof g_term_line, "SIGTERM");
  if (::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) {
    error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return false;
  }
  if (!set_signal_log(log_path, error)) return false;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  return true;
}

int signals_received() { return g_count; }

int last_signal() { return g_last; }

bool sleep_unless_signalled(double seconds) {
  using clock = std::chrono::steady_clock;
  int seen = g_count;
  auto deadline = clock::now() + std::chrono::duration<double>(seconds);
  while (g_count == seen) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0) return true;
    pollfd pfd{g_wake[0], POLLIN, 0};
    int timeout = static_cast<int>(std::min<long long>(left.count(), 1000));
    if (g_wake[0] < 0) {
      ::usleep(static_cast<useconds_t>(timeout) * 1000);
      continue;
    }
    if (::poll(&pfd, 1, timeout) > 0) {
      char buf[64];
      while (::read(g_wake[0], buf, sizeof buf) > 0) {
      }
    }
  }
  return false;
}

}  // namespace tgsim
