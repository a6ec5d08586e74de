#pragma once
// A ProcessRunner that starts no process: it answers each child from a script and records what
// was started, so executor scenarios check exact call sequences (like ninja's FakeCommandRunner).
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "stackctl/runner/runner.h"

namespace stackctl::testing {

/// A plan JSON with the given managed resource changes: {address, actions...}.
std::string plan_json(const std::vector<std::pair<std::string, std::vector<std::string>>>& changes);

/// A state document as `show -json` without a plan file prints it: `{"format_version":"1.0"}`
/// alone when resources is empty, else values.root_module.resources with those addresses.
std::string state_json(const std::vector<std::string>& resources);

class FakeRunner : public ProcessRunner {
 public:
  /// Answers for "<label> <step>" (step = argv[1] for terragrunt calls, "command" otherwise,
  /// "state" for `show -json` without a plan file). Defaults: plan exits 2 (changes), show prints
  /// a plan creating one resource, state prints an empty state (one resource for the labels in
  /// `holding`), others exit 0.
  std::map<std::string, ChildResult> script;
  /// Labels whose state (`show -json` without a plan file) holds a resource.
  std::set<std::string> holding;
  /// Scripts the answer for "<label> <step>": exit code and stdout.
  void answer(const std::string& key, int exit_code, const std::string& out = "") {
    ChildResult r;
    r.exit_code = exit_code;
    r.stdout_data = out;
    script[key] = r;
  }
  /// A plan that exits 0 or 2 writes its -out file, as terraform does, unless its
  /// "<label> plan" is listed here.
  std::set<std::string> plans_not_written;
  /// A plan given -json-into=FILE that exits 0 or 2 writes streams["<label> plan"] there, as
  /// OpenTofu 1.12 does (nothing when the label has no entry).
  std::map<std::string, std::string> streams;
  /// An apply or destroy that exits 0 prints terraform's closing line (ChildSpec::mark, e.g.
  /// `Destroy complete! Resources: 1 destroyed.`; a scripted tail's own line when it has one),
  /// unless its "<label> <step>" is listed here (terragrunt stopped before terraform ran).
  std::set<std::string> closings_not_printed;
  /// Every child started, as "<label> <step>", in start order.
  std::vector<std::string> started;
  /// Every ChildSpec started, in start order.
  std::vector<ChildSpec> specs;
  /// Signals sent with signal_all, in order.
  std::vector<int> signals;
  /// When set, the wait() after this many children have started reports one Interrupt first.
  int interrupt_after_starts = -1;
  /// How many Interrupt events to report in a row at that point (Ctrl-C pressed N times).
  int interrupt_count = 1;
  /// Most children running at once.
  std::size_t max_running = 0;

  int start(const ChildSpec& spec) override;
  RunnerEvent wait(std::chrono::milliseconds timeout) override;
  void signal_all(int sig) override { signals.push_back(sig); }
  void signal(int, int sig) override { signals.push_back(sig); }
  std::size_t running() const override { return running_.size(); }

 private:
  std::deque<ChildResult> running_;
  int next_id_ = 1;
  int interrupts_sent_ = 0;
};

}  // namespace stackctl::testing
