// terraform apply [PLANFILE] [-destroy] [-auto-approve], terraform destroy [-auto-approve]
#include <algorithm>
#include <iostream>

#include "commands.h"
#include "flow.h"
#include "render.h"
#include "tofu.h"

namespace tgsim {
namespace {

using nlohmann::json;

/// A destroy that reaches a module other modules still use fails in the cloud, not in
/// terraform: the provider reports that the resource has a dependent object.
Step dependency_violation(const Context& ctx, const Plan& plan) {
  auto victim = std::find_if(plan.resources.begin(), plan.resources.end(), [](const auto& c) {
    return std::find(c.actions.begin(), c.actions.end(), "delete") != c.actions.end();
  });
  if (!plan.destroy || victim == plan.resources.end()) return Step::next();
  if (applied_dependents(ctx.module_dir).empty()) return Step::next();
  std::string id = victim->before.is_object() ? victim->before.value("id", "") : "";
  ctx.log.tf_stdout(victim->address + ": Destroying... [id=" + id + "]\n");
  return terraform_error(ctx,
                         "deleting " + victim->address + " (" + id +
                             "): api error DependencyViolation: resource " + id +
                             " has a dependent object",
                         "");
}

/// Applies plan to state, saves it and prints progress and the completion line.
int finish(Context& ctx, const Plan& plan, State& state) {
  Step s =
      sequence({[&] { return dependency_violation(ctx, plan); }, [&] { return checkpoint(ctx); }});
  if (!s.proceed) return s.exit_code;
  int serial = state.serial;
  apply_plan(plan, state);
  std::string error;
  if (state.serial != serial && !save_state(ctx.module_dir, state, error)) {
    return terraform_error(ctx, "Failed to persist state", error).exit_code;
  }
  // terraform words the summary after its mode: destroy and apply -destroy say "Destroy
  // complete!", applying a saved plan says "Apply complete!" even for a destroy plan.
  bool destroy_view = ctx.inv.command == "destroy" || ctx.tf.destroy;
  ctx.log.tf_stdout(render_progress(plan, state) + (destroy_view
                                                        ? render_destroy_complete(plan)
                                                        : render_apply_complete(plan, state)));
  return 0;
}

Step load_plan_file(const Context& ctx, const std::string& path, Plan& plan) {
  std::string text;
  std::string error;
  json file;
  if (read_file(module_path(ctx, path), text)) file = json::parse(text, nullptr, false);
  if (read_plan_file(file, plan, error)) return Step::next();
  return terraform_error(ctx, "Failed to load \"" + path + "\" as a plan file",
                         text.empty() ? "stat " + path + ": no such file or directory"
                                      : "the given file is not a plan file");
}

Step check_not_stale(const Context& ctx, const Plan& plan, const State& state) {
  if (plan.state_serial == state.serial && plan.state_lineage == state.lineage) {
    return Step::next();
  }
  return terraform_error(ctx, "Saved plan is stale",
                         "The given plan file can no longer be applied because the state was "
                         "changed\nby another operation after the plan was created.");
}

int apply_saved_plan(Context& ctx, const std::string& path) {
  StateLock lock;
  Plan plan;
  State state;
  Step s = sequence({
      [&] { return load_plan_file(ctx, path, plan); },
      [&] { return take_lock(ctx, lock, "OperationTypeApply"); },
      [&] { return work(ctx); },
      [&] { return read_state(ctx, state); },
      [&] { return check_not_stale(ctx, plan, state); },
  });
  return s.proceed ? finish(ctx, plan, state) : s.exit_code;
}

/// apply without a plan file, and destroy: plan, show it, ask for approval, apply.
int plan_and_apply(Context& ctx, bool destroy) {
  StateLock lock;
  Plan plan;
  State state;
  std::string error;
  Step s = sequence({
      [&] { return take_lock(ctx, lock, "OperationTypeApply"); },
      [&] { return work(ctx); },
      [&] {
        return compute_plan(ctx, destroy, state, plan, error)
                   ? Step::next()
                   : terraform_error(ctx, "Failed to load state", error);
      },
      [&] {
        ctx.log.tf_stdout(render_plan(plan, ""));
        return has_changes(plan) ? approve(ctx, destroy) : Step::next();
      },
  });
  return s.proceed ? finish(ctx, plan, state) : s.exit_code;
}

/// Single-unit destroy below 0.96 (from 0.96 only with --destroy-dependencies-check) lists the
/// units that depend on this one on stderr and asks whether to go on: non-interactive answers
/// yes; "n" or the end of input ends terragrunt with exit 0 and nothing destroyed
/// (internal/runner/run/run.go, confirmActionWithDependentModules).
Step confirm_with_dependents(const Context& ctx) {
  bool check = ctx.version.checks_dependents_by_default() ? !ctx.inv.no_dependents_check
                                                          : ctx.inv.dependents_check;
  if (!check) return Step::next();
  std::string text;
  for (const auto& dir : all_dependents(ctx.module_dir)) text += dir.string() + "\n";
  if (text.empty()) return Step::next();
  std::cerr << "Detected dependent modules:\n" << text << std::flush;
  if (ctx.inv.non_interactive) return Step::next();
  std::cerr << "WARNING: Are you sure you want to continue? (y/n) " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    ctx.log.error("EOF");
    return Step::stop(0);
  }
  while (!answer.empty() && (answer.back() == '\r' || answer.back() == ' ')) answer.pop_back();
  return answer == "y" || answer == "yes" || answer == "Y" || answer == "YES" ? Step::next()
                                                                              : Step::stop(0);
}

}  // namespace

int tofu_apply(Context& ctx) {
  if (!ctx.tf.positional.empty()) return apply_saved_plan(ctx, ctx.tf.positional.front());
  return plan_and_apply(ctx, ctx.tf.destroy);
}

int run_destroy(Context& ctx) {
  Step s = sequence({
      [&] { return guard_prevent_destroy(ctx); },
      [&] { return refuse_prompt(ctx); },
      [&] { return read_dependencies(ctx); },
      [&] { return confirm_with_dependents(ctx); },
      [&] {
        log_running(ctx);
        return transient_error(ctx);
      },
  });
  return s.proceed ? run_in_tofu(ctx) : s.exit_code;
}

int tofu_destroy(Context& ctx) { return plan_and_apply(ctx, true); }

}  // namespace tgsim
