// `stackctl ci gitlab`: a .gitlab-ci.yml.
//
// In a merge request pipeline, a `changes` job lists the changed layers and their dependents
// (`stackctl ci matrix --changed --with-dependents` against the merge request's diff base), and
// one `plan:<layer>` job per terragrunt layer, with `needs:` following the graph, plans the
// layers on that list into a saved plan kept as the job's artifacts; a job whose layer is not on
// it ends at once, before the setup. The `summary` job posts the plans' Markdown summaries as a
// note on the merge request.
//
// In a default-branch pipeline, the `reviewed` job finds the merge request the commit merged and
// its head pipeline, which must have passed; then one job per layer, in manifest order, applies
// exactly that pipeline's plan of the layer (`apply --plan-dir`, which refuses a plan whose
// dependencies changed since it was made). A stale or missing plan is planned again and, when the
// new plan has changes, stops the pipeline there: the manual `review:<layer>` job applies the new
// plan once someone has read it, and retrying `apply:<layer>` then finds nothing left to apply and
// lets the jobs after it run. A pending manual step is a blocking manual `gate:<step>` job. The
// env's journal travels from job to job and from pipeline to pipeline in the GitLab cache.
#include <cctype>

#include "ci_common.h"
#include "ci_yaml.h"

namespace stackctl {

namespace {

using yaml_text::Node;

const char* kMergeRequest = "$CI_PIPELINE_SOURCE == \"merge_request_event\"";
const char* kDefaultBranch = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH";
const char* kApi = "$CI_API_V4_URL/projects/$CI_PROJECT_ID/";
const char* kAuth = "--header \"PRIVATE-TOKEN: $STACKCTL_GITLAB_TOKEN\"";

/// Text placed in a GitLab variable: `$` would expand another variable.
std::string literal_text(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '$' ? std::string("$$") : std::string(1, c);
  return out;
}

/// s as a URL path: every byte but [A-Za-z0-9._~/-] percent-encoded.
std::string url_path(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.' || c == '_' || c == '~' || c == '/' || c == '-') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

/// A layer name inside a sed pattern (names hold only [a-z0-9._-]: the dots need escaping).
std::string sed_word(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '.' ? std::string("\\.") : std::string(1, c);
  return out;
}

Node rules(const char* condition, const std::string& when = "") {
  Node rule = Node::map();
  rule.set("if", Node::scalar(condition));
  if (!when.empty()) rule.set("when", Node::scalar(when));
  Node list = Node::seq();
  list.add(rule);
  return list;
}

Node script(const std::vector<std::string>& lines) {
  Node s = Node::seq();
  for (const auto& l : lines) s.add(Node::scalar(l));
  return s;
}

/// Ends the job (successfully) when `file`, a `ci matrix` document, does not list layer.
std::string unless_listed(const std::string& file, const std::string& layer,
                          const std::string& why) {
  return "if ! grep -qF '\"layer\":\"" + layer + "\"' " + file + "; then\n  echo \"" + layer + " " +
         why + "\"\n  exit 0\nfi\n";
}

struct Flow {
  const PipelineInput& in;
  const PipelineOptions& o;

  std::string env() const { return in.stack.env.name; }
  std::string e() const { return ci::shell_word(env()); }
  /// A path of the project as the artifacts (relative to the repository) name it.
  std::string dir_of(const std::string& file) const {
    return o.working_directory.empty() ? file : o.working_directory + "/" + file;
  }

  /// The setup, after a check that may end the job first.
  Node before_script(const std::string& check) const {
    Node before = Node::seq();
    if (!o.working_directory.empty())
      before.add(Node::scalar("cd " + ci::shell_word(o.working_directory)));
    if (!check.empty()) before.add(Node::scalar(check));
    before.add(Node::scalar("eval \"$STACKCTL_SETUP\""));
    for (const auto& s : o.setup) before.add(Node::scalar(s));
    return before;
  }

  Node tools_cache() const {
    Node cache = Node::map();
    cache.set("key",
              Node::scalar("stackctl-tools-$STACKCTL_REF-$TERRAGRUNT_VERSION-$TOFU_VERSION"));
    cache.set("paths", Node::list({".stackctl-tools/"}));
    return cache;
  }

  /// The tools, and the env's journal: pulled by plans, saved by every default-branch job.
  Node caches(bool save) const {
    Node state = Node::map();
    state.set("key", Node::scalar("stackctl-state-" + env()));
    state.set("paths", Node::list({dir_of(".stackctl/" + env() + "/")}));
    state.set("policy", Node::scalar(save ? "pull-push" : "pull"));
    if (save) state.set("when", Node::scalar("always"));
    state.set("unprotect", Node::boolean(true));
    Node list = Node::seq();
    list.add(tools_cache());
    list.add(state);
    return list;
  }

  Node artifacts(const std::string& path, bool always) const {
    Node a = Node::map();
    a.set("paths", Node::list({dir_of(path)}));
    a.set("expire_in", Node::scalar("30 days"));
    if (always) a.set("when", Node::scalar("always"));
    return a;
  }

  /// Downloads the artifacts archive of the job whose id is in $job to dest.zip (a condition).
  std::string fetch(const std::string& dest) const {
    return "curl -fsSL --create-dirs " + std::string(kAuth) + " -o " + dest + ".zip \"" + kApi +
           "jobs/$job/artifacts\"";
  }

  /// Unpacks dest.zip and moves the archive's `path` (of the project) to dest.
  std::string unpack(const std::string& dest, const std::string& path) const {
    const std::string from = ci::shell_word(dest + ".d/" + dir_of(path));
    return "rm -rf " + dest + ".d && unzip -q -o " + dest + ".zip -d " + dest + ".d\n" +
           "if [ -d " + from + " ]; then rm -rf " + dest + " && mv " + from + " " + dest +
           "; fi\n" + "rm -rf " + dest + ".zip " + dest + ".d\n";
  }

  Node changes_job() const {
    Node j = Node::map();
    j.set("stage", Node::scalar("plan"));
    j.set("rules", rules(kMergeRequest));
    const std::string changed =
        " --changed --with-dependents --base \"$CI_MERGE_REQUEST_DIFF_BASE_SHA\"";
    j.set("script", script({"stackctl list --env " + e() + changed + " --why",
                            "stackctl ci matrix --env " + e() + changed + " > changed.json"}));
    j.set("artifacts", artifacts("changed.json", false));
    return j;
  }

  Node plan_job(const PipelineJob& job) const {
    const std::string& name = in.stack.layer(job.layer).name;
    Node j = Node::map();
    j.set("stage", Node::scalar("plan"));
    std::vector<std::string> needs{"changes"};
    for (std::size_t d : job.needs) needs.push_back("plan:" + in.stack.layer(d).name);
    j.set("needs", Node::list(needs));
    j.set("rules", rules(kMergeRequest));
    j.set("cache", caches(false));
    j.set("before_script",
          before_script(unless_listed(
              "changed.json", name,
              "is not among the changed layers and their dependents: nothing to plan")));
    j.set("script", script({ci::stackctl_command(in, "plan", job.layer) + " --out-dir plans/" +
                            name + " --summary-md plans/" + name + "/summary.md"}));
    j.set("artifacts", artifacts("plans/" + name + "/", true));
    return j;
  }

  Node summary_job() const {
    std::string layers;
    for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt}))
      layers += (layers.empty() ? "" : " ") + in.stack.layer(job.layer).name;
    Node j = Node::map();
    j.set("stage", Node::scalar("report"));
    j.set("rules", rules(kMergeRequest, "always"));
    j.set("script",
          script({": > summary.md\n"
                  "for layer in " +
                      layers +
                      "; do\n"
                      "  if [ -f \"plans/$layer/summary.md\" ]; then cat "
                      "\"plans/$layer/summary.md\" && echo; fi >> summary.md\n"
                      "done\n"
                      "cat summary.md\n",
                  "if [ ! -s summary.md ]; then\n"
                  "  echo \"no layer was planned: nothing to post\"\n"
                  "elif [ -z \"${STACKCTL_GITLAB_TOKEN:-}\" ]; then\n"
                  "  echo \"STACKCTL_GITLAB_TOKEN is not set: the summary is not posted on the "
                  "merge request (it is this job's "
                  "artifact)\"\n"
                  "else\n"
                  "  curl -fsS -o /dev/null " +
                      std::string(kAuth) +
                      " --data-urlencode body@summary.md \\\n"
                      "    \"" +
                      kApi +
                      "merge_requests/$CI_MERGE_REQUEST_IID/notes\"\n"
                      "  echo \"posted the summary on merge request !$CI_MERGE_REQUEST_IID\"\n"
                      "fi\n"}));
    Node a = artifacts("summary.md", true);
    a.set("expose_as", Node::scalar("stackctl plan summary"));
    j.set("artifacts", a);
    return j;
  }

