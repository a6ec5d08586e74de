// The real state against one checkout's journal: how `terragrunt show -json` (no plan file) is
// read, which layers are worth reading before a destroy, and what their state then decides.
#include "stackctl/plan/real_state.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "stackctl/plan/policy.h"
#include "support/stack_fixture.h"

namespace stackctl {
namespace {

using testing::StackFixture;
using Names = std::vector<std::string>;

// vpc, app -> vpc, rds (data, optional) -> vpc, web -> app.
const char* kManifest = R"(version: 1
layers:
  - name: vpc
  - name: app
    depends_on: [vpc]
  - name: rds
    depends_on: [vpc]
    protect: data
    optional: true
  - name: web
    depends_on: [app]
)";

const char* kEmpty = R"({"format_version":"1.0"})";
const char* kOneResource =
    R"({"format_version":"1.0","terraform_version":"1.12.6","values":{"root_module":{"resources":[{"address":"terraform_data.this"}]}}})";

JournalRecord ended(const std::string& layer, const std::string& action) {
  JournalRecord r;
  r.type = "layer_end";
  r.run_id = "r1";
  r.layer = layer;
  r.action = action;
  r.result = "ok";
  return r;
}

// The preflight of a checkout whose journal shows an apply of vpc only (and, with
// destroyed_app, an apply and a destroy of app).
Preflight preflight_of(const StackFixture& fx, bool destroyed_app = false) {
  Preflight pre;
  pre.journal.records.push_back(ended("vpc", "apply"));
  if (destroyed_app) {
    pre.journal.records.push_back(ended("app", "apply"));
    pre.journal.records.push_back(ended("app", "destroy"));
  }
  auto applied = applied_per_journal(fx.manifest, pre.journal);
  pre.not_applied = not_applied_per_journal(fx.manifest, pre.journal, applied);
  pre.protection = protection_of(fx.stack, *fx.graph, applied);
  return pre;
}

Names names(const StackFixture& fx, const std::vector<std::size_t>& positions) {
  Names out;
  for (std::size_t i : positions) out.push_back(fx.stack.layer(i).name);
  return out;
}

// A destroy phase of vpc that skips app and web as not applied.
std::vector<Phase> destroy_skipping_app_and_web(const StackFixture& fx) {
  Phase phase(Action::Destroy, {fx.at("vpc")});
  phase.not_applied = {fx.at("app"), fx.at("web")};
  return {phase};
}

void make_unit_folders(const StackFixture& fx) {
  for (const auto& d : fx.stack.dirs) std::filesystem::create_directories(d);
}

TEST(ReadRealState, NoValuesIsAnEmptyStateAsTofuPrintsItBeforeAnApplyAndAfterADestroy) {
  EXPECT_EQ(read_real_state(0, kEmpty), RealState::Empty);
  EXPECT_EQ(read_real_state(0, R"({"format_version":"1.0","values":{"root_module":{}}})"),
            RealState::Empty);
}

TEST(ReadRealState, AResourceAnywhereOrAnOutputMeansTheLayerHoldsSomething) {
  EXPECT_EQ(read_real_state(0, kOneResource), RealState::Holds);
  EXPECT_EQ(read_real_state(
                0, R"({"format_version":"1.0","values":{"root_module":{"child_modules":[)"
                   R"({"child_modules":[{"resources":[{"address":"module.a.module.b.x"}]}]}]}}})"),
            RealState::Holds);
  EXPECT_EQ(
      read_real_state(
          0,
          R"({"format_version":"1.0","values":{"outputs":{"id":{"value":"x"}},"root_module":{}}})"),
      RealState::Holds);
}

TEST(ReadRealState, TerragruntsLogLinesBeforeTheDocumentAreSkipped) {
  EXPECT_EQ(
      read_real_state(0, std::string("14:02:01.123 INFO   Downloading...\n") + kOneResource + "\n"),
      RealState::Holds);
}

TEST(ReadRealState, AFailureOrAnythingButAStateDocumentIsUnknown) {
  EXPECT_EQ(read_real_state(1, kEmpty), RealState::Unknown);
  EXPECT_EQ(read_real_state(0, ""), RealState::Unknown);
  EXPECT_EQ(read_real_state(0, "No state.\n"), RealState::Unknown);
  EXPECT_EQ(read_real_state(0, R"({"format_version":"1.0",)"), RealState::Unknown);
  EXPECT_EQ(read_real_state(0, R"({"values":{}})"), RealState::Unknown);
  EXPECT_EQ(read_real_state(0, R"({"format_version":"1.0","values":[]})"), RealState::Unknown);
}

TEST(LayersToProbe, LayersThePhasesSkipAndDisabledProtectedLayersTheJournalDoesNotCount) {
  StackFixture fx(kManifest);
  make_unit_folders(fx);
  // The journal knows vpc only: the destroy skips app and web as not applied, and rds (optional,
  // off here) would pin nothing.
  EXPECT_EQ(names(fx, layers_to_probe(fx.stack, *fx.graph, preflight_of(fx),
                                      destroy_skipping_app_and_web(fx))),
            (Names{"app", "rds", "web"}));
}

TEST(LayersToProbe, ALayerWithoutAUnitFolderIsNotProbed) {
  StackFixture fx(kManifest);
  std::filesystem::create_directories(fx.stack.dirs[fx.at("web")]);
  EXPECT_EQ(names(fx, layers_to_probe(fx.stack, *fx.graph, preflight_of(fx),
                                      destroy_skipping_app_and_web(fx))),
            (Names{"web"}));
}

TEST(LayersToProbe, PhasesThatSkipNothingNeedOnlyTheDisabledProtectedLayersRead) {
  StackFixture fx(kManifest);
  make_unit_folders(fx);
  Preflight pre;
  pre.protection =
      protection_of(fx.stack, *fx.graph, applied_per_journal(fx.manifest, pre.journal));
  EXPECT_EQ(names(fx, layers_to_probe(fx.stack, *fx.graph, pre,
                                      {Phase(Action::Destroy, {fx.at("web"), fx.at("app")})})),
            (Names{"rds"}));
}

TEST(ApplyRealState, ALayerAppliedElsewhereIsDestroyedAndADisabledDataLayerStillThereKeepsPinning) {
  StackFixture fx(kManifest);
  Preflight pre = preflight_of(fx);
  auto warnings = apply_real_state(fx.stack, *fx.graph, pre,
                                   {{fx.at("app"), RealState::Holds, ""},
                                    {fx.at("rds"), RealState::Holds, ""},
                                    {fx.at("web"), RealState::Empty, ""}});
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(pre.not_applied, (std::set<std::string>{"web"}));
  EXPECT_EQ(pre.not_applied_why,
            (std::map<std::string, std::string>{{"web", "its state is empty"}}));
  EXPECT_EQ(protection_note(fx.stack, pre.protection, fx.at("vpc")),
            "pinned by rds (disabled, still applied)");
  EXPECT_EQ(protection_note(fx.stack, pre.protection, fx.at("app")), "");
}

TEST(ApplyRealState, ADestroyJournaledOkThatDestroyedNothingIsAppliedAgain) {
  StackFixture fx(kManifest);
  Preflight pre = preflight_of(fx, true);
  ASSERT_EQ(pre.not_applied.count("app"), 1u);
  apply_real_state(fx.stack, *fx.graph, pre, {{fx.at("app"), RealState::Holds, ""}});
  EXPECT_EQ(pre.not_applied, (std::set<std::string>{"rds", "web"}));
  EXPECT_TRUE(pre.protection.applied[fx.at("app")]);
}

TEST(ApplyRealState, AnUnreadableStateCountsAsAppliedAndSaysWhy) {
  StackFixture fx(kManifest);
  Preflight pre = preflight_of(fx);
  auto warnings =
      apply_real_state(fx.stack, *fx.graph, pre,
                       {{fx.at("rds"), RealState::Unknown, "exit 1: Error: Failed to load state"}});
  EXPECT_EQ(warnings, (Names{"cannot read the state of rds (exit 1: Error: Failed to load state): "
                             "it counts as applied"}));
  EXPECT_EQ(protection_note(fx.stack, pre.protection, fx.at("vpc")),
            "pinned by rds (disabled, still applied)");
}

TEST(ApplyRealState, AnUnreadableLayerWhoseDependencyHoldsNothingStaysSkipped) {
  // terragrunt cannot read web while app has no outputs, nor destroy it.
  StackFixture fx(kManifest);
  Preflight pre = preflight_of(fx);
  auto warnings =
      apply_real_state(fx.stack, *fx.graph, pre,
                       {{fx.at("app"), RealState::Empty, ""},
                        {fx.at("web"), RealState::Unknown, "exit 1: detected no outputs"}});
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(pre.not_applied_why,
            (std::map<std::string, std::string>{{"app", "its state is empty"},
                                                {"web", "its dependency app holds nothing"}}));
}

TEST(ApplyRealState, AnUnreadableDataLayerPinsEvenWhenADependencyHoldsNothing) {
  // rds's data stays while vpc, under it, was destroyed by hand: kms-like dependencies it still
  // stands on must not go.
  StackFixture fx(kManifest);
  Preflight pre = preflight_of(fx);
  auto warnings =
      apply_real_state(fx.stack, *fx.graph, pre,
                       {{fx.at("vpc"), RealState::Empty, ""},
                        {fx.at("rds"), RealState::Unknown, "exit 1: detected no outputs"}});
  EXPECT_EQ(
      warnings,
      (Names{"cannot read the state of rds (exit 1: detected no outputs): it counts as applied"}));
  EXPECT_TRUE(pre.protection.applied[fx.at("rds")]);
  EXPECT_EQ(protection_note(fx.stack, pre.protection, fx.at("vpc")),
            "pinned by rds (disabled, still applied)");
}

TEST(LayersToProbe, TheDependenciesTheJournalShowsHoldingNothingAreReadToo) {
  // web is skipped; app, its dependency, was destroyed per the journal: app is read as well.
  StackFixture fx(kManifest);
  make_unit_folders(fx);
  Phase phase(Action::Destroy, {});
  phase.not_applied = {fx.at("web")};
  EXPECT_EQ(names(fx, layers_to_probe(fx.stack, *fx.graph, preflight_of(fx, true), {phase})),
            (Names{"app", "rds", "web"}));
}

}  // namespace
}  // namespace stackctl

