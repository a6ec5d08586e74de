// `stackctl ci gitlab`: a .gitlab-ci.yml with one job per selected layer.
//
// Merge request pipelines hold `plan:<layer>` jobs, default-branch pipelines `apply:<layer>` and
// `gate:<layer>` jobs; rules keep the two sets apart, so every `needs:` names a job of the same
// pipeline. A gate is a `when: manual` job that does not allow failure: the jobs behind it wait
// until someone runs it.
#include "ci_common.h"
#include "ci_yaml.h"

namespace stackctl {

namespace {

using yaml_text::Node;

const char* kMergeRequest = "$CI_PIPELINE_SOURCE == \"merge_request_event\"";
const char* kDefaultBranch = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH";

std::string job_name(const Layer& l) {
  return (l.kind == LayerKind::Manual ? "gate:" : "apply:") + l.name;
}

/// Text placed in a GitLab variable: `$` would expand another variable.
std::string literal_text(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '$' ? std::string("$$") : std::string(1, c);
  return out;
}

Node rules(const char* condition, bool manual) {
  Node rule = Node::map();
  rule.set("if", Node::scalar(condition));
  if (manual) rule.set("when", Node::scalar("manual"));
  Node list = Node::seq();
  list.add(rule);
  return list;
}

Node needs_of(const PipelineInput& in, const PipelineJob& job, const std::string& prefix) {
  std::vector<std::string> needs;
  for (std::size_t d : job.needs)
    needs.push_back(prefix.empty() ? job_name(in.stack.layer(d)) : prefix + in.stack.layer(d).name);
  return Node::list(needs);
}

Node script(const std::string& line) {
  Node s = Node::seq();
  s.add(Node::scalar(line));
  return s;
}

Node plan_job(const PipelineInput& in, const PipelineJob& job) {
  Node j = Node::map();
  j.set("stage", Node::scalar("plan"));
  j.set("needs", needs_of(in, job, "plan:"));
  j.set("rules", rules(kMergeRequest, false));
  const std::string& name = in.stack.layer(job.layer).name;
  j.set("script", script(ci::stackctl_command(in, "plan", job.layer) + " --out-dir plans/" + name +
                         " --summary-md plans/" + name + "/summary.md"));
  Node artifacts = Node::map();
  artifacts.set("paths", Node::list({"plans/" + name + "/"}));
  artifacts.set("expire_in", Node::scalar("30 days"));
  j.set("artifacts", artifacts);
  return j;
}

Node apply_job(const PipelineInput& in, const PipelineJob& job) {
  const Layer& l = in.stack.layer(job.layer);
  Node j = Node::map();
  j.set("stage", Node::scalar("apply"));
  j.set("needs", needs_of(in, job, ""));
  j.set("rules", rules(kDefaultBranch, l.kind == LayerKind::Manual));
  if (l.kind == LayerKind::Manual) {
    j.set("allow_failure", Node::boolean(false));
    Node vars = Node::map();
    vars.set("STACKCTL_INSTRUCTIONS",
             Node::scalar(literal_text(l.instructions.empty() ? l.description : l.instructions)));
    j.set("variables", vars);
    j.set("script", script("printf '%s\\n' \"$STACKCTL_INSTRUCTIONS\""));
    return j;
  }
  std::string p = ci::protection(in, job.layer);
  if (p != "none") {
    Node vars = Node::map();
    vars.set("STACKCTL_PROTECTION", Node::scalar(p));
    j.set("variables", vars);
  }
  j.set("resource_group", Node::scalar("stackctl-" + in.stack.env.name + "-" + l.name));
  j.set("script", script(ci::stackctl_command(in, "apply", job.layer)));
  return j;
}

std::vector<std::string> job_comments(const PipelineInput& in, std::size_t i, bool apply) {
  auto comments = apply ? ci::protection_comment(in, i) : std::vector<std::string>{};
  auto secrets = secret_names(in.stack, i);
  if (!secrets.empty()) {
    std::string list;
    for (const auto& s : secrets) list += (list.empty() ? "" : ", ") + s;
    comments.push_back("Reads the CI/CD variables " + list + " (masked, protected).");
  }
  return comments;
}

Node defaults(const PipelineOptions& o) {
  Node d = Node::map();
  if (!o.image.empty()) d.set("image", Node::scalar(o.image));
  Node cache = Node::map();
  cache.set("key", Node::scalar("stackctl-tools-$STACKCTL_REF-$TERRAGRUNT_VERSION-$TOFU_VERSION"));
  cache.set("paths", Node::list({".stackctl-tools/"}));
  d.set("cache", cache);
  Node before = Node::seq();
  before.add(Node::scalar(setup_script("export PATH=\"$bin:$PATH\" TG_TF_PATH=\"$bin/tofu\"") + "set +euo pipefail\n"));
  if (!o.working_directory.empty()) before.add(Node::scalar("cd " + ci::shell_word(o.working_directory)));
  for (const auto& s : o.setup) before.add(Node::scalar(s));
  if (!before.children().empty()) d.set("before_script", before);
  return d;
}

Node workflow() {
  Node list = Node::seq();
  for (const char* condition : {kMergeRequest, kDefaultBranch}) {
    Node rule = Node::map();
    rule.set("if", Node::scalar(condition));
    list.add(rule);
  }
  Node w = Node::map();
  w.set("rules", list);
  return w;
}

}  // namespace

std::string gitlab_pipeline(const PipelineInput& in, const PipelineOptions& o) {
  Node root = Node::map();
  root.set("workflow", workflow(), {"Merge request pipelines plan; default-branch pipelines apply."});
  root.set("stages", Node::list({"plan", "apply"}));
  Node vars = Node::map();
  vars.set("STACKCTL_GIT", Node::scalar(o.stackctl_git));
  vars.set("STACKCTL_REF", Node::scalar(o.stackctl_ref.empty() ? std::string("v") + STACKCTL_VERSION : o.stackctl_ref));
  vars.set("TERRAGRUNT_VERSION", Node::scalar(o.terragrunt_version));
  vars.set("TOFU_VERSION", Node::scalar(o.tofu_version));
  vars.set("STACKCTL_TOOLS", Node::scalar("$CI_PROJECT_DIR/.stackctl-tools"));
  vars.set("GIT_DEPTH", Node::scalar("0"));
  root.set("variables", vars, {"The setup (default: before_script) installs these versions of stackctl, terragrunt and OpenTofu."});
  root.set("default", defaults(o));
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt}))
    root.set("plan:" + in.stack.layer(job.layer).name, plan_job(in, job), job_comments(in, job.layer, false));
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt, LayerKind::Command, LayerKind::Manual}))
    root.set(job_name(in.stack.layer(job.layer)), apply_job(in, job), job_comments(in, job.layer, true));
  return yaml_text::emit(root, ci::header(o, in));
}

}  // namespace stackctl
