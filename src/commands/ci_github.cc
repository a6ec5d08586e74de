// `stackctl ci github`: a GitHub Actions workflow.
//
// On a pull request, a `changes` job lists the changed layers and their dependents (`stackctl
// ci matrix --changed --with-dependents`), and one `plan_<layer>` job per terragrunt layer, with
// `needs:` following the graph, plans the layers on that list into a saved plan (an artifact
// per layer) and writes the Markdown summary into the job summary.
//
// On a push to the default branch, a `reviewed` job finds the pull request the pushed commit
// merged and its last successful run of this workflow; then one job per layer, in manifest
// order, applies exactly that run's plan of the layer (`apply --plan-dir`, which refuses a plan
// whose dependencies changed since it was made). A stale plan is planned again and its
// `review_<layer>` job waits for a person (the `<env>-review` environment) before applying the
// new plan. A pending manual step is a `gate_<step>` job waiting for its own environment's
// reviewers; confirmed steps are not in the workflow. The env's journal travels from job to job
// and from run to run in the Actions cache, so each freshness check sees every apply before it.
#include <algorithm>

#include "ci_common.h"
#include "ci_yaml.h"

namespace stackctl {

namespace {

using yaml_text::Node;

const char* kPullRequest = "github.event_name == 'pull_request'";
const char* kPush = "github.event_name == 'push'";
const char* kNothingFailed = "!failure() && !cancelled()";

/// Job ids must start with a letter or '_' and hold only letters, digits, '-' and '_'.
std::string job_id(const std::string& prefix, const std::string& layer) {
  std::string id = prefix + "_" + layer;
  for (char& c : id)
    if (c == '.') c = '_';
  return id;
}

/// Text placed in the workflow verbatim: GitHub would evaluate a `${{` in it.
std::string literal_text(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "${{") == 0) {
      out += "${{ '${{' }}";
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string expression(const std::string& condition) { return "${{ " + condition + " }}"; }

Node step(const std::string& name, const std::string& run) {
  Node s = Node::map();
  if (!name.empty()) s.set("name", Node::scalar(name));
  s.set("run", Node::scalar(run));
  return s;
}

Node uses(const std::string& name, const std::string& action,
          const std::vector<std::pair<std::string, std::string>>& with,
          const std::string& condition = "") {
  Node s = Node::map();
  s.set("name", Node::scalar(name));
  if (!condition.empty()) s.set("if", Node::scalar(condition));
  s.set("uses", Node::scalar(action));
  if (!with.empty()) {
    Node w = Node::map();
    for (const auto& [k, v] : with) w.set(k, Node::scalar(v));
    s.set("with", w);
  }
  return s;
}

std::string display_name(const PipelineInput& in, std::size_t i) {
  const Layer& l = in.stack.layer(i);
  std::string p = ci::protection(in, i);
  if (p == "data" || p == "keep") return l.name + " (protected: " + p + ")";
  return p == "pinned" ? l.name + " (pinned)" : l.name;
}

struct Flow {
  const PipelineInput& in;
  const PipelineOptions& o;

  std::string env() const { return in.stack.env.name; }
  std::string artifact(const std::string& layer) const { return "stackctl-" + env() + "-" + layer; }
  std::string state_path() const {
    std::string root = o.working_directory.empty() ? "" : o.working_directory + "/";
    return root + ".stackctl/" + env();
  }
  std::string state_key() const { return "stackctl-state-" + env() + "-"; }
  /// A condition true when the comma-padded list in `list` names layer.
  static std::string listed(const std::string& list, const std::string& layer) {
    return "contains(" + list + ", ' " + layer + " ')";
  }

  std::vector<Node> setup_steps() const {
    std::vector<Node> out;
    Node checkout = Node::map();
    checkout.set("uses", Node::scalar("actions/checkout@v4"));
    out.push_back(checkout);
    out.push_back(uses(
        "cache stackctl, terragrunt and OpenTofu", "actions/cache@v4",
        {{"path", "~/.stackctl-tools"},
         {"key",
          "stackctl-tools-${{ runner.os }}-${{ env.STACKCTL_REF }}-${{ env.TERRAGRUNT_VERSION }}-"
          "${{ env.TOFU_VERSION }}"}}));
    out.push_back(step("install stackctl, terragrunt and OpenTofu", "bash -c \"$STACKCTL_SETUP\""));
    for (const auto& s : o.setup) out.push_back(step("", s));
    return out;
  }

  Node restore_state() const {
    return uses("restore the env's journal", "actions/cache/restore@v4",
                {{"path", state_path()},
                 {"key", state_key() + "${{ github.run_id }}"},
                 {"restore-keys", state_key()}});
  }

  Node save_state(const std::string& job) const {
    return uses("save the env's journal", "actions/cache/save@v4",
                {{"path", state_path()},
                 {"key", state_key() + "${{ github.run_id }}-${{ github.run_attempt }}-" + job}},
                "always()");
  }

  Node base_job(const std::string& name, const std::vector<std::string>& needs,
                const std::string& condition) const {
    Node j = Node::map();
    j.set("name", Node::scalar(name));
    j.set("runs-on", Node::scalar(o.runs_on));
    if (!needs.empty()) j.set("needs", Node::list(needs));
    j.set("if", Node::scalar(expression(condition)));
    return j;
  }

  void set_secrets(Node& j, std::size_t layer) const {
    auto secrets = secret_names(in.stack, layer);
    if (secrets.empty()) return;
    Node e = Node::map();
    for (const auto& v : secrets)
      e.set(v, Node::scalar(expression("secrets." + github_secret_name(v))));
    j.set("env", e);
  }

  Node changes_job() const {
    Node j = base_job("changed layers", {}, kPullRequest);
    Node outputs = Node::map();
    outputs.set("layers", Node::scalar("${{ steps.changed.outputs.layers }}"));
    j.set("outputs", outputs);
    Node steps = Node::seq();
    Node checkout = Node::map();
    checkout.set("uses", Node::scalar("actions/checkout@v4"));
    Node with = Node::map();
    with.set("fetch-depth", Node::scalar("0"));
    checkout.set("with", with);
    bool first = true;
    for (auto& s : setup_steps()) {
      steps.add(first ? checkout : s);
      first = false;
    }
    Node changed = step("list the changed layers and their dependents",
                        "stackctl ci matrix --env " + ci::shell_word(env()) +
                            " --changed --with-dependents --base \"$BASE\" > changed.json\n"
                            "echo \"layers= $(jq -r '[.include[].layer] | join(\" \")' "
                            "changed.json) \" >> \"$GITHUB_OUTPUT\"\n"
                            "jq -r '.include[] | \"- \" + .layer' changed.json\n");
    Node env = Node::map();
    env.set("BASE", Node::scalar("${{ github.event.pull_request.base.sha }}"));
    Node c = Node::map();
    c.set("id", Node::scalar("changed"));
    c.set("name", changed.children()[0]);
    c.set("env", env);
    c.set("run", changed.children()[1]);
    steps.add(c);
    steps.add(uses("keep the list for the merge", "actions/upload-artifact@v4",
                   {{"name", artifact("changes")}, {"path", dir_of("changed.json")}}));
    j.set("steps", steps);
    return j;
  }

  std::string dir_of(const std::string& file) const {
    return o.working_directory.empty() ? file : o.working_directory + "/" + file;
  }

  Node plan_job(const PipelineJob& job) const {
    const std::string& name = in.stack.layer(job.layer).name;
    std::vector<std::string> needs{"changes"};
    for (std::size_t d : job.needs) needs.push_back(job_id("plan", in.stack.layer(d).name));
    Node j = base_job("plan " + display_name(in, job.layer), needs,
                      std::string(kNothingFailed) + " && " + kPullRequest + " && " +
                          listed("needs.changes.outputs.layers", name));
    set_secrets(j, job.layer);
    Node steps = Node::seq();
    for (auto& s : setup_steps()) steps.add(s);
    steps.add(restore_state());
    steps.add(step("plan " + name, "stackctl plan --env " + ci::shell_word(env()) + " --only " +
                                       ci::shell_word(name) + " --out-dir plans/" + name +
                                       " --summary-md plans/" + name + "/summary.md"));
    steps.add(uses(
        "keep the plan for the merge", "actions/upload-artifact@v4",
        {{"name", artifact(name)}, {"path", dir_of("plans/" + name)}, {"retention-days", "30"}}));
    j.set("steps", steps);
    return j;
  }

  Node reviewed_job() const {
    Node j = base_job("the reviewed plans", {}, kPush);
    if (!o.working_directory.empty()) {  // no checkout: the project folder is not there
      Node run = Node::map(), defaults = Node::map();
      run.set("working-directory", Node::scalar("."));
      defaults.set("run", run);
      j.set("defaults", defaults);
    }
    Node e = Node::map();
    e.set("GH_TOKEN", Node::scalar("${{ github.token }}"));
    e.set("GH_REPO", Node::scalar("${{ github.repository }}"));
    j.set("env", e);
    Node outputs = Node::map();
    outputs.set("run_id", Node::scalar("${{ steps.find.outputs.run_id }}"));
    outputs.set("layers", Node::scalar("${{ steps.find.outputs.layers }}"));
    j.set("outputs", outputs);
    Node find = Node::map();
    find.set("id", Node::scalar("find"));
    find.set("name", Node::scalar("find the pull request this push merged, and its plans"));
    find.set("run",
             Node::scalar("set -euo pipefail\n"
                          "pr=$(gh api \"repos/$GH_REPO/commits/$GITHUB_SHA/pulls\" \\\n"
                          "  --jq \"map(select(.merge_commit_sha == \\\"$GITHUB_SHA\\\"))[0] | "
                          "select(.) | \\\"\\(.number) \\(.head.sha)\\\"\")\n"
                          "if [ -z \"$pr\" ]; then\n"
                          "  echo \"::error::$GITHUB_SHA merged no pull request: nothing was "
                          "reviewed, nothing is applied\"\n"
                          "  exit 1\n"
                          "fi\n"
                          "read -r number head <<<\"$pr\"\n"
                          "workflow=$(basename \"${GITHUB_WORKFLOW_REF%@*}\")\n"
                          "run=$(gh api "
                          "\"repos/$GH_REPO/actions/workflows/$workflow/"
                          "runs?event=pull_request&head_sha=$head&status=success\" \\\n"
                          "  --jq '.workflow_runs[0].id // empty')\n"
                          "if [ -z \"$run\" ]; then\n"
                          "  echo \"::error::pull request #$number has no successful run of "
                          "$workflow at $head: its plans were not reviewed\"\n"
                          "  exit 1\n"
                          "fi\n"
                          "gh run download \"$run\" -n " +
                          artifact("changes") +
                          " -D reviewed\n"
                          "echo \"run_id=$run\" >> \"$GITHUB_OUTPUT\"\n"
                          "echo \"layers= $(jq -r '[.include[].layer] | join(\" \")' "
                          "reviewed/changed.json) \" >> \"$GITHUB_OUTPUT\"\n"
                          "echo \"pull request #$number, run $run: $(jq -r '[.include[].layer] | "
                          "join(\", \")' reviewed/changed.json)\"\n"));
    Node steps = Node::seq();
    steps.add(find);
    j.set("steps", steps);
    return j;
  }

  std::string on_merge(const std::vector<std::string>& layers) const {
    std::string any;
    for (const auto& l : layers)
      any += (any.empty() ? "" : " || ") + listed("needs.reviewed.outputs.layers", l);
    if (layers.size() > 1) any = "(" + any + ")";
    return std::string(kNothingFailed) + " && " + kPush + " && " + any;
  }

  std::vector<std::string> chain_needs(const std::string& previous) const {
    std::vector<std::string> needs{"reviewed"};
    if (!previous.empty()) needs.push_back(previous);
    return needs;
  }

  Node apply_job(std::size_t layer, const std::string& previous) const {
    const std::string& name = in.stack.layer(layer).name;
    Node j = base_job("apply " + display_name(in, layer), chain_needs(previous), on_merge({name}));
    Node outputs = Node::map();
    outputs.set("replanned", Node::scalar("${{ steps.apply.outputs.replanned }}"));
    j.set("outputs", outputs);
    set_secrets(j, layer);
    Node steps = Node::seq();
    for (auto& s : setup_steps()) steps.add(s);
    steps.add(restore_state());
    Node dl = step("download the reviewed plan",
                   "gh run download \"$RUN\" -n " + artifact(name) + " -D reviewed/" + name +
                       " || "
                       "echo \"the reviewed run $RUN has no plan of " +
                       name + "\"");
    Node dl_env = Node::map();
    dl_env.set("GH_TOKEN", Node::scalar("${{ github.token }}"));
    dl_env.set("GH_REPO", Node::scalar("${{ github.repository }}"));
    dl_env.set("RUN", Node::scalar("${{ needs.reviewed.outputs.run_id }}"));
    dl.set("env", dl_env);
    steps.add(dl);
    const std::string e = ci::shell_word(env()), l = ci::shell_word(name);
    Node apply = Node::map();
    apply.set("id", Node::scalar("apply"));
    apply.set("name", Node::scalar("apply the reviewed plan of " + name));
    apply.set(
        "run",
        Node::scalar(ci::apply_reviewed(in, layer) +
                     "# No reviewed plan, or a stale one: plan again and wait for a review of the "
                     "new plan.\n"
                     "stackctl plan --env " +
                     e + " --only " + l + " --out-dir replanned/" + name +
                     " --summary-md replanned/" + name +
                     "/summary.md\n"
                     "echo \"replanned=true\" >> \"$GITHUB_OUTPUT\"\n"
                     "echo \"::warning::" +
                     name +
                     " was planned again: its review job applies the new plan once approved\"\n"));
    steps.add(apply);
    steps.add(uses("keep the new plan for its review", "actions/upload-artifact@v4",
                   {{"name", artifact(name) + "-replanned"},
                    {"path", dir_of("replanned/" + name)},
                    {"overwrite", "true"}},
                   "steps.apply.outputs.replanned == 'true'"));
    steps.add(save_state(job_id("apply", name)));
    j.set("steps", steps);
    return j;
  }

  Node review_job(std::size_t layer) const {
    const std::string& name = in.stack.layer(layer).name;
    const std::string apply = job_id("apply", name);
    Node j = base_job(
        "review the new plan of " + name, {"reviewed", apply},
        std::string(kNothingFailed) + " && needs." + apply + ".outputs.replanned == 'true'");
    j.set("environment", Node::scalar(env() + "-review"));
    set_secrets(j, layer);
    Node steps = Node::seq();
    for (auto& s : setup_steps()) steps.add(s);
    steps.add(restore_state());
    steps.add(
        uses("download the new plan", "actions/download-artifact@v4",
             {{"name", artifact(name) + "-replanned"}, {"path", dir_of("replanned/" + name)}}));
    steps.add(step("apply the new plan of " + name,
                   "stackctl apply --env " + ci::shell_word(env()) + " --only " +
                       ci::shell_word(name) + " --plan-dir replanned/" + name + " --yes"));
    steps.add(save_state(job_id("review", name)));
    j.set("steps", steps);
    return j;
  }

  /// The selected terragrunt and command layers behind a gate: the gate waits only when the
  /// merge applies one of them.
  std::vector<std::string> behind(std::size_t gate) const {
    std::vector<std::string> out;
    for (std::size_t i : in.selected) {
      if (in.stack.layer(i).kind == LayerKind::Manual) continue;
      auto anc = in.graph.ancestors(i);
      if (std::find(anc.begin(), anc.end(), gate) != anc.end())
        out.push_back(in.stack.layer(i).name);
    }
    return out;
  }

  Node gate_job(std::size_t gate, const std::string& previous) const {
    const Layer& l = in.stack.layer(gate);
    auto layers = behind(gate);
    Node j = base_job("manual step " + l.name, chain_needs(previous),
                      layers.empty() ? "false" : on_merge(layers));
    j.set("environment", Node::scalar(env() + "-" + l.name));
    Node e = Node::map();
    e.set("INSTRUCTIONS",
          Node::scalar(literal_text(l.instructions.empty() ? l.description : l.instructions)));
    j.set("env", e);
    Node steps = Node::seq();
    for (auto& s : setup_steps()) steps.add(s);
    steps.add(restore_state());
    steps.add(
        step("confirm " + l.name, "printf '%s\\n' \"$INSTRUCTIONS\"\nstackctl confirm --env " +
                                      ci::shell_word(env()) + " " + ci::shell_word(l.name)));
    steps.add(save_state(job_id("gate", l.name)));
    j.set("steps", steps);
    return j;
  }

  Node command_job(std::size_t layer, const std::string& previous) const {
    const std::string& name = in.stack.layer(layer).name;
    Node j = base_job("run " + name, chain_needs(previous), on_merge({name}));
    set_secrets(j, layer);
    Node steps = Node::seq();
    for (auto& s : setup_steps()) steps.add(s);
    steps.add(restore_state());
    steps.add(step("run " + name, ci::stackctl_command(in, "apply", layer)));
    steps.add(save_state(job_id("run", name)));
    j.set("steps", steps);
    return j;
  }
};

std::vector<std::string> job_comments(const PipelineInput& in, std::size_t i) {
  auto comments = ci::protection_comment(in, i);
  for (const auto& v : secret_names(in.stack, i))
    if (github_secret_name(v) != v)
      comments.push_back(v + " comes from the secret " + github_secret_name(v) +
                         " (GitHub reserves the GITHUB_ prefix).");
  return comments;
}

Node triggers(const PipelineOptions& o) {
  Node on = Node::map();
  for (const char* event : {"pull_request", "push"}) {
    Node e = Node::map();
    e.set("branches", Node::list({o.branch}));
    on.set(event, e);
  }
  return on;
}

}  // namespace

std::string github_workflow(const PipelineInput& in, const PipelineOptions& o) {
  Flow flow{in, o};
  Node root = Node::map();
  root.set("name", Node::scalar("stackctl " + in.stack.env.name));
  root.set("on", triggers(o));
  Node permissions = Node::map();
  permissions.set("contents", Node::scalar("read"));
  permissions.set("actions", Node::scalar("read"));
  permissions.set("pull-requests", Node::scalar("read"));
  root.set("permissions", permissions,
           {"actions: read to download the reviewed plans of the pull request's run."});
  Node concurrency = Node::map();
  concurrency.set("group",
                  Node::scalar("stackctl-" + in.stack.env.name +
                               "-${{ github.event_name == 'push' && 'apply' || github.ref }}"));
  concurrency.set("cancel-in-progress", Node::boolean(false));
  root.set("concurrency", concurrency,
           {"One apply of the env at a time; a running apply is never cancelled."});
  Node env = Node::map();
  for (const auto& [name, value] : ci::tool_versions(o)) env.set(name, Node::scalar(value));
  env.set("NO_COLOR", Node::scalar("1"));
  env.set("STACKCTL_SETUP",
          Node::scalar(setup_script("echo \"$bin\" >> \"$GITHUB_PATH\"\n"
                                    "echo \"TG_TF_PATH=$bin/tofu\" >> \"$GITHUB_ENV\"")));
  root.set("env", env);
  if (!o.working_directory.empty()) {
    Node run = Node::map(), defaults = Node::map();
    run.set("working-directory", Node::scalar(o.working_directory));
    defaults.set("run", run);
    root.set("defaults", defaults);
  }
  Node jobs = Node::map();
  jobs.set("changes", flow.changes_job(),
           {"Pull requests: plan the changed layers and their dependents."});
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt}))
    jobs.set(job_id("plan", in.stack.layer(job.layer).name), flow.plan_job(job),
             job_comments(in, job.layer));
  jobs.set(
      "reviewed", flow.reviewed_job(),
      {"Pushes to " + o.branch + ": apply the plans reviewed in the merged pull request, one layer",
       "after the other in manifest order."});
  for (const auto& job :
       pipeline_jobs(in, {LayerKind::Terragrunt, LayerKind::Command, LayerKind::Manual})) {
    const Layer& l = in.stack.layer(job.layer);
    if (l.kind == LayerKind::Manual) {
      jobs.set(job_id("gate", l.name),
               flow.gate_job(job.layer, jobs.keys().back() == "reviewed" ? "" : jobs.keys().back()),
               {"Give the environment " + in.stack.env.name + "-" + l.name +
                " required reviewers: their approval is the gate."});
    } else if (l.kind == LayerKind::Command) {
      std::string before = jobs.keys().back() == "reviewed" ? "" : jobs.keys().back();
      jobs.set(job_id("run", l.name), flow.command_job(job.layer, before),
               job_comments(in, job.layer));
    } else {
      std::string before = jobs.keys().back() == "reviewed" ? "" : jobs.keys().back();
      jobs.set(job_id("apply", l.name), flow.apply_job(job.layer, before),
               job_comments(in, job.layer));
      jobs.set(job_id("review", l.name), flow.review_job(job.layer),
               {"Runs when the reviewed plan of " + l.name + " was stale: give the environment " +
                in.stack.env.name + "-review required reviewers."});
    }
  }
  root.set("jobs", jobs);
  return yaml_text::emit(root, ci::header(o, in));
}

}  // namespace stackctl
