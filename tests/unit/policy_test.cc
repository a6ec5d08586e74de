// The protection policy: what exists, what it pins, what destroy may take, --allow-destroy,
// disabled but still applied layers, and env.yaml overrides that lower protection.
#include "stackctl/plan/policy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/stack_fixture.h"

namespace stackctl {
namespace {

using testing::StackFixture;
using Names = std::vector<std::string>;

// kms (data), vpc, sg-db -> vpc, rds-app (data) -> sg-db, kms, app -> vpc, search (optional,
// keep) -> vpc.
const char* kManifest = R"(version: 1
layers:
  - name: kms
    protect: data
  - name: vpc
  - name: sg-db
    depends_on: [vpc]
  - name: rds-app
    depends_on: [sg-db, kms]
    protect: data
  - name: app
    depends_on: [vpc]
  - name: search
    depends_on: [vpc]
    protect: keep
    optional: true
)";

JournalRecord layer_record(const std::string& type, const std::string& run,
                           const std::string& layer, const std::string& action,
                           const std::string& result = "") {
  JournalRecord r;
  r.type = type;
  r.run_id = run;
  r.layer = layer;
  r.action = action;
  r.result = result;
  return r;
}

// A layer action that started and ended with result.
void ended(JournalContents& j, const std::string& run, const std::string& layer,
           const std::string& action, const std::string& result) {
  j.records.push_back(layer_record("layer_start", run, layer, action));
  j.records.push_back(layer_record("layer_end", run, layer, action, result));
}

Names names(const StackFixture& fx, const std::vector<std::size_t>& positions) {
  Names out;
  for (std::size_t i : positions) out.push_back(fx.stack.layer(i).name);
  return out;
}

Names applied_names(const StackFixture& fx, const std::vector<bool>& applied) {
  Names out;
  for (std::size_t i = 0; i < applied.size(); ++i)
    if (applied[i]) out.push_back(fx.stack.layer(i).name);
  return out;
}

Names pinned_names(const StackFixture& fx, const Protection& p) {
  Names out;
  for (std::size_t i = 0; i < p.pins.size(); ++i)
    if (p.pins[i].pinned)
      out.push_back(fx.stack.layer(i).name + "<" + fx.stack.layer(p.pins[i].by).name);
  return out;
}

std::vector<std::size_t> at(const StackFixture& fx, const Names& layers) {
  std::vector<std::size_t> out;
  for (const auto& n : layers) out.push_back(fx.at(n));
  return out;
}

TEST(AppliedPerJournal, TheLastApplyOrDestroyOfEachLayerDecides) {
  StackFixture fx(kManifest, "name: test\nenable: [search]\n");
  JournalContents j;
  ended(j, "r1", "kms", "apply", "ok");
  ended(j, "r1", "vpc", "apply", "ok");
  ended(j, "r1", "app", "apply", "failed");  // a failed apply may have created resources
  ended(j, "r1", "search", "plan", "ok");    // plans change nothing
  ended(j, "r2", "vpc", "destroy", "ok");
  ended(j, "r2", "kms", "destroy", "interrupted");  // partly destroyed: still holds resources
  ended(j, "r2", "sg-db", "destroy", "skipped");    // nothing done, never applied
  j.records.push_back(layer_record("layer_start", "r3", "rds-app", "apply"));  // never ended
  j.records.push_back(layer_record("layer_end", "r3", "gone-layer", "apply", "ok"));
  EXPECT_EQ(applied_names(fx, applied_per_journal(fx.manifest, j)),
            (Names{"kms", "rds-app", "app"}));
}

TEST(AppliedPerJournal, AnEmptyJournalMeansNothingIsApplied) {
  StackFixture fx(kManifest);
  EXPECT_EQ(applied_names(fx, applied_per_journal(fx.manifest, {})), Names{});
}

TEST(Protection, EnabledProtectedLayersPinEveryTransitiveDependency) {
  StackFixture fx(kManifest);  // search is optional and off, never applied
  Protection p = protection_of(fx.stack, *fx.graph, {});
  EXPECT_EQ(pinned_names(fx, p), (Names{"vpc<rds-app", "sg-db<rds-app"}));
  EXPECT_EQ(names(fx, destroyable_layers(fx.stack, p)), (Names{"app"}));
  EXPECT_EQ(protection_note(fx.stack, p, fx.at("sg-db")), "pinned: rds-app (data) depends on it");
  EXPECT_EQ(protection_note(fx.stack, p, fx.at("kms")), "protected (data)");
  EXPECT_EQ(protection_note(fx.stack, p, fx.at("app")), "");
}

TEST(Protection, AnOptionalProtectedLayerSwitchedOffButStillAppliedKeepsPinning) {
  StackFixture fx(kManifest);
  std::vector<bool> applied(fx.stack.size(), false);
  applied[fx.at("search")] = true;
  Protection p = protection_of(fx.stack, *fx.graph, applied);
  EXPECT_TRUE(p.disabled_but_applied(fx.stack, fx.at("search")));
  EXPECT_EQ(pinned_names(fx, p), (Names{"vpc<rds-app", "sg-db<rds-app"}));
  EXPECT_EQ(protection_note(fx.stack, p, fx.at("search")),
            "protected (keep; disabled, still applied)");

  // With rds-app disabled too and never applied, only search holds vpc.
  StackFixture off(kManifest, "name: test\ndisable: [rds-app]\n");
  std::vector<bool> only_search(off.stack.size(), false);
  only_search[off.at("search")] = true;
  Protection q = protection_of(off.stack, *off.graph, only_search);
  EXPECT_EQ(pinned_names(off, q), (Names{"vpc<search"}));
  EXPECT_EQ(protection_note(off.stack, q, off.at("vpc")),
            "pinned by search (disabled, still applied)");
  EXPECT_EQ(names(off, destroyable_layers(off.stack, q)), (Names{"sg-db", "app"}));
  EXPECT_EQ(
      destroy_refusals(off.stack, *off.graph, q, at(off, {"vpc", "sg-db", "app"}), {"search"}),
      (Names{"vpc is pinned: search (keep; disabled, still applied) depends on it"}));
}

TEST(Protection, ADisabledDataLayerThatIsStillAppliedPinsItsDependencies) {
  StackFixture fx(kManifest, "name: test\ndisable: [rds-app]\n");
  JournalContents j;
  ended(j, "r1", "rds-app", "apply", "ok");
  Protection p = protection_of(fx.stack, *fx.graph, applied_per_journal(fx.manifest, j));
  EXPECT_EQ(pinned_names(fx, p), (Names{"vpc<rds-app", "sg-db<rds-app"}));
  EXPECT_EQ(names(fx, destroyable_layers(fx.stack, p)), (Names{"app"}));
  EXPECT_EQ(protection_note(fx.stack, p, fx.at("sg-db")),
            "pinned by rds-app (disabled, still applied)");
  // Naming the disabled layer with --allow-destroy does not help: this command never destroys it.
  EXPECT_EQ(destroy_refusals(fx.stack, *fx.graph, p, at(fx, {"vpc", "sg-db", "app"}), {"rds-app"}),
            (Names{"vpc is pinned: rds-app (data; disabled, still applied) depends on it",
                   "sg-db is pinned: rds-app (data; disabled, still applied) depends on it"}));
}

TEST(Protection, ADisabledLayerTheJournalShowsDestroyedPinsNothing) {
  StackFixture fx(kManifest, "name: test\ndisable: [rds-app]\n");
  JournalContents j;
  ended(j, "r1", "rds-app", "apply", "ok");
  ended(j, "r2", "rds-app", "destroy", "ok");
  Protection p = protection_of(fx.stack, *fx.graph, applied_per_journal(fx.manifest, j));
  EXPECT_EQ(pinned_names(fx, p), Names{});
  EXPECT_EQ(names(fx, destroyable_layers(fx.stack, p)), (Names{"vpc", "sg-db", "app"}));
}

TEST(DestroyRefusals, ProtectedAndPinnedLayersAreRefusedUnlessEveryProtectorIsAllowed) {
  StackFixture fx(kManifest);
  Protection p = protection_of(fx.stack, *fx.graph, {});
  const auto everything = at(fx, {"kms", "vpc", "sg-db", "rds-app", "app"});
  EXPECT_EQ(
      destroy_refusals(fx.stack, *fx.graph, p, everything, {}),
      (Names{"kms is protected (data); name it with --allow-destroy kms to destroy it",
             "vpc is pinned: rds-app (data) depends on it",
             "sg-db is pinned: rds-app (data) depends on it",
             "rds-app is protected (data); name it with --allow-destroy rds-app to destroy it"}));
  EXPECT_EQ(destroy_refusals(fx.stack, *fx.graph, p, everything, {"rds-app"}),
            (Names{"kms is protected (data); name it with --allow-destroy kms to destroy it"}));
  EXPECT_EQ(destroy_refusals(fx.stack, *fx.graph, p, everything, {"rds-app", "kms"}), Names{});
  // Allowing a protected layer that is not selected does not release what it pins.
  EXPECT_EQ(destroy_refusals(fx.stack, *fx.graph, p, at(fx, {"sg-db"}), {"rds-app"}),
            (Names{"sg-db is pinned: rds-app (data) depends on it"}));
  EXPECT_EQ(destroy_refusals(fx.stack, *fx.graph, p, at(fx, {"app"}), {}), Names{});
}

TEST(DestroyRefusals, AnAllowedProtectedLayerStaysPinnedByAProtectedLayerStillApplied) {
  // search (keep) depends on vpc; make vpc a data layer and keep search switched off but applied.
  StackFixture fx(kManifest, "name: test\nprotect: {vpc: data}\n");
  std::vector<bool> applied(fx.stack.size(), false);
  applied[fx.at("search")] = true;
  Protection p = protection_of(fx.stack, *fx.graph, applied);
  EXPECT_EQ(destroy_refusals(fx.stack, *fx.graph, p, at(fx, {"vpc", "sg-db", "rds-app", "app"}),
                             {"vpc", "rds-app"}),
            (Names{"vpc is pinned: search (keep; disabled, still applied) depends on it"}));
}

TEST(ProtectionLowerings, AnEnvThatLowersProtectionIsReportedAtItsLine) {
  StackFixture fx(kManifest,
                  "name: test\nenable: [search]\nprotect:\n  kms: none\n  search: none\n  app: "
                  "keep\n  rds-app: keep\n");
  const std::string file = fx.stack.env.file.string();
  std::vector<std::string> got;
  for (const auto& low : protection_lowerings(fx.stack)) got.push_back(low.warning.str());
  EXPECT_EQ(got, (Names{file + ":4: warning: protect: {kms: none} lowers kms's protection from "
                               "data (manifest) to none in env 'test'",
                        file + ":7: warning: protect: {rds-app: keep} lowers rds-app's protection "
                               "from data (manifest) to keep in env 'test'",
                        file + ":5: warning: protect: {search: none} lowers search's protection "
                               "from keep (manifest) to none in env 'test'"}));
  // What the env says is what holds: kms is no longer protected but rds-app (keep) still pins
  // it; app is raised to keep; search lost its protection and can go.
  Protection p = protection_of(fx.stack, *fx.graph, {});
  EXPECT_EQ(pinned_names(fx, p), (Names{"kms<rds-app", "vpc<rds-app", "sg-db<rds-app"}));
  EXPECT_EQ(names(fx, destroyable_layers(fx.stack, p)), (Names{"search"}));
}

TEST(ProtectionLowerings, RaisingOrRepeatingProtectionIsNotReported) {
  StackFixture fx(kManifest, "name: test\nprotect: {kms: data, app: keep, vpc: none}\n");
  EXPECT_TRUE(protection_lowerings(fx.stack).empty());
}

}  // namespace
}  // namespace stackctl
