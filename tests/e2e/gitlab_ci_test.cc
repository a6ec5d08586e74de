// End to end: the jobs of a generated .gitlab-ci.yml run as written, with /bin/sh -e as the
// GitLab runner runs them, against terragrunt-sim in a git repository. GitLab's API is a fake
// `curl` that answers from files: the artifacts of a job are a zip of what the job left.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "support/ci_checks.h"
#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Names = std::vector<std::string>;
using Vars = std::map<std::string, std::string>;

namespace {

const char* kGit = "https://git.example.com/tools/stackctl.git";
const char* kApi = "https://gitlab.example.com/api/v4/projects/42/";

// curl as the jobs call it: records each URL in $FAKE_GITLAB/calls, keeps a posted body in
// $FAKE_GITLAB/posted, and answers from $FAKE_GITLAB/routes ("URL FILE" lines), else 404.
const char* kFakeCurl = R"SH(#!/bin/sh
out= url= body=
while [ $# -gt 0 ]; do
  case $1 in
    -o) out=$2; shift ;;
    --header|-H) shift ;;
    --data-urlencode) body=${2#body@}; shift ;;
    -*) ;;
    *) url=$1 ;;
  esac
  shift
done
echo "$url" >> "$FAKE_GITLAB/calls"
if [ -n "$body" ]; then cp "$body" "$FAKE_GITLAB/posted"; exit 0; fi
file=$(awk -v u="$url" '$1 == u { print $2 }' "$FAKE_GITLAB/routes")
if [ -z "$file" ]; then echo "curl: (22) The requested URL returned error: 404" >&2; exit 22; fi
if [ -z "$out" ]; then cat "$file"; exit 0; fi
mkdir -p "$(dirname "$out")" && cp "$file" "$out"
)SH";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Names lines(const std::string& text) {
  Names out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

/// A project in a git repository, its generated .gitlab-ci.yml, and a fake GitLab.
struct GitlabRepo : Scenario {
  GitlabRepo() {
    git({"init", "-q", "-b", "main"});
    stackctl::testing::write_ci_stack(*this, "name: dev\n");
    write(".gitignore", "sim-calls.jsonl\n.stackctl/\n.bin/\n.gitlab/\n");
    git({"add", "-A"});
    git({"commit", "-q", "-m", "stack"});
    write(".gitlab/routes", "");
    write(".bin/curl", kFakeCurl);
    std::filesystem::permissions(root() / ".bin/curl", std::filesystem::perms::owner_all);
    std::filesystem::create_symlink(STACKCTL_BIN, root() / ".bin/stackctl");
    Outcome r = run({"ci", "gitlab", "--env", "dev", "--stackctl-git", kGit});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    pipeline = YAML::Load(r.out);
  }

  std::string git(const std::vector<std::string>& args) const {
    return stackctl::testing::git_in(*this, args);
  }

  /// The job's shell text: its before_script (the default's when it has none) without the tool
  /// setup (stackctl and terragrunt-sim are on PATH already), then its script.
  std::string job_text(const std::string& job) const {
    YAML::Node j = pipeline[job];
    EXPECT_TRUE(j) << "no job " << job;
    YAML::Node before =
        j["before_script"] ? j["before_script"] : pipeline["default"]["before_script"];
    std::string text;
    for (const auto& line : before)
      if (line.as<std::string>() != "eval \"$STACKCTL_SETUP\"")
        text += line.as<std::string>() + "\n";
    for (const auto& line : j["script"]) text += line.as<std::string>() + "\n";
    return text;
  }

  /// Runs the job as the GitLab runner would, with GitLab's predefined variables and vars.
  Outcome run_job(const std::string& job, Vars vars = {}) const {
    Vars env{{"PATH", (root() / ".bin").string() + ":" + std::getenv("PATH")},
             {"STACKCTL_TERRAGRUNT", TERRAGRUNT_SIM_BIN},
             {"TERRAGRUNT_SIM_LOG", call_log().string()},
             {"NO_COLOR", "1"},
             {"FAKE_GITLAB", (root() / ".gitlab").string()},
             {"CI_API_V4_URL", "https://gitlab.example.com/api/v4"},
             {"CI_PROJECT_ID", "42"},
             {"CI_PROJECT_DIR", root().string()},
             {"CI_JOB_NAME", job},
             {"STACKCTL_GITLAB_TOKEN", ""}};
    for (auto& [k, v] : vars) env[k] = v;
    std::filesystem::remove(root() / ".gitlab/calls");
    return stackctl::testing::run_program("/bin/sh", {"-e", "-c", job_text(job)}, root(), env);
  }

