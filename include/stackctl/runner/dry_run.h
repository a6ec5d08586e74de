#pragma once
/// A ProcessRunner that starts nothing: it prints each child's cwd and argv and answers as a
/// successful terragrunt would (plan: changes; show: an empty plan), so every step is shown.
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

#include "stackctl/runner/runner.h"

namespace stackctl {

/// Quotes a word for a POSIX shell when it needs it (for display only; nothing runs a shell).
std::string shell_quote(const std::string& word);
/// argv as one display line, each word quoted when needed.
std::string shell_join(const std::vector<std::string>& argv);

class DryRunRunner : public ProcessRunner {
 public:
  explicit DryRunRunner(std::FILE* out) : out_(out) {}
  int start(const ChildSpec& spec) override;
  RunnerEvent wait(std::chrono::milliseconds timeout) override;
  void signal_all(int) override {}
  void signal(int, int) override {}
  std::size_t running() const override { return pending_.size(); }
  /// Every child it was asked to start, in order: argv, cwd and label (no environment).
  const std::vector<ChildSpec>& calls() const { return calls_; }

 private:
  std::vector<ChildSpec> calls_;
  std::FILE* out_;
  int next_id_ = 1;
  std::deque<ChildResult> pending_;
};

}  // namespace stackctl
