#include "stackctl/executor/journal_observer.h"

namespace stackctl {

namespace {

// The fields every layer record starts with: what happened, in which run, when, to which layer.
JournalRecord layer_record(std::string type, const std::string& run_id, std::string layer,
                           Action action) {
  JournalRecord r;
  r.type = std::move(type);
  r.run_id = run_id;
  r.time = now_iso8601();
  r.layer = std::move(layer);
  r.action = to_string(action);
  return r;
}

}  // namespace

JournalObserver::JournalObserver(JournalWriter& writer, const Stack& stack, std::string run_id)
    : writer_(writer), stack_(stack), run_id_(std::move(run_id)) {}

void JournalObserver::layer_started(std::size_t layer, Action action) {
  writer_.append(layer_record("layer_start", run_id_, stack_.layer(layer).name, action));
}

void JournalObserver::layer_finished(const LayerResult& result) {
  JournalRecord r =
      layer_record("layer_end", run_id_, stack_.layer(result.layer).name, result.action);
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
void JournalObserver::layer_retrying(const RetryNotice& notice) {
  JournalRecord r =
      layer_record("layer_retry", run_id_, stack_.layer(notice.layer).name, notice.action);
  r.exit_code = notice.exit_code;
  r.raw["step"] = notice.step;
  r.raw["attempt"] = notice.attempt;
  r.raw["attempts"] = notice.attempts;
  r.raw["sleep_s"] = notice.sleep_s;
  r.raw["pattern"] = notice.pattern;
  writer_.append(r);
}

}  // namespace stackctl
