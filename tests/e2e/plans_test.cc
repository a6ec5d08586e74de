// End to end: saved plans, Markdown summaries and drift, with the built stackctl against
// terragrunt-sim in a temporary project.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/data_stack.h"

using stackctl::testing::Scenario;
using Calls = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

// The data stack in env dev, one at a time unless a test asks for more.
struct Project : stackctl::testing::DataStack {
  // Runs stackctl and insists on the exit code.
  stackctl::testing::Outcome ok(const std::vector<std::string>& args, int code = 0,
                                const std::map<std::string, std::string>& env = {}) const {
    auto r = run(args, env);
    EXPECT_EQ(r.exit_code, code) << r.err;
    return r;
  }
  void forget_calls() const { fs::remove(call_log()); }
  // The simulator's call of layer's step (the last one when there are several).
  nlohmann::json call(const std::string& layer, const std::string& step) const {
    nlohmann::json found;
    for (const auto& c : calls())
      if (fs::path(c.at("cwd").get<std::string>()).filename() == layer && c.at("argv").size() > 1 &&
          c.at("argv")[1] == step)
        found = c;
    return found;
  }
  // The last ok apply of layer in the journal, as "run R at T".
  std::string last_apply(const std::string& layer) const {
    std::string found;
    std::istringstream in(read(".stackctl/dev/journal.jsonl"));
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line);
      if (j.value("type", "") == "layer_end" && j.value("layer", "") == layer &&
          j.value("action", "") == "apply" && j.value("result", "") == "ok")
        found = "run " + j.value("run_id", "") + " at " + j.value("time", "");
    }
    return found;
  }
};

const char* kSgDbPlanMarkdown =
    "## stackctl plan: env dev\n"
    "\n"
    "1 of 3 layers has changes: **+1 to add, ~0 to change, \u22120 to destroy**\n"
    "\n"
    "| Layer | +add | ~change | \u2212destroy | replace | protected |\n"
    "| :--- | ---: | ---: | ---: | ---: | :--- |\n"
    "| kms | 0 | 0 | 0 | 0 | data |\n"
    "| vpc | 0 | 0 | 0 | 0 | pinned |\n"
    "| sg-db | 1 | 0 | 0 | 0 | pinned |\n"
    "\n"
    "<details><summary>sg-db: +1 ~0 \u22120 outputs 1</summary>\n"
    "\n"
    "- create `null_resource.sg-db`\n"
    "\n"
    "</details>\n";

}  // namespace

TEST(SavedPlans, PlanOutDirThenApplyPlanDirAppliesThoseFilesWithoutPlanningAgain) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "kms,vpc", "--yes"});
  p.forget_calls();
  p.ok({"plan", "--env", "dev", "--up-to", "sg-db", "--out-dir", "plans"});
  EXPECT_EQ(p.call_sequence(),
            (Calls{"kms plan", "kms show", "vpc plan", "vpc show", "sg-db plan", "sg-db show"}));
  for (const char* f : {"kms.tfplan", "vpc.json", "sg-db.tfplan", "sg-db.json", "summary.md"})
    EXPECT_TRUE(p.exists(std::string("plans/") + f)) << f;
  EXPECT_EQ(p.read("plans/summary.md"), kSgDbPlanMarkdown);
  auto summary = nlohmann::json::parse(p.read("plans/summary.json"));
  EXPECT_EQ(summary["env"], "dev");
  ASSERT_EQ(summary["layers"].size(), 3u);
  const auto& sg = summary["layers"][2];
  EXPECT_EQ(sg["name"], "sg-db");
  EXPECT_EQ(sg["changes"],
            (nlohmann::json{{"add", 1}, {"change", 0}, {"destroy", 0}, {"outputs", 1}}));
  EXPECT_EQ(sg["protection"], "pinned");
  EXPECT_EQ(sg["plan_file"], "sg-db.tfplan");
  ASSERT_EQ(sg["upstream"]["dependencies"].size(), 1u);
  EXPECT_EQ("run " + sg["upstream"]["dependencies"][0]["run_id"].get<std::string>() + " at " +
                sg["upstream"]["dependencies"][0]["time"].get<std::string>(),
            p.last_apply("vpc"));

  p.forget_calls();
  auto r = p.ok({"apply", "--env", "dev", "--plan-dir", "plans", "--yes"});
  EXPECT_EQ(p.call_sequence(), (Calls{"kms show", "vpc show", "sg-db show", "sg-db apply"}));
  std::string plan_file = (p.root() / "plans/sg-db.tfplan").string();
  EXPECT_EQ(p.call("sg-db", "apply")["argv"].back(), plan_file);
  EXPECT_EQ(p.masked(r.err),
            "stackctl apply on env 'dev':\n"
            "apply 3 layers (in dependency order)\n"
            "  apply  kms  [encryption]  protected (data)\n"
            "  apply  vpc  [network]  pinned: rds-app (data) depends on it\n"
            "  apply  sg-db  [sg]  pinned: rds-app (data) depends on it\n"
            "resource changes in the saved plans:\n"
            "  sg-db: +1 ~0 -0 outputs 1\n"
            "    +      null_resource.sg-db\n"
            "    +      output.id\n"
            "  no changes in 2 layers: kms, vpc\n"
            "[1/3] kms apply ok +0 ~0 -0 <t>\n"
            "[2/3] vpc apply ok +0 ~0 -0 <t>\n"
            "[3/3] sg-db apply ok +1 ~0 -0 <t>\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
}

