// `stackctl ci github`: a GitHub Actions workflow with one job per selected layer.
//
// One job per layer serves both events: its plan step runs on pull requests, its apply step on
// pushes to the default branch. Jobs that only make sense on the default branch (manual gates,
// command layers) are skipped on pull requests, and every job that needs others runs as long as
// nothing it needs failed, so a skipped gate does not stop the plans behind it.
#include "ci_common.h"
#include "ci_yaml.h"

namespace stackctl {

namespace {

using yaml_text::Node;

const char* kPullRequest = "github.event_name == 'pull_request'";
const char* kPush = "github.event_name == 'push'";
const char* kNothingFailed = "!failure() && !cancelled()";

/// Job ids must start with a letter or '_' and hold only letters, digits, '-' and '_'.
std::string job_id(const std::string& layer) {
  std::string id = layer;
  for (char& c : id)
    if (c == '.') c = '_';
  return (id[0] >= '0' && id[0] <= '9') ? "_" + id : id;
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

Node step(const std::string& name, const std::string& run, const std::string& condition = "") {
  Node s = Node::map();
  if (!name.empty()) s.set("name", Node::scalar(name));
  if (!condition.empty()) s.set("if", Node::scalar(condition));
  s.set("run", Node::scalar(run));
  return s;
}

std::string display_name(const PipelineInput& in, std::size_t i) {
  const Layer& l = in.stack.layer(i);
  if (l.kind == LayerKind::Manual) return l.name + " (manual step)";
  std::string p = ci::protection(in, i);
  if (p == "data" || p == "keep") return l.name + " (protected: " + p + ")";
  return p == "pinned" ? l.name + " (pinned)" : l.name;
}

Node job_base(const PipelineInput& in, const PipelineJob& job, const PipelineOptions& o,
              bool push_only) {
  Node j = Node::map();
  j.set("name", Node::scalar(display_name(in, job.layer)));
  j.set("runs-on", Node::scalar(o.runs_on));
  if (!job.needs.empty()) {
    std::vector<std::string> needs;
    for (std::size_t d : job.needs) needs.push_back(job_id(in.stack.layer(d).name));
    j.set("needs", Node::list(needs));
  }
  std::string condition = push_only ? std::string(kPush) : "";
  if (!job.needs.empty()) condition += (condition.empty() ? "" : " && ") + std::string(kNothingFailed);
  if (!condition.empty()) j.set("if", Node::scalar(expression(condition)));
  return j;
}

Node gate_job(const PipelineInput& in, const PipelineJob& job, const PipelineOptions& o) {
  const Layer& l = in.stack.layer(job.layer);
  Node j = job_base(in, job, o, true);
  j.set("environment", Node::scalar(in.stack.env.name + "-" + l.name));
  Node env = Node::map();
  env.set("INSTRUCTIONS", Node::scalar(literal_text(l.instructions.empty() ? l.description : l.instructions)));
  j.set("env", env);
  Node steps = Node::seq();
  steps.add(step("manual step " + l.name, "printf '%s\\n' \"$INSTRUCTIONS\""));
  j.set("steps", steps);
  return j;
}

Node layer_job(const PipelineInput& in, const PipelineJob& job, const PipelineOptions& o) {
  const Layer& l = in.stack.layer(job.layer);
  const bool command = l.kind == LayerKind::Command;
  Node j = job_base(in, job, o, command);
  auto secrets = secret_names(in.stack, job.layer);
  if (!secrets.empty()) {
    Node env = Node::map();
    for (const auto& v : secrets)
      env.set(v, Node::scalar(expression("secrets." + github_secret_name(v))));
    j.set("env", env);
  }
  Node steps = Node::seq();
  Node checkout = Node::map();
  checkout.set("uses", Node::scalar("actions/checkout@v4"));
  steps.add(checkout);
  for (const auto& s : o.setup) steps.add(step("", s));
  if (!command) steps.add(step("plan", ci::stackctl_command(in, "plan", job.layer), kPullRequest));
  steps.add(step("apply", ci::stackctl_command(in, "apply", job.layer), command ? "" : kPush));
  j.set("steps", steps);
  return j;
}

std::vector<std::string> job_comments(const PipelineInput& in, std::size_t i) {
  auto comments = ci::protection_comment(in, i);
  for (const auto& v : secret_names(in.stack, i))
    if (github_secret_name(v) != v)
      comments.push_back(v + " comes from the secret " + github_secret_name(v) +
                         " (GitHub reserves the GITHUB_ prefix).");
  if (in.stack.layer(i).kind == LayerKind::Manual)
    comments.push_back("Give the environment " + in.stack.env.name + "-" + in.stack.layer(i).name +
                       " required reviewers: their approval is the gate.");
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
  Node root = Node::map();
  root.set("name", Node::scalar("stackctl " + in.stack.env.name));
  root.set("on", triggers(o));
  Node permissions = Node::map();
  permissions.set("contents", Node::scalar("read"));
  root.set("permissions", permissions);
  Node concurrency = Node::map();
  concurrency.set("group", Node::scalar("stackctl-" + in.stack.env.name + "-${{ github.ref }}"));
  concurrency.set("cancel-in-progress", Node::boolean(false));
  root.set("concurrency", concurrency, {"One run per env and ref at a time; a running apply is never cancelled."});
  if (!o.working_directory.empty()) {
    Node run = Node::map(), defaults = Node::map();
    run.set("working-directory", Node::scalar(o.working_directory));
    defaults.set("run", run);
    root.set("defaults", defaults);
  }
  Node jobs = Node::map();
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt, LayerKind::Command, LayerKind::Manual})) {
    const Layer& l = in.stack.layer(job.layer);
    jobs.set(job_id(l.name), l.kind == LayerKind::Manual ? gate_job(in, job, o) : layer_job(in, job, o),
             job_comments(in, job.layer));
  }
  root.set("jobs", jobs);
  return yaml_text::emit(root, ci::header(o, in));
}

}  // namespace stackctl
