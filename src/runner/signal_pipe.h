#pragma once
/// The runner's self-pipe: SIGINT, SIGTERM, SIGHUP and SIGCHLD become bytes a poll() loop can
/// wait on.
#include <csignal>
#include <vector>

namespace stackctl {

inline constexpr int kSignalCount = 4;  ///< SIGINT, SIGTERM, SIGHUP, SIGCHLD

/// While it exists, SIGINT, SIGTERM, SIGHUP and SIGCHLD are caught and each delivery writes one
/// byte to a pipe (the signal number; SIGTERM's for SIGHUP, which asks the run to end exactly as
/// SIGTERM does), so the runner's poll() wakes for them without races. The
/// previous handlers come back when it is destroyed. Instances nest (last created, first
/// destroyed); a signal goes to the newest one. Only the process that created it reacts: a
/// forked child that has not exec'd yet ignores the signal instead of writing into the pipe.
class SignalPipe {
 public:
  SignalPipe();
  ~SignalPipe();
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;

  /// The read end to poll for POLLIN, or -1 when no pipe could be made (signals then keep
  /// their previous handlers and the caller must poll for exits by itself).
  int fd() const { return read_fd_; }

  /// The signals received since the last call, in arrival order (non-blocking).
  std::vector<int> drain();

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
  int previous_fd_ = -1;
  int previous_owner_ = 0;
  struct sigaction previous_[kSignalCount] = {};
};

}  // namespace stackctl