  /// GitLab answers url (relative to the project's API) with the file `answer` under .gitlab/.
  void route(const std::string& url, const std::string& answer) const {
    std::ofstream(root() / ".gitlab/routes", std::ios::app)
        << kApi << url << " " << (root() / ".gitlab" / answer).string() << "\n";
  }
  void answer(const std::string& url, const std::string& name, const std::string& body) const {
    write(".gitlab/" + name, body);
    route(url, name);
  }

  /// The artifacts of job `id`: a zip of the paths the job left, which are then gone (the next
  /// job runs in a fresh container).
  void artifacts(int id, const Names& paths) const {
    std::vector<std::string> argv{"zip", "-qr", ".gitlab/" + std::to_string(id) + ".zip"};
    argv.insert(argv.end(), paths.begin(), paths.end());
    Outcome r = stackctl::testing::run_program("/usr/bin/env", argv, root(), {});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& p : paths) std::filesystem::remove_all(root() / p);
    route("jobs/" + std::to_string(id) + "/artifacts", std::to_string(id) + ".zip");
  }

  /// changed.json, as the changes job (11) left it: the reviewed job reads it from there.
  void changes_artifact() const {
    std::filesystem::rename(root() / "changed.json", root() / ".gitlab/changed.json");
    route("jobs/11/artifacts/changed.json", "changed.json");
  }

  /// The URLs the last job called, relative to the project's API.
  Names calls() const {
    Names out;
    for (auto& l : lines(read(".gitlab/calls")))
      out.push_back(l.rfind(kApi, 0) == 0 ? l.substr(std::strlen(kApi)) : l);
    return out;
  }

  /// The layers a `ci matrix` document lists.
  Names listed(const std::string& file) const {
    Names out;
    nlohmann::json doc = nlohmann::json::parse(read(file));
    for (const auto& e : doc["include"]) out.push_back(e["layer"]);
    return out;
  }

  YAML::Node pipeline;
};

bool tools_present(std::string& why) {
  for (const char* tool : {"jq", "zip", "unzip"})
    if (std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) != 0) {
      why =
          std::string("\n*** ") + tool + " is missing: the GitLab job scenarios are SKIPPED. ***\n";
      return false;
    }
  return true;
}

const Vars kToken{{"STACKCTL_GITLAB_TOKEN", "glpat-test"}};

/// The plan jobs of the merge request pipeline of a change to vpc and sg, run job by job.
void merge_request_plans(GitlabRepo& p) {
  std::string head = p.git({"rev-parse", "HEAD"});
  for (const char* l : {"vpc", "sg"})
    p.write(std::string("envs/dev/") + l + "/terragrunt.hcl",
            p.read(std::string("envs/dev/") + l + "/terragrunt.hcl") + "# edited\n");
  Vars mr{{"CI_PIPELINE_SOURCE", "merge_request_event"},
          {"CI_MERGE_REQUEST_DIFF_BASE_SHA", head},
          {"CI_MERGE_REQUEST_IID", "7"}};
  Outcome changes = p.run_job("changes", mr);
  ASSERT_EQ(changes.exit_code, 0) << changes.err;
  EXPECT_EQ(p.listed("changed.json"), (Names{"vpc", "sg", "db", "app"}));
  for (const char* l : {"vpc", "sg"}) {
    Outcome plan = p.run_job(std::string("plan:") + l, mr);
    ASSERT_EQ(plan.exit_code, 0) << plan.err;
  }
}

/// What the fake GitLab serves of the merge request pipeline: changes (job 11), plan:vpc (12)
/// and plan:sg (13).
void merge_request_artifacts(GitlabRepo& p) {
  p.changes_artifact();
  p.artifacts(12, {"plans/vpc"});
  p.artifacts(13, {"plans/sg"});
}

