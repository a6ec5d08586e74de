#pragma once
/// Interrupts of one command (Ctrl-C, SIGTERM, SIGHUP) outside the executor's loop, and the
/// rule that holds everywhere: after an interrupt, no new child starts (docs/contract.md, Ctrl-C,
/// SIGTERM and SIGHUP).
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "stackctl/runner/runner.h"

namespace stackctl {

class SignalPipe;

/// ChildResult::spawn_error of a child InterruptLatch refused to start.
inline constexpr const char* kNotStartedAfterInterrupt = "not started: stackctl was interrupted";

/// While it exists, interrupts are caught instead of ending stackctl, so the command can stop
/// where it is: waiting for the env lock, at the confirmation prompt, between steps. A process
/// runner made later catches them itself while it exists (the newest catcher gets them).
class InterruptWatch {
 public:
  InterruptWatch();
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  /// The first interrupt signal received so far, or 0 (non-blocking).
  int received();
  /// Throws Error(Interrupted) `interrupted MOMENT; nothing was started` once one was received.
  void check(const std::string& moment);
  /// Sleeps up to timeout, waking early for an interrupt; true when one was received.
  bool sleep(std::chrono::milliseconds timeout);
  /// Reads one line (without its newline) from fd, e.g. the answer to a prompt on stdin; nullopt
  /// at end of input. An interrupt meanwhile throws as check(moment) does.
  std::optional<std::string> read_line(int fd, const std::string& moment);

 private:
  std::unique_ptr<SignalPipe> pipe_;
  int first_ = 0;
};

/// A ProcessRunner in front of another that starts nothing once an interrupt was seen: one
/// reported by the inner runner's wait(), one still pending in it when start() is called (it is
/// fetched first and reported before anything else), or one given to the constructor. A child
/// refused this way is reported by the next wait() as ended by SIGINT with spawn_error
/// `not started: stackctl was interrupted`, after the Interrupt event; no process exists for it.
class InterruptLatch : public ProcessRunner {
 public:
  /// interrupted: a signal received before this runner existed (reported by the first wait()).
  explicit InterruptLatch(ProcessRunner& inner, int interrupted = 0);
  int start(const ChildSpec& spec) override;
  RunnerEvent wait(std::chrono::milliseconds timeout) override;
  void signal_all(int sig) override { inner_.signal_all(sig); }
  void signal(int id, int sig) override;
  std::size_t running() const override { return inner_.running() + exits_queued_; }
  /// The first interrupt seen, or 0.
  int interrupted() const { return interrupted_; }

 private:
  void fetch_pending();
  void queue(const RunnerEvent& ev);
  ProcessRunner& inner_;
  int interrupted_ = 0;
  std::deque<RunnerEvent> queued_;  ///< events to report before asking the inner runner again
  std::size_t exits_queued_ = 0;    ///< Exited events in queued_
  int next_refused_id_ = 1 << 30;   ///< ids of refused children, far from any runner's own
};

}  // namespace stackctl
