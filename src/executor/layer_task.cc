#include "stackctl/executor/layer_task.h"

#include <fstream>
#include <iterator>

#include "stackctl/executor/allow_replace.h"
#include "stackctl/executor/skip_unchanged.h"
#include "stackctl/journal/plan_stream.h"
#include "stackctl/runner/redact.h"
#include "stackctl/util/retry.h"

namespace stackctl {
namespace fs = std::filesystem;

const char* const kAlreadyGone = "already gone: its state holds nothing to destroy";
const char* const kAlreadyGoneByJournal =
    "already gone: the journal shows it holds nothing, and terragrunt cannot read the outputs of "
    "its dependencies, which hold nothing either";

namespace {
// terraform's (and OpenTofu's) last words on a finished apply or destroy, "" for other steps;
// terragrunt passes the exit code through, but exits 0 without running terraform when a prompt
// is answered no or (up to 0.7x) a unit has `skip = true`, so exit 0 alone does not mean the
// step happened.
std::string closing_words(const std::string& step) {
  if (step == "apply") return "Apply complete!";
  if (step == "destroy") return "Destroy complete!";
  return "";
}

// The line that says so, as the runner looks for it: `Destroy complete! Resources: 3 destroyed.`
std::string closing_mark(const std::string& step) {
  const std::string words = closing_words(step);
  return words.empty() ? "" : words + " Resources: ";
}
}  // namespace

bool destroyed_nothing(const std::string& output) {
  // terraform and OpenTofu (every pinned version) over an empty or never created state:
  // "No changes. No objects need to be destroyed." then "Destroy complete! Resources: 0 destroyed."
  return output.find("No objects need to be destroyed.") != std::string::npos;
}

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::Ok:
      return "ok";
    case Outcome::Skipped:
      return "skipped";
    case Outcome::Failed:
      return "failed";
    case Outcome::Refused:
      return "refused";
    case Outcome::Pending:
      return "pending";
    case Outcome::Interrupted:
      return "interrupted";
    case Outcome::NotRun:
      return "not-run";
    case Outcome::Provisional:
      return "provisional";
  }
  return "?";
}

bool stops_run(Outcome o) {
  return o == Outcome::Failed || o == Outcome::Refused || o == Outcome::Interrupted;
}

LayerTask::LayerTask(const Stack& stack, std::size_t layer, Action action,
                     const TaskSettings& settings)
    : stack_(stack),
      layer_(stack.layer(layer)),
      index_(layer),
      action_(action),
      settings_(settings) {
  result_.layer = layer;
  result_.action = action;
  result_.log_file = settings.log_dir / (layer_.name + "." + to_string(action) + ".log");
}

fs::path LayerTask::plan_file() const { return settings_.plan_dir / (layer_.name + ".tfplan"); }

fs::path LayerTask::stream_file() const {
  return settings_.plan_dir / (layer_.name + ".tfplan.stream.json");
}

bool LayerTask::streams_plan() const {
  return action_ == Action::Apply && !settings_.use_saved_plans && settings_.plans_are_written &&
         settings_.plan_stream != nullptr && settings_.plan_stream->on;
}

ChildSpec LayerTask::spec(std::vector<std::string> argv, const std::string& what) const {
  ChildSpec s;
  s.argv = std::move(argv);
  s.cwd = layer_.kind == LayerKind::Command ? stack_.tree : stack_.dirs[index_];
  s.env = child_environment(settings_.base_env, settings_.version, stack_.env.env, layer_.env);
  s.log_file = result_.log_file;
  s.label = layer_.name;
  s.echo = settings_.echo && what != "show";
  s.capture_stdout = what == "show";
  s.redact = settings_.redact;
  s.mark = closing_mark(what);
  return s;
}

// An interrupt goes to terraform, never to terragrunt: terragrunt reacts to its own SIGINT by
// forwarding a second one or by killing terraform (docs/terragrunt.md).
ChildSpec LayerTask::terragrunt_spec(Action a) const {
  ChildSpec s = spec(terragrunt_argv(settings_.call, a, plan_file()), to_string(a));
  // Only in an apply: the show of a plan or drift must still fail on dependencies without outputs,
  // which is how a plan made against mock outputs is found provisional.
  if (action_ == Action::Apply && !settings_.use_saved_plans)
    spare_planned_work(s.env, settings_.version, a);
  s.interrupt_scope = InterruptScope::GroupButLeader;
  return s;
}