namespace stackctl {
namespace {

// Right before vpc's destroy: its dependents the run skipped as holding nothing are read again.
TEST(RecheckBeforeDestroy, TheSkippedDependentsOfTheLayerAreReadAgainDirectOrNot) {
  StackFixture fx(kManifest);
  make_unit_folders(fx);
  EXPECT_EQ(names(fx, dependents_to_recheck(fx.stack, *fx.graph, {"app", "web"}, fx.at("vpc"))),
            (Names{"app", "web"}));
  EXPECT_EQ(names(fx, dependents_to_recheck(fx.stack, *fx.graph, {"app", "web"}, fx.at("app"))),
            (Names{"web"}));
  EXPECT_EQ(names(fx, dependents_to_recheck(fx.stack, *fx.graph, {}, fx.at("vpc"))), Names{})
      << "usually nothing was skipped and nothing is read";
}

TEST(RecheckBeforeDestroy, ADependentThatNowHoldsResourcesRefusesTheDestroy) {
  StackFixture fx(kManifest);
  const std::vector<ProbedState> probes = {{fx.at("app"), RealState::Empty, ""},
                                           {fx.at("web"), RealState::Holds, ""}};
  EXPECT_EQ(recheck_refusal(fx.stack, fx.at("vpc"), probes, {}),
            "refused: web now holds resources (its state was empty at the preview); nothing of vpc "
            "was destroyed");
  EXPECT_EQ(recheck_refusal(fx.stack, fx.at("vpc"), {{fx.at("app"), RealState::Empty, ""}}, {}),
            std::nullopt);
}

TEST(RecheckBeforeDestroy,
     AnUnreadableDependentRefusesUnlessItWasSkippedForADependencyHoldingNothing) {
  StackFixture fx(kManifest);
  const std::vector<ProbedState> probes = {
      {fx.at("web"), RealState::Unknown, "exit 1: Error: boom"}};
  EXPECT_EQ(
      recheck_refusal(fx.stack, fx.at("vpc"), probes, {}),
      "refused: the state of web cannot be read now (exit 1: Error: boom); it counts as holding "
      "resources; nothing of vpc was destroyed");
  EXPECT_EQ(recheck_refusal(fx.stack, fx.at("vpc"), probes,
                            {{"web", "its dependency app holds nothing"}}),
            std::nullopt);
}

}  // namespace
}  // namespace stackctl

namespace stackctl {
namespace {

TEST(RecheckBeforeDestroy,
     ADependentTerragruntCannotShowForADependencyDestroyedEarlierInTheRunGoesOn) {
  StackFixture fx(kManifest);
  const std::vector<ProbedState> probes = {{fx.at("web"), RealState::Unknown,
                                            "exit 1: /x/app/terragrunt.hcl is a dependency of "
                                            "/x/web/terragrunt.hcl but detected no outputs."}};
  EXPECT_EQ(recheck_refusal(fx.stack, fx.at("vpc"), probes, {}), std::nullopt);
}

}  // namespace
}  // namespace stackctl
