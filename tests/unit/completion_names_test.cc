// What the completion scripts complete: the kind of each option's value, told from its names, and
// the env, layer, tier and manual step names of the project at completion time.
#include "stackctl/commands/completion.h"

#include <gtest/gtest.h>

#include "stackctl/util/error.h"
#include "support/completion_project.h"
#include "support/scenario.h"

namespace stackctl {
namespace {

using Names = std::vector<std::string>;
using testing::Scenario;

/// The completion project's layers and a second, optional manual step.
const std::string kLayers = std::string(testing::kCompletionLayers) + R"(  - name: review
    tier: app
    kind: manual
    optional: true
    depends_on: [worker]
    instructions: Look at the worker.
)";

/// A project with two envs: the optional worker and its review step are enabled in prod only.
struct Project : Scenario {
  Project() {
    manifest(std::string("version: 1\n") + kLayers);
    env("dev", "name: dev\n");
    env("prod", "name: prod\nenable: [worker, review]\n");
  }
  Names names(const std::string& kind, const std::string& env = "") const {
    Locations where;
    where.manifest = (root() / "layers/manifest.yaml").string();
    return completion_names(where, kind, env);
  }
};

TEST(CompletionNames, EnvsAreTheFoldersHoldingAnEnvYaml) {
  Project p;
  p.write("envs/notes/README.md", "not an env\n");
  EXPECT_EQ(p.names("env"), (Names{"dev", "prod"}));
}

TEST(CompletionNames, LayersAndStepsAreThoseTheEnvEnablesOrAllWithoutOne) {
  Project p;
  EXPECT_EQ(p.names("layer"), (Names{"vpc", "db", "seed-data", "worker", "review"}));
  EXPECT_EQ(p.names("layer", "dev"), (Names{"vpc", "db", "seed-data"}));
  EXPECT_EQ(p.names("step", "dev"), (Names{"seed-data"}));
  EXPECT_EQ(p.names("step", "prod"), (Names{"seed-data", "review"}));
}

TEST(CompletionNames, TiersAreTheDeclaredOnesElseThoseTheLayersNameInOrder) {
  Project p;
  EXPECT_EQ(p.names("tier"), (Names{"network", "data", "app"}));
  p.manifest(std::string("version: 1\ntiers: [app, data, network, edge]\n") + kLayers);
  EXPECT_EQ(p.names("tier"), (Names{"app", "data", "network", "edge"}));
}

TEST(CompletionNames, AnUnknownEnvIsAnErrorThatTheHelperTurnsIntoNothing) {
  Project p;
  EXPECT_THROW(p.names("layer", "staging"), Error);
  Context ctx;
  ctx.where.manifest = (p.root() / "layers/manifest.yaml").string();
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(complete_names(ctx, "layer", "staging"), 0);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(complete_names(ctx, "step", "prod"), 0);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "seed-data\nreview\n");
}

TEST(CompletionValueKind, IsToldFromTheTypeNameTheLongNamesOrThePositionalsName) {
  EXPECT_EQ(value_kind("TEXT:{dot,mermaid,json}", {"format"}, ""), ValueKind::Choice);
  EXPECT_EQ(choices_in("TEXT:{dot,mermaid,json}"), (Names{"dot", "mermaid", "json"}));
  EXPECT_EQ(choices_in("TEXT"), Names{});
  EXPECT_EQ(value_kind("TEXT", {"env"}, ""), ValueKind::Env);
  EXPECT_EQ(value_kind("TEXT", {"confirm-env"}, ""), ValueKind::Env);
  EXPECT_EQ(value_kind("LAYER[,LAYER...]", {"only"}, ""), ValueKind::Layer);
  EXPECT_EQ(value_kind("TEXT", {}, "layer"), ValueKind::Layer);
  EXPECT_EQ(value_kind("TIER", {"tier"}, ""), ValueKind::Tier);
  EXPECT_EQ(value_kind("TEXT", {}, "step"), ValueKind::Step);
  EXPECT_EQ(value_kind("TEXT", {"plan-dir"}, ""), ValueKind::Directory);
  EXPECT_EQ(value_kind("DIR", {"working-directory"}, ""), ValueKind::Directory);
  EXPECT_EQ(value_kind("FILE", {"summary-md"}, ""), ValueKind::File);
  EXPECT_EQ(value_kind("TEXT", {"manifest"}, ""), ValueKind::File);
  EXPECT_EQ(value_kind("REF", {"base"}, ""), ValueKind::Any);
}

}  // namespace
}  // namespace stackctl
