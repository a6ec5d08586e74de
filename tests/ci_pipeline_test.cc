// Scenarios for `stackctl ci`: the generated GitHub and GitLab pipelines are parsed back with
// yaml-cpp and checked job by job against the graph; the matrix is checked as JSON.
#include "stackctl/ci_pipeline.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <set>

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
  CiPipelineTest() : f_(kManifest, kEnv), pins_(pinned_layers(*f_.graph, f_.stack.enabled, f_.stack.protect)) {}

  PipelineInput input(const Names& names = {}) {
    PipelineInput in{f_.stack, *f_.graph, pins_, {}};
    for (std::size_t i = 0; i < f_.stack.size(); ++i)
      if (names.empty() || std::find(names.begin(), names.end(), f_.stack.layer(i).name) != names.end())
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
    if (seq) for (const auto& v : seq) out.push_back(v.as<std::string>());
    return out;
  }

  // Every step's run command of a GitHub job.
  static Names runs(const YAML::Node& job) {
    Names out;
    for (const auto& step : job["steps"])
      if (step["run"]) out.push_back(step["run"].as<std::string>());
    return out;
  }

  StackFixture f_;
  std::vector<PinReason> pins_;
};

TEST_F(CiPipelineTest, GithubWorkflowHasOneJobPerLayerWithNeedsFollowingTheGraph) {
  YAML::Node wf = YAML::Load(github_workflow(input(), {}));
  EXPECT_EQ(keys(wf["jobs"]), (Names{"dns", "registrar", "cert", "kms", "vpc", "db", "bootstrap", "app"}));
  EXPECT_EQ(strings(wf["jobs"]["cert"]["needs"]), (Names{"dns", "registrar"}));
  EXPECT_EQ(strings(wf["jobs"]["db"]["needs"]), (Names{"kms", "vpc"}));
  EXPECT_EQ(strings(wf["jobs"]["app"]["needs"]), (Names{"cert", "bootstrap"}));
  EXPECT_FALSE(wf["jobs"]["dns"]["needs"]);
  EXPECT_EQ(strings(wf["on"]["pull_request"]["branches"]), (Names{"main"}));
  EXPECT_EQ(strings(wf["on"]["push"]["branches"]), (Names{"main"}));
  EXPECT_EQ(wf["concurrency"]["cancel-in-progress"].as<bool>(), false);
}

TEST_F(CiPipelineTest, GithubLayerJobPlansOnPullRequestsAndAppliesOnPush) {
  YAML::Node job = YAML::Load(github_workflow(input(), {}))["jobs"]["vpc"];
  const YAML::Node& steps = job["steps"];
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0]["uses"].as<std::string>(), "actions/checkout@v4");
  EXPECT_EQ(steps[1]["if"].as<std::string>(), "github.event_name == 'pull_request'");
  EXPECT_EQ(steps[1]["run"].as<std::string>(), "stackctl plan --env test --only vpc");
  EXPECT_EQ(steps[2]["if"].as<std::string>(), "github.event_name == 'push'");
  EXPECT_EQ(steps[2]["run"].as<std::string>(), "stackctl apply --env test --only vpc --yes");
  EXPECT_EQ(job["name"].as<std::string>(), "vpc (pinned)");
  EXPECT_EQ(job["runs-on"].as<std::string>(), "ubuntu-latest");
}

TEST_F(CiPipelineTest, GithubGateIsBoundToAnEnvironmentAndSkippedOnPullRequests) {
  YAML::Node wf = YAML::Load(github_workflow(input(), {}));
  YAML::Node gate = wf["jobs"]["registrar"];
  EXPECT_EQ(gate["environment"].as<std::string>(), "test-registrar");
  EXPECT_EQ(gate["if"].as<std::string>(),
            "${{ github.event_name == 'push' && !failure() && !cancelled() }}");
  EXPECT_EQ(gate["env"]["INSTRUCTIONS"].as<std::string>(),
            "Point the registrar at ${{ '${{' }} secrets.X }} and $HOME: \"quoted\"\nthen wait");
  EXPECT_EQ(runs(gate), (Names{"printf '%s\\n' \"$INSTRUCTIONS\""}));
  // A job behind a skipped gate still runs when nothing it needs failed.
  EXPECT_EQ(wf["jobs"]["cert"]["if"].as<std::string>(), "${{ !failure() && !cancelled() }}");
}

