#pragma once
/// One layer's action as a small state machine of child steps (plan -> show -> apply, ...).
/// Pure: it builds ChildSpecs and digests ChildResults; the executor runs them.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stackctl/journal/plan_files.h"
#include "stackctl/journal/plan_json.h"
#include "stackctl/manifest/env.h"
#include "stackctl/runner/runner.h"
#include "stackctl/runner/terragrunt.h"

namespace stackctl {

class InputsLedger;

/// How a layer's action ended.
/// Provisional: a plan of a layer whose dependency is not applied yet, made against mock outputs
/// or not possible at all (docs/contract.md, Plan, show, apply); never applied, never a failure.
enum class Outcome { Ok, Skipped, Failed, Refused, Pending, Interrupted, NotRun, Provisional };
const char* to_string(Outcome o);
/// True for the outcomes that stop a run without --keep-going: failed, refused, interrupted.
bool stops_run(Outcome o);

/// The message of a destroy that found nothing to destroy (a layer already gone, or never
/// applied): it succeeds, and says so.
extern const char* const kAlreadyGone;
/// True when a destroy's output says its state held nothing (terraform's "No objects need to be
/// destroyed.").
bool destroyed_nothing(const std::string& output);

/// A step about to be tried again after a transient error (env.yaml `retry:`).
struct RetryNotice {
  std::size_t layer = 0;
  Action action = Action::Plan;
  std::string step;     ///< "plan", "show", "apply", "destroy"
  int attempt = 2;      ///< the try about to start (2 for the first retry)
  int attempts = 1;     ///< tries in all
  double sleep_s = 0;   ///< the wait before it
  int exit_code = 0;    ///< how the failed try ended
  std::string pattern;  ///< the transient-error pattern its output matched
};

/// The result of one layer action, as reported and journaled.
struct LayerResult {
  std::size_t layer = 0;
  Action action = Action::Plan;
  Outcome outcome = Outcome::NotRun;
  int exit_code = 0;  ///< the failing child's exit code (or the policy's code)
  double duration_s = 0;
  ChangeCounts changes;
  bool changes_known = false;  ///< the plan JSON was read
  std::vector<Deletion> deletions;
  /// Every managed resource the plan changes, in address order (read only when it has changes).
  std::vector<ResourceChange> resource_changes;
  std::string message;  ///< why it failed or was refused; gate instructions
  std::string warning;  ///< something the user should see (processes SIGKILL ended)
  /// plan of a protected layer: what `apply` of the same plan would refuse ("vpc (data): the
  /// plan deletes or replaces ..."), or "".
  std::string would_refuse;
  std::string tail;  ///< last output lines of a failed child
  std::filesystem::path log_file;
  nlohmann::json
      inputs;       ///< apply of a terragrunt layer: its inputs' fingerprint (skip_unchanged.h)
  int retries = 0;  ///< steps tried again after a transient error
};

/// Whether an apply's plans write their UI stream with `-json-into` (OpenTofu 1.12 and later),
/// which then stands in for the show. Shared by a run's tasks: the first plan that fails on the
/// flag (a terraform that does not know it) turns it off for the rest of the run.
struct PlanStreamSwitch {
  bool on = false;
};

/// Everything a task needs to know about the run it belongs to (shared by all tasks).
struct TaskSettings {
  TerragruntCall call;
  TerragruntVersion version;
  EnvVars base_env;                ///< stackctl's environment
  std::filesystem::path log_dir;   ///< runs/<run-id>/
  std::filesystem::path plan_dir;  ///< where plan files go (this run's, or --out-dir)
  bool use_saved_plans = false;    ///< apply --plan-dir: apply plans found in plan_dir
  /// With use_saved_plans: asked for each layer right before its saved plan is applied (so a
  /// dependency applied earlier in the same run, or since a resumed run began, counts): why the
  /// plan may no longer be applied, or nullopt.
  std::function<std::optional<std::string>(std::size_t layer)> saved_plan_stale;
  bool keep_plan_json = false;            ///< plan --out-dir: also write <layer>.json
  std::set<std::string> allow_replace;    ///< --allow-replace addresses
  std::set<std::string> confirmed_gates;  ///< manual steps recorded with `confirm`
  bool yes = false;  ///< --yes given (answers prompts; never accepts a deletion)
  /// Layers the journal shows hold nothing (destroyed, or never applied while stackctl managed
  /// the env): a plan of a dependent is made against mock outputs.
  std::set<std::string> not_applied;
  /// A plan that ends 0 or 2 must have written its plan file (false only for --dry-run, where
  /// nothing runs).
  bool plans_are_written = true;
  bool echo = false;                ///< -v: copy child output to stderr
  std::vector<std::string> redact;  ///< secret values
  InputsLedger* inputs =
      nullptr;  ///< apply: fingerprints each layer, skips unchanged ones if asked
  PlanStreamSwitch* plan_stream = nullptr;  ///< apply: plans write their stream (nullptr: never)
  /// What the tasks know of plan_dir's files goes through here: whether a plan is there, its
  /// stream's text, the plan JSON to keep.
  PlanFiles* plan_files = &disk_plan_files();
};

/// The steps of one layer action. Call next() for the child to start; after it ends, pass its
/// result to on_exit(); repeat until next() returns nullopt; then read result().
class LayerTask {
 public:
  LayerTask(const Stack& stack, std::size_t layer, Action action, const TaskSettings& settings);
  /// The next child to run; nullopt when the task is finished (possibly without any child).
  std::optional<ChildSpec> next();
  /// Digests the end of the child started from the last next().
  void on_exit(const ChildResult& child);
  /// Marks the task interrupted (a child ended after stackctl forwarded SIGINT).
  void mark_interrupted() { interrupted_ = true; }
  bool finished() const { return step_ == Step::Done; }
  /// The step whose child next() returned last: "plan", "show", "apply", "destroy" or
  /// "command" ("start" before the first, "done" after the last).
  const char* step_name() const;
  const LayerResult& result() const { return result_; }
  /// After on_exit(): the retry due before next() repeats the step that just failed with a
  /// transient error, or nullptr. The executor waits notice.sleep_s, then calls next().
  const RetryNotice* retry_due() const { return retry_due_ ? &*retry_due_ : nullptr; }
  /// The wait is over: next() starts the step again.
  void retry_started() { retry_due_.reset(); }
  /// An interrupt came during the wait: the task ends as interrupted, the step not repeated.
  void interrupted_while_waiting();

