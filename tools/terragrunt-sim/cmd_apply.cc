// terraform apply [PLANFILE] [-destroy] [-auto-approve], terraform destroy [-auto-approve]
#include <algorithm>

#include "commands.h"
#include "flow.h"
#include "render.h"

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
  Step s = sequence({[&] { return dependency_violation(ctx, plan); },
                     [&] { return checkpoint(ctx); }});
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
  std::string error;
  Step s = sequence({
      [&] { return load_plan_file(ctx, path, plan); },
      [&] { return take_lock(ctx, lock, "OperationTypeApply"); },
      [&] { return work(ctx); },
      [&] {
        return load_state(ctx.module_dir, state, error)
                   ? check_not_stale(ctx, plan, state)
                   : terraform_error(ctx, "Failed to load state", error);
      },
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

}  // namespace

int run_apply(Context& ctx) {
  Step s = sequence({
      [&] { return guard_prevent_destroy(ctx); },
      [&] { return refuse_prompt(ctx); },
      [&] { return read_dependencies(ctx, false); },
      [&] { log_running(ctx); return transient_error(ctx); },
  });
  if (!s.proceed) return s.exit_code;
  if (!ctx.tf.positional.empty()) return apply_saved_plan(ctx, ctx.tf.positional.front());
  return plan_and_apply(ctx, ctx.tf.destroy);
}

int run_destroy(Context& ctx) {
  Step s = sequence({
      [&] { return guard_prevent_destroy(ctx); },
      [&] { return refuse_prompt(ctx); },
      [&] { return read_dependencies(ctx, false); },
      [&] {
        std::string list;
        for (const auto& dir : applied_dependents(ctx.module_dir)) list += "\n" + dir.string();
        if (!list.empty()) ctx.log.warn("Detected dependent modules:" + list);
        log_running(ctx);
        return transient_error(ctx);
      },
  });
  return s.proceed ? plan_and_apply(ctx, true) : s.exit_code;
}

}  // namespace tgsim