TEST(SavedPlans, DryRunOfPlanDirReadsTheSavedPlanFilesAndPlansNothing) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "kms,vpc", "--yes"});
  p.ok({"plan", "--env", "dev", "--only", "vpc", "--out-dir", "plans"});
  p.forget_calls();
  auto r = p.ok({"apply", "--env", "dev", "--plan-dir", "plans", "--dry-run"});
  EXPECT_FALSE(fs::exists(p.call_log()));
  std::string sim = TERRAGRUNT_SIM_BIN;
  EXPECT_EQ(r.out, "vpc: cd " + (p.root() / "envs/dev/vpc").string() + " && " + sim +
                       " show -json " + (p.root() / "plans/vpc.tfplan").string() + "\n");
}

TEST(SavedPlans, ApplyPlanDirRefusesAPlanWhoseDependencyWasAppliedSince) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "kms,vpc", "--yes"});
  p.ok({"plan", "--env", "dev", "--only", "sg-db", "--out-dir", "plans"});
  p.ok({"apply", "--env", "dev", "--only", "vpc", "--yes"});  // no changes: the plan stays fresh
  p.write("envs/dev/vpc/sim.json",
          R"({"outputs": {"id": "vpc-id-2"}, "resources": ["null_resource.vpc"]})");
  p.ok({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  p.forget_calls();
  auto r = p.run({"apply", "--env", "dev", "--plan-dir", "plans", "--yes"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.err, "stackctl: plan for sg-db is stale: vpc was applied since (" +
                       p.last_apply("vpc") + "); plan again\n");
  EXPECT_FALSE(fs::exists(p.call_log()));
}

// Freshness is checked right before each saved plan is applied: sg-db's plan, fresh when the
// run starts, is stale once the same run has applied vpc, and resume refuses it again.
TEST(SavedPlans, ASavedPlanMadeStaleEarlierInTheSameRunIsRefusedAndResumeRefusesItToo) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "vpc,sg-db", "--yes"});
  p.write("envs/dev/vpc/sim.json",
          R"({"outputs": {"id": "vpc-id-2"}, "resources": ["null_resource.vpc"]})");
  p.write("envs/dev/sg-db/sim.json",
          R"({"outputs": {"id": "sg-db-id-2"}, "resources": ["null_resource.sg-db"]})");
  p.ok({"plan", "--env", "dev", "--only", "vpc,sg-db", "--out-dir", "plans"});
  p.forget_calls();
  auto r = p.run({"apply", "--env", "dev", "--plan-dir", "plans", "--yes"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc show", "vpc apply"}));
  const std::string stale =
      "plan for sg-db is stale: vpc was applied since (" + p.last_apply("vpc") + "); plan again";
  EXPECT_EQ(p.masked(r.err),
            "stackctl apply on env 'dev':\n"
            "apply 2 layers (in dependency order)\n"
            "  apply  vpc  [network]  pinned: rds-app (data) depends on it\n"
            "  apply  sg-db  [sg]  pinned: rds-app (data) depends on it\n"
            "resource changes in the saved plans:\n"
            "  vpc: +0 ~0 -0 outputs 1\n"
            "    ~      output.id\n"
            "  sg-db: +0 ~0 -0 outputs 1\n"
            "    ~      output.id\n"
            "[1/2] vpc apply ok +0 ~0 -0 <t>\n"
            "[2/2] sg-db apply refused - <t>\n"
            "    " +
                p.masked(stale) +
                "\n"
                "logs: <root>/.stackctl/dev/runs/<run>\n");
  p.forget_calls();
  auto resumed = p.run({"resume", "--env", "dev", "--yes"});
  EXPECT_EQ(resumed.exit_code, 3) << resumed.err;
  // resume passes the start checks of apply --plan-dir again: refused before anything starts.
  EXPECT_EQ(resumed.err, "stackctl: " + stale + "\n");
  EXPECT_EQ(p.call_sequence(), Calls{}) << "the stale plan was not applied";
}

TEST(SavedPlans, TheDataGuardReadsTheSavedPlanOfADataLayer) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  p.write("envs/dev/rds-app/.terragrunt-sim/faults.json",
          R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.rds-app"})");
  p.ok({"plan", "--env", "dev", "--only", "rds-app", "--out-dir", "plans"});
  EXPECT_NE(p.read("plans/summary.md").find("| rds-app \u26a0 | 1 | 0 | 1 | 1 | data |\n"),
            std::string::npos)
      << p.read("plans/summary.md");
  fs::remove(p.root() / "envs/dev/rds-app/.terragrunt-sim/faults.json");
  p.forget_calls();
  auto r = p.run({"apply", "--env", "dev", "--plan-dir", "plans", "--yes"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"rds-app show"}));
  EXPECT_EQ(p.masked(r.err),
            "stackctl apply on env 'dev':\n"
            "apply 1 layer (in dependency order)\n"
            "  apply  rds-app  [database]  protected (data)\n"
            "resource changes in the saved plans:\n"
            "  rds-app: +1 ~0 -1\n"
            "    -/+    null_resource.rds-app\n"
            "[1/1] rds-app apply refused +1 ~0 -1 <t>\n"
            "    refusing to apply rds-app (data): the plan deletes or replaces\n"
            "      - null_resource.rds-app (replace)\n"
            "    name each address with --allow-replace ADDR to allow it\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
}