  /// Absolute plan file of this layer.
  std::filesystem::path plan_file() const;
  /// The plan's UI stream beside it (`<plan file>.stream.json`), written when streams_plan().
  std::filesystem::path stream_file() const;

 private:
  enum class Step { Start, Plan, Show, Apply, Destroy, Run, Done };
  bool plan_has_changes_ = false;
  bool plan_streamed_ = false;  ///< the last plan started was given -json-into
  ChildSpec spec(std::vector<std::string> argv, const std::string& what) const;
  ChildSpec terragrunt_spec(Action a) const;
  void start();
  void after_plan(const ChildResult& child);
  void after_show(const ChildResult& child);
  /// An apply's plan, not of a saved plan, while the run's plans write their stream.
  bool streams_plan() const;
  /// After a plan with changes that wrote its stream: the summary read from it, or nullopt
  /// (missing, incomplete, unreadable): the show step reads the plan then, as without a stream.
  std::optional<PlanSummary> read_stream() const;
  /// The plan read (from the show or the stream): counts, deletions, the guard, what comes next.
  void take_plan(const PlanSummary& plan);
  void fail(const ChildResult& child, const std::string& what);
  void destroy_failed(const ChildResult& child);
  /// A failed step whose output matches a transient-error pattern and that is safe to repeat:
  /// schedules the retry and returns true (the step stays where it is).
  bool retry(const ChildResult& child);
  void count_destroyed(const ChildResult& child);
  void did_not_happen(const ChildResult& child);
  /// The terragrunt dependencies of this layer in settings_.not_applied, "vpc, kms".
  std::string unapplied_dependencies() const;
  /// Plan only: ends the task as provisional when a dependency is not applied yet, from the
  /// failed child's output (terragrunt's "detected no outputs") or the journal. True if it did.
  bool provisional(const ChildResult* failed);
  /// The plan guard (docs/contract.md, Rules that always hold): for a protected layer whose plan
  /// deletes or replaces an address not named with --allow-replace, "NAME (data): the plan deletes
  /// or replaces ...".
  std::optional<std::string> guard(const PlanSummary& plan);
  void finish(Outcome o, int code, const std::string& message);

  const Stack& stack_;
  const Layer& layer_;
  std::size_t index_;
  Action action_;
  const TaskSettings& settings_;
  Step step_ = Step::Start;
  bool interrupted_ = false;
  LayerResult result_;
  int attempt_ = 1;                  ///< of the current step
  Step attempt_step_ = Step::Start;  ///< the step attempt_ counts
  std::optional<RetryNotice> retry_due_;
};

}  // namespace stackctl