// Decides the first step from the layer kind and the action.
void LayerTask::start() {
  if (layer_.kind == LayerKind::Manual) {
    if (action_ != Action::Apply)
      return finish(Outcome::Skipped, 0,
                    "manual step: nothing to " + std::string(to_string(action_)));
    if (settings_.confirmed_gates.count(layer_.name))
      return finish(Outcome::Ok, 0, "manual step confirmed");
    return finish(Outcome::Pending, 5, layer_.instructions);
  }
  if (layer_.kind == LayerKind::Command) {
    if (action_ != Action::Apply)
      return finish(Outcome::Skipped, 0, "command step: runs on apply only");
    step_ = Step::Run;
    return;
  }
  switch (action_) {
    case Action::Plan:
      step_ = Step::Plan;
      break;
    case Action::Apply:
      step_ = settings_.use_saved_plans ? Step::Show : Step::Plan;
      if (settings_.use_saved_plans && !settings_.plan_files->exists(plan_file()))
        return finish(Outcome::Failed, 1, "no saved plan " + plan_file().string());
      if (settings_.use_saved_plans && settings_.saved_plan_stale)
        if (auto why = settings_.saved_plan_stale(index_)) return finish(Outcome::Refused, 3, *why);
      if (settings_.inputs && !settings_.use_saved_plans) {
        EnvVars env =
            child_environment(settings_.base_env, settings_.version, stack_.env.env, layer_.env);
        if (auto why = settings_.inputs->before_apply(index_, env, settings_.call.extra_args,
                                                      result_.inputs))
          return finish(Outcome::Skipped, 0, *why);
      }
      break;
    case Action::Destroy:
      step_ = Step::Destroy;
      break;
    default:
      return finish(Outcome::Failed, 1, "unsupported action");
  }
}

std::optional<ChildSpec> LayerTask::next() {
  if (step_ == Step::Start) start();
  switch (step_) {
    case Step::Plan: {
      ChildSpec s = terragrunt_spec(Action::Plan);
      // OpenTofu 1.12+: the plan also writes its UI stream, which spares the show (0600, as
      // OpenTofu creates it, in the run's private folder beside the plan file).
      plan_streamed_ = streams_plan();
      if (plan_streamed_) s.argv.push_back("-json-into=" + stream_file().string());
      return s;
    }
    case Step::Show:
      return terragrunt_spec(Action::Show);
    case Step::Apply:
      return terragrunt_spec(Action::Apply);
    case Step::Destroy:
      return terragrunt_spec(Action::Destroy);
    case Step::Run:
      return spec(layer_.command, "command");
    default:
      return std::nullopt;
  }
}

void LayerTask::on_exit(const ChildResult& child) {
  result_.duration_s += child.duration_s;
  if (!child.killed.empty())
    result_.warning +=
        (result_.warning.empty() ? "" : "\n") + std::string("SIGKILL ended ") + child.killed;
  // The signal first (not shell_status()): a step InterruptLatch refused to start ends as SIGINT
  // would.
  if (interrupted_ && !child.ok() &&
      !(step_ == Step::Plan && child.exit_code == 2 && child.signal == 0))
    return finish(Outcome::Interrupted, child.signal ? 128 + child.signal : child.exit_code,
                  "interrupted during " + std::string(step_ == Step::Apply ? "apply" : "run"));
  // Output that could not be logged (a full disk) fails the layer whatever the child did, so
  // nothing more runs unrecorded; the message says how the child itself ended.
  if (!child.log_error.empty()) {
    static const char* const kStep[] = {"start",   "plan",    "show", "apply",
                                        "destroy", "command", "done"};
    result_.tail = child.tail;
    return finish(Outcome::Failed,
                  child.signal           ? 128 + child.signal
                  : child.exit_code == 0 ? 1
                                         : child.exit_code,
                  std::string(kStep[static_cast<int>(step_)]) + " " + child.describe() +
                      ", but its output was not logged: " + child.log_error);
  }
  switch (step_) {
    case Step::Plan:
      return after_plan(child);
    case Step::Show:
      return after_show(child);
    case Step::Apply:
    case Step::Destroy:
    case Step::Run:
      if (!child.ok() && step_ != Step::Run && retry(child)) return;
      if (!child.ok() && step_ == Step::Destroy) return destroy_failed(child);
      if (!child.ok()) return fail(child, step_ == Step::Run ? "command" : to_string(action_));
      if (step_ != Step::Run && child.marked_line.empty()) return did_not_happen(child);
      if (step_ == Step::Destroy) count_destroyed(child);
      if (interrupted_) return finish(Outcome::Interrupted, 0, "interrupted after it finished");
      if (step_ == Step::Destroy && (destroyed_nothing(child.tail) ||
                                     (result_.changes_known && result_.changes.destroy == 0)))
        return finish(Outcome::Ok, 0, kAlreadyGone);
      return finish(Outcome::Ok, 0, "");
    default:
      return;
  }
}