TEST(SavedPlans, PlanSaysWhatApplyWouldRefuseInTextJsonNdjsonAndMarkdown) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  p.write("envs/dev/rds-app/.terragrunt-sim/faults.json",
          R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.rds-app"})");
  const std::string refusal =
      "rds-app (data): the plan deletes or replaces\n"
      "  - null_resource.rds-app (replace)\n"
      "name each address with --allow-replace ADDR to allow it";
  auto text = p.ok({"plan", "--env", "dev", "--only", "rds-app", "--summary-md", "plan.md"});
  EXPECT_EQ(p.masked(text.err),
            "stackctl plan on env 'dev':\n"
            "plan 1 layer (in dependency order)\n"
            "  plan  rds-app  [database]  protected (data)\n"
            "[1/1] rds-app plan ok +1 ~0 -1 <t>\n"
            "    apply would refuse rds-app (data): the plan deletes or replaces\n"
            "      - null_resource.rds-app (replace)\n"
            "    name each address with --allow-replace ADDR to allow it\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
  const std::string md = p.read("plan.md");
  EXPECT_EQ(
      p.masked(md),
      "## stackctl plan: env dev\n"
      "\n"
      "1 of 1 layer has changes: **+1 to add, ~0 to change, \u22121 to destroy** (1 replaced)\n"
      "\n"
      "| Layer | +add | ~change | \u2212destroy | replace | protected |\n"
      "| :--- | ---: | ---: | ---: | ---: | :--- |\n"
      "| rds-app \u26a0 | 1 | 0 | 1 | 1 | data |\n"
      "\n"
      "\u26a0 destroys or replaces resources in a protected layer: rds-app (data): apply would "
      "refuse it\n"
      "\n"
      "<details><summary>rds-app: +1 ~0 \u22121 \u26a0</summary>\n"
      "\n"
      "- replace `null_resource.rds-app`\n"
      "\n"
      "\u26a0 **apply would refuse this plan**: rds-app (data): the plan deletes or replaces  \n"
      "  - null_resource.rds-app (replace)  \n"
      "name each address with --allow-replace ADDR to allow it  \n"
      "\n"
      "</details>\n");
  auto json = p.ok({"--output", "json", "plan", "--env", "dev", "--only", "rds-app"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["layers"][0]["would_refuse"], refusal) << json.out;
  auto events = p.ok({"--output", "ndjson", "plan", "--env", "dev", "--only", "rds-app"});
  EXPECT_NE(events.out.find("\"would_refuse\":" + nlohmann::json(refusal).dump()),
            std::string::npos)
      << events.out;
}

TEST(PlanSummaryMarkdown, SummaryMdFileListsTheChangesAndNeedsNoExtraShow) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "kms,vpc", "--yes"});
  p.forget_calls();
  p.ok({"plan", "--env", "dev", "--up-to", "sg-db", "--summary-md", "out/plan.md"});
  EXPECT_EQ(p.call_sequence(), (Calls{"kms plan", "vpc plan", "sg-db plan", "sg-db show"}));
  EXPECT_EQ(p.read("out/plan.md"), kSgDbPlanMarkdown);
}

