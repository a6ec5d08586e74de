#include "stackctl/util/version.h"
// End to end: --changed against real git repositories, `stackctl ci`, and the conventions every
#include "stackctl/util/version.h"
// command shares (precedence of settings, colour, version), with the built stackctl.
#include "stackctl/util/version.h"
#include <gtest/gtest.h>
#include "stackctl/util/version.h"
#include <yaml-cpp/yaml.h>
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
#include <cstdlib>
#include "stackctl/util/version.h"
#include <fstream>
#include "stackctl/util/version.h"
#include <iterator>
#include "stackctl/util/version.h"
#include <sstream>
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
#include "support/ci_checks.h"
#include "stackctl/util/version.h"
#include "support/scenario.h"
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
using stackctl::testing::Outcome;
#include "stackctl/util/version.h"
using stackctl::testing::Scenario;
#include "stackctl/util/version.h"
using Names = std::vector<std::string>;
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
namespace {
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
const char* kManifest = stackctl::testing::kCiManifest;
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
/// A project in a git repository with two commits; the second touched nothing of the stack.
#include "stackctl/util/version.h"
struct Repo : Scenario {
#include "stackctl/util/version.h"
  Repo() {
#include "stackctl/util/version.h"
    git({"init", "-q", "-b", "main"});
#include "stackctl/util/version.h"
    stackctl::testing::write_ci_stack(*this, "name: dev\nparallelism: 3\n");
#include "stackctl/util/version.h"
    write(".gitignore", "sim-calls.jsonl\n.stackctl/\n");
#include "stackctl/util/version.h"
    commit("stack");
#include "stackctl/util/version.h"
    write("README.md", "notes\n");
#include "stackctl/util/version.h"
    commit("notes");
#include "stackctl/util/version.h"
    parent = git({"rev-parse", "--short=7", "HEAD^"});
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  std::string git(const std::vector<std::string>& args) const {
#include "stackctl/util/version.h"
    return stackctl::testing::git_in(*this, args);
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  void commit(const std::string& message) const {
#include "stackctl/util/version.h"
    git({"add", "-A"});
#include "stackctl/util/version.h"
    git({"commit", "-q", "-m", message});
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  std::string parent;
#include "stackctl/util/version.h"
};
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
Names lines(const std::string& text) {
#include "stackctl/util/version.h"
  Names out;
#include "stackctl/util/version.h"
  std::istringstream in(text);
#include "stackctl/util/version.h"
  for (std::string l; std::getline(in, l);) out.push_back(l);
#include "stackctl/util/version.h"
  return out;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
}  // namespace
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndChanged, ListWhyExplainsEveryChangedLayer) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  p.write("envs/dev/sg/terragrunt.hcl", "# edited\n");
#include "stackctl/util/version.h"
  p.write("envs/dev/app/extra.tf", "# new, untracked\n");
#include "stackctl/util/version.h"
  auto r = p.run({"list", "--env", "dev", "--changed", "--with-dependents", "--why"});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
  // README.md, committed since HEAD^, is one of the files; it belongs to no layer.
#include "stackctl/util/version.h"
  EXPECT_EQ(lines(r.out), (Names{"changes since HEAD^ (" + p.parent + "): 3 files, 3 changed layers",
#include "stackctl/util/version.h"
                                 "#    LAYER  WHY",
#include "stackctl/util/version.h"
                                 "3    sg     files changed in envs/dev/sg: terragrunt.hcl",
#include "stackctl/util/version.h"
                                 "4    db     depends on sg, which changed",
#include "stackctl/util/version.h"
                                 "5    app    files changed in envs/dev/app: extra.tf"}));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndChanged, ListWhyAsJson) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  p.write("envs/dev/vpc/terragrunt.hcl", "# edited\n");
#include "stackctl/util/version.h"
  auto r = p.run({"--output", "json", "list", "--env", "dev", "--changed", "--why"});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
  auto doc = nlohmann::json::parse(r.out);
#include "stackctl/util/version.h"
  EXPECT_EQ(doc["base"], "HEAD^ (" + p.parent + ")");
#include "stackctl/util/version.h"
  EXPECT_EQ(doc["files"], (nlohmann::json{"README.md", "envs/dev/vpc/terragrunt.hcl"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(doc["layers"], (nlohmann::json{{{"name", "vpc"}, {"tier", ""},
#include "stackctl/util/version.h"
                                            {"reasons", {"files changed in envs/dev/vpc: terragrunt.hcl"}}}}));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndChanged, AManifestEditSelectsTheEditedEntry) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  std::string m = kManifest;
#include "stackctl/util/version.h"
  m.replace(m.find("  - name: app\n    depends_on: [vpc]\n"), std::string::npos,
#include "stackctl/util/version.h"
            "  - name: app\n    depends_on: [vpc, sg]\n");
#include "stackctl/util/version.h"
  p.manifest(m);
#include "stackctl/util/version.h"
  auto r = p.run({"list", "--env", "dev", "--changed", "--why"});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
  EXPECT_EQ(lines(r.out).back(), "5    app    manifest entry changed: depends_on");
#include "stackctl/util/version.h"
  EXPECT_EQ(lines(r.out).size(), 3u);
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndChanged, PlanChangedRunsOnlyTheChangedLayers) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  p.write("envs/dev/sg/terragrunt.hcl", "# edited\n");
#include "stackctl/util/version.h"
  p.commit("edit sg");
#include "stackctl/util/version.h"
  auto r = p.run({"plan", "--env", "dev", "--changed", "--base", "HEAD~1"});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
  EXPECT_EQ(p.call_sequence(), (Names{"sg plan", "sg show"}));
#include "stackctl/util/version.h"
  EXPECT_TRUE(contains(r.err, "changes since HEAD~1 (")) << r.err;
#include "stackctl/util/version.h"
  EXPECT_TRUE(contains(r.err, "): 1 file, 1 changed layer\n")) << r.err;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndChanged, OutsideGitBadBaseAndWhyAloneAreUsageErrors) {
#include "stackctl/util/version.h"
  Scenario plain;
#include "stackctl/util/version.h"
  plain.manifest(kManifest);
#include "stackctl/util/version.h"
  plain.env("dev", "name: dev\n");
#include "stackctl/util/version.h"
  auto r = plain.run({"list", "--env", "dev", "--changed"});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.exit_code, 64);
#include "stackctl/util/version.h"
  EXPECT_EQ(r.err, "stackctl: --changed needs a git repository: " + plain.root().string() + " is not inside one\n");
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  r = p.run({"plan", "--env", "dev", "--changed", "--base", "nope"});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.exit_code, 64);
#include "stackctl/util/version.h"
  EXPECT_EQ(r.err, "stackctl: --base 'nope' is not a commit of the repository at " + p.root().string() + "\n");
#include "stackctl/util/version.h"
  r = p.run({"list", "--env", "dev", "--why"});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.exit_code, 64);
