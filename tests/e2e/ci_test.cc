// End to end: --changed against real git repositories, `stackctl ci`, and the conventions every
// command shares (precedence of settings, colour, version), with the built stackctl.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "stackctl/util/version.h"
#include "support/ci_checks.h"
#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Names = std::vector<std::string>;

namespace {

const char* kManifest = stackctl::testing::kCiManifest;

/// A project in a git repository with two commits; the second touched nothing of the stack.
struct Repo : Scenario {
  Repo() {
    git({"init", "-q", "-b", "main"});
    stackctl::testing::write_ci_stack(*this, "name: dev\nparallelism: 3\n");
    write(".gitignore", "sim-calls.jsonl\n.stackctl/\n");
    commit("stack");
    write("README.md", "notes\n");
    commit("notes");
    parent = git({"rev-parse", "--short=7", "HEAD^"});
  }
  std::string git(const std::vector<std::string>& args) const {
    return stackctl::testing::git_in(*this, args);
  }
  void commit(const std::string& message) const {
    git({"add", "-A"});
    git({"commit", "-q", "-m", message});
  }
  std::string parent;
};

Names lines(const std::string& text) {
  Names out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST(EndToEndChanged, ListWhyExplainsEveryChangedLayer) {
  Repo p;
  p.write("envs/dev/sg/terragrunt.hcl", "# edited\n");
  p.write("envs/dev/app/extra.tf", "# new, untracked\n");
  auto r = p.run({"list", "--env", "dev", "--changed", "--with-dependents", "--why"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // README.md, committed since HEAD^, is one of the files; it belongs to no layer.
  EXPECT_EQ(lines(r.out),
            (Names{"changes since HEAD^ (" + p.parent + "): 3 files, 3 changed layers",
                   "#    LAYER  WHY", "3    sg     files changed in envs/dev/sg: terragrunt.hcl",
                   "4    db     depends on sg, which changed",
                   "5    app    files changed in envs/dev/app: extra.tf"}));
}

TEST(EndToEndChanged, ListWhyAsJson) {
  Repo p;
  p.write("envs/dev/vpc/terragrunt.hcl", "# edited\n");
  auto r = p.run({"--output", "json", "list", "--env", "dev", "--changed", "--why"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["base"], "HEAD^ (" + p.parent + ")");
  EXPECT_EQ(doc["files"], (nlohmann::json{"README.md", "envs/dev/vpc/terragrunt.hcl"}));
  EXPECT_EQ(doc["layers"],
            (nlohmann::json{{{"name", "vpc"},
                             {"tier", ""},
                             {"reasons", {"files changed in envs/dev/vpc: terragrunt.hcl"}}}}));
}

TEST(EndToEndChanged, AManifestEditSelectsTheEditedEntry) {
  Repo p;
  std::string m = kManifest;
  m.replace(m.find("  - name: app\n    depends_on: [vpc]\n"), std::string::npos,
            "  - name: app\n    depends_on: [vpc, sg]\n");
  p.manifest(m);
  auto r = p.run({"list", "--env", "dev", "--changed", "--why"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines(r.out).back(), "5    app    manifest entry changed: depends_on");
  EXPECT_EQ(lines(r.out).size(), 3u);
}

TEST(EndToEndChanged, PlanChangedRunsOnlyTheChangedLayers) {
  Repo p;
  p.write("envs/dev/sg/terragrunt.hcl", "# edited\n");
  p.commit("edit sg");
  auto r = p.run({"plan", "--env", "dev", "--changed", "--base", "HEAD~1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(p.call_sequence(), (Names{"sg plan", "sg show"}));
  EXPECT_TRUE(contains(r.err, "changes since HEAD~1 (")) << r.err;
  EXPECT_TRUE(contains(r.err, "): 1 file, 1 changed layer\n")) << r.err;
}

TEST(EndToEndChanged, TheWorkspaceIsOpenedOnceSoItsWarningsShowOnce) {
  Repo p;
  p.write("envs/dev/env.yaml", "name: dev\nparallelism: 3\nenable: [vpc]\n");
  p.write("envs/dev/vpc/terragrunt.hcl", "# edited\n");
  const std::string warning =
      (p.root() / "envs/dev/env.yaml").string() +
      ":3: warning: layer 'vpc' in 'enable' is not optional; it is always enabled\n";
  for (const Names& args : {Names{"list", "--env", "dev", "--changed"},
                            Names{"list", "--env", "dev", "--changed", "--why"},
                            Names{"graph", "--env", "dev", "--changed"},
                            Names{"ci", "matrix", "--env", "dev", "--changed"}}) {
    SCOPED_TRACE(args[0]);
    auto r = p.run(args);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.err, warning);
  }
  auto plan = p.run({"plan", "--env", "dev", "--changed", "--dry-run"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.err.substr(0, warning.size() + 20), warning + "changes since HEAD^ ") << plan.err;
  EXPECT_EQ(plan.err.find(warning, 1), std::string::npos) << plan.err;
  auto exec = p.run({"exec", "--env", "dev", "--changed", "--", "validate"});
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_EQ(exec.err.substr(0, warning.size() + 20), warning + "changes since HEAD^ ") << exec.err;
  EXPECT_EQ(exec.err.find(warning, 1), std::string::npos) << exec.err;
}

TEST(EndToEndChanged, OutsideGitBadBaseAndWhyAloneAreUsageErrors) {
  Scenario plain;
  plain.manifest(kManifest);
  plain.env("dev", "name: dev\n");
  auto r = plain.run({"list", "--env", "dev", "--changed"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(r.err, "stackctl: --changed needs a git repository: " + plain.root().string() +
                       " is not inside one\n");
  Repo p;
  r = p.run({"plan", "--env", "dev", "--changed", "--base", "nope"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(r.err, "stackctl: --base 'nope' is not a commit of the repository at " +
                       p.root().string() + "\n");
  r = p.run({"list", "--env", "dev", "--why"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_TRUE(contains(r.err, "--why requires --changed")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(p.call_log()));
}

namespace {

const char* kGit = "https://git.example.com/tools/stackctl.git";

// The `run:` text of the step called name in a job of a generated workflow.
std::string step_run(const YAML::Node& job, const std::string& name) {
  for (const auto& step : job["steps"])
    if (step["name"] && step["name"].as<std::string>() == name)
      return step["run"].as<std::string>();
  ADD_FAILURE() << "no step " << name;
  return "false";
}

// Runs a step's script as GitHub Actions runs it (bash -e -o pipefail), in the project, with
// stackctl on PATH and terragrunt-sim as terragrunt; GITHUB_OUTPUT is the file `output`.
Outcome run_step(const Scenario& p, const std::string& script, const std::string& output) {
  std::filesystem::create_directories(p.root() / ".bin");
  std::error_code ec;
  std::filesystem::create_symlink(STACKCTL_BIN, p.root() / ".bin/stackctl", ec);
  return stackctl::testing::run_program(
      "/bin/bash", {"--noprofile", "--norc", "-eo", "pipefail", "-c", script}, p.root(),
      {{"PATH", (p.root() / ".bin").string() + ":" + std::getenv("PATH")},
       {"STACKCTL_TERRAGRUNT", TERRAGRUNT_SIM_BIN},
       {"TERRAGRUNT_SIM_LOG", p.call_log().string()},
       {"NO_COLOR", "1"},
       {"GITHUB_OUTPUT", (p.root() / output).string()}});
}

std::string file_text(const std::filesystem::path& f) {
  std::ifstream in(f);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST(EndToEndCi, GithubWorkflowParsesAndFollowsTheGraph) {
  Repo p;
  auto r = p.run({"ci", "github", "--env", "dev", "--stackctl-git", kGit});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines(r.out)[0], "# Generated by `stackctl ci github --env dev --stackctl-git " +
                                 std::string(kGit) + "`: one job per layer of env dev.");
  YAML::Node jobs = YAML::Load(r.out)["jobs"];
  Names ids;
  for (const auto& kv : jobs) ids.push_back(kv.first.as<std::string>());
  EXPECT_EQ(ids,
            (Names{"changes", "plan_kms", "plan_vpc", "plan_sg", "plan_db", "plan_app", "reviewed",
                   "apply_kms", "review_kms", "apply_vpc", "review_vpc", "apply_sg", "review_sg",
                   "apply_db", "review_db", "apply_app", "review_app"}));
  EXPECT_EQ(jobs["plan_db"]["needs"].as<Names>(), (Names{"changes", "plan_kms", "plan_sg"}));
  EXPECT_EQ(jobs["plan_db"]["name"].as<std::string>(), "plan db (protected: data)");
  EXPECT_EQ(jobs["apply_sg"]["name"].as<std::string>(), "apply sg (pinned)");
}

TEST(EndToEndCi, ThePipelinesNeedTheRepositoryTheirSetupBuildsStackctlFrom) {
  Repo p;
  for (const char* format : {"github", "gitlab"}) {
    auto r = p.run({"ci", format, "--env", "dev"});
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_EQ(
        r.err,
        std::string("stackctl: stackctl ci ") + format +
            " needs --stackctl-git URL: the git repository its setup step builds stackctl from\n");
  }
}

// A gate confirmed in the journal the generator reads is left out of the pipeline.
TEST(EndToEndCi, AConfirmedGateIsLeftOutOfTheGeneratedPipelines) {
  Repo p;
  std::string m = kManifest;
  m += "  - name: approve\n    kind: manual\n    depends_on: [app]\n    instructions: approve it\n"
       "  - name: web\n    depends_on: [approve]\n";
  p.manifest(m);
  p.layer_hcl("dev", "web", {"app"});
  auto before = p.run({"ci", "github", "--env", "dev", "--stackctl-git", kGit});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_TRUE(YAML::Load(before.out)["jobs"]["gate_approve"]);
  EXPECT_TRUE(YAML::Load(
      p.run({"ci", "gitlab", "--env", "dev", "--stackctl-git", kGit}).out)["gate:approve"]);
  ASSERT_EQ(p.run({"confirm", "--env", "dev", "approve"}).exit_code, 0);
  auto after = p.run({"ci", "github", "--env", "dev", "--stackctl-git", kGit});
  YAML::Node jobs = YAML::Load(after.out)["jobs"];
  EXPECT_FALSE(jobs["gate_approve"]);
  EXPECT_EQ(jobs["apply_web"]["needs"].as<Names>(), (Names{"reviewed", "review_app"}));
  EXPECT_TRUE(contains(after.out, "# Confirmed manual steps, not in the pipeline: approve.\n"));
  EXPECT_FALSE(YAML::Load(
      p.run({"ci", "gitlab", "--env", "dev", "--stackctl-git", kGit}).out)["gate:approve"]);
}

// The generated steps run as written. The pull request changed vpc and sg: its plan jobs
// save vpc's plan and report sg's as provisional (vpc is not applied yet). On the merge, vpc's
// reviewed plan is applied as is; sg has no saved plan, so it is planned again, now against the
// applied vpc, and its review job applies that plan once approved. A reviewed plan of sg made
// before vpc's apply is stale and takes the same way.
TEST(EndToEndCi, GithubStepsApplyAFreshReviewedPlanAndReplanAStaleOrMissingOne) {
  Repo p;
  auto r = p.run({"ci", "github", "--env", "dev", "--stackctl-git", kGit});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  YAML::Node jobs = YAML::Load(r.out)["jobs"];
  for (const char* layer : {"vpc", "sg"}) {
    Outcome plan = run_step(
        p, step_run(jobs[std::string("plan_") + layer], std::string("plan ") + layer), "out-plan");
    ASSERT_EQ(plan.exit_code, 0) << plan.err;
    EXPECT_TRUE(contains(file_text(p.root() / "plans" / layer / "summary.md"), layer));
    std::filesystem::create_directories(p.root() / "reviewed");  // the artifact round trip
    std::filesystem::rename(p.root() / "plans" / layer, p.root() / "reviewed" / layer);
  }
  EXPECT_TRUE(contains(file_text(p.root() / "reviewed/sg/summary.md"), "provisional"));
  p.clear_calls();
  Outcome vpc =
      run_step(p, step_run(jobs["apply_vpc"], "apply the reviewed plan of vpc"), "out-vpc");
  ASSERT_EQ(vpc.exit_code, 0) << vpc.err;
  EXPECT_EQ(p.call_sequence(), (Names{"vpc show", "vpc apply"}));
  EXPECT_FALSE(std::filesystem::exists(p.root() / "out-vpc"));
  p.clear_calls();
  Outcome sg = run_step(p, step_run(jobs["apply_sg"], "apply the reviewed plan of sg"), "out-sg");
  ASSERT_EQ(sg.exit_code, 0) << sg.err;
  EXPECT_TRUE(contains(sg.err, "a layer to apply has no saved plan in ")) << sg.err;
  EXPECT_TRUE(contains(sg.err, "\n  - sg: the plan run ")) << sg.err;
  EXPECT_TRUE(contains(sg.err, " ended it provisional\n")) << sg.err;
  EXPECT_EQ(p.call_sequence(), (Names{"sg plan", "sg show"}));  // planned again, not applied
  EXPECT_EQ(file_text(p.root() / "out-sg"), "replanned=true\n");
  // A plan of sg saved before vpc's next apply (of a change) is stale: planned again too.
  ASSERT_EQ(p.run({"plan", "--env", "dev", "--only", "sg", "--out-dir", "reviewed/sg"}).exit_code,
            0);
  p.write("envs/dev/vpc/sim.json",
          R"({"outputs": {"id": "vpc-id-2"}, "resources": ["null_resource.vpc"]})");
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);
  std::filesystem::remove(p.root() / "out-sg");
  p.clear_calls();
  sg = run_step(p, step_run(jobs["apply_sg"], "apply the reviewed plan of sg"), "out-sg");
  ASSERT_EQ(sg.exit_code, 0) << sg.err;
  EXPECT_TRUE(contains(sg.err, "plan for sg is stale: vpc was applied since")) << sg.err;
  EXPECT_EQ(p.call_sequence(), (Names{"sg plan", "sg show"}));
  EXPECT_EQ(file_text(p.root() / "out-sg"), "replanned=true\n");
  // Once approved, the review job applies the new plan.
  p.clear_calls();
  Outcome review =
      run_step(p, step_run(jobs["review_sg"], "apply the new plan of sg"), "out-review");
  ASSERT_EQ(review.exit_code, 0) << review.err;
  EXPECT_EQ(p.call_sequence(), (Names{"sg show", "sg apply"}));
}

// Any other refusal fails the job: a reviewed plan of another env is not planned again.
TEST(EndToEndCi, GithubApplyStepFailsOnARefusalThatIsNotAStalePlan) {
  Repo p;
  YAML::Node jobs =
      YAML::Load(p.run({"ci", "github", "--env", "dev", "--stackctl-git", kGit}).out)["jobs"];
  Outcome plan = run_step(p, step_run(jobs["plan_vpc"], "plan vpc"), "out-plan");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  nlohmann::json summary = nlohmann::json::parse(file_text(p.root() / "plans/vpc/summary.json"));
  summary["env"] = "prd";
  p.write("reviewed/vpc/summary.json", summary.dump());
  std::filesystem::copy_file(p.root() / "plans/vpc/vpc.tfplan",
                             p.root() / "reviewed/vpc/vpc.tfplan");
  p.clear_calls();
  Outcome vpc =
      run_step(p, step_run(jobs["apply_vpc"], "apply the reviewed plan of vpc"), "out-vpc");
  EXPECT_EQ(vpc.exit_code, 3) << vpc.err;
  EXPECT_TRUE(contains(vpc.err, "holds plans for env 'prd', not 'dev'")) << vpc.err;
  EXPECT_FALSE(std::filesystem::exists(p.root() / "out-vpc"));
  EXPECT_EQ(p.call_sequence(), Names{});
}

// actionlint accepts the workflow generated for the project's own stack (every env).
TEST(EndToEndCi, ActionlintAcceptsTheWorkflowOfEveryShippedEnv) {
  std::string why;
  auto actionlint = stackctl::testing::actionlint_binary(why);
  if (!actionlint) GTEST_SKIP() << why;
  for (const char* env : {"dev", "demo"}) {
    Outcome r = stackctl::testing::run_program(
        STACKCTL_BIN, {"ci", "github", "--env", env, "--stackctl-git", kGit}, STACKCTL_SOURCE_DIR,
        {});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(stackctl::testing::actionlint_findings(*actionlint, r.out), "") << env;
  }
}

// The .gitlab-ci.yml generated for each env of the project's own stack passes the structural
// check, and GitLab's CI schema where it is installed.
TEST(EndToEndCi, GitlabPipelineOfEveryShippedEnvPassesTheChecks) {
  std::string why;
  auto schema = stackctl::testing::gitlab_ci_schema(why);
  for (const char* env : {"dev", "demo", "prod", "rehearsal"}) {
    Outcome g = stackctl::testing::run_program(
        STACKCTL_BIN, {"ci", "gitlab", "--env", env, "--stackctl-git", kGit}, STACKCTL_SOURCE_DIR,
        {});
    ASSERT_EQ(g.exit_code, 0) << g.err;
    EXPECT_EQ(stackctl::testing::gitlab_structure_problems(YAML::Load(g.out)), Names{}) << env;
    if (schema) {
      EXPECT_EQ(stackctl::testing::gitlab_schema_findings(*schema, g.out), "") << env;
    }
  }
  if (!schema) GTEST_SKIP() << why;
}

TEST(EndToEndCi, GitlabPipelineParsesWithTheImage) {
  Repo p;
  auto r = p.run({"ci", "gitlab", "--env", "dev", "--up-to", "sg", "--image", "tools:1",
                  "--stackctl-git", kGit});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  YAML::Node doc = YAML::Load(r.out);
  EXPECT_EQ(doc["default"]["image"].as<std::string>(), "tools:1");
  EXPECT_EQ(doc["apply:sg"]["needs"].as<Names>(), (Names{"reviewed", "apply:vpc"}));
  EXPECT_EQ(doc["plan:sg"]["needs"].as<Names>(), (Names{"changes", "plan:vpc"}));
  EXPECT_EQ(doc["plan:sg"]["script"].as<Names>(),
            (Names{"stackctl plan --env dev --only sg --out-dir plans/sg --summary-md "
                   "plans/sg/summary.md"}));
  EXPECT_FALSE(doc["apply:db"]);
}

TEST(EndToEndCi, MatrixOfTheChangedLayersIsOneLineOfJson) {
  Repo p;
  p.write("envs/dev/app/terragrunt.hcl", "# edited\n");
  auto r = p.run({"ci", "matrix", "--env", "dev", "--changed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      r.out,
      R"({"include":[{"kind":"terragrunt","layer":"app","needs":[],"protect":"none","tier":""}]})"
      "\n");
  p.git({"checkout", "--", "."});
  r = p.run({"ci", "matrix", "--env", "dev", "--changed", "--base", "HEAD"});
  EXPECT_EQ(r.out, "{\"include\":[]}\n");
  r = p.run(
      {"ci", "github", "--env", "dev", "--changed", "--base", "HEAD", "--stackctl-git", kGit});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(r.err, "stackctl: the selection is empty: a pipeline needs at least one layer\n");
}

// Precedence: flag > environment variable > env.yaml > default (seen in the ndjson start event).
TEST(EndToEndConventions, ParallelismComesFromFlagThenVariableThenEnvYamlThenDefault) {
  Scenario p;
  p.manifest(kManifest);
  p.env("dev", "name: dev\nparallelism: 3\n");
  p.env("bare", "name: bare\n");
  p.layer_hcl("dev", "vpc", {});
  p.layer_hcl("bare", "vpc", {});
  auto parallelism = [&p](const Names& extra, const std::map<std::string, std::string>& vars) {
    Names args{"--output", "ndjson", "plan", "--only", "vpc"};
    args.insert(args.end(), extra.begin(), extra.end());
    Outcome r = p.run(args, vars);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(lines(r.out).at(0)).value("parallelism", 0);
  };
  EXPECT_EQ(parallelism({"--env", "bare"}, {}), 4);
  EXPECT_EQ(parallelism({"--env", "dev"}, {}), 3);
  EXPECT_EQ(parallelism({"--env", "dev"}, {{"STACKCTL_PARALLELISM", "2"}}), 2);
  EXPECT_EQ(parallelism({"--env", "dev", "--parallelism", "1"}, {{"STACKCTL_PARALLELISM", "2"}}),
            1);
  EXPECT_EQ(parallelism({"--env", "dev", "--parallelism", "1"}, {{"STACKCTL_PARALLELISM", "many"}}),
            1);
  auto r = p.run({"plan", "--env", "dev", "--only", "vpc"}, {{"STACKCTL_PARALLELISM", "many"}});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(r.err, "stackctl: STACKCTL_PARALLELISM='many' is not a number from 1 to 256\n");
}

TEST(EndToEndConventions, TerragruntComesFromFlagThenVariableThenEnvYaml) {
  Scenario p;
  p.manifest(kManifest);
  p.env("dev", "name: dev\nterragrunt: {binary: /opt/tg-from-env-yaml}\n");
  auto binary = [&p](const Names& extra, const std::map<std::string, std::string>& vars) {
    Names args(extra);
    for (const char* a : {"plan", "--env", "dev", "--only", "vpc", "--dry-run"}) args.push_back(a);
    Outcome r = p.run(args, vars);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string dir = (p.root() / "envs/dev/vpc").string();
    auto at = r.out.find("vpc: cd " + dir + " && ");
    if (at == std::string::npos) return r.out;
    std::string rest = r.out.substr(at + dir.size() + 12);
    return rest.substr(0, rest.find(' '));
  };
  EXPECT_EQ(binary({}, {{"STACKCTL_TERRAGRUNT", ""}}), "/opt/tg-from-env-yaml");
  EXPECT_EQ(binary({}, {{"STACKCTL_TERRAGRUNT", "/opt/tg-from-variable"}}),
            "/opt/tg-from-variable");
  EXPECT_EQ(binary({"--terragrunt", "/opt/tg-from-flag"},
                   {{"STACKCTL_TERRAGRUNT", "/opt/tg-from-variable"}}),
            "/opt/tg-from-flag");
}

TEST(EndToEndConventions, ColourIsForcedByClicolorForceAndStoppedByNoColor) {
  Scenario p;
  p.manifest(kManifest);
  p.env("dev", "name: dev\n");
  p.layer_hcl("dev", "vpc", {});
  auto colored = [&p](const Names& extra, const std::map<std::string, std::string>& vars) {
    Names args(extra);
    for (const char* a : {"plan", "--env", "dev", "--only", "vpc"}) args.push_back(a);
    Outcome r = p.run(args, vars);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return contains(r.err, "\x1b[");
  };
  EXPECT_FALSE(colored({}, {{"NO_COLOR", ""}}));  // stderr is not a terminal
  EXPECT_TRUE(colored({}, {{"NO_COLOR", ""}, {"CLICOLOR_FORCE", "1"}}));
  EXPECT_FALSE(colored({}, {{"NO_COLOR", "1"}, {"CLICOLOR_FORCE", "1"}}));
  EXPECT_FALSE(colored({"--no-color"}, {{"NO_COLOR", ""}, {"CLICOLOR_FORCE", "1"}}));
  EXPECT_FALSE(colored({}, {{"NO_COLOR", ""}, {"CLICOLOR_FORCE", "0"}}));
}

TEST(EndToEndConventions, VersionComesFromTheProjectVersion) {
  Scenario p;
  auto r = p.run({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string("stackctl ") + stackctl::version() + "\n");
}