  Node reviewed_job() const {
    Node j = Node::map();
    j.set("stage", Node::scalar("apply"));
    j.set("needs", Node::list({}));
    j.set("rules", rules(kDefaultBranch));
    j.set(
        "script",
        script(
            {"if [ -z \"${STACKCTL_GITLAB_TOKEN:-}\" ]; then\n"
             "  echo \"STACKCTL_GITLAB_TOKEN is not set: the merge request's plans cannot be "
             "found, nothing is applied\"\n"
             "  exit 1\n"
             "fi\n"
             "api() { curl -fsSL --create-dirs " +
             std::string(kAuth) + " -o \"reviewed/$2\" \"" + kApi +
             "$1\"; }\n"
             "api \"repository/commits/$CI_COMMIT_SHA/merge_requests\" merge-requests.json\n"
             "mr=$(jq -r --arg sha \"$CI_COMMIT_SHA\" 'map(select(.state == \"merged\" and "
             "(.merge_commit_sha == $sha or\n"
             "  .squash_commit_sha == $sha or .sha == $sha)))[0] | select(.) | .iid' "
             "reviewed/merge-requests.json)\n"
             "if [ -z \"$mr\" ]; then\n"
             "  echo \"$CI_COMMIT_SHA merged no merge request: nothing was reviewed, nothing is "
             "applied\"\n"
             "  exit 1\n"
             "fi\n"
             "api \"merge_requests/$mr\" merge-request.json\n"
             "pipeline=$(jq -r 'select(.head_pipeline.status == \"success\") | .head_pipeline.id' "
             "reviewed/merge-request.json)\n"
             "if [ -z \"$pipeline\" ]; then\n"
             "  echo \"merge request !$mr has no passed pipeline at its last commit: its plans "
             "were not reviewed\"\n"
             "  exit 1\n"
             "fi\n"
             ": > reviewed/jobs.txt\n"
             "page=1\n"
             "while :; do\n"
             "  api \"pipelines/$pipeline/jobs?scope%5B%5D=success&per_page=100&page=$page\" "
             "page.json\n"
             "  [ \"$(jq length reviewed/page.json)\" -gt 0 ] || break\n"
             "  jq -r '.[] | \"\\(.name) \\(.id)\"' reviewed/page.json >> reviewed/jobs.txt\n"
             "  page=$((page + 1))\n"
             "done\n"
             "job=$(sed -n 's/^changes //p' reviewed/jobs.txt)\n"
             "api \"jobs/$job/artifacts/" +
             url_path(dir_of("changed.json")) +
             "\" changed.json\n"
             "echo \"merge request !$mr, pipeline $pipeline: $(grep -o '\"layer\":\"[^\"]*\"' "
             "reviewed/changed.json | "
             "cut -d'\"' -f4 | tr '\\n' ' ')\"\n"}));
    j.set("artifacts", artifacts("reviewed/", false));
    return j;
  }