TEST(PlanSummaryMarkdown, ASummaryThatCannotBeWrittenFailsThePlan) {
  Project p;
  fs::create_directories(p.root() / "taken");
  auto r = p.run({"plan", "--env", "dev", "--only", "kms", "--summary-md", "taken"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(p.masked(r.err),
            "stackctl plan on env 'dev':\n"
            "plan 1 layer (in dependency order)\n"
            "  plan  kms  [encryption]  protected (data)\n"
            "[1/1] kms plan ok +1 ~0 -0 <t>\n"
            "stackctl: cannot write <root>/taken: Is a directory\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
}

TEST(PlanSummaryMarkdown, SecretValuesAreRedacted) {
  Project p;
  p.env("dev", "name: dev\nparallelism: 1\nenv: {DB_PASSWORD: hunter22}\n");
  p.write("envs/dev/kms/sim.json", R"({"resources": ["null_resource.hunter22"]})");
  p.ok({"plan", "--env", "dev", "--only", "kms", "--summary-md", "plan.md"}, 0);
  std::string md = p.read("plan.md");
  EXPECT_EQ(p.masked(md),
            "## stackctl plan: env dev\n"
            "\n"
            "1 of 1 layer has changes: **+1 to add, ~0 to change, \u22120 to destroy**\n"
            "\n"
            "| Layer | +add | ~change | \u2212destroy | replace | protected |\n"
            "| :--- | ---: | ---: | ---: | ---: | :--- |\n"
            "| kms | 1 | 0 | 0 | 0 | data |\n"
            "\n"
            "<details><summary>kms: +1 ~0 \u22120</summary>\n"
            "\n"
            "- create `null_resource.***`\n"
            "\n"
            "</details>\n");
  EXPECT_EQ(md.find("hunter22"), std::string::npos) << md;
}

TEST(PlanSummaryMarkdown, GithubStepSummaryGetsTheSameMarkdownAppended) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "kms,vpc", "--yes"});
  p.write("step-summary.md", "# earlier step\n");
  std::string step = (p.root() / "step-summary.md").string();
  p.ok({"plan", "--env", "dev", "--up-to", "sg-db"}, 0, {{"GITHUB_STEP_SUMMARY", step}});
  EXPECT_EQ(p.read("step-summary.md"), std::string("# earlier step\n\n") + kSgDbPlanMarkdown);
}

TEST(Drift, ExitsZeroWithoutDriftAndTwoWithATableOfTheDriftedLayers) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  auto clean = p.ok({"drift", "--env", "dev"});
  EXPECT_EQ(clean.out, "\nno drift in env 'dev': 5 layers match their configuration\n");

  p.write(
      "envs/dev/vpc/sim.json",
      R"({"resources": ["null_resource.vpc", "aws_subnet.extra"], "outputs": {"id": "vpc-id"}})");
  p.forget_calls();
  auto drifted = p.ok({"drift", "--env", "dev"}, 2);
  EXPECT_EQ(drifted.out, "\nLAYER  CHANGES\nvpc    +1 ~0 -0\n1 of 5 layers drifted in env 'dev'\n");
  EXPECT_EQ(p.call_sequence(),
            (Calls{"kms plan", "vpc plan", "vpc show", "sg-db plan", "rds-app plan", "app plan"}));
  EXPECT_EQ(p.masked(drifted.err),
            "stackctl drift on env 'dev':\n"
            "plan 5 layers (in any order)\n"
            "  plan  kms  [encryption]  protected (data)\n"
            "  plan  vpc  [network]  pinned: rds-app (data) depends on it\n"
            "  plan  sg-db  [sg]  pinned: rds-app (data) depends on it\n"
            "  plan  rds-app  [database]  protected (data)\n"
            "  plan  app  [app]\n"
            "[1/5] kms plan ok +0 ~0 -0 <t>\n"
            "[2/5] vpc plan ok +1 ~0 -0 <t>\n"
            "[3/5] sg-db plan ok +0 ~0 -0 <t>\n"
            "[4/5] rds-app plan ok +0 ~0 -0 <t>\n"
            "[5/5] app plan ok +0 ~0 -0 <t>\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
  EXPECT_NE(p.read(".stackctl/dev/journal.jsonl").find("\"command\":\"drift\""), std::string::npos);

  auto json = p.ok({"--output", "json", "drift", "--env", "dev"}, 2);
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["command"], "drift");
  EXPECT_EQ(doc["exit_code"], 2);
  EXPECT_EQ(doc["success"], true);
  EXPECT_EQ(doc["layers"].size(), 5u);
}

