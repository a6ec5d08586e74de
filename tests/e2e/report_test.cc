// End to end: what a run prints for the user at its end and before it starts — the summary table
// (manifest order, totals, the footer naming what went wrong, destroy counts), the resource
// changes of saved plans before the confirmation, the lock wait on the live board's source, and
// the protection classes in `graph`. The built stackctl against terragrunt-sim.
#include <gtest/gtest.h>

#include <regex>

#include "support/data_stack.h"

using stackctl::testing::Outcome;
namespace fs = std::filesystem;

namespace {

using Project = stackctl::testing::DataStack;

// The text with every duration (`4.0s`, `1m02s`) written as `T`: they are the only part of a
// summary that differs between runs.
std::string without_durations(const std::string& text) {
  static const std::regex duration(R"(\b(\d+h)?(\d+m)?\d+(\.\d)?s\b)");
  return std::regex_replace(text, duration, "T");
}

}  // namespace

TEST(Summary, ManifestOrderTotalsAndAFooterNamingWhatFailedAndWhatNeverRan) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_FAIL": "apply"})");
  Outcome r = p.run({"apply", "--env", "dev", "--keep-going", "--yes"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(without_durations(r.out),
            "\n"
            "LAYER    ACTION    RESULT       CHANGES           DURATION\n"
            "kms      apply     ok           +1 ~0 -0          T\n"
            "vpc      apply     failed       +1 ~0 -0          T\n"
            "sg-db    apply     not-run      -                 -\n"
            "rds-app  apply     not-run      -                 -\n"
            "app      apply     not-run      -                 -\n"
            "total              5 layers     +2 ~0 -0          T\n"
            "1 ok, 1 failed, 3 not-run\n"
            "failed: vpc (apply failed: exit 1)\n"
            "not run: sg-db, rds-app, app\n");
}

TEST(Summary, QuietStillPrintsTheResults) {
  Project p;
  Outcome r = p.run({"-q", "apply", "--env", "dev", "--only", "vpc", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(without_durations(r.out),
            "\n"
            "LAYER  ACTION    RESULT       CHANGES           DURATION\n"
            "vpc    apply     ok           +1 ~0 -0          T\n"
            "total            1 layer      +1 ~0 -0          T\n"
            "1 ok\n");
  EXPECT_EQ(r.err, "") << "-q: nothing but errors on stderr";
}

TEST(Summary, ARefusalIsNamedWithItsReason) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "kms", "--yes"}).exit_code, 0);
  p.fault("kms", R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.kms"})");
  Outcome r = p.run({"apply", "--env", "dev", "--only", "kms", "--yes"});
  ASSERT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("\n1 refused\nrefused: kms (refusing to apply kms (data): the plan deletes "
                       "or replaces)\n"),
            std::string::npos)
      << r.out;
}

TEST(Summary, DestroyCountsAreShownLikeTheOthers) {
  Project p;
  p.write("envs/dev/app/sim.json",
          R"({"resources": ["aws_lb.app", "aws_ecs_service.app", "aws_iam_role.app"]})");
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "vpc,app", "--yes"}).exit_code, 0);
  Outcome r = p.run({"destroy", "--env", "dev", "--only", "app", "--yes", "--output", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["layers"][0]["changes"],
            (nlohmann::json{{"add", 0}, {"change", 0}, {"destroy", 3}}));
  Outcome again = p.run({"apply", "--env", "dev", "--only", "app", "--yes"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  Outcome text = p.run({"destroy", "--env", "dev", "--only", "app", "--yes"});
  EXPECT_NE(without_durations(text.out).find("app    destroy   ok           +0 ~0 -3          T\n"),
            std::string::npos)
      << text.out;
}

TEST(Preview, ApplyOfSavedPlansListsEachLayersResourceChangesBeforeTheConfirmation) {
  Project p;
  p.write("envs/dev/vpc/sim.json",
          R"({"resources": ["aws_vpc.this", "aws_subnet.a", "aws_subnet.b", "aws_route.old"]})");
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "kms,vpc", "--yes"}).exit_code, 0);
  p.write("envs/dev/vpc/sim.json",
          R"({"resources": ["aws_vpc.this", "aws_subnet.a", "aws_subnet.b", "aws_subnet.c"],)"
          R"( "update": ["aws_vpc.this"], "replace": ["aws_subnet.a"],)"
          R"( "outputs": {"id": "vpc-2"}})");
  ASSERT_EQ(p.run({"plan", "--env", "dev", "--only", "kms,vpc", "--out-dir", "plans"}).exit_code,
            0);
  Outcome r = p.run({"apply", "--env", "dev", "--plan-dir", "plans", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resource changes in the saved plans:\n"
                       "  vpc: +2 ~1 -2 outputs 1\n"
                       "    -      aws_route.old\n"
                       "    -/+    aws_subnet.a\n"
                       "    +      aws_subnet.c\n"
                       "    ~      aws_vpc.this\n"
                       "    +      output.id\n"
                       "  no changes in 1 layer: kms\n"),
            std::string::npos)
      << r.err;
}