  /// The default-branch jobs run one after the other, in manifest order.
  Node chain_job(const std::string& previous) const {
    Node j = Node::map();
    j.set("stage", Node::scalar("apply"));
    std::vector<std::string> needs{"reviewed"};
    if (!previous.empty()) needs.push_back(previous);
    j.set("needs", Node::list(needs));
    return j;
  }

  void set_protection(Node& j, std::size_t layer) const {
    std::string p = ci::protection(in, layer);
    if (p == "none") return;
    Node vars = Node::map();
    vars.set("STACKCTL_PROTECTION", Node::scalar(p));
    j.set("variables", vars);
  }

  void merge_settings(Node& j) const {
    j.set("resource_group", Node::scalar("stackctl-" + env()));
    j.set("cache", caches(true));
  }

  std::string apply_or_replan(std::size_t layer) const {
    const std::string& name = in.stack.layer(layer).name;
    const std::string l = ci::shell_word(name);
    return ci::apply_reviewed(in, layer) +
           "# No reviewed plan, or a stale one: plan again. A new plan with changes stops the "
           "pipeline here.\n"
           "code=0\n"
           "stackctl plan --env " +
           e() + " --only " + l + " --detailed-exitcode --out-dir replanned/" + name +
           " --summary-md replanned/" + name +
           "/summary.md || code=$?\n"
           "if [ \"$code\" -eq 0 ]; then\n"
           "  echo \"the new plan of " +
           name +
           " has no changes: nothing to apply\"\n"
           "  exit 0\n"
           "fi\n"
           "[ \"$code\" -eq 2 ] || exit \"$code\"\n"
           "echo \"" +
           name + " was planned again: read replanned/" + name +
           "/summary.md (this job's artifacts), run "
           "review:" +
           name +
           " to apply it, then retry this job\"\n"
           "exit 1\n";
  }

