// terragrunt plan and apply (their shared part), and terraform plan [-destroy]
// [-detailed-exitcode] [-out=FILE]
#include "commands.h"
#include "flow.h"
#include "plan_stream.h"
#include "render.h"
#include "tofu.h"

namespace tgsim {

std::string module_path(const Context& ctx, const std::string& path) {
  std::filesystem::path p(path);
  return (p.is_absolute() ? p : ctx.module_dir / p).string();
}

bool compute_plan(const Context& ctx, bool destroy, State& state, Plan& plan, std::string& error) {
  Desired desired;
  if (!load_state(ctx.module_dir, state, error)) return false;
  if (!destroy && !load_desired(ctx.module_dir, desired, error)) return false;
  std::vector<std::string> replace = ctx.tf.replace;
  replace.insert(replace.end(), ctx.faults.replace.begin(), ctx.faults.replace.end());
  plan = make_plan(state, desired, destroy, replace);
  return true;
}

namespace {

Step write_plan_file(const Context& ctx, const Plan& plan, const State& state) {
  if (ctx.tf.out.empty()) return Step::next();
  std::string error;
  std::string content = plan_file_json(plan, state, ctx.module_dir.string()).dump() + "\n";
  if (write_file_atomic(module_path(ctx, ctx.tf.out), content, error)) return Step::next();
  return terraform_error(ctx, "Failed to write plan file", error);
}

}  // namespace

int run_plan_or_apply(Context& ctx) {
  Step s = sequence({
      [&] { return guard_prevent_destroy(ctx); },
      [&] { return refuse_prompt(ctx); },
      [&] { return read_dependencies(ctx); },
      [&] {
        log_running(ctx);
        return transient_error(ctx);
      },
  });
  return s.proceed ? run_in_tofu(ctx) : s.exit_code;
}

int tofu_plan(Context& ctx) {
  StateLock lock;
  Step s = sequence({
      [&] { return take_lock(ctx, lock, "OperationTypePlan"); },
      [&] { return work(ctx); },
  });
  if (!s.proceed) return s.exit_code;
  State state;
  Plan plan;
  std::string error;
  if (!compute_plan(ctx, ctx.tf.destroy, state, plan, error)) {
    return terraform_error(ctx, "Failed to load state", error).exit_code;
  }
  s = write_plan_file(ctx, plan, state);
  if (!s.proceed) return s.exit_code;
  if (!ctx.tf.json_into.empty()) {
    const std::string file = module_path(ctx, ctx.tf.json_into);
    if (!write_file_atomic(file, plan_stream(plan), error))
      return terraform_error(ctx, "Failed to write the JSON stream", error).exit_code;
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
        std::filesystem::perm_options::replace);
  }
  ctx.log.tf_stdout(render_plan(plan, ctx.tf.out));
  lock.release();
  return ctx.tf.detailed_exitcode && has_changes(plan) ? 2 : 0;
}

}  // namespace tgsim
