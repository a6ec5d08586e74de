#include "stackctl/journal_observer.h"

namespace stackctl {

JournalObserver::JournalObserver(JournalWriter& writer, const Stack& stack, std::string run_id)
    : writer_(writer), stack_(stack), run_id_(std::move(run_id)) {}

void JournalObserver::layer_started(std::size_t layer, Action action) {
  JournalRecord r;
  r.type = "layer_start";
  r.run_id = run_id_;
  r.time = now_iso8601();
  r.layer = stack_.layer(layer).name;
  r.action = to_string(action);
  writer_.append(r);
}

void JournalObserver::layer_finished(const LayerResult& result) {
  JournalRecord r;
  r.type = "layer_end";
  r.run_id = run_id_;
  r.time = now_iso8601();
  r.layer = stack_.layer(result.layer).name;
  r.action = to_string(result.action);
  r.result = to_string(result.outcome);
  r.exit_code = result.exit_code;
  r.duration_s = result.duration_s;
  r.changes = result.changes;
  if (!result.log_file.empty() && result.outcome != Outcome::NotRun)
    r.raw["log"] = result.log_file.string();
  if (!result.message.empty()) r.raw["message"] = result.message;
  if (!result.warning.empty()) r.raw["warning"] = result.warning;
  if (!result.inputs.is_null()) r.raw["inputs"] = result.inputs;
  writer_.append(r);
}

}  // namespace stackctl