TEST(Drift, OnAPartlyBuiltEnvTheLayersNeverAppliedAreNotAppliedNotDrift) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "kms,vpc", "--yes"});
  p.forget_calls();
  auto r = p.ok({"drift", "--env", "dev"}, 0);
  // The layers the journal shows never applied are read first; their state confirms it.
  EXPECT_EQ(p.call_sequence(),
            (Calls{"sg-db show", "rds-app show", "app show", "kms plan", "vpc plan"}))
      << "nothing to drift in the rest";
  EXPECT_EQ(p.masked(r.err),
            "stackctl drift on env 'dev':\n"
            "plan 2 layers (in any order)\n"
            "  plan  kms  [encryption]  protected (data)\n"
            "  plan  vpc  [network]  pinned: rds-app (data) depends on it\n"
            "  skip     sg-db  not applied (its state is empty)\n"
            "  skip     rds-app  not applied (its dependency sg-db holds nothing)\n"
            "  skip     app  not applied (its state is empty)\n"
            "[1/2] kms plan ok +0 ~0 -0 <t>\n"
            "[2/2] vpc plan ok +0 ~0 -0 <t>\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
  EXPECT_EQ(r.out, "\nno drift in env 'dev': 2 layers match their configuration\n");
}

TEST(Drift, AFailedPlanExitsOneAndTheOtherLayersAreStillChecked) {
  Project p;
  p.ok({"apply", "--env", "dev", "--yes"});
  p.write("envs/dev/vpc/.terragrunt-sim/faults.json", R"({"TERRAGRUNT_SIM_FAIL": "plan"})");
  p.write("envs/dev/app/sim.json",
          R"({"resources": {"null_resource.app": {"size": 2}}, "outputs": {"id": "app-id"}})");
  auto r = p.ok({"drift", "--env", "dev"}, 1);
  EXPECT_EQ(r.out,
            "\nLAYER  CHANGES\napp    +0 ~1 -0\n1 of 4 layers drifted in env 'dev'\n"
            "could not check: vpc (failed)\n");
}

TEST(Drift, PlansRunWithoutOrderWhilePlanKeepsDependencyOrder) {
  Project p;
  p.ok({"apply", "--env", "dev", "--only", "vpc,sg-db", "--yes"});
  for (const char* layer : {"vpc", "sg-db"})
    p.write(std::string("envs/dev/") + layer + "/.terragrunt-sim/faults.json",
            R"({"TERRAGRUNT_SIM_SLEEP": "plan:0.5"})");
  p.forget_calls();
  p.ok({"drift", "--env", "dev", "--only", "vpc,sg-db", "--parallelism", "2"});
  auto vpc = p.call("vpc", "plan"), sg = p.call("sg-db", "plan");
  // sg-db depends on vpc, yet its plan started before vpc's ended: the two overlapped.
  EXPECT_LT(sg["start"].get<double>(), vpc["end"].get<double>());
  EXPECT_LT(vpc["start"].get<double>(), sg["end"].get<double>());

  p.forget_calls();
  p.ok({"plan", "--env", "dev", "--only", "vpc,sg-db", "--parallelism", "2"});
  vpc = p.call("vpc", "plan");
  sg = p.call("sg-db", "plan");
  EXPECT_GE(sg["start"].get<double>(), vpc["end"].get<double>());
}
