// The preview against the journal as it is once the env lock is taken: what changed, who
// changed it, and how the phases planned again differ from those shown.
#include "stackctl/plan/preview_check.h"

#include <gtest/gtest.h>

#include "support/stack_fixture.h"

namespace stackctl {
namespace {

using testing::StackFixture;
using Lines = std::vector<std::string>;

JournalRecord record(const std::string& type, const std::string& run_id,
                     const std::string& command = "") {
  JournalRecord r;
  r.type = type;
  r.run_id = run_id;
  r.raw = {{"type", type}, {"run_id", run_id}};
  if (!command.empty()) r.raw["command"] = command;
  return r;
}

JournalContents journal(std::vector<JournalRecord> records) {
  JournalContents j;
  j.records = std::move(records);
  return j;
}

TEST(PreviewCheck, AJournalWithARecordMoreOrAnotherLastRecordHasChanged) {
  const auto before = journal({record("run_start", "r1", "apply"), record("run_end", "r1")});
  EXPECT_FALSE(journal_changed(before, before));
  EXPECT_TRUE(
      journal_changed(before, journal({record("run_start", "r1", "apply"), record("run_end", "r1"),
                                       record("run_start", "r2", "plan")})));
  EXPECT_TRUE(journal_changed(
      before, journal({record("run_start", "r2", "destroy"), record("run_end", "r2")})))
      << "compacted and written again";
}

TEST(PreviewCheck, TheRunsAndConfirmationsJournaledSinceAreNamedInOrder) {
  const auto before = journal({record("run_start", "r1", "apply"), record("run_end", "r1")});
  JournalRecord confirm = record("confirm", "");
  confirm.layer = "approve";
  confirm.raw["user"] = "alice";
  const auto after = journal({record("run_start", "r1", "apply"), record("run_end", "r1"),
                              record("run_start", "r2", "apply"), record("layer_end", "r2"),
                              record("run_end", "r2"), confirm});
  EXPECT_EQ(journaled_since(before, after),
            (Lines{"run r2 (apply)", "confirm of approve by alice"}));
}

TEST(PreviewCheck, PhasesPlannedAgainSayWhatWouldNowRunOrBeSkipped) {
  StackFixture fx(
      "version: 1\nlayers:\n  - name: vpc\n  - name: app\n    depends_on: [vpc]\n"
      "  - name: web\n    depends_on: [vpc]\n");
  Phase shown(Action::Destroy, {fx.at("web"), fx.at("vpc")});
  shown.not_applied = {fx.at("app")};
  Phase now(Action::Destroy, {fx.at("app"), fx.at("vpc")});
  now.not_applied = {fx.at("web")};
  EXPECT_EQ(phase_differences(fx.stack, {shown}, {shown}), Lines{});
  EXPECT_EQ(
      phase_differences(fx.stack, {shown}, {now}),
      (Lines{
          "destroy: app would now be destroyed (the preview skipped it)",
          "destroy: web would now be skipped as not applied (the preview showed it destroyed)"}));
  EXPECT_EQ(phase_differences(fx.stack, {shown}, {now, Phase(Action::Apply, {fx.at("vpc")})}),
            (Lines{"the phases are now destroy, apply (the preview showed destroy)"}));
}

}  // namespace
}  // namespace stackctl

namespace stackctl {
namespace {

TEST(PreviewCheck, ARunAlreadyStartedAtThePreviewIsNamedWithItsCommandOnceItEnds) {
  const auto before = journal({record("run_start", "r2", "apply")});
  const auto after = journal(
      {record("run_start", "r2", "apply"), record("layer_end", "r2"), record("run_end", "r2")});
  EXPECT_EQ(journaled_since(before, after), (Lines{"run r2 (apply)"}));
}

}  // namespace
}  // namespace stackctl
