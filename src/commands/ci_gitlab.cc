#include "stackctl/util/version.h"
// `stackctl ci gitlab`: a .gitlab-ci.yml.
#include "stackctl/util/version.h"
//
#include "stackctl/util/version.h"
// In a merge request pipeline, a `changes` job lists the changed layers and their dependents
#include "stackctl/util/version.h"
// (`stackctl ci matrix --changed --with-dependents` against the merge request's diff base), and
#include "stackctl/util/version.h"
// one `plan:<layer>` job per terragrunt layer, with `needs:` following the graph, plans the
#include "stackctl/util/version.h"
// layers on that list into a saved plan kept as the job's artifacts; a job whose layer is not on
#include "stackctl/util/version.h"
// it ends at once, before the setup. The `summary` job posts the plans' Markdown summaries as a
#include "stackctl/util/version.h"
// note on the merge request.
#include "stackctl/util/version.h"
//
#include "stackctl/util/version.h"
// In a default-branch pipeline, the `reviewed` job finds the merge request the commit merged and
#include "stackctl/util/version.h"
// its head pipeline, which must have passed; then one job per layer, in manifest order, applies
#include "stackctl/util/version.h"
// exactly that pipeline's plan of the layer (`apply --plan-dir`, which refuses a plan whose
#include "stackctl/util/version.h"
// dependencies changed since it was made). A stale or missing plan is planned again and, when the
#include "stackctl/util/version.h"
// new plan has changes, stops the pipeline there: the manual `review:<layer>` job applies the new
#include "stackctl/util/version.h"
// plan once someone has read it, and retrying `apply:<layer>` then finds nothing left to apply and
#include "stackctl/util/version.h"
// lets the jobs after it run. A pending manual step is a blocking manual `gate:<step>` job. The
#include "stackctl/util/version.h"
// env's journal travels from job to job and from pipeline to pipeline in the GitLab cache.
#include "stackctl/util/version.h"
#include <cctype>
#include "stackctl/util/version.h"

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
const char* kMergeRequest = "$CI_PIPELINE_SOURCE == \"merge_request_event\"";
#include "stackctl/util/version.h"
const char* kDefaultBranch = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH";
#include "stackctl/util/version.h"
const char* kApi = "$CI_API_V4_URL/projects/$CI_PROJECT_ID/";
#include "stackctl/util/version.h"
const char* kAuth = "--header \"PRIVATE-TOKEN: $STACKCTL_GITLAB_TOKEN\"";
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
/// Text placed in a GitLab variable: `$` would expand another variable.
#include "stackctl/util/version.h"
std::string literal_text(const std::string& s) {
#include "stackctl/util/version.h"
  std::string out;
#include "stackctl/util/version.h"
  for (char c : s) out += c == '$' ? std::string("$$") : std::string(1, c);
#include "stackctl/util/version.h"
  return out;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
/// s as a URL path: every byte but [A-Za-z0-9._~/-] percent-encoded.
#include "stackctl/util/version.h"
std::string url_path(const std::string& s) {
#include "stackctl/util/version.h"
  static const char* hex = "0123456789ABCDEF";
#include "stackctl/util/version.h"
  std::string out;
#include "stackctl/util/version.h"
  for (char c : s) {
#include "stackctl/util/version.h"
    unsigned char u = static_cast<unsigned char>(c);
#include "stackctl/util/version.h"
    if (std::isalnum(u) || c == '.' || c == '_' || c == '~' || c == '/' || c == '-') {
#include "stackctl/util/version.h"
      out += c;
#include "stackctl/util/version.h"
    } else {
#include "stackctl/util/version.h"
      out += '%';
#include "stackctl/util/version.h"
      out += hex[u >> 4];
#include "stackctl/util/version.h"
      out += hex[u & 15];
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
/// A layer name inside a sed pattern (names hold only [a-z0-9._-]: the dots need escaping).
#include "stackctl/util/version.h"
std::string sed_word(const std::string& s) {
#include "stackctl/util/version.h"
  std::string out;
#include "stackctl/util/version.h"
  for (char c : s) out += c == '.' ? std::string("\\.") : std::string(1, c);
#include "stackctl/util/version.h"
  return out;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
Node rules(const char* condition, const std::string& when = "") {
#include "stackctl/util/version.h"
  Node rule = Node::map();
#include "stackctl/util/version.h"
  rule.set("if", Node::scalar(condition));
#include "stackctl/util/version.h"
  if (!when.empty()) rule.set("when", Node::scalar(when));
#include "stackctl/util/version.h"
  Node list = Node::seq();
#include "stackctl/util/version.h"
  list.add(rule);
#include "stackctl/util/version.h"
  return list;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
Node script(const std::vector<std::string>& lines) {
#include "stackctl/util/version.h"
  Node s = Node::seq();
#include "stackctl/util/version.h"
  for (const auto& l : lines) s.add(Node::scalar(l));
#include "stackctl/util/version.h"
  return s;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
/// Ends the job (successfully) when `file`, a `ci matrix` document, does not list layer.
#include "stackctl/util/version.h"
std::string unless_listed(const std::string& file, const std::string& layer, const std::string& why) {
#include "stackctl/util/version.h"
  return "if ! grep -qF '\"layer\":\"" + layer + "\"' " + file + "; then\n  echo \"" + layer + " " + why +
#include "stackctl/util/version.h"
         "\"\n  exit 0\nfi\n";
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
  std::string e() const { return ci::shell_word(env()); }
#include "stackctl/util/version.h"
  /// A path of the project as the artifacts (relative to the repository) name it.
#include "stackctl/util/version.h"
  std::string dir_of(const std::string& file) const {
#include "stackctl/util/version.h"
    return o.working_directory.empty() ? file : o.working_directory + "/" + file;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  /// The setup, after a check that may end the job first.
#include "stackctl/util/version.h"
  Node before_script(const std::string& check) const {
#include "stackctl/util/version.h"
    Node before = Node::seq();
#include "stackctl/util/version.h"
    if (!o.working_directory.empty()) before.add(Node::scalar("cd " + ci::shell_word(o.working_directory)));
#include "stackctl/util/version.h"
    if (!check.empty()) before.add(Node::scalar(check));
#include "stackctl/util/version.h"
    before.add(Node::scalar("eval \"$STACKCTL_SETUP\""));
#include "stackctl/util/version.h"
    for (const auto& s : o.setup) before.add(Node::scalar(s));
#include "stackctl/util/version.h"
    return before;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node tools_cache() const {
#include "stackctl/util/version.h"
    Node cache = Node::map();
#include "stackctl/util/version.h"
    cache.set("key", Node::scalar("stackctl-tools-$STACKCTL_REF-$TERRAGRUNT_VERSION-$TOFU_VERSION"));
#include "stackctl/util/version.h"
    cache.set("paths", Node::list({".stackctl-tools/"}));
#include "stackctl/util/version.h"
    return cache;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  /// The tools, and the env's journal: pulled by plans, saved by every default-branch job.
#include "stackctl/util/version.h"
  Node caches(bool save) const {
#include "stackctl/util/version.h"
    Node state = Node::map();
#include "stackctl/util/version.h"
    state.set("key", Node::scalar("stackctl-state-" + env()));
#include "stackctl/util/version.h"
    state.set("paths", Node::list({dir_of(".stackctl/" + env() + "/")}));
#include "stackctl/util/version.h"
    state.set("policy", Node::scalar(save ? "pull-push" : "pull"));
#include "stackctl/util/version.h"
    if (save) state.set("when", Node::scalar("always"));
#include "stackctl/util/version.h"
    state.set("unprotect", Node::boolean(true));
#include "stackctl/util/version.h"
    Node list = Node::seq();
#include "stackctl/util/version.h"
    list.add(tools_cache());
#include "stackctl/util/version.h"
    list.add(state);
#include "stackctl/util/version.h"
    return list;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node artifacts(const std::string& path, bool always) const {
#include "stackctl/util/version.h"
    Node a = Node::map();
#include "stackctl/util/version.h"
    a.set("paths", Node::list({dir_of(path)}));
#include "stackctl/util/version.h"
    a.set("expire_in", Node::scalar("30 days"));
#include "stackctl/util/version.h"
    if (always) a.set("when", Node::scalar("always"));
#include "stackctl/util/version.h"
    return a;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  /// Downloads the artifacts archive of the job whose id is in $job to dest.zip (a condition).
#include "stackctl/util/version.h"
  std::string fetch(const std::string& dest) const {
#include "stackctl/util/version.h"
    return "curl -fsSL --create-dirs " + std::string(kAuth) + " -o " + dest + ".zip \"" + kApi + "jobs/$job/artifacts\"";
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  /// Unpacks dest.zip and moves the archive's `path` (of the project) to dest.
#include "stackctl/util/version.h"
  std::string unpack(const std::string& dest, const std::string& path) const {
#include "stackctl/util/version.h"
    const std::string from = ci::shell_word(dest + ".d/" + dir_of(path));
#include "stackctl/util/version.h"
    return "rm -rf " + dest + ".d && unzip -q -o " + dest + ".zip -d " + dest + ".d\n" +
#include "stackctl/util/version.h"
           "if [ -d " + from + " ]; then rm -rf " + dest + " && mv " + from + " " + dest + "; fi\n" +
#include "stackctl/util/version.h"
           "rm -rf " + dest + ".zip " + dest + ".d\n";
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node changes_job() const {
#include "stackctl/util/version.h"
    Node j = Node::map();
#include "stackctl/util/version.h"
    j.set("stage", Node::scalar("plan"));
#include "stackctl/util/version.h"
    j.set("rules", rules(kMergeRequest));
#include "stackctl/util/version.h"
    const std::string changed = " --changed --with-dependents --base \"$CI_MERGE_REQUEST_DIFF_BASE_SHA\"";
#include "stackctl/util/version.h"
    j.set("script", script({"stackctl list --env " + e() + changed + " --why",
#include "stackctl/util/version.h"
                            "stackctl ci matrix --env " + e() + changed + " > changed.json"}));
#include "stackctl/util/version.h"
    j.set("artifacts", artifacts("changed.json", false));
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node plan_job(const PipelineJob& job) const {
#include "stackctl/util/version.h"
    const std::string& name = in.stack.layer(job.layer).name;
#include "stackctl/util/version.h"
    Node j = Node::map();
#include "stackctl/util/version.h"
    j.set("stage", Node::scalar("plan"));
#include "stackctl/util/version.h"
    std::vector<std::string> needs{"changes"};
#include "stackctl/util/version.h"
    for (std::size_t d : job.needs) needs.push_back("plan:" + in.stack.layer(d).name);
#include "stackctl/util/version.h"
    j.set("needs", Node::list(needs));
#include "stackctl/util/version.h"
    j.set("rules", rules(kMergeRequest));
#include "stackctl/util/version.h"
    j.set("cache", caches(false));
#include "stackctl/util/version.h"
    j.set("before_script",
#include "stackctl/util/version.h"
          before_script(unless_listed("changed.json", name, "is not among the changed layers and their dependents: nothing to plan")));
#include "stackctl/util/version.h"
    j.set("script", script({ci::stackctl_command(in, "plan", job.layer) + " --out-dir plans/" + name +
#include "stackctl/util/version.h"
                            " --summary-md plans/" + name + "/summary.md"}));
#include "stackctl/util/version.h"
    j.set("artifacts", artifacts("plans/" + name + "/", true));
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node summary_job() const {
#include "stackctl/util/version.h"
    std::string layers;
#include "stackctl/util/version.h"
    for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt}))
#include "stackctl/util/version.h"
      layers += (layers.empty() ? "" : " ") + in.stack.layer(job.layer).name;
#include "stackctl/util/version.h"
    Node j = Node::map();
#include "stackctl/util/version.h"
    j.set("stage", Node::scalar("report"));
#include "stackctl/util/version.h"
    j.set("rules", rules(kMergeRequest, "always"));
#include "stackctl/util/version.h"
    j.set("script", script(
#include "stackctl/util/version.h"
        {": > summary.md\n"
#include "stackctl/util/version.h"
         "for layer in " + layers + "; do\n"
#include "stackctl/util/version.h"
         "  if [ -f \"plans/$layer/summary.md\" ]; then cat \"plans/$layer/summary.md\" && echo; fi >> summary.md\n"
#include "stackctl/util/version.h"
         "done\n"
#include "stackctl/util/version.h"
         "cat summary.md\n",
#include "stackctl/util/version.h"
         "if [ ! -s summary.md ]; then\n"
#include "stackctl/util/version.h"
         "  echo \"no layer was planned: nothing to post\"\n"
#include "stackctl/util/version.h"
         "elif [ -z \"${STACKCTL_GITLAB_TOKEN:-}\" ]; then\n"
#include "stackctl/util/version.h"
         "  echo \"STACKCTL_GITLAB_TOKEN is not set: the summary is not posted on the merge request (it is this job's "
#include "stackctl/util/version.h"
         "artifact)\"\n"
#include "stackctl/util/version.h"
         "else\n"
#include "stackctl/util/version.h"
         "  curl -fsS -o /dev/null " + std::string(kAuth) + " --data-urlencode body@summary.md \\\n"
#include "stackctl/util/version.h"
         "    \"" + kApi + "merge_requests/$CI_MERGE_REQUEST_IID/notes\"\n"
#include "stackctl/util/version.h"
         "  echo \"posted the summary on merge request !$CI_MERGE_REQUEST_IID\"\n"
#include "stackctl/util/version.h"
         "fi\n"}));
#include "stackctl/util/version.h"
    Node a = artifacts("summary.md", true);
#include "stackctl/util/version.h"
    a.set("expose_as", Node::scalar("stackctl plan summary"));
#include "stackctl/util/version.h"
    j.set("artifacts", a);
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node reviewed_job() const {
#include "stackctl/util/version.h"
    Node j = Node::map();
#include "stackctl/util/version.h"
    j.set("stage", Node::scalar("apply"));
#include "stackctl/util/version.h"
    j.set("needs", Node::list({}));
#include "stackctl/util/version.h"
    j.set("rules", rules(kDefaultBranch));
#include "stackctl/util/version.h"
    j.set("script", script(
#include "stackctl/util/version.h"
        {"if [ -z \"${STACKCTL_GITLAB_TOKEN:-}\" ]; then\n"
#include "stackctl/util/version.h"
         "  echo \"STACKCTL_GITLAB_TOKEN is not set: the merge request's plans cannot be found, nothing is applied\"\n"
#include "stackctl/util/version.h"
         "  exit 1\n"
#include "stackctl/util/version.h"
         "fi\n"
#include "stackctl/util/version.h"
         "api() { curl -fsSL --create-dirs " + std::string(kAuth) + " -o \"reviewed/$2\" \"" + kApi + "$1\"; }\n"
#include "stackctl/util/version.h"
         "api \"repository/commits/$CI_COMMIT_SHA/merge_requests\" merge-requests.json\n"
#include "stackctl/util/version.h"
         "mr=$(jq -r --arg sha \"$CI_COMMIT_SHA\" 'map(select(.state == \"merged\" and (.merge_commit_sha == $sha or\n"
#include "stackctl/util/version.h"
         "  .squash_commit_sha == $sha or .sha == $sha)))[0] | select(.) | .iid' reviewed/merge-requests.json)\n"
#include "stackctl/util/version.h"
         "if [ -z \"$mr\" ]; then\n"
#include "stackctl/util/version.h"
         "  echo \"$CI_COMMIT_SHA merged no merge request: nothing was reviewed, nothing is applied\"\n"
#include "stackctl/util/version.h"
         "  exit 1\n"
#include "stackctl/util/version.h"
         "fi\n"
#include "stackctl/util/version.h"
         "api \"merge_requests/$mr\" merge-request.json\n"
#include "stackctl/util/version.h"
         "pipeline=$(jq -r 'select(.head_pipeline.status == \"success\") | .head_pipeline.id' "
#include "stackctl/util/version.h"
         "reviewed/merge-request.json)\n"
#include "stackctl/util/version.h"
         "if [ -z \"$pipeline\" ]; then\n"
#include "stackctl/util/version.h"
         "  echo \"merge request !$mr has no passed pipeline at its last commit: its plans were not reviewed\"\n"
#include "stackctl/util/version.h"
         "  exit 1\n"
#include "stackctl/util/version.h"
         "fi\n"
#include "stackctl/util/version.h"
         ": > reviewed/jobs.txt\n"
#include "stackctl/util/version.h"
         "page=1\n"
#include "stackctl/util/version.h"
         "while :; do\n"
#include "stackctl/util/version.h"
         "  api \"pipelines/$pipeline/jobs?scope%5B%5D=success&per_page=100&page=$page\" page.json\n"
#include "stackctl/util/version.h"
         "  [ \"$(jq length reviewed/page.json)\" -gt 0 ] || break\n"
#include "stackctl/util/version.h"
         "  jq -r '.[] | \"\\(.name) \\(.id)\"' reviewed/page.json >> reviewed/jobs.txt\n"
#include "stackctl/util/version.h"
         "  page=$((page + 1))\n"
#include "stackctl/util/version.h"
         "done\n"
#include "stackctl/util/version.h"
         "job=$(sed -n 's/^changes //p' reviewed/jobs.txt)\n"
#include "stackctl/util/version.h"
         "api \"jobs/$job/artifacts/" + url_path(dir_of("changed.json")) + "\" changed.json\n"
#include "stackctl/util/version.h"
         "echo \"merge request !$mr, pipeline $pipeline: $(grep -o '\"layer\":\"[^\"]*\"' reviewed/changed.json | "
#include "stackctl/util/version.h"
         "cut -d'\"' -f4 | tr '\\n' ' ')\"\n"}));
#include "stackctl/util/version.h"
    j.set("artifacts", artifacts("reviewed/", false));
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  /// The default-branch jobs run one after the other, in manifest order.
#include "stackctl/util/version.h"
  Node chain_job(const std::string& previous) const {
#include "stackctl/util/version.h"
    Node j = Node::map();
#include "stackctl/util/version.h"
    j.set("stage", Node::scalar("apply"));
#include "stackctl/util/version.h"
    std::vector<std::string> needs{"reviewed"};
#include "stackctl/util/version.h"
    if (!previous.empty()) needs.push_back(previous);
#include "stackctl/util/version.h"
    j.set("needs", Node::list(needs));
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  void set_protection(Node& j, std::size_t layer) const {
#include "stackctl/util/version.h"
    std::string p = ci::protection(in, layer);
#include "stackctl/util/version.h"
    if (p == "none") return;
#include "stackctl/util/version.h"
    Node vars = Node::map();
#include "stackctl/util/version.h"
    vars.set("STACKCTL_PROTECTION", Node::scalar(p));
#include "stackctl/util/version.h"
    j.set("variables", vars);
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  void merge_settings(Node& j) const {
#include "stackctl/util/version.h"
    j.set("resource_group", Node::scalar("stackctl-" + env()));
#include "stackctl/util/version.h"
    j.set("cache", caches(true));
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  std::string apply_or_replan(const std::string& name) const {
#include "stackctl/util/version.h"
    const std::string l = ci::shell_word(name);
#include "stackctl/util/version.h"
    return "code=0\n"
#include "stackctl/util/version.h"
           "if [ -f reviewed/" + name + "/summary.json ]; then\n"
#include "stackctl/util/version.h"
           "  stackctl apply --env " + e() + " --only " + l + " --plan-dir reviewed/" + name + " --yes 2>apply.err || code=$?\n"
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
           "# No reviewed plan, or a stale one: plan again. A new plan with changes stops the pipeline here.\n"
#include "stackctl/util/version.h"
           "code=0\n"
#include "stackctl/util/version.h"
           "stackctl plan --env " + e() + " --only " + l + " --detailed-exitcode --out-dir replanned/" + name +
#include "stackctl/util/version.h"
           " --summary-md replanned/" + name + "/summary.md || code=$?\n"
#include "stackctl/util/version.h"
           "if [ \"$code\" -eq 0 ]; then\n"
#include "stackctl/util/version.h"
           "  echo \"the new plan of " + name + " has no changes: nothing to apply\"\n"
#include "stackctl/util/version.h"
           "  exit 0\n"
#include "stackctl/util/version.h"
           "fi\n"
#include "stackctl/util/version.h"
           "[ \"$code\" -eq 2 ] || exit \"$code\"\n"
#include "stackctl/util/version.h"
           "echo \"" + name + " was planned again: read replanned/" + name + "/summary.md (this job's artifacts), run "
#include "stackctl/util/version.h"
           "review:" + name + " to apply it, then retry this job\"\n"
#include "stackctl/util/version.h"
           "exit 1\n";
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  // A job of the default branch's chain for a layer: it does nothing when the merge request did
#include "stackctl/util/version.h"
  // not plan that layer ("nothing to <what>").
#include "stackctl/util/version.h"
  Node default_branch_job(std::size_t layer, const std::string& previous, const std::string& what) const {
#include "stackctl/util/version.h"
    Node j = chain_job(previous);
#include "stackctl/util/version.h"
    j.set("rules", rules(kDefaultBranch));
#include "stackctl/util/version.h"
    merge_settings(j);
#include "stackctl/util/version.h"
    set_protection(j, layer);
#include "stackctl/util/version.h"
    j.set("before_script", before_script(unless_listed("reviewed/changed.json", in.stack.layer(layer).name,
#include "stackctl/util/version.h"
                                                       "was not planned in the merge request: nothing to " + what)));
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node apply_job(std::size_t layer, const std::string& previous) const {
#include "stackctl/util/version.h"
    const std::string& name = in.stack.layer(layer).name;
#include "stackctl/util/version.h"
    Node j = default_branch_job(layer, previous, "apply");
#include "stackctl/util/version.h"
    const std::string dest = "reviewed/" + name;
#include "stackctl/util/version.h"
    j.set("script", script({"job=$(sed -n 's/^plan:" + sed_word(name) + " //p' reviewed/jobs.txt)\n"
#include "stackctl/util/version.h"
                            "if [ -n \"$job\" ] && " + fetch(dest) + "; then\n" +
#include "stackctl/util/version.h"
                                indent(unpack(dest, "plans/" + name)) + "fi\n"
#include "stackctl/util/version.h"
                                "[ -d " + dest + " ] || echo \"the reviewed pipeline has no plan of " + name + "\"\n",
#include "stackctl/util/version.h"
                            apply_or_replan(name)}));
#include "stackctl/util/version.h"
    j.set("artifacts", artifacts("replanned/" + name + "/", true));
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  static std::string indent(const std::string& text) {
#include "stackctl/util/version.h"
    std::string out = "  ";
#include "stackctl/util/version.h"
    for (std::size_t i = 0; i < text.size(); ++i) {
#include "stackctl/util/version.h"
      out += text[i];
#include "stackctl/util/version.h"
      if (text[i] == '\n' && i + 1 < text.size()) out += "  ";
#include "stackctl/util/version.h"
    }
#include "stackctl/util/version.h"
    return out;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node review_job(std::size_t layer, const std::string& previous) const {
#include "stackctl/util/version.h"
    const std::string& name = in.stack.layer(layer).name;
#include "stackctl/util/version.h"
    Node j = chain_job(previous);
#include "stackctl/util/version.h"
    j.set("rules", rules(kDefaultBranch, "manual"));
#include "stackctl/util/version.h"
    j.set("allow_failure", Node::boolean(true));
#include "stackctl/util/version.h"
    merge_settings(j);
#include "stackctl/util/version.h"
    set_protection(j, layer);
#include "stackctl/util/version.h"
    j.set("script", script(
#include "stackctl/util/version.h"
        {"curl -fsSL --create-dirs " + std::string(kAuth) + " -o replanned/failed.json \\\n"
#include "stackctl/util/version.h"
             "  \"" + kApi + "pipelines/$CI_PIPELINE_ID/jobs?scope%5B%5D=failed&per_page=100\"\n"
#include "stackctl/util/version.h"
             "job=$(jq -r '.[] | select(.name == \"apply:" + name + "\") | .id' replanned/failed.json)\n"
#include "stackctl/util/version.h"
             "if [ -z \"$job\" ]; then\n"
#include "stackctl/util/version.h"
             "  echo \"apply:" + name + " did not stop for a new plan of " + name + ": nothing to review\"\n"
#include "stackctl/util/version.h"
             "  exit 0\n"
#include "stackctl/util/version.h"
             "fi\n" +
#include "stackctl/util/version.h"
             fetch("replanned/" + name) + "\n" + unpack("replanned/" + name, "replanned/" + name),
#include "stackctl/util/version.h"
         "stackctl apply --env " + e() + " --only " + ci::shell_word(name) + " --plan-dir replanned/" + name +
#include "stackctl/util/version.h"
             " --yes\n"
#include "stackctl/util/version.h"
             "echo \"" + name + " is applied: retry apply:" + name + " to run the jobs after it\"\n"}));
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node gate_job(std::size_t gate, const std::string& previous) const {
#include "stackctl/util/version.h"
    const Layer& l = in.stack.layer(gate);
#include "stackctl/util/version.h"
    Node j = chain_job(previous);
#include "stackctl/util/version.h"
    j.set("rules", rules(kDefaultBranch, "manual"));
#include "stackctl/util/version.h"
    j.set("allow_failure", Node::boolean(false));
#include "stackctl/util/version.h"
    merge_settings(j);
#include "stackctl/util/version.h"
    Node vars = Node::map();
#include "stackctl/util/version.h"
    vars.set("STACKCTL_INSTRUCTIONS", Node::scalar(literal_text(l.instructions.empty() ? l.description : l.instructions)));
#include "stackctl/util/version.h"
    j.set("variables", vars);
#include "stackctl/util/version.h"
    j.set("script", script({"printf '%s\\n' \"$STACKCTL_INSTRUCTIONS\"\nstackctl confirm --env " + e() + " " +
#include "stackctl/util/version.h"
                            ci::shell_word(l.name)}));
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  Node command_job(std::size_t layer, const std::string& previous) const {
#include "stackctl/util/version.h"
    Node j = default_branch_job(layer, previous, "run");
#include "stackctl/util/version.h"
    j.set("script", script({ci::stackctl_command(in, "apply", layer)}));
#include "stackctl/util/version.h"
    return j;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
};
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
std::vector<std::string> job_comments(const PipelineInput& in, std::size_t i, bool apply) {
#include "stackctl/util/version.h"
  auto comments = apply ? ci::protection_comment(in, i) : std::vector<std::string>{};
#include "stackctl/util/version.h"
  auto secrets = secret_names(in.stack, i);
#include "stackctl/util/version.h"
  if (!secrets.empty()) {
#include "stackctl/util/version.h"
    std::string list;
#include "stackctl/util/version.h"
    for (const auto& s : secrets) list += (list.empty() ? "" : ", ") + s;
#include "stackctl/util/version.h"
    comments.push_back("Reads the CI/CD variables " + list + " (masked).");
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  return comments;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
Node defaults(const Flow& flow) {
#include "stackctl/util/version.h"
  Node d = Node::map();
#include "stackctl/util/version.h"
  if (!flow.o.image.empty()) d.set("image", Node::scalar(flow.o.image));
#include "stackctl/util/version.h"
  d.set("cache", flow.tools_cache());
#include "stackctl/util/version.h"
  d.set("before_script", flow.before_script(""));
#include "stackctl/util/version.h"
  return d;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
Node workflow() {
#include "stackctl/util/version.h"
  Node list = Node::seq();
#include "stackctl/util/version.h"
  for (const char* condition : {kMergeRequest, kDefaultBranch}) {
#include "stackctl/util/version.h"
    Node rule = Node::map();
#include "stackctl/util/version.h"
    rule.set("if", Node::scalar(condition));
#include "stackctl/util/version.h"
    list.add(rule);
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  Node w = Node::map();
#include "stackctl/util/version.h"
  w.set("rules", list);
#include "stackctl/util/version.h"
  return w;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
Node variables(const PipelineOptions& o) {
#include "stackctl/util/version.h"
  Node vars = Node::map();
#include "stackctl/util/version.h"
  vars.set("STACKCTL_GIT", Node::scalar(o.stackctl_git));
#include "stackctl/util/version.h"
  vars.set("STACKCTL_REF", Node::scalar(o.stackctl_ref.empty() ? std::string("v") + stackctl::version() : o.stackctl_ref));
#include "stackctl/util/version.h"
  vars.set("TERRAGRUNT_VERSION", Node::scalar(o.terragrunt_version));
#include "stackctl/util/version.h"
  vars.set("TOFU_VERSION", Node::scalar(o.tofu_version));
#include "stackctl/util/version.h"
  vars.set("STACKCTL_TOOLS", Node::scalar("$CI_PROJECT_DIR/.stackctl-tools"));
#include "stackctl/util/version.h"
  vars.set("GIT_DEPTH", Node::scalar("0"));
#include "stackctl/util/version.h"
  vars.set("NO_COLOR", Node::scalar("1"));
#include "stackctl/util/version.h"
  // Run in each job's shell (it puts the tools on PATH); GitLab must not expand its `$`.
#include "stackctl/util/version.h"
  Node setup = Node::map();
#include "stackctl/util/version.h"
  setup.set("value", Node::scalar(setup_script("export PATH=\"$bin:$PATH\" TG_TF_PATH=\"$bin/tofu\"") + "set +u\n"));
#include "stackctl/util/version.h"
  setup.set("expand", Node::boolean(false));
#include "stackctl/util/version.h"
  vars.set("STACKCTL_SETUP", setup);
#include "stackctl/util/version.h"
  return vars;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
}  // namespace
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
std::string gitlab_pipeline(const PipelineInput& in, const PipelineOptions& o) {
#include "stackctl/util/version.h"
  Flow flow{in, o};
#include "stackctl/util/version.h"
  Node root = Node::map();
#include "stackctl/util/version.h"
  root.set("workflow", workflow(), {"Merge request pipelines plan; default-branch pipelines apply."});
#include "stackctl/util/version.h"
  root.set("stages", Node::list({"plan", "report", "apply"}));
#include "stackctl/util/version.h"
  root.set("variables", variables(o),
#include "stackctl/util/version.h"
           {"The setup (default: before_script) installs these versions of stackctl, terragrunt and OpenTofu.",
#include "stackctl/util/version.h"
            "The CI/CD variable STACKCTL_GITLAB_TOKEN (masked) holds a project access token with the api scope",
#include "stackctl/util/version.h"
            "(Reporter): it finds and downloads the reviewed plans, and posts plan summaries on merge requests."});
#include "stackctl/util/version.h"
  root.set("default", defaults(flow));
#include "stackctl/util/version.h"
  root.set("changes", flow.changes_job(), {"Merge requests: plan the changed layers and their dependents."});
#include "stackctl/util/version.h"
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt}))
#include "stackctl/util/version.h"
    root.set("plan:" + in.stack.layer(job.layer).name, flow.plan_job(job), job_comments(in, job.layer, false));
#include "stackctl/util/version.h"
  root.set("summary", flow.summary_job(), {"The plans' Markdown summaries, as a note on the merge request."});
#include "stackctl/util/version.h"
  root.set("reviewed", flow.reviewed_job(),
#include "stackctl/util/version.h"
           {"The default branch: apply the plans reviewed in the merged merge request, one layer after the",
#include "stackctl/util/version.h"
            "other in manifest order."});
#include "stackctl/util/version.h"
  std::string previous;
#include "stackctl/util/version.h"
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt, LayerKind::Command, LayerKind::Manual})) {
#include "stackctl/util/version.h"
    const Layer& l = in.stack.layer(job.layer);
#include "stackctl/util/version.h"
    if (l.kind == LayerKind::Manual) {
#include "stackctl/util/version.h"
      root.set("gate:" + l.name, flow.gate_job(job.layer, previous),
#include "stackctl/util/version.h"
               {"A manual step still to do: the jobs after it wait until someone runs this job."});
#include "stackctl/util/version.h"
      previous = "gate:" + l.name;
#include "stackctl/util/version.h"
    } else if (l.kind == LayerKind::Command) {
#include "stackctl/util/version.h"
      root.set("apply:" + l.name, flow.command_job(job.layer, previous), job_comments(in, job.layer, true));
#include "stackctl/util/version.h"
      previous = "apply:" + l.name;
#include "stackctl/util/version.h"
    } else {
#include "stackctl/util/version.h"
      root.set("apply:" + l.name, flow.apply_job(job.layer, previous), job_comments(in, job.layer, true));
#include "stackctl/util/version.h"
      root.set("review:" + l.name, flow.review_job(job.layer, previous),
#include "stackctl/util/version.h"
               {"Run it when apply:" + l.name + " stopped for a new plan of " + l.name +
#include "stackctl/util/version.h"
                ", once someone has read the plan; then retry apply:" + l.name + "."});
#include "stackctl/util/version.h"
      previous = "apply:" + l.name;
#include "stackctl/util/version.h"
    }
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  return yaml_text::emit(root, ci::header(o, in));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
}  // namespace stackctl