/// The default-branch pipeline's `reviewed` job for the merge of merge request 7 (head
/// pipeline 100) as commit `merged`, which planned `layers`.
void reviewed(GitlabRepo& p, const std::string& merged, const std::string& layers) {
  p.answer("repository/commits/" + merged + "/merge_requests", "mrs.json",
           R"([{"iid": 3, "state": "merged", "sha": "0ld", "merge_commit_sha": "0ther"},
               {"iid": 7, "state": "merged", "sha": "h3ad", "merge_commit_sha": ")" +
               merged + R"("}])");
  p.answer("merge_requests/7", "mr7.json",
           R"({"iid": 7, "head_pipeline": {"id": 100, "status": "success"}})");
  p.answer(
      "pipelines/100/jobs?scope%5B%5D=success&per_page=100&page=1", "jobs1.json",
      R"([{"name": "changes", "id": 11}, {"name": "plan:kms", "id": 10}, {"name": "plan:vpc", "id": 12},
               {"name": "plan:sg", "id": 13}])");
  p.answer("pipelines/100/jobs?scope%5B%5D=success&per_page=100&page=2", "jobs2.json", "[]");
  Outcome r =
      p.run_job("reviewed", {{"CI_COMMIT_SHA", merged}, {"STACKCTL_GITLAB_TOKEN", "glpat-test"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines(r.out).back(), "merge request !7, pipeline 100: " + layers + " ");
}

}  // namespace

