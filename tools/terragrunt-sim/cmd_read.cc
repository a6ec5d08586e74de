// terraform init, validate, output and show: commands that read but never change the state.
#include <algorithm>

#include "commands.h"
#include "flow.h"
#include "render.h"
#include "tofu.h"

namespace tgsim {
namespace {

using nlohmann::json;

/// The steps every read-only command starts with.
Step prepare(Context& ctx) {
  return sequence({
      [&] { return refuse_prompt(ctx); },
      [&] { return read_dependencies(ctx); },
      [&] {
        log_running(ctx);
        return transient_error(ctx);
      },
  });
}

json outputs_json(const State& state) {
  json out = json::object();
  for (auto it = state.outputs.begin(); it != state.outputs.end(); ++it) {
    bool sensitive = std::find(state.sensitive_outputs.begin(), state.sensitive_outputs.end(),
                               it.key()) != state.sensitive_outputs.end();
    out[it.key()] = {
        {"sensitive", sensitive}, {"type", terraform_type(it.value())}, {"value", it.value()}};
  }
  return out;
}

int output_one(const Context& ctx, const State& state, const std::string& name) {
  if (!state.outputs.contains(name)) {
    return terraform_error(ctx, "Output \"" + name + "\" not found",
                           "The output variable requested could not be found in the state file. "
                           "If you recently\nadded this to your configuration, be sure to run "
                           "`terraform apply`, since the\nstate won't be updated with new output "
                           "variables until that command is run.")
        .exit_code;
  }
  const json& value = state.outputs[name];
  if (ctx.tf.json)
    ctx.log.raw_stdout(value.dump() + "\n");
  else if (ctx.tf.raw && value.is_string())
    ctx.log.raw_stdout(value.get<std::string>());
  else
    ctx.log.raw_stdout(show_value(value) + "\n");
  return 0;
}

}  // namespace

int run_init(Context& ctx) {
  Step s = sequence({[&] { return prepare(ctx); }, [&] { return work(ctx); }});
  if (!s.proceed) return s.exit_code;
  ctx.log.tf_stdout(
      "Initializing the backend...\n\nInitializing provider plugins...\n\n"
      "Terraform has been successfully initialized!\n");
  return 0;
}

int run_validate(Context& ctx) {
  Step s = sequence({[&] { return prepare(ctx); }, [&] { return work(ctx); }});
  if (!s.proceed) return s.exit_code;
  if (ctx.tf.json) {
    ctx.log.raw_stdout(json{{"format_version", "1.0"},
                            {"valid", true},
                            {"error_count", 0},
                            {"warning_count", 0},
                            {"diagnostics", json::array()}}
                           .dump(2) +
                       "\n");
  } else {
    ctx.log.tf_stdout("Success! The configuration is valid.\n");
  }
  return 0;
}

int run_output_or_show(Context& ctx) {
  Step s = prepare(ctx);
  return s.proceed ? run_in_tofu(ctx) : s.exit_code;
}

int tofu_output(Context& ctx) {
  State state;
  Step s = sequence({[&] { return work(ctx); }, [&] { return read_state(ctx, state); }});
  if (!s.proceed) return s.exit_code;
  if (!ctx.tf.positional.empty()) return output_one(ctx, state, ctx.tf.positional.front());
  if (ctx.tf.json) {
    ctx.log.raw_stdout(outputs_json(state).dump(2) + "\n");
  } else if (state.outputs.empty()) {
    ctx.log.tf_stderr(
        "\u2577\n\u2502 Warning: No outputs found\n\u2502 \n\u2502 The state file either has no "
        "outputs defined, or all the defined outputs are\n\u2502 empty.\n\u2575\n");
  } else {
    ctx.log.raw_stdout(render_outputs(state));
  }
  return 0;
}

int tofu_show(Context& ctx) {
  Step s = work(ctx);
  if (!s.proceed) return s.exit_code;
  if (ctx.tf.positional.empty()) {
    State state;
    if (s = read_state(ctx, state); !s.proceed) return s.exit_code;
    if (ctx.tf.json) {
      ctx.log.raw_stdout(state_json(state).dump() + "\n");
      return 0;
    }
    std::string text;
    for (const Resource& r : state.resources) text += "# " + r.address + ": id = " + r.id + "\n";
    if (!state.outputs.empty()) text += "\nOutputs:\n\n" + render_outputs(state);
    ctx.log.tf_stdout(text.empty() ? "The state file is empty. No resources are represented.\n"
                                   : text);
    return 0;
  }
  const std::string& path = ctx.tf.positional.front();
  std::string text;
  json file;
  Plan plan;
  std::string error;
  if (read_file(module_path(ctx, path), text)) file = json::parse(text, nullptr, false);
  if (!read_plan_file(file, plan, error)) {
    return terraform_error(ctx, "Failed to read the given file as a state or plan file",
                           text.empty() ? "stat " + path + ": no such file or directory"
                                        : "the given file is not a plan file")
        .exit_code;
  }
  if (ctx.tf.json)
    ctx.log.raw_stdout(file["plan"].dump() + "\n");
  else
    ctx.log.tf_stdout(render_plan(plan, ""));
  return 0;
}

}  // namespace tgsim
