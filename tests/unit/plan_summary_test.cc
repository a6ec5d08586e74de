// Scenarios for what plan and drift runs show: the resource list of a plan JSON, the Markdown
// summary, the drift table, the show-step capture and the report built from a run.
#include "stackctl/report/plan_summary.h"

#include <gtest/gtest.h>

#include "support/fake_runner.h"
#include "support/scenario.h"

namespace stackctl {
namespace {

using testing::FakeRunner;

LayerPlan planned(const std::string& name, const std::string& protection, ChangeCounts counts,
                  std::vector<ResourceChange> changes = {}) {
  LayerPlan l;
  l.name = name;
  l.protection = protection;
  l.is_protected = protection == "data" || protection == "keep";
  l.result = "ok";
  l.counts = counts;
  l.changes = std::move(changes);
  return l;
}

LayerPlan not_planned(const std::string& name, const std::string& result) {
  LayerPlan l;
  l.name = name;
  l.result = result;
  return l;
}

// kms (data, unchanged), vpc (pinned, one creation), rds-app (data, one replacement), app failed.
PlanReport mixed_report(Command command = Command::Plan) {
  PlanReport r;
  r.command = command;
  r.env = "dev";
  r.run_id = "20261130T101500Z-3f9a";
  r.layers = {planned("kms", "data", {}),
              planned("vpc", "pinned", {1, 0, 0, 0}, {{"aws_vpc.main", "create"}}),
              planned("rds-app", "data", {1, 0, 1, 1}, {{"aws_db_instance.main", "replace"}}),
              not_planned("app", "failed")};
  return r;
}

TEST(PlanJsonChanges, EveryManagedChangeIsListedWithItsActionInPlanOrder) {
  std::string error;
  auto plan = parse_plan_json(testing::plan_json({{"aws_vpc.main", {"create"}},
                                                  {"aws_subnet.a", {"update"}},
                                                  {"aws_db_instance.main", {"delete", "create"}},
                                                  {"aws_instance.old", {"delete"}},
                                                  {"aws_s3_bucket.logs", {"no-op"}},
                                                  {"aws_eip.x", {"create", "delete"}}}),
                              error);
  ASSERT_TRUE(plan) << error;
  ASSERT_EQ(plan->changes.size(), 5u);
  std::vector<std::string> seen;
  for (const auto& c : plan->changes) seen.push_back(c.action + " " + c.address);
  EXPECT_EQ(seen, (std::vector<std::string>{"create aws_vpc.main", "update aws_subnet.a",
                                            "replace aws_db_instance.main",
                                            "delete aws_instance.old", "replace aws_eip.x"}));
}

TEST(PlanJsonChanges, DataSourcesAreNotListed) {
  std::string error;
  auto plan = parse_plan_json(
      R"({"format_version":"1.2","resource_changes":[
          {"address":"data.aws_ami.u","mode":"data","change":{"actions":["read"]}},
          {"address":"aws_vpc.main","mode":"managed","change":{"actions":["update"]}}]})",
      error);
  ASSERT_TRUE(plan) << error;
  ASSERT_EQ(plan->changes.size(), 1u);
  EXPECT_EQ(plan->changes[0].address, "aws_vpc.main");
}

TEST(PlanMarkdown, HeadingTotalsTableWarningsFailuresAndDetails) {
  EXPECT_EQ(plan_markdown(mixed_report()),
            "## stackctl plan: env dev\n"
            "\n"
            "2 of 3 layers have changes: **+2 to add, ~0 to change, \u22121 to destroy** "
            "(1 replaced)\n"
            "\n"
            "| Layer | +add | ~change | \u2212destroy | replace | protected |\n"
            "| :--- | ---: | ---: | ---: | ---: | :--- |\n"
            "| kms | 0 | 0 | 0 | 0 | data |\n"
            "| vpc | 1 | 0 | 0 | 0 | pinned |\n"
            "| rds-app \u26a0 | 1 | 0 | 1 | 1 | data |\n"
            "\n"
            "\u26a0 destroys or replaces resources in a protected layer: rds-app (data)\n"
            "\n"
            "Not planned: app (failed)\n"
            "\n"
            "<details><summary>vpc: +1 ~0 \u22120</summary>\n"
            "\n"
            "- create `aws_vpc.main`\n"
            "\n"
            "</details>\n"
            "\n"
            "<details><summary>rds-app: +1 ~0 \u22121 \u26a0</summary>\n"
            "\n"
            "- replace `aws_db_instance.main`\n"
            "\n"
            "</details>\n");
}

