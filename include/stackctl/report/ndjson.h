#pragma once
/// `--output ndjson`: one JSON object per line on stdout while a run goes, for tools.
///
///   {"event":"run_started","command":"apply","env":"dev","run_id":"…","layers":41,"parallelism":4}
///   {"event":"phase_started","action":"apply","layers":["vpc","sg-db"]}
///   {"event":"layer_started","layer":"vpc","action":"apply","elapsed_s":0.0}
///   {"event":"layer_finished","layer":"vpc","action":"apply","result":"ok","exit_code":0,
///    "duration_s":45.2,"changes":{"add":12,"change":0,"destroy":0},"done":3,"total":41,
///    "elapsed_s":47.9}
///   {"event":"interrupted","signal":"SIGINT","count":1,"elapsed_s":50.1}
///   {"event":"run_finished","success":true,"exit_code":0,"results":{"ok":41},"elapsed_s":301.4}
///
/// Keys keep this order; `changes` is null when the plan was not read; `message` and `log` are
/// added to layer_finished when known; `logs` to run_finished. Each line is flushed at once.
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "stackctl/executor/executor.h"
#include "stackctl/report/report.h"

namespace stackctl {

/// Writes the run's events as JSON lines. elapsed_s counts from construction on the clock.
class NdjsonEvents : public RunObserver {
 public:
  NdjsonEvents(const Stack& stack, std::size_t total, std::FILE* out, Clock clock);

  /// The first line: what runs where.
  void run_started(const std::string& command, const std::string& env, const std::string& run_id,
                   std::size_t parallelism);
  void phase_started(const Phase& phase) override;
  void layer_started(std::size_t layer, Action action) override;
  void layer_finished(const LayerResult& result) override;
  void interrupted(int signal, int count) override;
  void layer_retrying(const RetryNotice& notice) override;
  /// The last line: the exit code and how many layers ended with each result (layers that never
  /// started count as not-run).
  void run_finished(int exit_code, bool success, const RunResult& result,
                    const std::filesystem::path& log_dir);

 private:
  void emit(const nlohmann::ordered_json& event);
  double elapsed() const;

  const Stack& stack_;
  std::size_t total_, done_ = 0;
  std::FILE* out_;
  Clock clock_;
  double start_;
};

}  // namespace stackctl
