// What every ProcessRunner shares: describing results and running one child to its end.
#include "stackctl/runner/runner.h"

#include <csignal>

namespace stackctl {

std::string signal_name(int sig) {
  switch (sig) {
    case SIGHUP:
      return "SIGHUP";
    case SIGINT:
      return "SIGINT";
    case SIGQUIT:
      return "SIGQUIT";
    case SIGILL:
      return "SIGILL";
    case SIGTRAP:
      return "SIGTRAP";
    case SIGABRT:
      return "SIGABRT";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGKILL:
      return "SIGKILL";
    case SIGUSR1:
      return "SIGUSR1";
    case SIGSEGV:
      return "SIGSEGV";
    case SIGUSR2:
      return "SIGUSR2";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGALRM:
      return "SIGALRM";
    case SIGTERM:
      return "SIGTERM";
    case SIGXCPU:
      return "SIGXCPU";
    case SIGXFSZ:
      return "SIGXFSZ";
    default:
      return "signal " + std::to_string(sig);
  }
}

std::string ChildResult::describe() const {
  if (!spawn_error.empty()) return "could not start: " + spawn_error;
  if (signal != 0) return "killed by " + signal_name(signal);
  return "exit " + std::to_string(exit_code);
}

int ChildResult::shell_status() const {
  if (!spawn_error.empty()) return 127;
  return signal != 0 ? 128 + signal : exit_code;
}

int interrupt_signal(int count) { return count >= 3 ? SIGKILL : SIGINT; }

ChildResult run_to_completion(ProcessRunner& runner, const ChildSpec& spec) {
  const int id = runner.start(spec);
  int interrupts = 0;
  int first_interrupt = 0;
  for (;;) {
    RunnerEvent ev = runner.wait(std::chrono::milliseconds(-1));
    if (ev.type == RunnerEvent::Type::Exited && ev.result.id == id) {
      ev.result.interrupt = first_interrupt;
      return ev.result;
    }
    if (ev.type == RunnerEvent::Type::Interrupt) {
      if (first_interrupt == 0) first_interrupt = ev.signal;
      ++interrupts;
      runner.signal(id, interrupt_signal(interrupts));
    } else if (ev.type == RunnerEvent::Type::Timeout && runner.running() == 0) {
      ChildResult lost;  // a runner that returns without the child (a misbehaving fake)
      lost.id = id;
      lost.spawn_error = "the runner lost track of the child";
      lost.interrupt = first_interrupt;
      return lost;
    }
  }
}

}  // namespace stackctl