TEST_F(CiPipelineTest, GithubJobsReadSecretsByNameAndNeverDestroy) {
  std::string text = github_workflow(input(), {});
  YAML::Node jobs = YAML::Load(text)["jobs"];
  EXPECT_EQ(jobs["db"]["env"]["AWS_ACCOUNT_ID"].as<std::string>(), "${{ secrets.AWS_ACCOUNT_ID }}");
  EXPECT_EQ(jobs["db"]["env"]["TF_VAR_db_pass"].as<std::string>(), "${{ secrets.TF_VAR_db_pass }}");
  EXPECT_EQ(jobs["bootstrap"]["env"]["GITHUB_TOKEN"].as<std::string>(),
            "${{ secrets.STACKCTL_GITHUB_TOKEN }}");
  EXPECT_NE(text.find("# GITHUB_TOKEN comes from the secret STACKCTL_GITHUB_TOKEN"), std::string::npos);
  for (const auto& kv : jobs)
    for (const auto& run : runs(kv.second)) EXPECT_EQ(run.find("destroy"), std::string::npos) << run;
}

TEST_F(CiPipelineTest, GithubMarksProtectedLayersAndRunsCommandsOnPushOnly) {
  std::string text = github_workflow(input(), {});
  YAML::Node jobs = YAML::Load(text)["jobs"];
  EXPECT_EQ(jobs["db"]["name"].as<std::string>(), "db (protected: data)");
  EXPECT_EQ(jobs["dns"]["name"].as<std::string>(), "dns (protected: keep)");
  EXPECT_NE(text.find("  # db is protected (data): apply refuses a plan that deletes or replaces any of its\n"
                      "  # resources, and this pipeline never destroys it.\n  db:\n"),
            std::string::npos);
  EXPECT_EQ(runs(jobs["bootstrap"]), (Names{"stackctl apply --env test --only bootstrap --yes"}));
  EXPECT_EQ(jobs["bootstrap"]["if"].as<std::string>(),
            "${{ github.event_name == 'push' && !failure() && !cancelled() }}");
}

TEST_F(CiPipelineTest, GithubNeedsSkipOverLayersLeftOutOfTheSelection) {
  YAML::Node jobs = YAML::Load(github_workflow(input({"kms", "db", "app"}), {}))["jobs"];
  EXPECT_EQ(keys(jobs), (Names{"kms", "db", "app"}));
  EXPECT_EQ(strings(jobs["db"]["needs"]), (Names{"kms"}));
  EXPECT_EQ(strings(jobs["app"]["needs"]), (Names{"db"}));
}

TEST_F(CiPipelineTest, GithubOptionsSetBranchRunnerSetupAndWorkingDirectory) {
  PipelineOptions o;
  o.branch = "trunk";
  o.runs_on = "self-hosted";
  o.setup = {"bash tools/install.sh"};
  o.working_directory = "infra";
  YAML::Node wf = YAML::Load(github_workflow(input({"vpc"}), o));
  EXPECT_EQ(strings(wf["on"]["push"]["branches"]), (Names{"trunk"}));
  EXPECT_EQ(wf["defaults"]["run"]["working-directory"].as<std::string>(), "infra");
  EXPECT_EQ(wf["jobs"]["vpc"]["runs-on"].as<std::string>(), "self-hosted");
  EXPECT_EQ(runs(wf["jobs"]["vpc"]), (Names{"bash tools/install.sh", "stackctl plan --env test --only vpc",
                                            "stackctl apply --env test --only vpc --yes"}));
}