// plan -detailed-exitcode: 0 = no changes, 2 = changes, anything else = failure.
void LayerTask::after_plan(const ChildResult& child) {
  if (!child.spawn_error.empty() || child.signal != 0 ||
      (child.exit_code != 0 && child.exit_code != 2)) {
    // A terraform that does not know -json-into (Terraform, OpenTofu before 1.12) refuses it
    // before it plans anything: the plan runs again without it, and no plan of this run gets
    // it again.
    if (plan_streamed_ && child.signal == 0 && !interrupted_ &&
        child.tail.find("flag provided but not defined: -json-into") != std::string::npos) {
      settings_.plan_stream->on = false;
      plan_streamed_ = false;
      return;  // still the plan step: next() starts it again
    }
    if (provisional(&child) || retry(child)) return;
    return fail(child, "plan");
  }
  plan_has_changes_ = child.exit_code == 2;
  if (interrupted_) return finish(Outcome::Interrupted, 0, "interrupted after plan");
  // terragrunt can exit 0 without running terraform at all (a unit it skips or excludes): what
  // did not plan is not "no changes".
  if (settings_.plans_are_written && !settings_.plan_files->exists(plan_file())) {
    result_.tail = child.tail;
    return finish(Outcome::Failed, 1,
                  "plan exited " + std::to_string(child.exit_code) + " but wrote no plan file " +
                      plan_file().string());
  }
  if (settings_.plans_are_written) settings_.plan_files->keep_private(plan_file());
  // A stream that shows no change where the plan exit says there is one is not trusted either.
  if (plan_has_changes_ && plan_streamed_)
    if (auto plan = read_stream(); plan && plan->counts.any()) return take_plan(*plan);
  if (plan_has_changes_ || settings_.keep_plan_json) {
    step_ = Step::Show;
    return;
  }
  result_.changes_known = true;
  if (action_ == Action::Apply)  // a plan without changes matches no --allow-replace LAYER:ADDR
    if (auto refusal = guard(PlanSummary{}))
      return finish(Outcome::Refused, 3, "refusing to apply " + *refusal);
  finish(Outcome::Ok, 0, "no changes");
}

void LayerTask::after_show(const ChildResult& child) {
  if (!child.ok()) {
    if (provisional(&child) || retry(child)) return;
    return fail(child, "show");
  }
  if (!child.capture_error.empty())
    return finish(Outcome::Failed, 1,
                  "cannot read the plan of " + layer_.name + ": plan JSON " + child.capture_error +
                      " (STACKCTL_MAX_CAPTURE_MIB raises the limit)");
  std::string error;
  auto plan = parse_plan_json(child.stdout_data, error);
  if (!plan)
    return finish(Outcome::Failed, 1, "cannot read the plan of " + layer_.name + ": " + error);
  if (settings_.keep_plan_json) {
    // plan --out-dir keeps the plan JSON beside the plan: a layer whose JSON is not kept fails.
    const fs::path json_file = settings_.plan_dir / (layer_.name + ".json");
    const std::string unwritten = settings_.plan_files->write_private(json_file, child.stdout_data);
    if (!unwritten.empty()) return finish(Outcome::Failed, 1, unwritten);
  }
  if (settings_.use_saved_plans) plan_has_changes_ = plan->counts.any();
  take_plan(*plan);
}