// The merge request changed vpc and sg: only they and their dependents are planned, and the
// summary of the plans is posted on it. On the merge, vpc's reviewed plan is applied as is; sg's
// was provisional (vpc was not applied yet), so sg is planned again and the pipeline stops there;
// review:sg applies the new plan, and the retried apply:sg finds nothing left to do.
TEST(EndToEndGitlab, JobsPlanTheChangedLayersApplyTheReviewedPlansAndStopForANewPlan) {
  std::string why;
  if (!tools_present(why)) GTEST_SKIP() << why;
  GitlabRepo p;
  Vars mr{{"CI_PIPELINE_SOURCE", "merge_request_event"}, {"CI_MERGE_REQUEST_IID", "7"}};
  p.write("changed.json", R"({"include":[{"kind":"terragrunt","layer":"vpc","needs":[]}]})");
  Outcome kms = p.run_job("plan:kms", mr);
  ASSERT_EQ(kms.exit_code, 0) << kms.err;
  EXPECT_EQ(kms.out, "kms is not among the changed layers and their dependents: nothing to plan\n");
  EXPECT_FALSE(p.exists("plans/kms"));
  EXPECT_EQ(p.call_sequence(), Names{});
  std::filesystem::remove(p.root() / "changed.json");

  ASSERT_NO_FATAL_FAILURE(merge_request_plans(p));
  EXPECT_TRUE(p.exists("plans/vpc/vpc.tfplan"));
  EXPECT_TRUE(contains(p.read("plans/sg/summary.md"), "provisional"));
  EXPECT_FALSE(p.exists("plans/db"));  // provisional too, but not run here
  // The summary job reads the plan jobs' artifacts.
  Outcome untold = p.run_job("summary", mr);
  ASSERT_EQ(untold.exit_code, 0) << untold.err;
  EXPECT_TRUE(contains(untold.out, "STACKCTL_GITLAB_TOKEN is not set: the summary is not posted"))
      << untold.out;
  EXPECT_EQ(p.calls(), Names{});
  mr.insert(kToken.begin(), kToken.end());
  Outcome note = p.run_job("summary", mr);
  ASSERT_EQ(note.exit_code, 0) << note.err;
  EXPECT_EQ(p.calls(), (Names{"merge_requests/7/notes"}));
  EXPECT_EQ(p.read(".gitlab/posted"),
            p.read("plans/vpc/summary.md") + "\n" + p.read("plans/sg/summary.md") + "\n");
  std::filesystem::remove(p.root() / "summary.md");
  merge_request_artifacts(p);

  p.git({"commit", "-qam", "vpc and sg"});
  std::string merged = p.git({"rev-parse", "HEAD"});
  ASSERT_NO_FATAL_FAILURE(reviewed(p, merged, "vpc sg db app"));
  p.clear_calls();
  Outcome skipped = p.run_job("apply:kms", kToken);
  ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_EQ(skipped.out, "kms was not planned in the merge request: nothing to apply\n");
  EXPECT_EQ(p.calls(), Names{});
  Outcome vpc = p.run_job("apply:vpc", kToken);
  ASSERT_EQ(vpc.exit_code, 0) << vpc.err;
  EXPECT_EQ(p.calls(), (Names{"jobs/12/artifacts"}));
  EXPECT_EQ(p.call_sequence(), (Names{"vpc show", "vpc apply"}));
  EXPECT_FALSE(p.exists("replanned/vpc"));

  p.clear_calls();
  Outcome sg = p.run_job("apply:sg", kToken);
  EXPECT_EQ(sg.exit_code, 1) << sg.err;
  EXPECT_TRUE(contains(sg.err, "  - sg: the plan run ")) << sg.err;
  EXPECT_TRUE(contains(sg.err, " ended it provisional\n")) << sg.err;
  EXPECT_EQ(lines(sg.out).back(),
            "sg was planned again: read replanned/sg/summary.md (this job's artifacts), "
            "run review:sg to apply it, then retry this job");
  EXPECT_EQ(p.call_sequence(), (Names{"sg plan", "sg show"}));  // planned again, not applied
  EXPECT_TRUE(p.exists("replanned/sg/summary.json"));
  p.artifacts(21, {"replanned/sg"});

  // review:sg fetches the new plan from the failed apply:sg of this pipeline.
  p.answer("pipelines/200/jobs?scope%5B%5D=failed&per_page=100", "failed.json",
           R"([{"name": "apply:sg", "id": 21}])");
  Vars merge{{"CI_PIPELINE_ID", "200"}, {"STACKCTL_GITLAB_TOKEN", "glpat-test"}};
  p.clear_calls();
  Outcome review = p.run_job("review:sg", merge);
  ASSERT_EQ(review.exit_code, 0) << review.err;
  EXPECT_EQ(p.call_sequence(), (Names{"sg show", "sg apply"}));
  EXPECT_EQ(lines(review.out).back(), "sg is applied: retry apply:sg to run the jobs after it");
  p.clear_calls();
  Outcome retry = p.run_job("apply:sg", kToken);
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(lines(retry.out).back(), "the new plan of sg has no changes: nothing to apply");
  EXPECT_EQ(p.call_sequence(), (Names{"sg plan", "sg show"}));
  // A review job run when its apply job applied the reviewed plan does nothing.
  p.answer("pipelines/201/jobs?scope%5B%5D=failed&per_page=100", "none-failed.json", "[]");
  p.clear_calls();
  Outcome idle =
      p.run_job("review:vpc", {{"CI_PIPELINE_ID", "201"}, {"STACKCTL_GITLAB_TOKEN", "glpat-test"}});
  ASSERT_EQ(idle.exit_code, 0) << idle.err;
  EXPECT_EQ(idle.out, "apply:vpc did not stop for a new plan of vpc: nothing to review\n");
  EXPECT_EQ(p.call_sequence(), Names{});
}

// A reviewed plan of sg made before vpc's next apply (of a change) is stale: planned again, the
// pipeline stops.
TEST(EndToEndGitlab, AStaleReviewedPlanIsPlannedAgainAndStopsThePipeline) {
  std::string why;
  if (!tools_present(why)) GTEST_SKIP() << why;
  GitlabRepo p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);
  ASSERT_EQ(p.run({"plan", "--env", "dev", "--only", "sg", "--out-dir", "plans/sg"}).exit_code, 0);
  p.write("envs/dev/vpc/sim.json",
          R"({"outputs": {"id": "vpc-id-2"}, "resources": ["null_resource.vpc"]})");
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);  // a change
  p.write("changed.json", R"({"include":[{"kind":"terragrunt","layer":"sg","needs":[]}]})");
  p.changes_artifact();
  p.artifacts(13, {"plans/sg"});
  ASSERT_NO_FATAL_FAILURE(reviewed(p, p.git({"rev-parse", "HEAD"}), "sg"));
  p.clear_calls();
  Outcome sg = p.run_job("apply:sg", kToken);
  EXPECT_EQ(sg.exit_code, 1) << sg.err;
  EXPECT_TRUE(contains(sg.err, "plan for sg is stale: vpc was applied since")) << sg.err;
  EXPECT_EQ(p.call_sequence(), (Names{"sg plan", "sg show"}));
  EXPECT_TRUE(p.exists("replanned/sg/summary.json"));
}