TEST(CiPipelineNames, JobIdsAndKeysThatLookLikeOtherTypesStayStrings) {
  StackFixture f("version: 1\nlayers:\n  - name: 1password\n  - name: y\n  - name: a.b\n    depends_on: [1password, y]\n");
  auto pins = pinned_layers(*f.graph, f.stack.enabled, f.stack.protect);
  PipelineInput in{f.stack, *f.graph, pins, {0, 1, 2}};
  YAML::Node jobs = YAML::Load(github_workflow(in, {}))["jobs"];
  Names ids;
  for (const auto& kv : jobs) ids.push_back(kv.first.as<std::string>());
  EXPECT_EQ(ids, (Names{"_1password", "y", "a_b"}));
  EXPECT_EQ(jobs["a_b"]["needs"][0].as<std::string>(), "_1password");
  EXPECT_EQ(jobs["a_b"]["needs"][1].as<std::string>(), "y");
  EXPECT_EQ(jobs["y"]["name"].as<std::string>(), "y");
  EXPECT_EQ(github_secret_name("github_pat"), "STACKCTL_github_pat");
  EXPECT_EQ(github_secret_name("TF_VAR_x"), "TF_VAR_x");
}

TEST_F(CiPipelineTest, GitlabPlansInMergeRequestsAndAppliesOnTheDefaultBranch) {
  YAML::Node p = YAML::Load(gitlab_pipeline(input(), {}));
  EXPECT_EQ(strings(p["stages"]), (Names{"plan", "apply"}));
  EXPECT_EQ(p["workflow"]["rules"][0]["if"].as<std::string>(), "$CI_PIPELINE_SOURCE == \"merge_request_event\"");
  EXPECT_EQ(p["workflow"]["rules"][1]["if"].as<std::string>(), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
  Names jobs;
  for (const auto& k : keys(p))
    if (k != "workflow" && k != "stages") jobs.push_back(k);
  EXPECT_EQ(jobs, (Names{"plan:dns", "plan:cert", "plan:kms", "plan:vpc", "plan:db", "plan:app",
                         "apply:dns", "gate:registrar", "apply:cert", "apply:kms", "apply:vpc",
                         "apply:db", "apply:bootstrap", "apply:app"}));
  EXPECT_EQ(strings(p["plan:app"]["needs"]), (Names{"plan:cert", "plan:db"}));
  EXPECT_EQ(strings(p["plan:cert"]["needs"]), (Names{"plan:dns"}));
  EXPECT_EQ(strings(p["apply:cert"]["needs"]), (Names{"apply:dns", "gate:registrar"}));
  EXPECT_EQ(strings(p["apply:app"]["needs"]), (Names{"apply:cert", "apply:bootstrap"}));
  EXPECT_EQ(p["plan:dns"]["needs"].size(), 0u);
  EXPECT_EQ(strings(p["plan:db"]["script"]), (Names{"stackctl plan --env test --only db"}));
  EXPECT_EQ(strings(p["apply:db"]["script"]), (Names{"stackctl apply --env test --only db --yes"}));
  EXPECT_EQ(p["plan:db"]["rules"][0]["if"].as<std::string>(), "$CI_PIPELINE_SOURCE == \"merge_request_event\"");
  EXPECT_EQ(p["apply:db"]["rules"][0]["if"].as<std::string>(), "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
  EXPECT_EQ(p["apply:db"]["resource_group"].as<std::string>(), "stackctl-test-db");
}

TEST_F(CiPipelineTest, GitlabGateIsAManualJobThatBlocksWhatFollows) {
  YAML::Node gate = YAML::Load(gitlab_pipeline(input(), {}))["gate:registrar"];
  EXPECT_EQ(gate["rules"][0]["when"].as<std::string>(), "manual");
  EXPECT_EQ(gate["allow_failure"].as<bool>(), false);
  EXPECT_EQ(gate["variables"]["STACKCTL_INSTRUCTIONS"].as<std::string>(),
            "Point the registrar at $${{ secrets.X }} and $$HOME: \"quoted\"\nthen wait");
  EXPECT_EQ(strings(gate["needs"]), (Names{"apply:dns"}));
}

TEST_F(CiPipelineTest, GitlabMarksProtectionAndNamesTheVariablesItReads) {
  std::string text = gitlab_pipeline(input(), {});
  YAML::Node p = YAML::Load(text);
  EXPECT_EQ(p["apply:db"]["variables"]["STACKCTL_PROTECTION"].as<std::string>(), "data");
  EXPECT_EQ(p["apply:vpc"]["variables"]["STACKCTL_PROTECTION"].as<std::string>(), "pinned");
  EXPECT_EQ(p["apply:dns"]["variables"]["STACKCTL_PROTECTION"].as<std::string>(), "keep");
  EXPECT_FALSE(p["apply:app"]["variables"]);
  EXPECT_NE(text.find("# Reads the CI/CD variables AWS_ACCOUNT_ID, TF_VAR_db_pass (masked, protected).\n\"apply:db\":"),
            std::string::npos);
  EXPECT_EQ(text.find("destroy --"), std::string::npos);
  EXPECT_EQ(text.find("stackctl destroy"), std::string::npos);
}

TEST_F(CiPipelineTest, GitlabDefaultsCarryImageWorkingDirectoryAndSetup) {
  PipelineOptions o;
  o.image = "registry.example.com/tools:1";
  o.working_directory = "infra dir";
  o.setup = {"make tools"};
  YAML::Node p = YAML::Load(gitlab_pipeline(input({"vpc"}), o));
  EXPECT_EQ(p["default"]["image"].as<std::string>(), "registry.example.com/tools:1");
  EXPECT_EQ(strings(p["default"]["before_script"]), (Names{"cd 'infra dir'", "make tools"}));
}

TEST_F(CiPipelineTest, MatrixListsTerragruntAndCommandLayersWithNeedsThroughGates) {
  nlohmann::json m = ci_matrix(input());
  Names layers;
  for (const auto& e : m["include"]) layers.push_back(e["layer"]);
  EXPECT_EQ(layers, (Names{"dns", "cert", "kms", "vpc", "db", "bootstrap", "app"}));
  EXPECT_EQ(m["include"][1], (nlohmann::json{{"layer", "cert"}, {"needs", {"dns"}}, {"tier", ""},
                                             {"protect", "none"}, {"kind", "terragrunt"}}));
  EXPECT_EQ(m["include"][4]["protect"], "data");
  EXPECT_EQ(m["include"][3]["protect"], "pinned");
  EXPECT_EQ(m["include"][5]["kind"], "command");
  EXPECT_EQ(m["include"][6]["needs"], (nlohmann::json{"cert", "bootstrap"}));
}

// Every need is something the layer depends on, and every selected dependency is reached.
TEST_F(CiPipelineTest, EveryJobNeedsExactlyItsNearestSelectedDependencies) {
  PipelineInput in = input({"dns", "cert", "vpc", "db", "app"});
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt, LayerKind::Command, LayerKind::Manual})) {
    auto anc = f_.graph->ancestors(job.layer);
    std::set<std::size_t> reach;
    for (std::size_t n : job.needs) {
      EXPECT_NE(std::find(anc.begin(), anc.end(), n), anc.end());
      reach.insert(n);
      for (std::size_t a : f_.graph->ancestors(n)) reach.insert(a);
    }
    for (std::size_t a : anc) {
      if (std::find(in.selected.begin(), in.selected.end(), a) == in.selected.end()) continue;
      EXPECT_TRUE(reach.count(a)) << f_.stack.layer(job.layer).name << " misses " << f_.stack.layer(a).name;
    }
  }
}

// actionlint is not packaged everywhere: the check runs where it is installed.
TEST_F(CiPipelineTest, ActionlintAcceptsTheWorkflow) {
  if (std::system("command -v actionlint >/dev/null 2>&1") != 0) GTEST_SKIP() << "actionlint is not installed";
  testing::Scenario s;
  s.write(".github/workflows/stackctl.yml", github_workflow(input(), {}));
  auto r = testing::run_program("/bin/sh", {"-c", "actionlint .github/workflows/stackctl.yml"}, s.root(), {});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

}  // namespace
}  // namespace stackctl
