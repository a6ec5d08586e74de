// The ndjson event stream: one ordered JSON object per line, flushed at once so a tool reading
// the pipe sees each event as it happens.
#include "stackctl/report/ndjson.h"

#include <cmath>
#include <map>

#include "stackctl/journal/changes_json.h"

namespace stackctl {

namespace {

using Json = nlohmann::ordered_json;

/// Seconds rounded to milliseconds, so lines stay short and stable.
double millis(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

Json changes_of(const LayerResult& r) {
  if (!r.changes_known) return nullptr;
  return changes_json(r.changes);
}

}  // namespace

NdjsonEvents::NdjsonEvents(const Stack& stack, std::size_t total, std::FILE* out, Clock clock)
    : stack_(stack), total_(total), out_(out), clock_(std::move(clock)), start_(clock_()) {}

double NdjsonEvents::elapsed() const { return millis(clock_() - start_); }

void NdjsonEvents::emit(const Json& event) {
  std::string line = event.dump(-1, ' ', false, Json::error_handler_t::replace);
  line += '\n';
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
}

void NdjsonEvents::run_started(const std::string& command, const std::string& env,
                               const std::string& run_id, std::size_t parallelism) {
  emit({{"event", "run_started"},
        {"command", command},
        {"env", env},
        {"run_id", run_id},
        {"layers", total_},
        {"parallelism", parallelism}});
}

void NdjsonEvents::phase_started(const Phase& phase) {
  Json names = Json::array();
  for (std::size_t i : phase.layers) names.push_back(stack_.layer(i).name);
  emit({{"event", "phase_started"}, {"action", to_string(phase.action)}, {"layers", names}});
}

void NdjsonEvents::layer_started(std::size_t layer, Action action) {
  emit({{"event", "layer_started"},
        {"layer", stack_.layer(layer).name},
        {"action", to_string(action)},
        {"elapsed_s", elapsed()}});
}

void NdjsonEvents::layer_finished(const LayerResult& r) {
  ++done_;
  Json e = {{"event", "layer_finished"},
            {"layer", stack_.layer(r.layer).name},
            {"action", to_string(r.action)},
            {"result", to_string(r.outcome)},
            {"exit_code", r.exit_code},
            {"duration_s", millis(r.duration_s)},
            {"changes", changes_of(r)},
            {"done", done_},
            {"total", total_}};
  if (!r.message.empty()) e["message"] = r.message;
  if (!r.warning.empty()) e["warning"] = r.warning;
  if (!r.would_refuse.empty()) e["would_refuse"] = r.would_refuse;
  if (!r.log_file.empty()) e["log"] = r.log_file.string();
  e["elapsed_s"] = elapsed();
  emit(e);
}

void NdjsonEvents::layer_retrying(const RetryNotice& n) {
  emit({{"event", "layer_retrying"},
        {"layer", stack_.layer(n.layer).name},
        {"action", to_string(n.action)},
        {"step", n.step},
        {"attempt", n.attempt},
        {"attempts", n.attempts},
        {"sleep_s", n.sleep_s},
        {"exit_code", n.exit_code},
        {"pattern", n.pattern},
        {"elapsed_s", elapsed()}});
}

void NdjsonEvents::interrupted(int signal, int count) {
  emit({{"event", "interrupted"},
        {"signal", signal_name(signal)},
        {"count", count},
        {"elapsed_s", elapsed()}});
}

void NdjsonEvents::run_finished(int exit_code, bool success, const RunResult& result,
                                const std::filesystem::path& log_dir) {
  std::map<std::string, int> counts;
  for (const auto& r : result.layers) ++counts[to_string(r.outcome)];
  Json e = {{"event", "run_finished"},
            {"success", success},
            {"exit_code", exit_code},
            {"results", counts}};
  if (!log_dir.empty()) e["logs"] = log_dir.string();
  e["elapsed_s"] = elapsed();
  emit(e);
}

}  // namespace stackctl
