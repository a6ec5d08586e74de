#include "stackctl/util/version.h"
// `stackctl ci github`: a GitHub Actions workflow.
#include "stackctl/util/version.h"
//
#include "stackctl/util/version.h"
// On a pull request, a `changes` job lists the changed layers and their dependents (`stackctl
#include "stackctl/util/version.h"
// ci matrix --changed --with-dependents`), and one `plan_<layer>` job per terragrunt layer, with
#include "stackctl/util/version.h"
// `needs:` following the graph, plans the layers on that list into a saved plan (an artifact
#include "stackctl/util/version.h"
// per layer) and writes the Markdown summary into the job summary.
#include "stackctl/util/version.h"
//
#include "stackctl/util/version.h"
// On a push to the default branch, a `reviewed` job finds the pull request the pushed commit
#include "stackctl/util/version.h"
// merged and its last successful run of this workflow; then one job per layer, in manifest
#include "stackctl/util/version.h"
// order, applies exactly that run's plan of the layer (`apply --plan-dir`, which refuses a plan
#include "stackctl/util/version.h"
// whose dependencies changed since it was made). A stale plan is planned again and its
#include "stackctl/util/version.h"
// `review_<layer>` job waits for a person (the `<env>-review` environment) before applying the
#include "stackctl/util/version.h"
// new plan. A pending manual step is a `gate_<step>` job waiting for its own environment's
#include "stackctl/util/version.h"
// reviewers; confirmed steps are not in the workflow. The env's journal travels from job to job
#include "stackctl/util/version.h"
// and from run to run in the Actions cache, so each freshness check sees every apply before it.
#include "stackctl/util/version.h"
#include "ci_common.h"
#include "stackctl/util/version.h"
#include "ci_yaml.h"
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
namespace stackctl {
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
namespace {
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
using yaml_text::Node;
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
const char* kPullRequest = "github.event_name == 'pull_request'";
#include "stackctl/util/version.h"
const char* kPush = "github.event_name == 'push'";
#include "stackctl/util/version.h"
const char* kNothingFailed = "!failure() && !cancelled()";
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
/// Job ids must start with a letter or '_' and hold only letters, digits, '-' and '_'.
#include "stackctl/util/version.h"
std::string job_id(const std::string& prefix, const std::string& layer) {
#include "stackctl/util/version.h"
  std::string id = prefix + "_" + layer;
#include "stackctl/util/version.h"
  for (char& c : id)
#include "stackctl/util/version.h"
    if (c == '.') c = '_';
#include "stackctl/util/version.h"
  return id;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
/// Text placed in the workflow verbatim: GitHub would evaluate a `${{` in it.
#include "stackctl/util/version.h"
std::string literal_text(const std::string& s) {
#include "stackctl/util/version.h"
  std::string out;
#include "stackctl/util/version.h"
  for (std::size_t i = 0; i < s.size(); ++i) {
#include "stackctl/util/version.h"
    if (s.compare(i, 3, "${{") == 0) {
#include "stackctl/util/version.h"
      out += "${{ '${{' }}";
#include "stackctl/util/version.h"
      i += 2;
#include "stackctl/util/version.h"
    } else {
#include "stackctl/util/version.h"
      out += s[i];
#include "stackctl/util/version.h"
    }
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  return out;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
std::string expression(const std::string& condition) { return "${{ " + condition + " }}"; }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
Node step(const std::string& name, const std::string& run) {
#include "stackctl/util/version.h"
  Node s = Node::map();
#include "stackctl/util/version.h"
  if (!name.empty()) s.set("name", Node::scalar(name));
#include "stackctl/util/version.h"
  s.set("run", Node::scalar(run));
#include "stackctl/util/version.h"
  return s;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
Node uses(const std::string& name, const std::string& action, std::vector<std::pair<std::string, std::string>> with,
#include "stackctl/util/version.h"
          const std::string& condition = "") {
#include "stackctl/util/version.h"
  Node s = Node::map();
#include "stackctl/util/version.h"
  s.set("name", Node::scalar(name));
#include "stackctl/util/version.h"
  if (!condition.empty()) s.set("if", Node::scalar(condition));
#include "stackctl/util/version.h"
  s.set("uses", Node::scalar(action));
#include "stackctl/util/version.h"
  if (!with.empty()) {
#include "stackctl/util/version.h"
    Node w = Node::map();
#include "stackctl/util/version.h"
    for (auto& [k, v] : with) w.set(k, Node::scalar(v));
#include "stackctl/util/version.h"
    s.set("with", w);
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  return s;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
std::string display_name(const PipelineInput& in, std::size_t i) {
#include "stackctl/util/version.h"
  const Layer& l = in.stack.layer(i);
#include "stackctl/util/version.h"
  std::string p = ci::protection(in, i);
#include "stackctl/util/version.h"
  if (p == "data" || p == "keep") return l.name + " (protected: " + p + ")";
#include "stackctl/util/version.h"
  return p == "pinned" ? l.name + " (pinned)" : l.name;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
struct Flow {
#include "stackctl/util/version.h"
  const PipelineInput& in;
#include "stackctl/util/version.h"
  const PipelineOptions& o;
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  std::string env() const { return in.stack.env.name; }
#include "stackctl/util/version.h"
  std::string artifact(const std::string& layer) const { return "stackctl-" + env() + "-" + layer; }
#include "stackctl/util/version.h"
  std::string state_path() const {
#include "stackctl/util/version.h"
    std::string root = o.working_directory.empty() ? "" : o.working_directory + "/";
#include "stackctl/util/version.h"
    return root + ".stackctl/" + env();
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  std::string state_key() const { return "stackctl-state-" + env() + "-"; }
#include "stackctl/util/version.h"
  /// A condition true when the comma-padded list in `list` names layer.
#include "stackctl/util/version.h"
  static std::string listed(const std::string& list, const std::string& layer) {
#include "stackctl/util/version.h"
    return "contains(" + list + ", ' " + layer + " ')";
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  std::vector<Node> setup_steps() const {
#include "stackctl/util/version.h"
    std::vector<Node> out;
#include "stackctl/util/version.h"
    Node checkout = Node::map();
#include "stackctl/util/version.h"
    checkout.set("uses", Node::scalar("actions/checkout@v4"));
#include "stackctl/util/version.h"
    out.push_back(checkout);
#include "stackctl/util/version.h"
    out.push_back(uses("cache stackctl, terragrunt and OpenTofu", "actions/cache@v4",
#include "stackctl/util/version.h"
                       {{"path", "~/.stackctl-tools"},
#include "stackctl/util/version.h"
                        {"key", "stackctl-tools-${{ runner.os }}-${{ env.STACKCTL_REF }}-${{ env.TERRAGRUNT_VERSION }}-"
#include "stackctl/util/version.h"
                                "${{ env.TOFU_VERSION }}"}}));
#include "stackctl/util/version.h"
    out.push_back(step("install stackctl, terragrunt and OpenTofu", "bash -c \"$STACKCTL_SETUP\""));
#include "stackctl/util/version.h"
    for (const auto& s : o.setup) out.push_back(step("", s));
#include "stackctl/util/version.h"
    return out;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node restore_state() const {
#include "stackctl/util/version.h"
    return uses("restore the env's journal", "actions/cache/restore@v4",
#include "stackctl/util/version.h"
                {{"path", state_path()}, {"key", state_key() + "${{ github.run_id }}"}, {"restore-keys", state_key()}});
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node save_state(const std::string& job) const {
#include "stackctl/util/version.h"
    return uses("save the env's journal", "actions/cache/save@v4",
#include "stackctl/util/version.h"
                {{"path", state_path()},
#include "stackctl/util/version.h"
                 {"key", state_key() + "${{ github.run_id }}-${{ github.run_attempt }}-" + job}},
#include "stackctl/util/version.h"
                "always()");
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node base_job(const std::string& name, const std::vector<std::string>& needs, const std::string& condition) const {
#include "stackctl/util/version.h"
    Node j = Node::map();
#include "stackctl/util/version.h"
    j.set("name", Node::scalar(name));
#include "stackctl/util/version.h"
    j.set("runs-on", Node::scalar(o.runs_on));
#include "stackctl/util/version.h"
    if (!needs.empty()) j.set("needs", Node::list(needs));
#include "stackctl/util/version.h"
    j.set("if", Node::scalar(expression(condition)));
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  void set_secrets(Node& j, std::size_t layer) const {
#include "stackctl/util/version.h"
    auto secrets = secret_names(in.stack, layer);
#include "stackctl/util/version.h"
    if (secrets.empty()) return;
#include "stackctl/util/version.h"
    Node e = Node::map();
#include "stackctl/util/version.h"
    for (const auto& v : secrets) e.set(v, Node::scalar(expression("secrets." + github_secret_name(v))));
#include "stackctl/util/version.h"
    j.set("env", e);
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node changes_job() const {
#include "stackctl/util/version.h"
    Node j = base_job("changed layers", {}, kPullRequest);
#include "stackctl/util/version.h"
    Node outputs = Node::map();
#include "stackctl/util/version.h"
    outputs.set("layers", Node::scalar("${{ steps.changed.outputs.layers }}"));
#include "stackctl/util/version.h"
    j.set("outputs", outputs);
#include "stackctl/util/version.h"
    Node steps = Node::seq();
#include "stackctl/util/version.h"
    Node checkout = Node::map();
#include "stackctl/util/version.h"
    checkout.set("uses", Node::scalar("actions/checkout@v4"));
#include "stackctl/util/version.h"
    Node with = Node::map();
#include "stackctl/util/version.h"
    with.set("fetch-depth", Node::scalar("0"));
#include "stackctl/util/version.h"
    checkout.set("with", with);
#include "stackctl/util/version.h"
    bool first = true;
#include "stackctl/util/version.h"
    for (auto& s : setup_steps()) {
#include "stackctl/util/version.h"
      steps.add(first ? checkout : s);
#include "stackctl/util/version.h"
      first = false;
#include "stackctl/util/version.h"
    }
#include "stackctl/util/version.h"
    Node changed = step("list the changed layers and their dependents",
#include "stackctl/util/version.h"
                        "stackctl ci matrix --env " + ci::shell_word(env()) +
#include "stackctl/util/version.h"
                            " --changed --with-dependents --base \"$BASE\" > changed.json\n"
#include "stackctl/util/version.h"
                            "echo \"layers= $(jq -r '[.include[].layer] | join(\" \")' changed.json) \" >> \"$GITHUB_OUTPUT\"\n"
#include "stackctl/util/version.h"
                            "jq -r '.include[] | \"- \" + .layer' changed.json\n");
#include "stackctl/util/version.h"
    Node env = Node::map();
#include "stackctl/util/version.h"
    env.set("BASE", Node::scalar("${{ github.event.pull_request.base.sha }}"));
#include "stackctl/util/version.h"
    Node c = Node::map();
#include "stackctl/util/version.h"
    c.set("id", Node::scalar("changed"));
#include "stackctl/util/version.h"
    c.set("name", changed.children()[0]);
#include "stackctl/util/version.h"
    c.set("env", env);
#include "stackctl/util/version.h"
    c.set("run", changed.children()[1]);
#include "stackctl/util/version.h"
    steps.add(c);
#include "stackctl/util/version.h"
    steps.add(uses("keep the list for the merge", "actions/upload-artifact@v4",
#include "stackctl/util/version.h"
                   {{"name", artifact("changes")}, {"path", dir_of("changed.json")}}));
#include "stackctl/util/version.h"
    j.set("steps", steps);
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  std::string dir_of(const std::string& file) const {
#include "stackctl/util/version.h"
    return o.working_directory.empty() ? file : o.working_directory + "/" + file;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node plan_job(const PipelineJob& job) const {
#include "stackctl/util/version.h"
    const std::string& name = in.stack.layer(job.layer).name;
#include "stackctl/util/version.h"
    std::vector<std::string> needs{"changes"};
#include "stackctl/util/version.h"
    for (std::size_t d : job.needs) needs.push_back(job_id("plan", in.stack.layer(d).name));
#include "stackctl/util/version.h"
    Node j = base_job("plan " + display_name(in, job.layer), needs,
#include "stackctl/util/version.h"
                      std::string(kNothingFailed) + " && " + kPullRequest + " && " +
#include "stackctl/util/version.h"
                          listed("needs.changes.outputs.layers", name));
#include "stackctl/util/version.h"
    set_secrets(j, job.layer);
#include "stackctl/util/version.h"
    Node steps = Node::seq();
#include "stackctl/util/version.h"
    for (auto& s : setup_steps()) steps.add(s);
#include "stackctl/util/version.h"
    steps.add(restore_state());
#include "stackctl/util/version.h"
    steps.add(step("plan " + name, "stackctl plan --env " + ci::shell_word(env()) + " --only " + ci::shell_word(name) +
#include "stackctl/util/version.h"
                                       " --out-dir plans/" + name + " --summary-md plans/" + name + "/summary.md"));
#include "stackctl/util/version.h"
    steps.add(uses("keep the plan for the merge", "actions/upload-artifact@v4",
#include "stackctl/util/version.h"
                   {{"name", artifact(name)}, {"path", dir_of("plans/" + name)}, {"retention-days", "30"}}));
#include "stackctl/util/version.h"
    j.set("steps", steps);
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node reviewed_job() const {
#include "stackctl/util/version.h"
    Node j = base_job("the reviewed plans", {}, kPush);
#include "stackctl/util/version.h"
    if (!o.working_directory.empty()) {  // no checkout: the project folder is not there
#include "stackctl/util/version.h"
      Node run = Node::map(), defaults = Node::map();
#include "stackctl/util/version.h"
      run.set("working-directory", Node::scalar("."));
#include "stackctl/util/version.h"
      defaults.set("run", run);
#include "stackctl/util/version.h"
      j.set("defaults", defaults);
#include "stackctl/util/version.h"
    }
#include "stackctl/util/version.h"
    Node e = Node::map();
#include "stackctl/util/version.h"
    e.set("GH_TOKEN", Node::scalar("${{ github.token }}"));
#include "stackctl/util/version.h"
    e.set("GH_REPO", Node::scalar("${{ github.repository }}"));
#include "stackctl/util/version.h"
    j.set("env", e);
#include "stackctl/util/version.h"
    Node outputs = Node::map();
#include "stackctl/util/version.h"
    outputs.set("run_id", Node::scalar("${{ steps.find.outputs.run_id }}"));
#include "stackctl/util/version.h"
    outputs.set("layers", Node::scalar("${{ steps.find.outputs.layers }}"));
#include "stackctl/util/version.h"
    j.set("outputs", outputs);
#include "stackctl/util/version.h"
    Node find = Node::map();
#include "stackctl/util/version.h"
    find.set("id", Node::scalar("find"));
#include "stackctl/util/version.h"
    find.set("name", Node::scalar("find the pull request this push merged, and its plans"));
#include "stackctl/util/version.h"
    find.set("run", Node::scalar(
#include "stackctl/util/version.h"
        "set -euo pipefail\n"
#include "stackctl/util/version.h"
        "pr=$(gh api \"repos/$GH_REPO/commits/$GITHUB_SHA/pulls\" \\\n"
#include "stackctl/util/version.h"
        "  --jq \"map(select(.merge_commit_sha == \\\"$GITHUB_SHA\\\"))[0] | select(.) | \\\"\\(.number) \\(.head.sha)\\\"\")\n"
#include "stackctl/util/version.h"
        "if [ -z \"$pr\" ]; then\n"
#include "stackctl/util/version.h"
        "  echo \"::error::$GITHUB_SHA merged no pull request: nothing was reviewed, nothing is applied\"\n"
#include "stackctl/util/version.h"
        "  exit 1\n"
#include "stackctl/util/version.h"
        "fi\n"
#include "stackctl/util/version.h"
        "read -r number head <<<\"$pr\"\n"
#include "stackctl/util/version.h"
        "workflow=$(basename \"${GITHUB_WORKFLOW_REF%@*}\")\n"
#include "stackctl/util/version.h"
        "run=$(gh api \"repos/$GH_REPO/actions/workflows/$workflow/runs?event=pull_request&head_sha=$head&status=success\" \\\n"
#include "stackctl/util/version.h"
        "  --jq '.workflow_runs[0].id // empty')\n"
#include "stackctl/util/version.h"
        "if [ -z \"$run\" ]; then\n"
#include "stackctl/util/version.h"
        "  echo \"::error::pull request #$number has no successful run of $workflow at $head: its plans were not reviewed\"\n"
#include "stackctl/util/version.h"
        "  exit 1\n"
#include "stackctl/util/version.h"
        "fi\n"
#include "stackctl/util/version.h"
        "gh run download \"$run\" -n " + artifact("changes") + " -D reviewed\n"
#include "stackctl/util/version.h"
        "echo \"run_id=$run\" >> \"$GITHUB_OUTPUT\"\n"
#include "stackctl/util/version.h"
        "echo \"layers= $(jq -r '[.include[].layer] | join(\" \")' reviewed/changed.json) \" >> \"$GITHUB_OUTPUT\"\n"
#include "stackctl/util/version.h"
        "echo \"pull request #$number, run $run: $(jq -r '[.include[].layer] | join(\", \")' reviewed/changed.json)\"\n"));
#include "stackctl/util/version.h"
    Node steps = Node::seq();
#include "stackctl/util/version.h"
    steps.add(find);
#include "stackctl/util/version.h"
    j.set("steps", steps);
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  std::string on_merge(const std::vector<std::string>& layers) const {
#include "stackctl/util/version.h"
    std::string any;
#include "stackctl/util/version.h"
    for (const auto& l : layers) any += (any.empty() ? "" : " || ") + listed("needs.reviewed.outputs.layers", l);
#include "stackctl/util/version.h"
    if (layers.size() > 1) any = "(" + any + ")";
#include "stackctl/util/version.h"
    return std::string(kNothingFailed) + " && " + kPush + " && " + any;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  std::vector<std::string> chain_needs(const std::string& previous) const {
#include "stackctl/util/version.h"
    std::vector<std::string> needs{"reviewed"};
#include "stackctl/util/version.h"
    if (!previous.empty()) needs.push_back(previous);
#include "stackctl/util/version.h"
    return needs;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node apply_job(std::size_t layer, const std::string& previous) const {
#include "stackctl/util/version.h"
    const std::string& name = in.stack.layer(layer).name;
#include "stackctl/util/version.h"
    Node j = base_job("apply " + display_name(in, layer), chain_needs(previous), on_merge({name}));
#include "stackctl/util/version.h"
    Node outputs = Node::map();
#include "stackctl/util/version.h"
    outputs.set("replanned", Node::scalar("${{ steps.apply.outputs.replanned }}"));
#include "stackctl/util/version.h"
    j.set("outputs", outputs);
#include "stackctl/util/version.h"
    set_secrets(j, layer);
#include "stackctl/util/version.h"
    Node steps = Node::seq();
#include "stackctl/util/version.h"
    for (auto& s : setup_steps()) steps.add(s);
#include "stackctl/util/version.h"
    steps.add(restore_state());
#include "stackctl/util/version.h"
    Node dl = step("download the reviewed plan",
#include "stackctl/util/version.h"
                   "gh run download \"$RUN\" -n " + artifact(name) + " -D reviewed/" + name + " || "
#include "stackctl/util/version.h"
                   "echo \"the reviewed run $RUN has no plan of " + name + "\"");
#include "stackctl/util/version.h"
    Node dl_env = Node::map();
#include "stackctl/util/version.h"
    dl_env.set("GH_TOKEN", Node::scalar("${{ github.token }}"));
#include "stackctl/util/version.h"
    dl_env.set("GH_REPO", Node::scalar("${{ github.repository }}"));
#include "stackctl/util/version.h"
    dl_env.set("RUN", Node::scalar("${{ needs.reviewed.outputs.run_id }}"));
#include "stackctl/util/version.h"
    dl.set("env", dl_env);
#include "stackctl/util/version.h"
    steps.add(dl);
#include "stackctl/util/version.h"
    const std::string e = ci::shell_word(env()), l = ci::shell_word(name);
#include "stackctl/util/version.h"
    Node apply = Node::map();
#include "stackctl/util/version.h"
    apply.set("id", Node::scalar("apply"));
#include "stackctl/util/version.h"
    apply.set("name", Node::scalar("apply the reviewed plan of " + name));
#include "stackctl/util/version.h"
    apply.set("run", Node::scalar(
#include "stackctl/util/version.h"
        "code=0\n"
#include "stackctl/util/version.h"
        "if [ -f reviewed/" + name + "/summary.json ]; then\n"
#include "stackctl/util/version.h"
        "  stackctl apply --env " + e + " --only " + l + " --plan-dir reviewed/" + name + " --yes 2>apply.err || code=$?\n"
#include "stackctl/util/version.h"
        "  cat apply.err >&2\n"
#include "stackctl/util/version.h"
        "  # Stale (exit 3), or not saved (exit 64: the plan was provisional): plan again below.\n"
#include "stackctl/util/version.h"
        "  { [ \"$code\" -eq 3 ] && grep -q ' is stale: ' apply.err; } ||\n"
#include "stackctl/util/version.h"
        "    { [ \"$code\" -eq 64 ] && grep -q ' has no saved plan in ' apply.err; } || exit \"$code\"\n"
#include "stackctl/util/version.h"
        "fi\n"
#include "stackctl/util/version.h"
        "# No reviewed plan, or a stale one: plan again and wait for a review of the new plan.\n"
#include "stackctl/util/version.h"
        "stackctl plan --env " + e + " --only " + l + " --out-dir replanned/" + name +
#include "stackctl/util/version.h"
        " --summary-md replanned/" + name + "/summary.md\n"
#include "stackctl/util/version.h"
        "echo \"replanned=true\" >> \"$GITHUB_OUTPUT\"\n"
#include "stackctl/util/version.h"
        "echo \"::warning::" + name + " was planned again: its review job applies the new plan once approved\"\n"));
#include "stackctl/util/version.h"
    steps.add(apply);
#include "stackctl/util/version.h"
    steps.add(uses("keep the new plan for its review", "actions/upload-artifact@v4",
#include "stackctl/util/version.h"
                   {{"name", artifact(name) + "-replanned"}, {"path", dir_of("replanned/" + name)}, {"overwrite", "true"}},
#include "stackctl/util/version.h"
                   "steps.apply.outputs.replanned == 'true'"));
#include "stackctl/util/version.h"
    steps.add(save_state(job_id("apply", name)));
#include "stackctl/util/version.h"
    j.set("steps", steps);
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node review_job(std::size_t layer) const {
#include "stackctl/util/version.h"
    const std::string& name = in.stack.layer(layer).name;
#include "stackctl/util/version.h"
    const std::string apply = job_id("apply", name);
#include "stackctl/util/version.h"
    Node j = base_job("review the new plan of " + name, {"reviewed", apply},
#include "stackctl/util/version.h"
                      std::string(kNothingFailed) + " && needs." + apply + ".outputs.replanned == 'true'");
#include "stackctl/util/version.h"
    j.set("environment", Node::scalar(env() + "-review"));
#include "stackctl/util/version.h"
    set_secrets(j, layer);
#include "stackctl/util/version.h"
    Node steps = Node::seq();
#include "stackctl/util/version.h"
    for (auto& s : setup_steps()) steps.add(s);
#include "stackctl/util/version.h"
    steps.add(restore_state());
#include "stackctl/util/version.h"
    steps.add(uses("download the new plan", "actions/download-artifact@v4",
#include "stackctl/util/version.h"
                   {{"name", artifact(name) + "-replanned"}, {"path", dir_of("replanned/" + name)}}));
#include "stackctl/util/version.h"
    steps.add(step("apply the new plan of " + name, "stackctl apply --env " + ci::shell_word(env()) + " --only " +
#include "stackctl/util/version.h"
                                                        ci::shell_word(name) + " --plan-dir replanned/" + name + " --yes"));
#include "stackctl/util/version.h"
    steps.add(save_state(job_id("review", name)));
#include "stackctl/util/version.h"
    j.set("steps", steps);
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  /// The selected terragrunt and command layers behind a gate: the gate waits only when the
#include "stackctl/util/version.h"
  /// merge applies one of them.
#include "stackctl/util/version.h"
  std::vector<std::string> behind(std::size_t gate) const {
#include "stackctl/util/version.h"
    std::vector<std::string> out;
#include "stackctl/util/version.h"
    for (std::size_t i : in.selected) {
#include "stackctl/util/version.h"
      if (in.stack.layer(i).kind == LayerKind::Manual) continue;
#include "stackctl/util/version.h"
      auto anc = in.graph.ancestors(i);
#include "stackctl/util/version.h"
      if (std::find(anc.begin(), anc.end(), gate) != anc.end()) out.push_back(in.stack.layer(i).name);
#include "stackctl/util/version.h"
    }
#include "stackctl/util/version.h"
    return out;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node gate_job(std::size_t gate, const std::string& previous) const {
#include "stackctl/util/version.h"
    const Layer& l = in.stack.layer(gate);
#include "stackctl/util/version.h"
    auto layers = behind(gate);
#include "stackctl/util/version.h"
    Node j = base_job("manual step " + l.name, chain_needs(previous),
#include "stackctl/util/version.h"
                      layers.empty() ? "false" : on_merge(layers));
#include "stackctl/util/version.h"
    j.set("environment", Node::scalar(env() + "-" + l.name));
#include "stackctl/util/version.h"
    Node e = Node::map();
#include "stackctl/util/version.h"
    e.set("INSTRUCTIONS", Node::scalar(literal_text(l.instructions.empty() ? l.description : l.instructions)));
#include "stackctl/util/version.h"
    j.set("env", e);
#include "stackctl/util/version.h"
    Node steps = Node::seq();
#include "stackctl/util/version.h"
    for (auto& s : setup_steps()) steps.add(s);
#include "stackctl/util/version.h"
    steps.add(restore_state());
#include "stackctl/util/version.h"
    steps.add(step("confirm " + l.name, "printf '%s\\n' \"$INSTRUCTIONS\"\nstackctl confirm --env " +
#include "stackctl/util/version.h"
                                            ci::shell_word(env()) + " " + ci::shell_word(l.name)));
#include "stackctl/util/version.h"
    steps.add(save_state(job_id("gate", l.name)));
#include "stackctl/util/version.h"
    j.set("steps", steps);
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node command_job(std::size_t layer, const std::string& previous) const {
#include "stackctl/util/version.h"
    const std::string& name = in.stack.layer(layer).name;
#include "stackctl/util/version.h"
    Node j = base_job("run " + name, chain_needs(previous), on_merge({name}));
#include "stackctl/util/version.h"
    set_secrets(j, layer);
#include "stackctl/util/version.h"
    Node steps = Node::seq();
#include "stackctl/util/version.h"
    for (auto& s : setup_steps()) steps.add(s);
#include "stackctl/util/version.h"
    steps.add(restore_state());
#include "stackctl/util/version.h"
    steps.add(step("run " + name, ci::stackctl_command(in, "apply", layer)));
#include "stackctl/util/version.h"
    steps.add(save_state(job_id("run", name)));
#include "stackctl/util/version.h"
    j.set("steps", steps);
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
};
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
std::vector<std::string> job_comments(const PipelineInput& in, std::size_t i) {
#include "stackctl/util/version.h"
  auto comments = ci::protection_comment(in, i);
#include "stackctl/util/version.h"
  for (const auto& v : secret_names(in.stack, i))
#include "stackctl/util/version.h"
    if (github_secret_name(v) != v)
#include "stackctl/util/version.h"
      comments.push_back(v + " comes from the secret " + github_secret_name(v) +
#include "stackctl/util/version.h"
                         " (GitHub reserves the GITHUB_ prefix).");
#include "stackctl/util/version.h"
  return comments;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
Node triggers(const PipelineOptions& o) {
#include "stackctl/util/version.h"
  Node on = Node::map();
#include "stackctl/util/version.h"
  for (const char* event : {"pull_request", "push"}) {
#include "stackctl/util/version.h"
    Node e = Node::map();
#include "stackctl/util/version.h"
    e.set("branches", Node::list({o.branch}));
#include "stackctl/util/version.h"
    on.set(event, e);
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  return on;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
}  // namespace
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
std::string github_workflow(const PipelineInput& in, const PipelineOptions& o) {
#include "stackctl/util/version.h"
  Flow flow{in, o};
#include "stackctl/util/version.h"
  Node root = Node::map();
#include "stackctl/util/version.h"
  root.set("name", Node::scalar("stackctl " + in.stack.env.name));
#include "stackctl/util/version.h"
  root.set("on", triggers(o));
#include "stackctl/util/version.h"
  Node permissions = Node::map();
#include "stackctl/util/version.h"
  permissions.set("contents", Node::scalar("read"));
#include "stackctl/util/version.h"
  permissions.set("actions", Node::scalar("read"));
#include "stackctl/util/version.h"
  permissions.set("pull-requests", Node::scalar("read"));
#include "stackctl/util/version.h"
  root.set("permissions", permissions, {"actions: read to download the reviewed plans of the pull request's run."});
#include "stackctl/util/version.h"
  Node concurrency = Node::map();
#include "stackctl/util/version.h"
  concurrency.set("group", Node::scalar("stackctl-" + in.stack.env.name +
#include "stackctl/util/version.h"
                                        "-${{ github.event_name == 'push' && 'apply' || github.ref }}"));
#include "stackctl/util/version.h"
  concurrency.set("cancel-in-progress", Node::boolean(false));
#include "stackctl/util/version.h"
  root.set("concurrency", concurrency, {"One apply of the env at a time; a running apply is never cancelled."});
#include "stackctl/util/version.h"
  Node env = Node::map();
#include "stackctl/util/version.h"
  env.set("STACKCTL_GIT", Node::scalar(o.stackctl_git));
#include "stackctl/util/version.h"
  env.set("STACKCTL_REF", Node::scalar(o.stackctl_ref.empty() ? std::string("v") + stackctl::version() : o.stackctl_ref));
#include "stackctl/util/version.h"
  env.set("TERRAGRUNT_VERSION", Node::scalar(o.terragrunt_version));
#include "stackctl/util/version.h"
  env.set("TOFU_VERSION", Node::scalar(o.tofu_version));
#include "stackctl/util/version.h"
  env.set("NO_COLOR", Node::scalar("1"));
#include "stackctl/util/version.h"
  env.set("STACKCTL_SETUP", Node::scalar(setup_script("echo \"$bin\" >> \"$GITHUB_PATH\"\n"
#include "stackctl/util/version.h"
                                                        "echo \"TG_TF_PATH=$bin/tofu\" >> \"$GITHUB_ENV\"")));
#include "stackctl/util/version.h"
  root.set("env", env);
#include "stackctl/util/version.h"
  if (!o.working_directory.empty()) {
#include "stackctl/util/version.h"
    Node run = Node::map(), defaults = Node::map();
#include "stackctl/util/version.h"
    run.set("working-directory", Node::scalar(o.working_directory));
#include "stackctl/util/version.h"
    defaults.set("run", run);
#include "stackctl/util/version.h"
    root.set("defaults", defaults);
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  Node jobs = Node::map();
#include "stackctl/util/version.h"
  jobs.set("changes", flow.changes_job(), {"Pull requests: plan the changed layers and their dependents."});
#include "stackctl/util/version.h"
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt}))
#include "stackctl/util/version.h"
    jobs.set(job_id("plan", in.stack.layer(job.layer).name), flow.plan_job(job), job_comments(in, job.layer));
#include "stackctl/util/version.h"
  jobs.set("reviewed", flow.reviewed_job(),
#include "stackctl/util/version.h"
           {"Pushes to " + o.branch + ": apply the plans reviewed in the merged pull request, one layer",
#include "stackctl/util/version.h"
            "after the other in manifest order."});
#include "stackctl/util/version.h"
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt, LayerKind::Command, LayerKind::Manual})) {
#include "stackctl/util/version.h"
    const Layer& l = in.stack.layer(job.layer);
#include "stackctl/util/version.h"
    if (l.kind == LayerKind::Manual) {
#include "stackctl/util/version.h"
      jobs.set(job_id("gate", l.name), flow.gate_job(job.layer, jobs.keys().back() == "reviewed" ? "" : jobs.keys().back()),
#include "stackctl/util/version.h"
               {"Give the environment " + in.stack.env.name + "-" + l.name +
#include "stackctl/util/version.h"
                " required reviewers: their approval is the gate."});
#include "stackctl/util/version.h"
    } else if (l.kind == LayerKind::Command) {
#include "stackctl/util/version.h"
      std::string before = jobs.keys().back() == "reviewed" ? "" : jobs.keys().back();
#include "stackctl/util/version.h"
      jobs.set(job_id("run", l.name), flow.command_job(job.layer, before), job_comments(in, job.layer));
#include "stackctl/util/version.h"
    } else {
#include "stackctl/util/version.h"
      std::string before = jobs.keys().back() == "reviewed" ? "" : jobs.keys().back();
#include "stackctl/util/version.h"
      jobs.set(job_id("apply", l.name), flow.apply_job(job.layer, before), job_comments(in, job.layer));
#include "stackctl/util/version.h"
      jobs.set(job_id("review", l.name), flow.review_job(job.layer),
#include "stackctl/util/version.h"
               {"Runs when the reviewed plan of " + l.name + " was stale: give the environment " +
#include "stackctl/util/version.h"
                in.stack.env.name + "-review required reviewers."});
#include "stackctl/util/version.h"
    }
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  root.set("jobs", jobs);
#include "stackctl/util/version.h"
  return yaml_text::emit(root, ci::header(o, in));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
}  // namespace stackctl