void LayerTask::take_plan(const PlanSummary& plan) {
  result_.changes = plan.counts;
  result_.changes_known = true;
  result_.deletions = plan.deletions;
  result_.resource_changes = plan.changes;
  if (action_ != Action::Apply) {
    if (auto refusal = guard(plan)) result_.would_refuse = *refusal;
    if (provisional(nullptr)) return;
    return finish(Outcome::Ok, 0, "");
  }
  if (auto refusal = guard(plan))
    return finish(Outcome::Refused, 3, "refusing to apply " + *refusal);
  if (!plan_has_changes_) return finish(Outcome::Ok, 0, "no changes");
  step_ = Step::Apply;
}

// The plan guard: a protected layer's plan (data or keep) may not delete or replace resources
// unless each address is named with --allow-replace. --yes only answers prompts: it never
// accepts a deletion.
std::optional<std::string> LayerTask::guard(const PlanSummary& plan) {
  // A scoped address (LAYER:ADDR) that this layer's plan does not delete or replace is a typo or
  // a stale flag: the layer is refused, protected or not, so it is not applied unnoticed.
  if (auto unmatched = unmatched_in_layer(settings_.allow_replace, layer_.name, plan.deletions);
      !unmatched.empty()) {
    std::string list, planned;
    for (const auto& u : unmatched) list += "\n  - --allow-replace " + u;
    for (const auto& d : plan.deletions) planned += (planned.empty() ? "" : ", ") + d.address;
    return layer_.name + ": nothing the plan deletes or replaces matches" + list +
           "\n(the plan deletes or replaces " +
           (planned.empty() ? std::string("nothing") : planned) + "); correct or drop the address";
  }
  Protect p = stack_.protect[index_];
  if (p == Protect::None) return std::nullopt;
  std::string list;
  for (const auto& d : plan.deletions)
    if (!replace_allowed(settings_.allow_replace, layer_.name, d.address))
      list += "\n  - " + d.address + " (" + d.action + ")";
  if (list.empty()) return std::nullopt;
  return layer_.name + " (" + to_string(p) + "): the plan deletes or replaces" + list +
         "\nname each address with --allow-replace ADDR to allow it";
}

namespace {
// "vpc is", "vpc, kms are".
std::string are(const std::string& names) {
  return names + (names.find(',') == std::string::npos ? " is" : " are");
}
}  // namespace

std::string LayerTask::unapplied_dependencies() const {
  std::string names;
  for (const std::string& d : layer_.depends_on)
    if (settings_.not_applied.count(d)) names += (names.empty() ? "" : ", ") + d;
  return names;
}

bool LayerTask::provisional(const ChildResult* failed) {
  if (action_ != Action::Plan) return false;
  std::string deps = unapplied_dependencies();
  if (failed != nullptr) {
    // terragrunt: "... is a dependency of ... but detected no outputs. Either the target module
    // has not been applied yet, or the module has no outputs." (every pinned version)
    if (failed->tail.find("detected no outputs") == std::string::npos) return false;
    result_.tail = failed->tail;
    finish(Outcome::Provisional, 0,
           "cannot be planned until " +
               (deps.empty() ? std::string("its dependencies are") : are(deps)) +
               " applied: terragrunt finds no outputs to read");
    return true;
  }
  if (deps.empty()) return false;
  finish(Outcome::Provisional, 0,
         "planned against mock outputs: " + are(deps) + " not applied yet");
  return true;
}