#include "stackctl/util/version.h"
  EXPECT_TRUE(contains(r.err, "--why requires --changed")) << r.err;
#include "stackctl/util/version.h"
  EXPECT_FALSE(std::filesystem::exists(p.call_log()));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
namespace {
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
const char* kGit = "https://git.example.com/tools/stackctl.git";
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
// The `run:` text of the step called name in a job of a generated workflow.
#include "stackctl/util/version.h"
std::string step_run(const YAML::Node& job, const std::string& name) {
#include "stackctl/util/version.h"
  for (const auto& step : job["steps"])
#include "stackctl/util/version.h"
    if (step["name"] && step["name"].as<std::string>() == name) return step["run"].as<std::string>();
#include "stackctl/util/version.h"
  ADD_FAILURE() << "no step " << name;
#include "stackctl/util/version.h"
  return "false";
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
// Runs a step's script as GitHub Actions runs it (bash -e -o pipefail), in the project, with
#include "stackctl/util/version.h"
// stackctl on PATH and terragrunt-sim as terragrunt; GITHUB_OUTPUT is the file `output`.
#include "stackctl/util/version.h"
Outcome run_step(const Scenario& p, const std::string& script, const std::string& output) {
#include "stackctl/util/version.h"
  std::filesystem::create_directories(p.root() / ".bin");
#include "stackctl/util/version.h"
  std::error_code ec;
#include "stackctl/util/version.h"
  std::filesystem::create_symlink(STACKCTL_BIN, p.root() / ".bin/stackctl", ec);
#include "stackctl/util/version.h"
  return stackctl::testing::run_program(
#include "stackctl/util/version.h"
      "/bin/bash", {"--noprofile", "--norc", "-eo", "pipefail", "-c", script}, p.root(),
#include "stackctl/util/version.h"
      {{"PATH", (p.root() / ".bin").string() + ":" + std::getenv("PATH")},
#include "stackctl/util/version.h"
       {"STACKCTL_TERRAGRUNT", TERRAGRUNT_SIM_BIN},
#include "stackctl/util/version.h"
       {"TERRAGRUNT_SIM_LOG", p.call_log().string()},
#include "stackctl/util/version.h"
       {"NO_COLOR", "1"},
#include "stackctl/util/version.h"
       {"GITHUB_OUTPUT", (p.root() / output).string()}});
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
std::string file_text(const std::filesystem::path& f) {
#include "stackctl/util/version.h"
  std::ifstream in(f);
#include "stackctl/util/version.h"
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
}  // namespace
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndCi, GithubWorkflowParsesAndFollowsTheGraph) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  auto r = p.run({"ci", "github", "--env", "dev", "--stackctl-git", kGit});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
  EXPECT_EQ(lines(r.out)[0], "# Generated by `stackctl ci github --env dev --stackctl-git " + std::string(kGit) +
#include "stackctl/util/version.h"
                                 "`: one job per layer of env dev.");
#include "stackctl/util/version.h"
  YAML::Node jobs = YAML::Load(r.out)["jobs"];
#include "stackctl/util/version.h"
  Names ids;
#include "stackctl/util/version.h"
  for (const auto& kv : jobs) ids.push_back(kv.first.as<std::string>());
#include "stackctl/util/version.h"
  EXPECT_EQ(ids, (Names{"changes", "plan_kms", "plan_vpc", "plan_sg", "plan_db", "plan_app", "reviewed", "apply_kms",
#include "stackctl/util/version.h"
                        "review_kms", "apply_vpc", "review_vpc", "apply_sg", "review_sg", "apply_db", "review_db",
#include "stackctl/util/version.h"
                        "apply_app", "review_app"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(jobs["plan_db"]["needs"].as<Names>(), (Names{"changes", "plan_kms", "plan_sg"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(jobs["plan_db"]["name"].as<std::string>(), "plan db (protected: data)");
#include "stackctl/util/version.h"
  EXPECT_EQ(jobs["apply_sg"]["name"].as<std::string>(), "apply sg (pinned)");
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndCi, ThePipelinesNeedTheRepositoryTheirSetupBuildsStackctlFrom) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  for (const char* format : {"github", "gitlab"}) {
#include "stackctl/util/version.h"
    auto r = p.run({"ci", format, "--env", "dev"});
#include "stackctl/util/version.h"
    EXPECT_EQ(r.exit_code, 64);
#include "stackctl/util/version.h"
    EXPECT_EQ(r.err, std::string("stackctl: stackctl ci ") + format +
#include "stackctl/util/version.h"
                         " needs --stackctl-git URL: the git repository its setup step builds stackctl from\n");
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
// A gate confirmed in the journal the generator reads is left out of the pipeline.
#include "stackctl/util/version.h"
TEST(EndToEndCi, AConfirmedGateIsLeftOutOfTheGeneratedPipelines) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  std::string m = kManifest;
#include "stackctl/util/version.h"
  m += "  - name: approve\n    kind: manual\n    depends_on: [app]\n    instructions: approve it\n"
#include "stackctl/util/version.h"
       "  - name: web\n    depends_on: [approve]\n";
#include "stackctl/util/version.h"
  p.manifest(m);
#include "stackctl/util/version.h"
  p.layer_hcl("dev", "web", {"app"});
#include "stackctl/util/version.h"
  auto before = p.run({"ci", "github", "--env", "dev", "--stackctl-git", kGit});
#include "stackctl/util/version.h"
  ASSERT_EQ(before.exit_code, 0) << before.err;
#include "stackctl/util/version.h"
  EXPECT_TRUE(YAML::Load(before.out)["jobs"]["gate_approve"]);
#include "stackctl/util/version.h"
  EXPECT_TRUE(YAML::Load(p.run({"ci", "gitlab", "--env", "dev", "--stackctl-git", kGit}).out)["gate:approve"]);
#include "stackctl/util/version.h"
  ASSERT_EQ(p.run({"confirm", "--env", "dev", "approve"}).exit_code, 0);
#include "stackctl/util/version.h"
  auto after = p.run({"ci", "github", "--env", "dev", "--stackctl-git", kGit});
#include "stackctl/util/version.h"
  YAML::Node jobs = YAML::Load(after.out)["jobs"];
#include "stackctl/util/version.h"
  EXPECT_FALSE(jobs["gate_approve"]);
#include "stackctl/util/version.h"
  EXPECT_EQ(jobs["apply_web"]["needs"].as<Names>(), (Names{"reviewed", "review_app"}));
#include "stackctl/util/version.h"
  EXPECT_TRUE(contains(after.out, "# Confirmed manual steps, not in the pipeline: approve.\n"));
#include "stackctl/util/version.h"
  EXPECT_FALSE(YAML::Load(p.run({"ci", "gitlab", "--env", "dev", "--stackctl-git", kGit}).out)["gate:approve"]);
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
// The generated steps run as written. The pull request changed vpc and sg: its plan jobs
#include "stackctl/util/version.h"
// save vpc's plan and report sg's as provisional (vpc is not applied yet). On the merge, vpc's
#include "stackctl/util/version.h"
// reviewed plan is applied as is; sg has no saved plan, so it is planned again, now against the
#include "stackctl/util/version.h"
// applied vpc, and its review job applies that plan once approved. A reviewed plan of sg made
#include "stackctl/util/version.h"
// before vpc's apply is stale and takes the same way.
#include "stackctl/util/version.h"
TEST(EndToEndCi, GithubStepsApplyAFreshReviewedPlanAndReplanAStaleOrMissingOne) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  auto r = p.run({"ci", "github", "--env", "dev", "--stackctl-git", kGit});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
  YAML::Node jobs = YAML::Load(r.out)["jobs"];
#include "stackctl/util/version.h"
  for (const char* layer : {"vpc", "sg"}) {
#include "stackctl/util/version.h"
    Outcome plan = run_step(p, step_run(jobs[std::string("plan_") + layer], std::string("plan ") + layer), "out-plan");
#include "stackctl/util/version.h"
    ASSERT_EQ(plan.exit_code, 0) << plan.err;
#include "stackctl/util/version.h"
    EXPECT_TRUE(contains(file_text(p.root() / "plans" / layer / "summary.md"), layer));
#include "stackctl/util/version.h"
    std::filesystem::create_directories(p.root() / "reviewed");  // the artifact round trip
#include "stackctl/util/version.h"
    std::filesystem::rename(p.root() / "plans" / layer, p.root() / "reviewed" / layer);
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  EXPECT_TRUE(contains(file_text(p.root() / "reviewed/sg/summary.md"), "provisional"));
#include "stackctl/util/version.h"
  p.clear_calls();
#include "stackctl/util/version.h"
  Outcome vpc = run_step(p, step_run(jobs["apply_vpc"], "apply the reviewed plan of vpc"), "out-vpc");
#include "stackctl/util/version.h"
  ASSERT_EQ(vpc.exit_code, 0) << vpc.err;
#include "stackctl/util/version.h"
  EXPECT_EQ(p.call_sequence(), (Names{"vpc show", "vpc apply"}));
#include "stackctl/util/version.h"
  EXPECT_FALSE(std::filesystem::exists(p.root() / "out-vpc"));
#include "stackctl/util/version.h"
  p.clear_calls();
#include "stackctl/util/version.h"
  Outcome sg = run_step(p, step_run(jobs["apply_sg"], "apply the reviewed plan of sg"), "out-sg");
#include "stackctl/util/version.h"
  ASSERT_EQ(sg.exit_code, 0) << sg.err;
#include "stackctl/util/version.h"
  EXPECT_TRUE(contains(sg.err, "a layer to apply has no saved plan in ")) << sg.err;
#include "stackctl/util/version.h"
  EXPECT_TRUE(contains(sg.err, "\n  - sg: the plan run ")) << sg.err;
#include "stackctl/util/version.h"
  EXPECT_TRUE(contains(sg.err, " ended it provisional\n")) << sg.err;
#include "stackctl/util/version.h"
  EXPECT_EQ(p.call_sequence(), (Names{"sg plan", "sg show"}));  // planned again, not applied
#include "stackctl/util/version.h"
  EXPECT_EQ(file_text(p.root() / "out-sg"), "replanned=true\n");
#include "stackctl/util/version.h"
  // A plan of sg saved before vpc's next apply (of a change) is stale: planned again too.
#include "stackctl/util/version.h"
  ASSERT_EQ(p.run({"plan", "--env", "dev", "--only", "sg", "--out-dir", "reviewed/sg"}).exit_code, 0);
#include "stackctl/util/version.h"
  p.write("envs/dev/vpc/sim.json", R"({"outputs": {"id": "vpc-id-2"}, "resources": ["null_resource.vpc"]})");
#include "stackctl/util/version.h"
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);
#include "stackctl/util/version.h"
  std::filesystem::remove(p.root() / "out-sg");
#include "stackctl/util/version.h"
  p.clear_calls();
#include "stackctl/util/version.h"
  sg = run_step(p, step_run(jobs["apply_sg"], "apply the reviewed plan of sg"), "out-sg");
#include "stackctl/util/version.h"
  ASSERT_EQ(sg.exit_code, 0) << sg.err;
#include "stackctl/util/version.h"
  EXPECT_TRUE(contains(sg.err, "plan for sg is stale: vpc was applied since")) << sg.err;
#include "stackctl/util/version.h"
  EXPECT_EQ(p.call_sequence(), (Names{"sg plan", "sg show"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(file_text(p.root() / "out-sg"), "replanned=true\n");
#include "stackctl/util/version.h"
  // Once approved, the review job applies the new plan.
#include "stackctl/util/version.h"
  p.clear_calls();
#include "stackctl/util/version.h"
  Outcome review = run_step(p, step_run(jobs["review_sg"], "apply the new plan of sg"), "out-review");
#include "stackctl/util/version.h"
  ASSERT_EQ(review.exit_code, 0) << review.err;
#include "stackctl/util/version.h"
  EXPECT_EQ(p.call_sequence(), (Names{"sg show", "sg apply"}));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
// Any other refusal fails the job: a reviewed plan of another env is not planned again.
#include "stackctl/util/version.h"
TEST(EndToEndCi, GithubApplyStepFailsOnARefusalThatIsNotAStalePlan) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  YAML::Node jobs = YAML::Load(p.run({"ci", "github", "--env", "dev", "--stackctl-git", kGit}).out)["jobs"];
#include "stackctl/util/version.h"
  Outcome plan = run_step(p, step_run(jobs["plan_vpc"], "plan vpc"), "out-plan");
#include "stackctl/util/version.h"
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
#include "stackctl/util/version.h"
  nlohmann::json summary = nlohmann::json::parse(file_text(p.root() / "plans/vpc/summary.json"));
#include "stackctl/util/version.h"
  summary["env"] = "prd";
#include "stackctl/util/version.h"
  p.write("reviewed/vpc/summary.json", summary.dump());
#include "stackctl/util/version.h"
  std::filesystem::copy_file(p.root() / "plans/vpc/vpc.tfplan", p.root() / "reviewed/vpc/vpc.tfplan");
#include "stackctl/util/version.h"
  p.clear_calls();
#include "stackctl/util/version.h"
  Outcome vpc = run_step(p, step_run(jobs["apply_vpc"], "apply the reviewed plan of vpc"), "out-vpc");
#include "stackctl/util/version.h"
  EXPECT_EQ(vpc.exit_code, 3) << vpc.err;
#include "stackctl/util/version.h"
  EXPECT_TRUE(contains(vpc.err, "holds plans for env 'prd', not 'dev'")) << vpc.err;
#include "stackctl/util/version.h"
  EXPECT_FALSE(std::filesystem::exists(p.root() / "out-vpc"));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.call_sequence(), Names{});
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
// actionlint accepts the workflow generated for the project's own stack (every env).
#include "stackctl/util/version.h"
TEST(EndToEndCi, ActionlintAcceptsTheWorkflowOfEveryShippedEnv) {
#include "stackctl/util/version.h"
  std::string why;
#include "stackctl/util/version.h"
  auto actionlint = stackctl::testing::actionlint_binary(why);
#include "stackctl/util/version.h"
  if (!actionlint) GTEST_SKIP() << why;
#include "stackctl/util/version.h"
  for (const char* env : {"dev", "demo"}) {
#include "stackctl/util/version.h"
    Outcome r = stackctl::testing::run_program(
#include "stackctl/util/version.h"
        STACKCTL_BIN, {"ci", "github", "--env", env, "--stackctl-git", kGit}, STACKCTL_SOURCE_DIR, {});
#include "stackctl/util/version.h"
    ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
    EXPECT_EQ(stackctl::testing::actionlint_findings(*actionlint, r.out), "") << env;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
// The .gitlab-ci.yml generated for each env of the project's own stack passes the structural
#include "stackctl/util/version.h"
// check, and GitLab's CI schema where it is installed.
#include "stackctl/util/version.h"
TEST(EndToEndCi, GitlabPipelineOfEveryShippedEnvPassesTheChecks) {
#include "stackctl/util/version.h"
  std::string why;
#include "stackctl/util/version.h"
  auto schema = stackctl::testing::gitlab_ci_schema(why);
#include "stackctl/util/version.h"
  for (const char* env : {"dev", "demo", "prod", "rehearsal"}) {
#include "stackctl/util/version.h"
    Outcome g = stackctl::testing::run_program(
#include "stackctl/util/version.h"
        STACKCTL_BIN, {"ci", "gitlab", "--env", env, "--stackctl-git", kGit}, STACKCTL_SOURCE_DIR, {});
#include "stackctl/util/version.h"
    ASSERT_EQ(g.exit_code, 0) << g.err;
#include "stackctl/util/version.h"
    EXPECT_EQ(stackctl::testing::gitlab_structure_problems(YAML::Load(g.out)), Names{}) << env;
#include "stackctl/util/version.h"
    if (schema) {
#include "stackctl/util/version.h"
      EXPECT_EQ(stackctl::testing::gitlab_schema_findings(*schema, g.out), "") << env;
#include "stackctl/util/version.h"
    }
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  if (!schema) GTEST_SKIP() << why;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndCi, GitlabPipelineParsesWithTheImage) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  auto r = p.run({"ci", "gitlab", "--env", "dev", "--up-to", "sg", "--image", "tools:1", "--stackctl-git", kGit});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
  YAML::Node doc = YAML::Load(r.out);
#include "stackctl/util/version.h"
  EXPECT_EQ(doc["default"]["image"].as<std::string>(), "tools:1");
#include "stackctl/util/version.h"
  EXPECT_EQ(doc["apply:sg"]["needs"].as<Names>(), (Names{"reviewed", "apply:vpc"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(doc["plan:sg"]["needs"].as<Names>(), (Names{"changes", "plan:vpc"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(doc["plan:sg"]["script"].as<Names>(),
#include "stackctl/util/version.h"
            (Names{"stackctl plan --env dev --only sg --out-dir plans/sg --summary-md plans/sg/summary.md"}));
#include "stackctl/util/version.h"
  EXPECT_FALSE(doc["apply:db"]);
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndCi, MatrixOfTheChangedLayersIsOneLineOfJson) {
#include "stackctl/util/version.h"
  Repo p;
#include "stackctl/util/version.h"
  p.write("envs/dev/app/terragrunt.hcl", "# edited\n");
#include "stackctl/util/version.h"
  auto r = p.run({"ci", "matrix", "--env", "dev", "--changed"});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
  EXPECT_EQ(r.out, R"({"include":[{"kind":"terragrunt","layer":"app","needs":[],"protect":"none","tier":""}]})" "\n");
#include "stackctl/util/version.h"
  p.git({"checkout", "--", "."});
#include "stackctl/util/version.h"
  r = p.run({"ci", "matrix", "--env", "dev", "--changed", "--base", "HEAD"});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.out, "{\"include\":[]}\n");
#include "stackctl/util/version.h"
  r = p.run({"ci", "github", "--env", "dev", "--changed", "--base", "HEAD", "--stackctl-git", kGit});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.exit_code, 64);
#include "stackctl/util/version.h"
  EXPECT_EQ(r.err, "stackctl: the selection is empty: a pipeline needs at least one layer\n");
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
// Precedence: flag > environment variable > env.yaml > default (seen in the ndjson start event).
#include "stackctl/util/version.h"
TEST(EndToEndConventions, ParallelismComesFromFlagThenVariableThenEnvYamlThenDefault) {
#include "stackctl/util/version.h"
  Scenario p;
#include "stackctl/util/version.h"
  p.manifest(kManifest);
#include "stackctl/util/version.h"
  p.env("dev", "name: dev\nparallelism: 3\n");
#include "stackctl/util/version.h"
  p.env("bare", "name: bare\n");
#include "stackctl/util/version.h"
  p.layer_hcl("dev", "vpc", {});
#include "stackctl/util/version.h"
  p.layer_hcl("bare", "vpc", {});
#include "stackctl/util/version.h"
  auto parallelism = [&p](const Names& extra, const std::map<std::string, std::string>& vars) {
#include "stackctl/util/version.h"
    Names args{"--output", "ndjson", "plan", "--only", "vpc"};
#include "stackctl/util/version.h"
    args.insert(args.end(), extra.begin(), extra.end());
#include "stackctl/util/version.h"
    Outcome r = p.run(args, vars);
#include "stackctl/util/version.h"
    EXPECT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
    return nlohmann::json::parse(lines(r.out).at(0)).value("parallelism", 0);
#include "stackctl/util/version.h"
  };
#include "stackctl/util/version.h"
  EXPECT_EQ(parallelism({"--env", "bare"}, {}), 4);
#include "stackctl/util/version.h"
  EXPECT_EQ(parallelism({"--env", "dev"}, {}), 3);
#include "stackctl/util/version.h"
  EXPECT_EQ(parallelism({"--env", "dev"}, {{"STACKCTL_PARALLELISM", "2"}}), 2);
#include "stackctl/util/version.h"
  EXPECT_EQ(parallelism({"--env", "dev", "--parallelism", "1"}, {{"STACKCTL_PARALLELISM", "2"}}), 1);
#include "stackctl/util/version.h"
  EXPECT_EQ(parallelism({"--env", "dev", "--parallelism", "1"}, {{"STACKCTL_PARALLELISM", "many"}}), 1);
#include "stackctl/util/version.h"
  auto r = p.run({"plan", "--env", "dev", "--only", "vpc"}, {{"STACKCTL_PARALLELISM", "many"}});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.exit_code, 64);
#include "stackctl/util/version.h"
  EXPECT_EQ(r.err, "stackctl: STACKCTL_PARALLELISM='many' is not a number from 1 to 256\n");
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndConventions, TerragruntComesFromFlagThenVariableThenEnvYaml) {
#include "stackctl/util/version.h"
  Scenario p;
#include "stackctl/util/version.h"
  p.manifest(kManifest);
#include "stackctl/util/version.h"
  p.env("dev", "name: dev\nterragrunt: {binary: /opt/tg-from-env-yaml}\n");
#include "stackctl/util/version.h"
  auto binary = [&p](const Names& extra, const std::map<std::string, std::string>& vars) {
#include "stackctl/util/version.h"
    Names args(extra);
#include "stackctl/util/version.h"
    for (const char* a : {"plan", "--env", "dev", "--only", "vpc", "--dry-run"}) args.push_back(a);
#include "stackctl/util/version.h"
    Outcome r = p.run(args, vars);
#include "stackctl/util/version.h"
    EXPECT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
    std::string dir = (p.root() / "envs/dev/vpc").string();
#include "stackctl/util/version.h"
    auto at = r.out.find("vpc: cd " + dir + " && ");
#include "stackctl/util/version.h"
    if (at == std::string::npos) return r.out;
#include "stackctl/util/version.h"
    std::string rest = r.out.substr(at + dir.size() + 12);
#include "stackctl/util/version.h"
    return rest.substr(0, rest.find(' '));
#include "stackctl/util/version.h"
  };
#include "stackctl/util/version.h"
  EXPECT_EQ(binary({}, {{"STACKCTL_TERRAGRUNT", ""}}), "/opt/tg-from-env-yaml");
#include "stackctl/util/version.h"
  EXPECT_EQ(binary({}, {{"STACKCTL_TERRAGRUNT", "/opt/tg-from-variable"}}), "/opt/tg-from-variable");
#include "stackctl/util/version.h"
  EXPECT_EQ(binary({"--terragrunt", "/opt/tg-from-flag"}, {{"STACKCTL_TERRAGRUNT", "/opt/tg-from-variable"}}),
#include "stackctl/util/version.h"
            "/opt/tg-from-flag");
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndConventions, ColourIsForcedByClicolorForceAndStoppedByNoColor) {
#include "stackctl/util/version.h"
  Scenario p;
#include "stackctl/util/version.h"
  p.manifest(kManifest);
#include "stackctl/util/version.h"
  p.env("dev", "name: dev\n");
#include "stackctl/util/version.h"
  p.layer_hcl("dev", "vpc", {});
#include "stackctl/util/version.h"
  auto colored = [&p](const Names& extra, const std::map<std::string, std::string>& vars) {
#include "stackctl/util/version.h"
    Names args(extra);
#include "stackctl/util/version.h"
    for (const char* a : {"plan", "--env", "dev", "--only", "vpc"}) args.push_back(a);
#include "stackctl/util/version.h"
    Outcome r = p.run(args, vars);
#include "stackctl/util/version.h"
    EXPECT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
    return contains(r.err, "\x1b[");
#include "stackctl/util/version.h"
  };
#include "stackctl/util/version.h"
  EXPECT_FALSE(colored({}, {{"NO_COLOR", ""}}));  // stderr is not a terminal
#include "stackctl/util/version.h"
  EXPECT_TRUE(colored({}, {{"NO_COLOR", ""}, {"CLICOLOR_FORCE", "1"}}));
#include "stackctl/util/version.h"
  EXPECT_FALSE(colored({}, {{"NO_COLOR", "1"}, {"CLICOLOR_FORCE", "1"}}));
#include "stackctl/util/version.h"
  EXPECT_FALSE(colored({"--no-color"}, {{"NO_COLOR", ""}, {"CLICOLOR_FORCE", "1"}}));
#include "stackctl/util/version.h"
  EXPECT_FALSE(colored({}, {{"NO_COLOR", ""}, {"CLICOLOR_FORCE", "0"}}));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(EndToEndConventions, VersionComesFromTheProjectVersion) {
#include "stackctl/util/version.h"
  Scenario p;
#include "stackctl/util/version.h"
  auto r = p.run({"--version"});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.exit_code, 0);
#include "stackctl/util/version.h"
  EXPECT_EQ(r.out, std::string("stackctl ") + stackctl::version() + "\n");
#include "stackctl/util/version.h"
}