TEST(PlanMarkdown, ADestroyInAPinnedLayerIsNotMarked) {
  PlanReport r;
  r.command = Command::Plan;
  r.env = "dev";
  r.layers = {planned("vpc", "pinned", {0, 0, 1, 0}, {{"aws_subnet.b", "delete"}})};
  std::string md = plan_markdown(r);
  EXPECT_NE(md.find("| vpc | 0 | 0 | 1 | 0 | pinned |\n"), std::string::npos) << md;
  EXPECT_EQ(md.find("\u26a0"), std::string::npos) << md;
}

TEST(PlanMarkdown, NoChangesIsOneLineAndATableWithoutDetails) {
  PlanReport r;
  r.command = Command::Plan;
  r.env = "prod";
  r.layers = {planned("vpc", "", {}), planned("app", "", {})};
  EXPECT_EQ(plan_markdown(r),
            "## stackctl plan: env prod\n\nNo changes in 2 layers.\n\n"
            "| Layer | +add | ~change | \u2212destroy | replace | protected |\n"
            "| :--- | ---: | ---: | ---: | ---: | :--- |\n"
            "| vpc | 0 | 0 | 0 | 0 |  |\n"
            "| app | 0 | 0 | 0 | 0 |  |\n");
}

TEST(PlanMarkdown, DriftSaysDriftedAndNotChecked) {
  std::string md = plan_markdown(mixed_report(Command::Drift));
  EXPECT_EQ(md.rfind("## stackctl drift: env dev\n\n2 of 3 layers drifted: **+2 to add", 0), 0u)
      << md;
  EXPECT_NE(md.find("\nNot checked: app (failed)\n"), std::string::npos) << md;
}

TEST(PlanMarkdown, LongResourceListsAreCutAndBackticksKeptInCode) {
  PlanReport r;
  r.command = Command::Plan;
  r.env = "dev";
  r.layers = {
      planned("app", "", {3, 0, 0, 0},
              {{"aws_x.a[\"`q`\"]", "create"}, {"aws_x.b", "create"}, {"aws_x.c", "create"}})};
  std::string md = plan_markdown(r, 2);
  EXPECT_NE(md.find("- create `` aws_x.a[\"`q`\"] ``\n- create `aws_x.b`\n- \u2026 and 1 more\n"),
            std::string::npos)
      << md;
}

TEST(DriftTable, ListsTheDriftedLayersTheCountAndWhatCouldNotBeChecked) {
  EXPECT_EQ(drift_table(mixed_report(Command::Drift)),
            "LAYER    CHANGES\n"
            "vpc      +1 ~0 -0\n"
            "rds-app  +1 ~0 -1\n"
            "2 of 3 layers drifted in env 'dev'\n"
            "could not check: app (failed)\n");
}

TEST(DriftTable, NoDrift) {
  PlanReport r;
  r.command = Command::Drift;
  r.env = "dev";
  r.layers = {planned("vpc", "", {})};
  EXPECT_EQ(drift_table(r), "no drift in env 'dev': 1 layer matches its configuration\n");
}

TEST(PlanReportOfARun, TerragruntLayersInManifestOrderWithProtectionAndChanges) {
  testing::Scenario s;
  s.manifest(R"(version: 1
layers:
  - name: vpc
  - name: gate
    kind: manual
    instructions: wait
  - name: sg-db
    depends_on: [vpc]
  - name: rds-app
    depends_on: [sg-db]
    protect: data
)");
  s.env("dev", "name: dev\n");
  auto ws = Workspace::open(Locations{(s.root() / "layers/manifest.yaml").string(), "", ""});
  ws->select_env("dev");
  RunResult run;
  LayerResult rds;
  rds.layer = 3;
  rds.outcome = Outcome::Ok;
  rds.changes = {1, 0, 1, 1};
  LayerResult gate;
  gate.layer = 1;
  gate.outcome = Outcome::Skipped;
  LayerResult vpc;
  vpc.layer = 0;
  vpc.outcome = Outcome::Failed;
  vpc.message = "plan failed: exit 1";
  run.layers = {rds, gate, vpc};
  run.layers[0].resource_changes = {{"aws_db_instance.main", "replace", "", false}};
  run.layers[2].resource_changes = {{"aws_vpc.main", "create", "", false}};
  PlanReport r = plan_report(*ws, Command::Plan, "R1", run);
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(r.env, "dev");
  EXPECT_EQ(r.layers[0].name, "vpc");
  EXPECT_EQ(r.layers[0].result, "failed");
  EXPECT_EQ(r.layers[0].protection, "pinned");
  EXPECT_TRUE(r.layers[0].changes.empty());  // a failed layer shows no resource list
  EXPECT_EQ(r.layers[1].name, "rds-app");
  EXPECT_EQ(r.layers[1].protection, "data");
  EXPECT_TRUE(r.layers[1].warns());
  ASSERT_EQ(r.layers[1].changes.size(), 1u);
  EXPECT_EQ(r.layers[1].changes[0].action, "replace");
}

}  // namespace
}  // namespace stackctl