namespace {
std::string file_text_or_empty(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
}  // namespace

std::optional<PlanSummary> LayerTask::read_stream() const {
  std::string error;
  return parse_plan_stream(settings_.plan_files->read_private(stream_file()), error);
}

// Safe to repeat: plan and show (they change no resource), and an apply or destroy whose whole
// log shows terraform started no resource action. Never a command step, a child that was
// signalled or interrupted, or one whose output is not a known transient error.
bool LayerTask::retry(const ChildResult& child) {
  static const char* const kStep[] = {"start",   "plan",    "show", "apply",
                                      "destroy", "command", "done"};
  const RetrySettings& settings = stack_.env.retry;
  if (attempt_step_ != step_) {
    attempt_step_ = step_;
    attempt_ = 1;
  }
  if (attempt_ >= settings.attempts || interrupted_ || child.signal != 0 ||
      !child.spawn_error.empty() || step_ == Step::Run)
    return false;
  auto pattern = transient_match(settings.patterns, child.tail);
  if (!pattern) return false;
  if ((step_ == Step::Apply || step_ == Step::Destroy) &&
      !changed_nothing(file_text_or_empty(result_.log_file)))
    return false;
  RetryNotice n;
  n.layer = index_;
  n.action = action_;
  n.step = kStep[static_cast<int>(step_)];
  n.attempt = ++attempt_;
  n.attempts = settings.attempts;
  n.sleep_s = settings.sleep_s;
  n.exit_code = child.exit_code;
  n.pattern = *pattern;
  ++result_.retries;
  retry_due_ = n;
  return true;
}

void LayerTask::interrupted_while_waiting() {
  const std::string step = retry_due_ ? retry_due_->step : std::string("step");
  retry_due_.reset();
  finish(Outcome::Interrupted, 130, "interrupted while waiting to retry " + step);
}

// A destroy terragrunt could not start because a dependency has no outputs (it was destroyed
// first, or never applied): the layer is already gone when the journal says it holds nothing;
// otherwise it fails, saying how terragrunt could destroy it anyway.
void LayerTask::destroy_failed(const ChildResult& child) {
  const bool no_outputs =
      child.signal == 0 && child.tail.find("detected no outputs") != std::string::npos;
  if (no_outputs && settings_.not_applied.count(layer_.name))
    return finish(Outcome::Ok, 0, kAlreadyGoneByJournal);
  fail(child, "destroy");
  if (no_outputs)
    result_.message +=
        "\nterragrunt cannot read the outputs of a dependency that holds nothing; if " +
        layer_.name +
        " holds nothing too it is already gone; to let terragrunt destroy it anyway, add "
        "\"destroy\" "
        "to mock_outputs_allowed_terraform_commands of its dependency blocks";
}

void LayerTask::fail(const ChildResult& child, const std::string& what) {
  result_.tail = child.tail;
  finish(Outcome::Failed, child.shell_status(), what + " failed: " + child.describe());
}

void LayerTask::finish(Outcome o, int code, const std::string& message) {
  result_.outcome = o;
  result_.exit_code = code;
  // Messages can quote a child's output (a plan JSON parse error shows what it last read), and
  // they reach the terminal, --output json and ndjson: secrets are redacted here once.
  result_.message = Redactor(settings_.redact).apply(message);
  if (settings_.inputs && action_ == Action::Apply)
    settings_.inputs->after_apply(result_, result_.inputs);
  step_ = Step::Done;
}

// An apply or destroy that exited 0 without terraform's closing line: terragrunt never ran it.
void LayerTask::did_not_happen(const ChildResult& child) {
  const std::string step = to_string(action_);
  result_.tail = child.tail;
  finish(Outcome::Failed, 1,
         step + " exited 0, but terraform never printed '" + closing_words(step) +
             "': terragrunt stopped before running it (a prompt answered no, a unit it skips); it "
             "is not "
             "counted as " +
             (action_ == Action::Destroy ? "destroyed" : "applied"));
}

// A destroy reads no plan: its count comes from terraform's own closing line.
void LayerTask::count_destroyed(const ChildResult& child) {
  if (auto n = destroyed_count(child.marked_line)) {
    result_.changes.destroy = *n;
    result_.changes_known = true;
  }
}

const char* LayerTask::step_name() const {
  switch (step_) {
    case Step::Start:
      return "start";
    case Step::Plan:
      return "plan";
    case Step::Show:
      return "show";
    case Step::Apply:
      return "apply";
    case Step::Destroy:
      return "destroy";
    case Step::Run:
      return "command";
    case Step::Done:
      return "done";
  }
  return "?";
}

}  // namespace stackctl
