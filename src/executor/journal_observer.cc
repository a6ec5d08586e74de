#include "stackctl/executor/journal_observer.h"

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
  if (result.retries > 0) r.raw["retries"] = result.retries;
  writer_.append(r);
}

// One record per retry: which step, which try comes next, and the transient error it matched.
void JournalObserver::layer_retrying(const RetryNotice& n) {
  JournalRecord r;
  r.type = "layer_retry";
  r.run_id = run_id_;
  r.time = now_iso8601();
  r.layer = stack_.layer(n.layer).name;
  r.action = to_string(n.action);
  r.exit_code = n.exit_code;
  r.raw["step"] = n.step;
  r.raw["attempt"] = n.attempt;
  r.raw["attempts"] = n.attempts;
  r.raw["sleep_s"] = n.sleep_s;
  r.raw["pattern"] = n.pattern;
  writer_.append(r);
}

}  // namespace stackctl