// Any other refusal fails the job without planning again: a reviewed plan of another env.
TEST(EndToEndGitlab, AnApplyJobFailsOnARefusalThatIsNotAStalePlan) {
  std::string why;
  if (!tools_present(why)) GTEST_SKIP() << why;
  GitlabRepo p;
  ASSERT_EQ(p.run({"plan", "--env", "dev", "--only", "vpc", "--out-dir", "plans/vpc"}).exit_code,
            0);
  nlohmann::json summary = nlohmann::json::parse(p.read("plans/vpc/summary.json"));
  summary["env"] = "prd";
  p.write("plans/vpc/summary.json", summary.dump());
  p.write("changed.json", R"({"include":[{"kind":"terragrunt","layer":"vpc","needs":[]}]})");
  p.changes_artifact();
  p.artifacts(12, {"plans/vpc"});
  ASSERT_NO_FATAL_FAILURE(reviewed(p, p.git({"rev-parse", "HEAD"}), "vpc"));
  p.clear_calls();
  Outcome vpc = p.run_job("apply:vpc", kToken);
  EXPECT_EQ(vpc.exit_code, 3) << vpc.err;
  EXPECT_TRUE(contains(vpc.err, "holds plans for env 'prd', not 'dev'")) << vpc.err;
  EXPECT_FALSE(p.exists("replanned/vpc"));
  EXPECT_EQ(p.call_sequence(), Names{});
}

// Nothing unreviewed is applied: without the token, for a commit that merged no merge request,
// or for a merge request whose last pipeline did not pass, the reviewed job fails.
TEST(EndToEndGitlab, TheReviewedJobFailsWithoutAPassedMergeRequestPipeline) {
  std::string why;
  if (!tools_present(why)) GTEST_SKIP() << why;
  GitlabRepo p;
  Outcome untold = p.run_job("reviewed", {{"CI_COMMIT_SHA", "c0ffee"}});
  EXPECT_EQ(untold.exit_code, 1);
  EXPECT_EQ(untold.out,
            "STACKCTL_GITLAB_TOKEN is not set: the merge request's plans cannot be found, nothing "
            "is applied\n");
  p.answer("repository/commits/c0ffee/merge_requests", "none.json",
           R"([{"iid": 3, "state": "opened", "sha": "c0ffee", "merge_commit_sha": null}])");
  Outcome direct =
      p.run_job("reviewed", {{"CI_COMMIT_SHA", "c0ffee"}, {"STACKCTL_GITLAB_TOKEN", "glpat-test"}});
  EXPECT_EQ(direct.exit_code, 1);
  EXPECT_EQ(direct.out,
            "c0ffee merged no merge request: nothing was reviewed, nothing is applied\n");
  p.answer("repository/commits/beef/merge_requests", "one.json",
           R"([{"iid": 9, "state": "merged", "sha": "h3ad", "squash_commit_sha": "beef"}])");
  p.answer("merge_requests/9", "mr9.json",
           R"({"iid": 9, "head_pipeline": {"id": 5, "status": "failed"}})");
  Outcome failed =
      p.run_job("reviewed", {{"CI_COMMIT_SHA", "beef"}, {"STACKCTL_GITLAB_TOKEN", "glpat-test"}});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_EQ(
      failed.out,
      "merge request !9 has no passed pipeline at its last commit: its plans were not reviewed\n");
  EXPECT_EQ(p.calls(), (Names{"repository/commits/beef/merge_requests", "merge_requests/9"}));
}
