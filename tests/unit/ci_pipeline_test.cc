// Scenarios for `stackctl ci`: the generated GitHub and GitLab pipelines are parsed back with
// yaml-cpp and checked job by job against the graph; the matrix is checked as JSON.
#include "stackctl/commands/ci_pipeline.h"
#include "stackctl/util/version.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iterator>
#include <optional>
#include <set>

#include "stackctl/util/error.h"
#include "support/ci_checks.h"
#include "support/scenario.h"
#include "support/stack_fixture.h"

namespace stackctl {
namespace {

using Names = std::vector<std::string>;
using testing::StackFixture;

const char* kManifest = R"(version: 1
layers:
  - name: dns
    protect: keep
  - name: registrar
    kind: manual
    depends_on: [dns]
    instructions: "Point the registrar at ${{ secrets.X }} and $HOME: \"quoted\"\nthen wait"
  - name: cert
    depends_on: [dns, registrar]
  - name: kms
    protect: data
  - name: vpc
  - name: db
    depends_on: [vpc, kms]
    protect: data
    needs_env: [TF_VAR_db_pass]
  - name: bootstrap
    kind: command
    depends_on: [db]
    command: [ansible-playbook, site.yml]
    needs_env: [GITHUB_TOKEN]
  - name: app
    depends_on: [bootstrap, cert]
)";

const char* kEnv = "name: test\nrequire_env: [AWS_ACCOUNT_ID]\n";

class CiPipelineTest : public ::testing::Test {
 protected:
  CiPipelineTest()
      : f_(kManifest, kEnv), pins_(pinned_layers(*f_.graph, f_.stack.enabled, f_.stack.protect)) {}

  PipelineInput input(const Names& names = {}) {
    PipelineInput in{f_.stack, *f_.graph, pins_, {}, {}};
    for (std::size_t i = 0; i < f_.stack.size(); ++i)
      if (names.empty() ||
          std::find(names.begin(), names.end(), f_.stack.layer(i).name) != names.end())
        in.selected.push_back(i);
    return in;
  }

  static Names keys(const YAML::Node& map) {
    Names out;
    for (const auto& kv : map) out.push_back(kv.first.as<std::string>());
    return out;
  }

  static Names strings(const YAML::Node& seq) {
    Names out;
    if (seq)
      for (const auto& v : seq) out.push_back(v.as<std::string>());
    return out;
  }

  // Every step's run command of a GitHub job.
  static Names runs(const YAML::Node& job) {
    Names out;
    for (const auto& step : job["steps"])
      if (step["run"]) out.push_back(step["run"].as<std::string>());
    return out;
  }

  static PipelineOptions options() {
    PipelineOptions o;
    o.stackctl_git = "https://git.example.com/tools/stackctl.git";
    return o;
  }

