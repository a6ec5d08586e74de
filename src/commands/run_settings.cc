#include "stackctl/commands/run_settings.h"

#include <cstdlib>

#include "stackctl/commands/gates.h"
#include "stackctl/executor/allow_replace.h"
#include "stackctl/executor/schedule.h"
#include "stackctl/journal/journal.h"
#include "stackctl/plan/policy.h"
#include "stackctl/util/duration.h"
#include "stackctl/util/error.h"

namespace stackctl {
namespace fs = std::filesystem;

namespace {

const char* getenv_nonempty(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

std::size_t resolve_parallelism(const RunRequest& req, const EnvConfig& env) {
  if (req.parallelism > 0) return static_cast<std::size_t>(req.parallelism);
  if (const char* v = getenv_nonempty("STACKCTL_PARALLELISM")) {
    char* end = nullptr;
    long n = std::strtol(v, &end, 10);
    if (*end != '\0' || n < 1 || n > 256)
      throw usage_error(std::string("STACKCTL_PARALLELISM='") + v +
                        "' is not a number from 1 to 256");
    return static_cast<std::size_t>(n);
  }
  if (env.parallelism) return static_cast<std::size_t>(*env.parallelism);
  return 4;
}

std::vector<double> weights_from_journal(const Workspace& ws, const std::string& action) {
  std::vector<std::optional<double>> known(ws.manifest().layers.size());
  auto medians = median_durations(read_journal(ws.journal_file()), action);
  for (const auto& [name, secs] : medians)
    if (auto pos = ws.manifest().position(name)) known[*pos] = std::max(secs, 0.001);
  return weights_with_estimates(known);
}

}  // namespace

std::string resolve_terragrunt_binary(const std::string& flag, const EnvConfig& env) {
  if (!flag.empty()) return flag;
  if (const char* v = getenv_nonempty("STACKCTL_TERRAGRUNT")) return v;
  if (!env.terragrunt_binary.empty()) {
    fs::path p(env.terragrunt_binary);
    if (p.is_relative() && env.terragrunt_binary.find('/') != std::string::npos)
      return fs::absolute(env.folder / p).lexically_normal().string();
    return env.terragrunt_binary;
  }
  return "terragrunt";
}

RunSettings resolve_run_settings(const Context& ctx, const RunRequest& req, const Workspace& ws,
                                 Command command) {
  RunSettings s;
  const Stack& stack = ws.stack();
  s.process_env = current_environment();
  s.task.call.binary = resolve_terragrunt_binary(ctx.terragrunt, stack.env);
  s.task.call.extra_args = stack.env.terragrunt_args;
  if (!req.lock_timeout.empty()) {
    auto d = parse_duration(req.lock_timeout);
    if (!d)
      throw usage_error("--lock-timeout '" + req.lock_timeout +
                        "' is not a duration (e.g. 30s, 5m)");
    s.lock_wait = *d;
    s.task.call.lock_timeout = req.lock_timeout;
  }
  if (!req.layer_timeout.empty()) {
    auto d = parse_duration(req.layer_timeout);
    if (!d)
      throw usage_error("--layer-timeout '" + req.layer_timeout +
                        "' is not a duration (e.g. 30m, 2h; 0 = no limit)");
    s.exec.layer_timeout = *d;
  }
  s.task.base_env = s.process_env;
  check_allow_replace(req.allow_replace, *stack.manifest);
  s.task.allow_replace = req.allow_replace;
  s.task.yes = req.yes;
  s.task.echo = ctx.console.verbose;
  s.task.redact = stack_secret_values(stack, s.process_env);
  s.task.confirmed_gates = confirmed_gates(ws, read_journal(ws.journal_file()));
  s.exec.parallelism = resolve_parallelism(req, stack.env);
  s.exec.keep_going = req.keep_going;
  // Weighted by the durations of the action the command mostly runs (rebuild: its apply phase).
  s.exec.weights = weights_from_journal(ws, to_string(traits(command).weighted_by));
  return s;
}

nlohmann::json recorded_options(const RunRequest& req) {
  return {{"keep_going", req.keep_going},
          {"allow_replace", req.allow_replace},
          {"allow_destroy", req.allow_destroy},
          {"plan_dir", req.plan_dir},
          {"out_dir", req.out_dir},
          {"detailed_exitcode", req.detailed_exitcode},
          {"layer_timeout", req.layer_timeout}};
}

namespace {

// Recorded options come from the journal, which may be damaged: a value of the wrong type is
// ignored like a missing one.
bool recorded_flag(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_boolean() && it->get<bool>();
}

void take_recorded_text(const nlohmann::json& o, const char* key, std::string& into) {
  auto it = o.find(key);
  if (into.empty() && it != o.end() && it->is_string()) into = it->get<std::string>();
}

}  // namespace

void apply_recorded_options(const nlohmann::json& o, RunRequest& req) {
  if (!o.is_object()) return;
  req.keep_going = req.keep_going || recorded_flag(o, "keep_going");
  req.detailed_exitcode = req.detailed_exitcode || recorded_flag(o, "detailed_exitcode");
  take_recorded_text(o, "plan_dir", req.plan_dir);
  take_recorded_text(o, "out_dir", req.out_dir);
  take_recorded_text(o, "layer_timeout", req.layer_timeout);
  // allow_replace and allow_destroy are kept in the journal for the record only: what a resumed
  // run may delete or replace is what the resume command itself allows, never what a (possibly
  // edited) journal says.
}

}  // namespace stackctl