  // A job of the default branch's chain for a layer: it does nothing when the merge request did
  // not plan that layer ("nothing to <what>").
  Node default_branch_job(std::size_t layer, const std::string& previous,
                          const std::string& what) const {
    Node j = chain_job(previous);
    j.set("rules", rules(kDefaultBranch));
    merge_settings(j);
    set_protection(j, layer);
    j.set("before_script",
          before_script(unless_listed("reviewed/changed.json", in.stack.layer(layer).name,
                                      "was not planned in the merge request: nothing to " + what)));
    return j;
  }

  Node apply_job(std::size_t layer, const std::string& previous) const {
    const std::string& name = in.stack.layer(layer).name;
    Node j = default_branch_job(layer, previous, "apply");
    const std::string dest = "reviewed/" + name;
    j.set("script",
          script({"job=$(sed -n 's/^plan:" + sed_word(name) +
                      " //p' reviewed/jobs.txt)\n"
                      "if [ -n \"$job\" ] && " +
                      fetch(dest) + "; then\n" + indent(unpack(dest, "plans/" + name)) +
                      "fi\n"
                      "[ -d " +
                      dest + " ] || echo \"the reviewed pipeline has no plan of " + name + "\"\n",
                  apply_or_replan(layer)}));
    j.set("artifacts", artifacts("replanned/" + name + "/", true));
    return j;
  }

  static std::string indent(const std::string& text) {
    std::string out = "  ";
    for (std::size_t i = 0; i < text.size(); ++i) {
      out += text[i];
      if (text[i] == '\n' && i + 1 < text.size()) out += "  ";
    }
    return out;
  }

  Node review_job(std::size_t layer, const std::string& previous) const {
    const std::string& name = in.stack.layer(layer).name;
    Node j = chain_job(previous);
    j.set("rules", rules(kDefaultBranch, "manual"));
    j.set("allow_failure", Node::boolean(true));
    merge_settings(j);
    set_protection(j, layer);
    j.set("script", script({"curl -fsSL --create-dirs " + std::string(kAuth) +
                                " -o replanned/failed.json \\\n"
                                "  \"" +
                                kApi +
                                "pipelines/$CI_PIPELINE_ID/jobs?scope%5B%5D=failed&per_page=100\"\n"
                                "job=$(jq -r '.[] | select(.name == \"apply:" +
                                name +
                                "\") | .id' replanned/failed.json)\n"
                                "if [ -z \"$job\" ]; then\n"
                                "  echo \"apply:" +
                                name + " did not stop for a new plan of " + name +
                                ": nothing to review\"\n"
                                "  exit 0\n"
                                "fi\n" +
                                fetch("replanned/" + name) + "\n" +
                                unpack("replanned/" + name, "replanned/" + name),
                            "stackctl apply --env " + e() + " --only " + ci::shell_word(name) +
                                " --plan-dir replanned/" + name +
                                " --yes\n"
                                "echo \"" +
                                name + " is applied: retry apply:" + name +
                                " to run the jobs after it\"\n"}));
    return j;
  }

  Node gate_job(std::size_t gate, const std::string& previous) const {
    const Layer& l = in.stack.layer(gate);
    Node j = chain_job(previous);
    j.set("rules", rules(kDefaultBranch, "manual"));
    j.set("allow_failure", Node::boolean(false));
    merge_settings(j);
    Node vars = Node::map();
    vars.set("STACKCTL_INSTRUCTIONS",
             Node::scalar(literal_text(l.instructions.empty() ? l.description : l.instructions)));
    j.set("variables", vars);
    j.set("script", script({"printf '%s\\n' \"$STACKCTL_INSTRUCTIONS\"\nstackctl confirm --env " +
                            e() + " " + ci::shell_word(l.name)}));
    return j;
  }