  StackFixture f_;
  std::vector<PinReason> pins_;
};

// The names of a GitHub job's steps (empty for a step without one).
Names step_names(const YAML::Node& job) {
  Names out;
  for (const auto& step : job["steps"])
    out.push_back(step["name"] ? step["name"].as<std::string>() : "");
  return out;
}

// The step of a GitHub job called name.
std::optional<YAML::Node> step_named(const YAML::Node& job, const std::string& name) {
  for (const auto& step : job["steps"])
    if (step["name"] && step["name"].as<std::string>() == name) return step;
  return std::nullopt;
}

std::string run_of(const YAML::Node& job, const std::string& step) {
  auto s = step_named(job, step);
  return s ? (*s)["run"].as<std::string>() : "<no step " + step + ">";
}

const Names kSetupSteps{"", "cache stackctl, terragrunt and OpenTofu",
                        "install stackctl, terragrunt and OpenTofu"};

Names with_setup(Names tail) {
  Names out = kSetupSteps;
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

TEST_F(CiPipelineTest, GithubPullRequestPlansTheChangedLayersOneJobPerLayerWithNeedsFromTheGraph) {
  YAML::Node wf = YAML::Load(github_workflow(input(), options()));
  Names plans;
  for (const auto& k : keys(wf["jobs"]))
    if (k.rfind("plan_", 0) == 0) plans.push_back(k);
  EXPECT_EQ(plans, (Names{"plan_dns", "plan_cert", "plan_kms", "plan_vpc", "plan_db", "plan_app"}));
  YAML::Node jobs = wf["jobs"];
  EXPECT_EQ(strings(jobs["plan_cert"]["needs"]),
            (Names{"changes", "plan_dns"}));  // through the gate
  EXPECT_EQ(strings(jobs["plan_app"]["needs"]), (Names{"changes", "plan_cert", "plan_db"}));
  EXPECT_EQ(strings(jobs["plan_dns"]["needs"]), (Names{"changes"}));
  EXPECT_EQ(jobs["plan_vpc"]["if"].as<std::string>(),
            "${{ !failure() && !cancelled() && github.event_name == 'pull_request' && "
            "contains(needs.changes.outputs.layers, ' vpc ') }}");
  EXPECT_EQ(step_names(jobs["plan_vpc"]),
            with_setup({"restore the env's journal", "plan vpc", "keep the plan for the merge"}));
  EXPECT_EQ(
      run_of(jobs["plan_vpc"], "plan vpc"),
      "stackctl plan --env test --only vpc --out-dir plans/vpc --summary-md plans/vpc/summary.md");
  auto upload = step_named(jobs["plan_vpc"], "keep the plan for the merge");
  EXPECT_EQ((*upload)["uses"].as<std::string>(), "actions/upload-artifact@v4");
  EXPECT_EQ((*upload)["with"]["name"].as<std::string>(), "stackctl-test-vpc");
  EXPECT_EQ((*upload)["with"]["path"].as<std::string>(), "plans/vpc");
  // The list of changed layers: --changed against the pull request's base, with dependents.
  YAML::Node changes = jobs["changes"];
  EXPECT_EQ(changes["if"].as<std::string>(), "${{ github.event_name == 'pull_request' }}");
  EXPECT_EQ(changes["steps"][0]["with"]["fetch-depth"].as<std::string>(), "0");
  EXPECT_EQ(changes["steps"][3]["env"]["BASE"].as<std::string>(),
            "${{ github.event.pull_request.base.sha }}");
  std::string list = run_of(changes, "list the changed layers and their dependents");
  EXPECT_EQ(
      list.substr(0, list.find('\n')),
      "stackctl ci matrix --env test --changed --with-dependents --base \"$BASE\" > changed.json");
  EXPECT_EQ(strings(wf["on"]["pull_request"]["branches"]), (Names{"main"}));
  EXPECT_EQ(strings(wf["on"]["push"]["branches"]), (Names{"main"}));
}

TEST_F(CiPipelineTest, GithubMergeAppliesTheReviewedPlansInManifestOrderAndReviewsAStalePlan) {
  YAML::Node wf = YAML::Load(github_workflow(input(), options()));
  Names merge;
  bool after = false;
  for (const auto& k : keys(wf["jobs"])) {
    after = after || k == "reviewed";
    if (after) merge.push_back(k);
  }
  EXPECT_EQ(merge, (Names{"reviewed", "apply_dns", "review_dns", "gate_registrar", "apply_cert",
                          "review_cert", "apply_kms", "review_kms", "apply_vpc", "review_vpc",
                          "apply_db", "review_db", "run_bootstrap", "apply_app", "review_app"}));
  YAML::Node jobs = wf["jobs"];
  // One after the other: each job needs the one before it, so the journal travels in order.
  EXPECT_EQ(strings(jobs["apply_dns"]["needs"]), (Names{"reviewed"}));
  EXPECT_EQ(strings(jobs["gate_registrar"]["needs"]), (Names{"reviewed", "review_dns"}));
  EXPECT_EQ(strings(jobs["apply_cert"]["needs"]), (Names{"reviewed", "gate_registrar"}));
  EXPECT_EQ(strings(jobs["review_vpc"]["needs"]), (Names{"reviewed", "apply_vpc"}));
  EXPECT_EQ(jobs["apply_vpc"]["if"].as<std::string>(),
            "${{ !failure() && !cancelled() && github.event_name == 'push' && "
            "contains(needs.reviewed.outputs.layers, ' vpc ') }}");
  EXPECT_EQ(step_names(jobs["apply_vpc"]),
            with_setup({"restore the env's journal", "download the reviewed plan",
                        "apply the reviewed plan of vpc", "keep the new plan for its review",
                        "save the env's journal"}));
  std::string apply = run_of(jobs["apply_vpc"], "apply the reviewed plan of vpc");
  EXPECT_NE(
      apply.find("stackctl apply --env test --only vpc --plan-dir reviewed/vpc --yes 2>apply.err"),
      std::string::npos)
      << apply;
  EXPECT_NE(apply.find("stackctl plan --env test --only vpc --out-dir replanned/vpc"),
            std::string::npos);
  EXPECT_EQ(jobs["apply_vpc"]["outputs"]["replanned"].as<std::string>(),
            "${{ steps.apply.outputs.replanned }}");
  YAML::Node review = jobs["review_vpc"];
  EXPECT_EQ(review["environment"].as<std::string>(), "test-review");
  EXPECT_EQ(review["if"].as<std::string>(),
            "${{ !failure() && !cancelled() && needs.apply_vpc.outputs.replanned == 'true' }}");
  EXPECT_EQ(run_of(review, "apply the new plan of vpc"),
            "stackctl apply --env test --only vpc --plan-dir replanned/vpc --yes");
  // The reviewed plans come from the merged pull request's last successful run.
  std::string find =
      run_of(jobs["reviewed"], "find the pull request this push merged, and its plans");
  EXPECT_NE(find.find("repos/$GH_REPO/commits/$GITHUB_SHA/pulls"), std::string::npos);
  EXPECT_NE(find.find("runs?event=pull_request&head_sha=$head&status=success"), std::string::npos);
  EXPECT_NE(find.find("gh run download \"$run\" -n stackctl-test-changes -D reviewed"),
            std::string::npos);
  EXPECT_EQ(wf["permissions"]["actions"].as<std::string>(), "read");
  EXPECT_EQ(wf["concurrency"]["cancel-in-progress"].as<bool>(), false);
}

TEST_F(CiPipelineTest, GithubPendingGateWaitsForAPersonOnlyWhenALayerBehindItIsApplied) {
  YAML::Node gate = YAML::Load(github_workflow(input(), options()))["jobs"]["gate_registrar"];
  EXPECT_EQ(gate["environment"].as<std::string>(), "test-registrar");
  EXPECT_EQ(gate["if"].as<std::string>(),
            "${{ !failure() && !cancelled() && github.event_name == 'push' && "
            "(contains(needs.reviewed.outputs.layers, ' cert ') || "
            "contains(needs.reviewed.outputs.layers, ' app ')) }}");
  EXPECT_EQ(gate["env"]["INSTRUCTIONS"].as<std::string>(),
            "Point the registrar at ${{ '${{' }} secrets.X }} and $HOME: \"quoted\"\nthen wait");
  EXPECT_EQ(run_of(gate, "confirm registrar"),
            "printf '%s\\n' \"$INSTRUCTIONS\"\nstackctl confirm --env test registrar");
}

TEST_F(CiPipelineTest, GithubConfirmedGateIsNotInTheWorkflow) {
  PipelineInput in = input();
  in.confirmed = {"registrar"};
  std::string text = github_workflow(in, options());
  YAML::Node jobs = YAML::Load(text)["jobs"];
  EXPECT_FALSE(jobs["gate_registrar"]);
  EXPECT_EQ(strings(jobs["apply_cert"]["needs"]), (Names{"reviewed", "review_dns"}));
  EXPECT_NE(text.find("# Confirmed manual steps, not in the pipeline: registrar.\n"),
            std::string::npos);
  EXPECT_EQ(text.find("registrar:"), std::string::npos);
}

TEST_F(CiPipelineTest, GithubJobsReadSecretsByNameAndNeverDestroy) {
  std::string text = github_workflow(input(), options());
  YAML::Node jobs = YAML::Load(text)["jobs"];
  for (const char* job : {"plan_db", "apply_db", "review_db"}) {
    EXPECT_EQ(jobs[job]["env"]["AWS_ACCOUNT_ID"].as<std::string>(), "${{ secrets.AWS_ACCOUNT_ID }}")
        << job;
    EXPECT_EQ(jobs[job]["env"]["TF_VAR_db_pass"].as<std::string>(), "${{ secrets.TF_VAR_db_pass }}")
        << job;
  }
  EXPECT_EQ(jobs["run_bootstrap"]["env"]["GITHUB_TOKEN"].as<std::string>(),
            "${{ secrets.STACKCTL_GITHUB_TOKEN }}");
  EXPECT_NE(text.find("# GITHUB_TOKEN comes from the secret STACKCTL_GITHUB_TOKEN"),
            std::string::npos);
  for (const auto& kv : jobs)
    for (const auto& run : runs(kv.second))
      EXPECT_EQ(run.find("destroy"), std::string::npos) << run;
}

TEST_F(CiPipelineTest, GithubMarksProtectedLayersAndRunsCommandsOnMergeOnly) {
  std::string text = github_workflow(input(), options());
  YAML::Node jobs = YAML::Load(text)["jobs"];
  EXPECT_EQ(jobs["apply_db"]["name"].as<std::string>(), "apply db (protected: data)");
  EXPECT_EQ(jobs["plan_dns"]["name"].as<std::string>(), "plan dns (protected: keep)");
  EXPECT_EQ(jobs["plan_vpc"]["name"].as<std::string>(), "plan vpc (pinned)");
  EXPECT_NE(
      text.find(
          "  # db is protected (data): apply refuses a plan that deletes or replaces any of its\n"
          "  # resources, and this pipeline never destroys it.\n  apply_db:\n"),
      std::string::npos);
  EXPECT_FALSE(jobs["plan_bootstrap"]);
  EXPECT_EQ(run_of(jobs["run_bootstrap"], "run bootstrap"),
            "stackctl apply --env test --only bootstrap --yes");
  EXPECT_EQ(jobs["run_bootstrap"]["if"].as<std::string>(),
            "${{ !failure() && !cancelled() && github.event_name == 'push' && "
            "contains(needs.reviewed.outputs.layers, ' bootstrap ') }}");
}

TEST_F(CiPipelineTest, GithubNeedsSkipOverLayersLeftOutOfTheSelection) {
  YAML::Node jobs = YAML::Load(github_workflow(input({"kms", "db", "app"}), options()))["jobs"];
  EXPECT_EQ(keys(jobs),
            (Names{"changes", "plan_kms", "plan_db", "plan_app", "reviewed", "apply_kms",
                   "review_kms", "apply_db", "review_db", "apply_app", "review_app"}));
  EXPECT_EQ(strings(jobs["plan_db"]["needs"]), (Names{"changes", "plan_kms"}));
  EXPECT_EQ(strings(jobs["plan_app"]["needs"]), (Names{"changes", "plan_db"}));
}

// The versions the setup step installs by default are the ones the project tests against.
TEST_F(CiPipelineTest, GithubSetupInstallsStackctlAndThePinnedTerragruntAndOpentofu) {
  std::ifstream versions(std::string(STACKCTL_SOURCE_DIR) + "/.ci/real-tools.versions");
  std::string text((std::istreambuf_iterator<char>(versions)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find(std::string("\nTOFU_VERSION=") + kDefaultTofuVersion + "\n"),
            std::string::npos);
  EXPECT_NE(text.find(std::string("\nTERRAGRUNT_VERSIONS=(") + kDefaultTerragruntVersion + " "),
            std::string::npos);
  YAML::Node wf = YAML::Load(github_workflow(input(), options()));
  EXPECT_EQ(wf["env"]["STACKCTL_GIT"].as<std::string>(),
            "https://git.example.com/tools/stackctl.git");
  EXPECT_EQ(wf["env"]["STACKCTL_REF"].as<std::string>(), std::string("v") + stackctl::version());
  EXPECT_EQ(wf["env"]["TERRAGRUNT_VERSION"].as<std::string>(), kDefaultTerragruntVersion);
  EXPECT_EQ(wf["env"]["TOFU_VERSION"].as<std::string>(), kDefaultTofuVersion);
  std::string setup = wf["env"]["STACKCTL_SETUP"].as<std::string>();
  EXPECT_NE(
      setup.find("git clone -q --depth 1 --branch \"$STACKCTL_REF\" \"$STACKCTL_GIT\" \"$src\""),
      std::string::npos);
  EXPECT_NE(setup.find("terragrunt/releases/download/$TERRAGRUNT_VERSION"), std::string::npos);
  EXPECT_NE(setup.find("opentofu/releases/download/$TOFU_VERSION"), std::string::npos);
  EXPECT_NE(setup.find("echo \"$bin\" >> \"$GITHUB_PATH\""), std::string::npos);
  // Every job that runs stackctl sets it up first.
  for (const auto& kv : wf["jobs"]) {
    if (kv.first.as<std::string>() == "reviewed") continue;
    EXPECT_EQ(run_of(kv.second, "install stackctl, terragrunt and OpenTofu"),
              "bash -c \"$STACKCTL_SETUP\"")
        << kv.first.as<std::string>();
  }
}

TEST_F(CiPipelineTest, GithubOptionsSetBranchRunnerSetupVersionsAndWorkingDirectory) {
  PipelineOptions o = options();
  o.branch = "trunk";
  o.runs_on = "self-hosted";
  o.setup = {"bash tools/install.sh"};
  o.working_directory = "infra";
  o.stackctl_ref = "main";
  o.terragrunt_version = "v0.93.12";
  YAML::Node wf = YAML::Load(github_workflow(input({"vpc"}), o));
  EXPECT_EQ(strings(wf["on"]["push"]["branches"]), (Names{"trunk"}));
  EXPECT_EQ(wf["defaults"]["run"]["working-directory"].as<std::string>(), "infra");
  EXPECT_EQ(wf["jobs"]["reviewed"]["defaults"]["run"]["working-directory"].as<std::string>(), ".");
  EXPECT_EQ(wf["jobs"]["plan_vpc"]["runs-on"].as<std::string>(), "self-hosted");
  EXPECT_EQ(wf["env"]["STACKCTL_REF"].as<std::string>(), "main");
  EXPECT_EQ(wf["env"]["TERRAGRUNT_VERSION"].as<std::string>(), "v0.93.12");
  EXPECT_EQ(runs(wf["jobs"]["plan_vpc"])[1], "bash tools/install.sh");
  auto upload = step_named(wf["jobs"]["plan_vpc"], "keep the plan for the merge");
  EXPECT_EQ((*upload)["with"]["path"].as<std::string>(), "infra/plans/vpc");
  auto state = step_named(wf["jobs"]["apply_vpc"], "save the env's journal");
  EXPECT_EQ((*state)["with"]["path"].as<std::string>(), "infra/.stackctl/test");
}

TEST(CiPipelineNames, JobIdsAndKeysThatLookLikeOtherTypesStayStrings) {
  StackFixture f(
      "version: 1\nlayers:\n  - name: 1password\n  - name: y\n  - name: a.b\n    depends_on: "
      "[1password, y]\n");
  auto pins = pinned_layers(*f.graph, f.stack.enabled, f.stack.protect);
  PipelineInput in{f.stack, *f.graph, pins, {0, 1, 2}, {}};
  YAML::Node jobs = YAML::Load(github_workflow(in, {}))["jobs"];
  EXPECT_EQ(jobs["plan_a_b"]["needs"].as<Names>(), (Names{"changes", "plan_1password", "plan_y"}));
  EXPECT_EQ(jobs["plan_y"]["name"].as<std::string>(), "plan y");
  EXPECT_TRUE(jobs["apply_1password"]);
  // On GitLab, a dot in a name is matched as a dot.
  YAML::Node gitlab = YAML::Load(gitlab_pipeline(in, {}));
  std::string first = gitlab["apply:a.b"]["script"][0].as<std::string>();
  EXPECT_EQ(first.substr(0, first.find('\n')),
            "job=$(sed -n 's/^plan:a\\.b //p' reviewed/jobs.txt)");
  EXPECT_EQ(github_secret_name("github_pat"), "STACKCTL_github_pat");
  EXPECT_EQ(github_secret_name("TF_VAR_x"), "TF_VAR_x");
}

// A GitLab job's shell text: its before_script and script lines.
std::string shell_of(const YAML::Node& job) {
  std::string out;
  for (const char* part : {"before_script", "script"})
    for (const auto& line : job[part]) out += line.as<std::string>() + "\n";
  return out;
}

TEST_F(CiPipelineTest, GitlabMergeRequestsPlanTheChangedLayersOneJobPerLayerWithNeedsFromTheGraph) {
  YAML::Node p = YAML::Load(gitlab_pipeline(input(), options()));
  EXPECT_EQ(strings(p["stages"]), (Names{"plan", "report", "apply"}));
  EXPECT_EQ(p["workflow"]["rules"][0]["if"].as<std::string>(),
            "$CI_PIPELINE_SOURCE == \"merge_request_event\"");
  EXPECT_EQ(p["workflow"]["rules"][1]["if"].as<std::string>(),
            "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
  Names jobs;
  for (const auto& k : keys(p))
    if (k != "workflow" && k != "stages" && k != "variables" && k != "default") jobs.push_back(k);
  EXPECT_EQ(jobs,
            (Names{"changes",         "plan:dns",       "plan:cert",  "plan:kms",    "plan:vpc",
                   "plan:db",         "plan:app",       "summary",    "reviewed",    "apply:dns",
                   "review:dns",      "gate:registrar", "apply:cert", "review:cert", "apply:kms",
                   "review:kms",      "apply:vpc",      "review:vpc", "apply:db",    "review:db",
                   "apply:bootstrap", "apply:app",      "review:app"}));
  // The list of changed layers: --changed against the merge request's diff base, with dependents.
  EXPECT_EQ(strings(p["changes"]["script"])[1],
            "stackctl ci matrix --env test --changed --with-dependents --base "
            "\"$CI_MERGE_REQUEST_DIFF_BASE_SHA\" "
            "> changed.json");
  EXPECT_EQ(strings(p["changes"]["artifacts"]["paths"]), (Names{"changed.json"}));
  EXPECT_EQ(strings(p["plan:app"]["needs"]), (Names{"changes", "plan:cert", "plan:db"}));
  EXPECT_EQ(strings(p["plan:cert"]["needs"]), (Names{"changes", "plan:dns"}));  // through the gate
  EXPECT_EQ(strings(p["plan:dns"]["needs"]), (Names{"changes"}));
  YAML::Node db = p["plan:db"];
  EXPECT_EQ(db["rules"][0]["if"].as<std::string>(),
            "$CI_PIPELINE_SOURCE == \"merge_request_event\"");
  // A layer that is not on the list ends its job before the setup.
  EXPECT_EQ(
      strings(db["before_script"]),
      (Names{"if ! grep -qF '\"layer\":\"db\"' changed.json; then\n"
             "  echo \"db is not among the changed layers and their dependents: nothing to plan\"\n"
             "  exit 0\nfi\n",
             "eval \"$STACKCTL_SETUP\""}));
  EXPECT_EQ(strings(db["script"]), (Names{"stackctl plan --env test --only db --out-dir plans/db "
                                          "--summary-md plans/db/summary.md"}));
  EXPECT_EQ(strings(db["artifacts"]["paths"]), (Names{"plans/db/"}));
  EXPECT_EQ(db["artifacts"]["when"].as<std::string>(), "always");
  EXPECT_EQ(db["cache"][1]["key"].as<std::string>(), "stackctl-state-test");
  EXPECT_EQ(db["cache"][1]["policy"].as<std::string>(), "pull");
  // The summary waits for every plan, failed ones too, and posts the summaries in manifest order.
  YAML::Node summary = p["summary"];
  EXPECT_EQ(summary["stage"].as<std::string>(), "report");
  EXPECT_FALSE(summary["needs"]);
  EXPECT_EQ(summary["rules"][0]["when"].as<std::string>(), "always");
  std::string text = shell_of(summary);
  EXPECT_NE(text.find("for layer in dns cert kms vpc db app; do\n"), std::string::npos) << text;
  EXPECT_NE(
      text.find(
          "--data-urlencode body@summary.md \\\n"
          "    "
          "\"$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes\""),
      std::string::npos)
      << text;
}

TEST_F(CiPipelineTest,
       GitlabDefaultBranchAppliesTheReviewedPlansInManifestOrderAndStopsForANewPlan) {
  YAML::Node p = YAML::Load(gitlab_pipeline(input(), options()));
  // One after the other: each job needs the one before it, so the journal travels in order.
  EXPECT_EQ(strings(p["reviewed"]["needs"]), Names{});
  EXPECT_EQ(strings(p["apply:dns"]["needs"]), (Names{"reviewed"}));
  EXPECT_EQ(strings(p["gate:registrar"]["needs"]), (Names{"reviewed", "apply:dns"}));
  EXPECT_EQ(strings(p["apply:cert"]["needs"]), (Names{"reviewed", "gate:registrar"}));
  EXPECT_EQ(strings(p["review:cert"]["needs"]), (Names{"reviewed", "gate:registrar"}));
  EXPECT_EQ(strings(p["apply:app"]["needs"]), (Names{"reviewed", "apply:bootstrap"}));
  YAML::Node db = p["apply:db"];
  EXPECT_EQ(db["rules"][0]["if"].as<std::string>(), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
  EXPECT_EQ(db["resource_group"].as<std::string>(), "stackctl-test");
  EXPECT_EQ(db["cache"][1]["policy"].as<std::string>(), "pull-push");
  EXPECT_EQ(db["cache"][1]["when"].as<std::string>(), "always");
  EXPECT_EQ(strings(db["artifacts"]["paths"]), (Names{"replanned/db/"}));
  std::string apply = shell_of(db);
  EXPECT_NE(apply.find("grep -qF '\"layer\":\"db\"' reviewed/changed.json"), std::string::npos)
      << apply;
  EXPECT_NE(apply.find("job=$(sed -n 's/^plan:db //p' reviewed/jobs.txt)"), std::string::npos)
      << apply;
  EXPECT_NE(
      apply.find("stackctl apply --env test --only db --plan-dir reviewed/db --yes 2>apply.err"),
      std::string::npos)
      << apply;
  EXPECT_NE(
      apply.find("stackctl plan --env test --only db --detailed-exitcode --out-dir replanned/db"),
      std::string::npos)
      << apply;
  YAML::Node review = p["review:db"];
  EXPECT_EQ(review["rules"][0]["when"].as<std::string>(), "manual");
  EXPECT_EQ(review["allow_failure"].as<bool>(), true);  // optional: the pipeline passes without it
  EXPECT_EQ(strings(review["script"])[1],
            "stackctl apply --env test --only db --plan-dir replanned/db --yes\n"
            "echo \"db is applied: retry apply:db to run the jobs after it\"\n");
  // The reviewed plans come from the merged merge request's head pipeline, which must have passed.
  std::string find = shell_of(p["reviewed"]);
  EXPECT_NE(
      find.find("api \"repository/commits/$CI_COMMIT_SHA/merge_requests\" merge-requests.json"),
      std::string::npos)
      << find;
  EXPECT_NE(find.find("select(.head_pipeline.status == \"success\") | .head_pipeline.id"),
            std::string::npos);
  EXPECT_NE(find.find("api \"jobs/$job/artifacts/changed.json\" changed.json"), std::string::npos);
  EXPECT_EQ(strings(p["reviewed"]["artifacts"]["paths"]), (Names{"reviewed/"}));
  // Command layers run in their place, when the merge request planned them.
  EXPECT_FALSE(p["plan:bootstrap"]);
  EXPECT_FALSE(p["review:bootstrap"]);
  EXPECT_EQ(strings(p["apply:bootstrap"]["script"]),
            (Names{"stackctl apply --env test --only bootstrap --yes"}));
  EXPECT_NE(shell_of(p["apply:bootstrap"])
                .find("grep -qF '\"layer\":\"bootstrap\"' reviewed/changed.json"),
            std::string::npos);
}

TEST_F(CiPipelineTest, GitlabGateIsAManualJobThatBlocksWhatFollowsAndRecordsTheStep) {
  YAML::Node gate = YAML::Load(gitlab_pipeline(input(), options()))["gate:registrar"];
  EXPECT_EQ(gate["rules"][0]["when"].as<std::string>(), "manual");
  EXPECT_EQ(gate["allow_failure"].as<bool>(), false);
  EXPECT_EQ(gate["variables"]["STACKCTL_INSTRUCTIONS"].as<std::string>(),
            "Point the registrar at $${{ secrets.X }} and $$HOME: \"quoted\"\nthen wait");
  EXPECT_EQ(
      strings(gate["script"]),
      (Names{"printf '%s\\n' \"$STACKCTL_INSTRUCTIONS\"\nstackctl confirm --env test registrar"}));
}

TEST_F(CiPipelineTest, GitlabMarksProtectionAndNamesTheVariablesItReads) {
  std::string text = gitlab_pipeline(input(), options());
  YAML::Node p = YAML::Load(text);
  EXPECT_EQ(p["apply:db"]["variables"]["STACKCTL_PROTECTION"].as<std::string>(), "data");
  EXPECT_EQ(p["review:db"]["variables"]["STACKCTL_PROTECTION"].as<std::string>(), "data");
  EXPECT_EQ(p["apply:vpc"]["variables"]["STACKCTL_PROTECTION"].as<std::string>(), "pinned");
  EXPECT_EQ(p["apply:dns"]["variables"]["STACKCTL_PROTECTION"].as<std::string>(), "keep");
  EXPECT_FALSE(p["apply:app"]["variables"]);
  EXPECT_NE(
      text.find(
          "# Reads the CI/CD variables AWS_ACCOUNT_ID, TF_VAR_db_pass (masked).\n\"apply:db\":"),
      std::string::npos);
  EXPECT_EQ(text.find("destroy --"), std::string::npos);
  EXPECT_EQ(text.find("stackctl destroy"), std::string::npos);
}

TEST_F(CiPipelineTest, GitlabDefaultsSetUpTheToolsThenCarryImageWorkingDirectoryAndSetup) {
  PipelineOptions o = options();
  o.image = "registry.example.com/tools:1";
  o.working_directory = "infra dir";
  o.setup = {"make tools"};
  YAML::Node p = YAML::Load(gitlab_pipeline(input({"vpc"}), o));
  EXPECT_EQ(p["default"]["image"].as<std::string>(), "registry.example.com/tools:1");
  EXPECT_EQ(strings(p["default"]["before_script"]),
            (Names{"cd 'infra dir'", "eval \"$STACKCTL_SETUP\"", "make tools"}));
  // The setup leaves -e and pipefail on, as the runner sets them.
  EXPECT_EQ(p["variables"]["STACKCTL_SETUP"]["value"].as<std::string>(),
            setup_script("export PATH=\"$bin:$PATH\" TG_TF_PATH=\"$bin/tofu\"") + "set +u\n");
  EXPECT_EQ(p["variables"]["STACKCTL_SETUP"]["expand"].as<bool>(), false);
  EXPECT_EQ(p["variables"]["STACKCTL_GIT"].as<std::string>(),
            "https://git.example.com/tools/stackctl.git");
  EXPECT_EQ(p["variables"]["TOFU_VERSION"].as<std::string>(), kDefaultTofuVersion);
  EXPECT_EQ(p["variables"]["STACKCTL_TOOLS"].as<std::string>(), "$CI_PROJECT_DIR/.stackctl-tools");
  EXPECT_EQ(strings(p["default"]["cache"]["paths"]), (Names{".stackctl-tools/"}));
  // Artifacts and the journal's cache are paths of the repository; the jobs run in the project.
  EXPECT_EQ(strings(p["plan:vpc"]["artifacts"]["paths"]), (Names{"infra dir/plans/vpc/"}));
  EXPECT_EQ(strings(p["plan:vpc"]["cache"][1]["paths"]), (Names{"infra dir/.stackctl/test/"}));
  EXPECT_EQ(strings(p["plan:vpc"]["before_script"])[0], "cd 'infra dir'");
  EXPECT_NE(shell_of(p["apply:vpc"]).find("mv 'reviewed/vpc.d/infra dir/plans/vpc' reviewed/vpc"),
            std::string::npos);
  EXPECT_NE(shell_of(p["reviewed"])
                .find("api \"jobs/$job/artifacts/infra%20dir/changed.json\" changed.json"),
            std::string::npos);
}

TEST_F(CiPipelineTest, GitlabConfirmedGateIsNotInThePipeline) {
  PipelineInput in = input();
  in.confirmed = {"registrar"};
  YAML::Node p = YAML::Load(gitlab_pipeline(in, options()));
  EXPECT_FALSE(p["gate:registrar"]);
  EXPECT_EQ(strings(p["apply:cert"]["needs"]), (Names{"reviewed", "apply:dns"}));
}

TEST_F(CiPipelineTest, MatrixListsTerragruntAndCommandLayersWithNeedsThroughGates) {
  nlohmann::json m = ci_matrix(input());
  Names layers;
  for (const auto& e : m["include"]) layers.push_back(e["layer"]);
  EXPECT_EQ(layers, (Names{"dns", "cert", "kms", "vpc", "db", "bootstrap", "app"}));
  EXPECT_EQ(m["include"][1], (nlohmann::json{{"layer", "cert"},
                                             {"needs", {"dns"}},
                                             {"tier", ""},
                                             {"protect", "none"},
                                             {"kind", "terragrunt"}}));
  EXPECT_EQ(m["include"][4]["protect"], "data");
  EXPECT_EQ(m["include"][3]["protect"], "pinned");
  EXPECT_EQ(m["include"][5]["kind"], "command");
  EXPECT_EQ(m["include"][6]["needs"], (nlohmann::json{"cert", "bootstrap"}));
}

// Every need is something the layer depends on, and every selected dependency is reached.
TEST_F(CiPipelineTest, EveryJobNeedsExactlyItsNearestSelectedDependencies) {
  PipelineInput in = input({"dns", "cert", "vpc", "db", "app"});
  for (const auto& job :
       pipeline_jobs(in, {LayerKind::Terragrunt, LayerKind::Command, LayerKind::Manual})) {
    auto anc = f_.graph->ancestors(job.layer);
    std::set<std::size_t> reach;
    for (std::size_t n : job.needs) {
      EXPECT_NE(std::find(anc.begin(), anc.end(), n), anc.end());
      reach.insert(n);
      for (std::size_t a : f_.graph->ancestors(n)) reach.insert(a);
    }
    for (std::size_t a : anc) {
      if (std::find(in.selected.begin(), in.selected.end(), a) == in.selected.end()) continue;
      EXPECT_TRUE(reach.count(a)) << f_.stack.layer(job.layer).name << " misses "
                                  << f_.stack.layer(a).name;
    }
  }
}

// Every shape of generated workflow passes actionlint: all layers with a pending gate, a
// confirmed gate, a partial selection, and every option set.
TEST_F(CiPipelineTest, ActionlintAcceptsEveryGeneratedWorkflow) {
  std::string why;
  auto actionlint = testing::actionlint_binary(why);
  if (!actionlint) GTEST_SKIP() << why;
  PipelineInput confirmed = input();
  confirmed.confirmed = {"registrar"};
  PipelineOptions o = options();
  o.branch = "trunk";
  o.runs_on = "self-hosted";
  o.setup = {"bash tools/install.sh"};
  o.working_directory = "infra dir";
  for (const auto& [what, text] : std::vector<std::pair<std::string, std::string>>{
           {"every layer", github_workflow(input(), options())},
           {"a confirmed gate", github_workflow(confirmed, options())},
           {"kms, db, app", github_workflow(input({"kms", "db", "app"}), options())},
           {"every option", github_workflow(input(), o)}})
    EXPECT_EQ(testing::actionlint_findings(*actionlint, text), "") << what;
}

// actionlint fails on what it should: the check above can fail.
TEST_F(CiPipelineTest, ActionlintRejectsAWorkflowWithAJobNeedingNoJob) {
  std::string why;
  auto actionlint = testing::actionlint_binary(why);
  if (!actionlint) GTEST_SKIP() << why;
  std::string text = github_workflow(input(), options());
  text.replace(text.find("needs: [changes, plan_dns]"), 26, "needs: [changes, plan_nope]");
  EXPECT_NE(testing::actionlint_findings(*actionlint, text).find("plan_nope"), std::string::npos);
}

TEST_F(CiPipelineTest, GitlabPipelinesPassTheStructuralCheck) {
  PipelineInput confirmed = input();
  confirmed.confirmed = {"registrar"};
  PipelineOptions o = options();
  o.image = "tools:1";
  o.working_directory = "infra";
  o.setup = {"make tools"};
  for (const auto& text :
       {gitlab_pipeline(input(), options()), gitlab_pipeline(confirmed, options()),
        gitlab_pipeline(input({"kms", "db", "app"}), o)})
    EXPECT_EQ(testing::gitlab_structure_problems(YAML::Load(text)), Names{}) << text;
}

TEST(CiStructuralCheck, FindsWhatGitlabWouldReject) {
  YAML::Node bad = YAML::Load(R"(stages: [plan]
workflow: {rules: [{if: "$A", when: sometimes}]}
retries: 2
"plan:a":
  stage: apply
  script: [x]
  needs: ["plan:b", "apply:a"]
  rules: [{if: "$MR", whenever: manual}]
  artifacts: {paths: [/etc/passwd, ../up], keep: true}
  colour: red
"apply:a":
  stage: plan
  script: [y]
  rules: [{if: "$MAIN"}]
)");
  EXPECT_EQ(
      testing::gitlab_structure_problems(bad),
      (Names{"unknown top-level key retries (not a keyword, not a job with a script)",
             "workflow: rules when: sometimes is not a GitLab value",
             "plan:a: unknown job keyword colour", "plan:a: stage apply is not in stages",
             "plan:a: unknown rules keyword whenever", "plan:a: unknown artifacts keyword keep",
             "plan:a: artifact path /etc/passwd is not inside the project",
             "plan:a: artifact path ../up is not inside the project",
             "plan:a: needs plan:b, which is not a job",
             "plan:a: needs apply:a, which is not in all of its pipelines"}));
}

TEST_F(CiPipelineTest, GitlabPipelinesValidateAgainstGitlabsCiSchema) {
  std::string why;
  auto schema = testing::gitlab_ci_schema(why);
  if (!schema) GTEST_SKIP() << why;
  PipelineOptions o = options();
  o.image = "tools:1";
  o.working_directory = "infra";
  EXPECT_EQ(testing::gitlab_schema_findings(*schema, gitlab_pipeline(input(), options())), "");
  EXPECT_EQ(testing::gitlab_schema_findings(*schema, gitlab_pipeline(input({"vpc"}), o)), "");
  // The check can fail: a job whose `when:` GitLab does not know.
  std::string bad =
      gitlab_pipeline(input({"vpc"}), options()) + "\"oops\": {script: [x], when: sometimes}\n";
  EXPECT_NE(testing::gitlab_schema_findings(*schema, bad), "");
}

// The usage error ci_document throws, as "<exit code>: <message>"; "none" when it throws nothing.
std::string ci_refusal(const std::string& format, const PipelineInput& in,
                       const PipelineOptions& options) {
  try {
    ci_document(format, in, options);
  } catch (const Error& e) {
    return std::to_string(static_cast<int>(e.code())) + ": " + e.what();
  }
  return "none";
}

// A workflow or pipeline needs a layer and the repository its setup step builds stackctl from;
// a matrix is only data for the user's own pipeline and needs neither.
TEST_F(CiPipelineTest, OnlyWorkflowsAndPipelinesRefuseAnEmptySelectionOrAMissingStackctlGit) {
  PipelineInput none = input({"no-such-layer"});
  ASSERT_TRUE(none.selected.empty());
  EXPECT_EQ(ci_document("matrix", none, PipelineOptions{}), "{\"include\":[]}\n");
  const std::string usage = std::to_string(static_cast<int>(ExitCode::Usage));
  EXPECT_EQ(ci_refusal("github", none, options()),
            usage + ": the selection is empty: a pipeline needs at least one layer");
  EXPECT_EQ(ci_refusal("gitlab", input({"vpc"}), PipelineOptions{}),
            usage +
                ": stackctl ci gitlab needs --stackctl-git URL: the git repository its setup step "
                "builds stackctl from");
  EXPECT_EQ(ci_document("github", input({"vpc"}), options()),
            github_workflow(input({"vpc"}), options()));
  EXPECT_EQ(ci_document("gitlab", input({"vpc"}), options()),
            gitlab_pipeline(input({"vpc"}), options()));
}

// The header of a pipeline names the command that wrote it, without the path stackctl was run by.
TEST(CiCommandLine, IsStackctlsOwnArgvOrTheShortestCommandThatWritesThePipeline) {
  CiRequest req;
  req.format = "gitlab";
  req.env = "prod";
  EXPECT_EQ(
      ci_command_line(req, {"/opt/bin/stackctl", "ci", "gitlab", "--env", "prod", "--tier", "app"}),
      "stackctl ci gitlab --env prod --tier app");
  EXPECT_EQ(ci_command_line(req, {}), "stackctl ci gitlab --env prod");
}

}  // namespace
}  // namespace stackctl