TEST(Preview, AHugePlanIsCutAfterThirtyResources) {
  Project p;
  std::string resources;
  for (int i = 0; i < 45; ++i)  // r00 ... r44: the plan lists addresses sorted
    resources += (i ? ", \"aws_route.r" : "\"aws_route.r") + std::string(i < 10 ? "0" : "") +
                 std::to_string(i) + "\"";
  p.write("envs/dev/vpc/sim.json", "{\"resources\": [" + resources + "]}");
  ASSERT_EQ(p.run({"plan", "--env", "dev", "--only", "vpc", "--out-dir", "plans"}).exit_code, 0);
  Outcome r = p.run({"apply", "--env", "dev", "--plan-dir", "plans", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("    +      aws_route.r29\n    ... and 15 more\n"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("aws_route.r30"), std::string::npos) << r.err;
}

TEST(Graph, DotAndMermaidDrawDataKeepAndPinnedApartWithALegend) {
  Project p;
  p.manifest(std::string(stackctl::testing::kDataStackManifest) +
             "  - name: cdn\n    tier: app\n    protect: keep\n");
  p.layer_hcl("dev", "cdn", {});
  Outcome dot = p.run(
      {"graph", "--env", "dev", "--only", "kms,vpc,sg-db,rds-app,cdn,app", "--format", "dot"});
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_EQ(dot.out,
            "digraph stackctl {\n"
            "  rankdir=LR;\n"
            "  node [shape=box];\n"
            "  \"kms\" [style=\"filled,bold\", fillcolor=\"#f8d7da\", color=\"#b00020\", "
            "penwidth=3, xlabel=\"data\"];\n"
            "  \"vpc\" [style=\"dashed\", color=\"#1f4e9e\", penwidth=2, xlabel=\"pinned\"];\n"
            "  \"sg-db\" [style=\"dashed\", color=\"#1f4e9e\", penwidth=2, xlabel=\"pinned\"];\n"
            "  \"rds-app\" [style=\"filled,bold\", fillcolor=\"#f8d7da\", color=\"#b00020\", "
            "penwidth=3, xlabel=\"data\"];\n"
            "  \"app\";\n"
            "  \"cdn\" [style=\"filled\", fillcolor=\"#fff3cd\", color=\"#8a6d00\", peripheries=2, "
            "xlabel=\"keep\"];\n"
            "  \"vpc\" -> \"sg-db\";\n"
            "  \"sg-db\" -> \"rds-app\";\n"
            "  \"kms\" -> \"rds-app\";\n"
            "  \"vpc\" -> \"app\";\n"
            "  subgraph cluster_legend {\n"
            "    label=\"legend\";\n"
            "    style=dotted;\n"
            "    \"legend: data\" [label=\"data: holds user data; never destroyed\", "
            "style=\"filled,bold\", fillcolor=\"#f8d7da\", color=\"#b00020\", penwidth=3];\n"
            "    \"legend: keep\" [label=\"keep: costly to recreate; never destroyed\", "
            "style=\"filled\", fillcolor=\"#fff3cd\", color=\"#8a6d00\", peripheries=2];\n"
            "    \"legend: pinned\" [label=\"pinned: a data or keep layer depends on it; never "
            "destroyed\", style=\"dashed\", color=\"#1f4e9e\", penwidth=2];\n"
            "  }\n"
            "}\n");
  Outcome mermaid = p.run(
      {"graph", "--env", "dev", "--only", "kms,vpc,sg-db,rds-app,cdn,app", "--format", "mermaid"});
  ASSERT_EQ(mermaid.exit_code, 0) << mermaid.err;
  EXPECT_EQ(mermaid.out,
            "graph LR\n"
            "  n0[\"kms (data)\"]\n"
            "  n1[\"vpc (pinned)\"]\n"
            "  n2[\"sg-db (pinned)\"]\n"
            "  n3[\"rds-app (data)\"]\n"
            "  n4[\"app\"]\n"
            "  n5[\"cdn (keep)\"]\n"
            "  n1 --> n2\n"
            "  n2 --> n3\n"
            "  n0 --> n3\n"
            "  n1 --> n4\n"
            "  classDef data fill:#f8d7da,stroke:#b00020,stroke-width:3px\n"
            "  classDef keep fill:#fff3cd,stroke:#8a6d00,stroke-width:2px\n"
            "  classDef pinned fill:#e7efff,stroke:#1f4e9e,stroke-width:2px,stroke-dasharray:5 5\n"
            "  class n0,n3 data\n"
            "  class n5 keep\n"
            "  class n1,n2 pinned\n"
            "  subgraph legend [legend]\n"
            "    legend_data[\"data: holds user data; never destroyed\"]:::data\n"
            "    legend_keep[\"keep: costly to recreate; never destroyed\"]:::keep\n"
            "    legend_pinned[\"pinned: a data or keep layer depends on it; never "
            "destroyed\"]:::pinned\n"
            "  end\n");
}

TEST(Graph, ALayerWithoutProtectionNeedsNoLegend) {
  Project p;
  Outcome r = p.run({"graph", "--env", "dev", "--only", "app", "--format", "mermaid"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "graph LR\n  n4[\"app\"]\n");
}

TEST(Preview, APlanListsEachLayersResourceChangesAboveItsSummary) {
  Project p;
  p.write("envs/dev/vpc/sim.json", R"({"resources": ["aws_vpc.this", "aws_subnet.a"]})");
  Outcome r = p.run({"plan", "--env", "dev", "--only", "kms,vpc"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(without_durations(r.out),
            "\n"
            "resource changes:\n"
            "  kms: +1 ~0 -0 outputs 1\n"
            "    +      null_resource.kms\n"
            "  vpc: +2 ~0 -0\n"
            "    +      aws_subnet.a\n"
            "    +      aws_vpc.this\n"
            "\n"
            "LAYER  ACTION    RESULT       CHANGES           DURATION\n"
            "kms    plan      ok           +1 ~0 -0          T\n"
            "vpc    plan      ok           +2 ~0 -0          T\n"
            "total            2 layers     +3 ~0 -0          T\n"
            "2 ok\n");
}