  Node command_job(std::size_t layer, const std::string& previous) const {
    Node j = default_branch_job(layer, previous, "run");
    j.set("script", script({ci::stackctl_command(in, "apply", layer)}));
    return j;
  }
};

std::vector<std::string> job_comments(const PipelineInput& in, std::size_t i, bool apply) {
  auto comments = apply ? ci::protection_comment(in, i) : std::vector<std::string>{};
  auto secrets = secret_names(in.stack, i);
  if (!secrets.empty()) {
    std::string list;
    for (const auto& s : secrets) list += (list.empty() ? "" : ", ") + s;
    comments.push_back("Reads the CI/CD variables " + list + " (masked).");
  }
  return comments;
}

Node defaults(const Flow& flow) {
  Node d = Node::map();
  if (!flow.o.image.empty()) d.set("image", Node::scalar(flow.o.image));
  d.set("cache", flow.tools_cache());
  d.set("before_script", flow.before_script(""));
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

Node variables(const PipelineOptions& o) {
  Node vars = Node::map();
  for (const auto& [name, value] : ci::tool_versions(o)) vars.set(name, Node::scalar(value));
  vars.set("STACKCTL_TOOLS", Node::scalar("$CI_PROJECT_DIR/.stackctl-tools"));
  vars.set("GIT_DEPTH", Node::scalar("0"));
  vars.set("NO_COLOR", Node::scalar("1"));
  // Run in each job's shell (it puts the tools on PATH); GitLab must not expand its `$`.
  Node setup = Node::map();
  setup.set("value",
            Node::scalar(setup_script("export PATH=\"$bin:$PATH\" TG_TF_PATH=\"$bin/tofu\"") +
                         "set +u\n"));
  setup.set("expand", Node::boolean(false));
  vars.set("STACKCTL_SETUP", setup);
  return vars;
}

}  // namespace

std::string gitlab_pipeline(const PipelineInput& in, const PipelineOptions& o) {
  Flow flow{in, o};
  Node root = Node::map();
  root.set("workflow", workflow(),
           {"Merge request pipelines plan; default-branch pipelines apply."});
  root.set("stages", Node::list({"plan", "report", "apply"}));
  root.set("variables", variables(o),
           {"The setup (default: before_script) installs these versions of stackctl, terragrunt "
            "and OpenTofu.",
            "The CI/CD variable STACKCTL_GITLAB_TOKEN (masked) holds a project access token with "
            "the api scope",
            "(Reporter): it finds and downloads the reviewed plans, and posts plan summaries on "
            "merge requests."});
  root.set("default", defaults(flow));
  root.set("changes", flow.changes_job(),
           {"Merge requests: plan the changed layers and their dependents."});
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt}))
    root.set("plan:" + in.stack.layer(job.layer).name, flow.plan_job(job),
             job_comments(in, job.layer, false));
  root.set("summary", flow.summary_job(),
           {"The plans' Markdown summaries, as a note on the merge request."});
  root.set("reviewed", flow.reviewed_job(),
           {"The default branch: apply the plans reviewed in the merged merge request, one layer "
            "after the",
            "other in manifest order."});
  std::string previous;
  for (const auto& job :
       pipeline_jobs(in, {LayerKind::Terragrunt, LayerKind::Command, LayerKind::Manual})) {
    const Layer& l = in.stack.layer(job.layer);
    if (l.kind == LayerKind::Manual) {
      root.set("gate:" + l.name, flow.gate_job(job.layer, previous),
               {"A manual step still to do: the jobs after it wait until someone runs this job."});
      previous = "gate:" + l.name;
    } else if (l.kind == LayerKind::Command) {
      root.set("apply:" + l.name, flow.command_job(job.layer, previous),
               job_comments(in, job.layer, true));
      previous = "apply:" + l.name;
    } else {
      root.set("apply:" + l.name, flow.apply_job(job.layer, previous),
               job_comments(in, job.layer, true));
      root.set("review:" + l.name, flow.review_job(job.layer, previous),
               {"Run it when apply:" + l.name + " stopped for a new plan of " + l.name +
                ", once someone has read the plan; then retry apply:" + l.name + "."});
      previous = "apply:" + l.name;
    }
  }
  return yaml_text::emit(root, ci::header(o, in));
}

}  // namespace stackctl
