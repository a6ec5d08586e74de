// The run commands: their words, the table of what each may do, and when a run succeeded.
#include "stackctl/plan/command.h"

#include <gtest/gtest.h>

#include <string>

#include "stackctl/plan/request.h"
#include "stackctl/plan/resume.h"

namespace stackctl {
namespace {

const Command kAll[] = {Command::Plan,   Command::Apply, Command::Destroy, Command::Rebuild,
                        Command::Resume, Command::Drift, Command::Exec};

const char* yes_no(bool b) { return b ? "yes" : "no"; }

const char* changes_exit_name(ChangesExit x) {
  switch (x) {
    case ChangesExit::Never:
      return "never";
    case ChangesExit::WithDetailedExitcode:
      return "with --detailed-exitcode";
    case ChangesExit::Always:
      return "always";
  }
  return "?";
}

// One line per command: every trait, so that the test states the whole table.
std::string row(Command c) {
  const CommandTraits& t = traits(c);
  std::string phases;
  for (Action a : t.phases) phases += (phases.empty() ? "" : ",") + std::string(to_string(a));
  return std::string(t.name) + ": lock " + (t.lock == LockMode::Shared ? "shared" : "exclusive") +
         ", changes infrastructure " + yes_no(t.changes_infrastructure) + ", destroys " +
         yes_no(t.destroys) + ", reports plans " + yes_no(t.reports_plans) +
         ", exit 2 on changes " + changes_exit_name(t.changes_exit) + ", weighted by " +
         to_string(t.weighted_by) + ", phases " + (phases.empty() ? "-" : phases) +
         ", reads the real state " + yes_no(t.reads_real_state);
}

TEST(CommandTraits, TheTableSaysWhatEachCommandMayDo) {
  std::string table;
  for (Command c : kAll) table += row(c) + "\n";
  EXPECT_EQ(
      table,
      "plan: lock shared, changes infrastructure no, destroys no, reports plans yes, "
      "exit 2 on changes with --detailed-exitcode, weighted by plan, phases plan, reads the real "
      "state no\n"
      "apply: lock exclusive, changes infrastructure yes, destroys no, reports plans no, "
      "exit 2 on changes never, weighted by apply, phases apply, reads the real state no\n"
      "destroy: lock exclusive, changes infrastructure yes, destroys yes, reports plans no, "
      "exit 2 on changes never, weighted by destroy, phases destroy, reads the real state yes\n"
      "rebuild: lock exclusive, changes infrastructure yes, destroys yes, reports plans no, "
      "exit 2 on changes never, weighted by apply, phases destroy,apply, reads the real state yes\n"
      "resume: lock exclusive, changes infrastructure yes, destroys yes, reports plans no, "
      "exit 2 on changes never, weighted by apply, phases -, reads the real state no\n"
      "drift: lock shared, changes infrastructure no, destroys no, reports plans yes, "
      "exit 2 on changes always, weighted by plan, phases plan, reads the real state yes\n"
      "exec: lock exclusive, changes infrastructure no, destroys no, reports plans no, "
      "exit 2 on changes never, weighted by apply, phases -, reads the real state no\n");
}

TEST(CommandTraits, EachRowIsTheRowOfItsCommand) {
  for (Command c : kAll) EXPECT_EQ(traits(c).command, c) << traits(c).name;
}

// Before any flag, only a drift keeps going after a failure: its plans only read, so one layer's
// failure is no reason to stop checking the others.
TEST(RunRequestDefaults, OnlyADriftKeepsGoingWithoutBeingAsked) {
  std::string keeps_going;
  for (Command c : kAll) {
    RunRequest req = run_request(c);
    EXPECT_EQ(req.command, c);
    if (req.keep_going) keeps_going += std::string(keeps_going.empty() ? "" : " ") + to_string(c);
  }
  EXPECT_EQ(keeps_going, "drift");
  RunRequest drift = run_request(Command::Drift);
  EXPECT_FALSE(drift.dry_run || drift.yes || drift.detailed_exitcode || drift.skip_unchanged);
  EXPECT_EQ(drift.parallelism, 0);
}

TEST(ParseCommand, ReadsBackEveryWordToStringWrites) {
  for (Command c : kAll) {
    SCOPED_TRACE(to_string(c));
    EXPECT_EQ(parse_command(to_string(c)), c);
  }
  EXPECT_STREQ(to_string(Command::Rebuild), "rebuild");
  EXPECT_STREQ(to_string(Command::Exec), "exec");
}

TEST(ParseCommand, AnyOtherWordIsNoCommand) {
  EXPECT_EQ(parse_command(""), std::nullopt);
  EXPECT_EQ(parse_command("import"), std::nullopt);
  EXPECT_EQ(parse_command("Apply"), std::nullopt);
  EXPECT_EQ(parse_command("apply "), std::nullopt);
  EXPECT_EQ(parse_command("run-all"), std::nullopt);
}

TEST(RunSucceeded, ExitTwoIsASuccessOnlyWhereChangesAreTheResult) {
  EXPECT_TRUE(run_succeeded(Command::Plan, 0));
  EXPECT_TRUE(run_succeeded(Command::Plan, 2));
  EXPECT_TRUE(run_succeeded(Command::Drift, 2));
  EXPECT_FALSE(run_succeeded(Command::Apply, 2));
  EXPECT_FALSE(run_succeeded(Command::Rebuild, 2));
  EXPECT_FALSE(run_succeeded(Command::Exec, 2));
  EXPECT_TRUE(run_succeeded(Command::Destroy, 0));
  for (int code : {1, 3, 4, 5, 64, 130}) {
    SCOPED_TRACE(code);
    EXPECT_FALSE(run_succeeded(Command::Plan, code));
    EXPECT_FALSE(run_succeeded(Command::Drift, code));
    EXPECT_FALSE(run_succeeded(Command::Apply, code));
  }
}

TEST(RunSucceeded, ASubcommandByItsWordFollowsTheSameRule) {
  EXPECT_TRUE(run_succeeded(std::string("drift"), 2));
  EXPECT_TRUE(run_succeeded(std::string("plan"), 2));
  EXPECT_FALSE(run_succeeded(std::string("apply"), 2));
  EXPECT_FALSE(run_succeeded(std::string("status"), 2));  // no run command: exit 0 only
  EXPECT_TRUE(run_succeeded(std::string("status"), 0));
  EXPECT_FALSE(run_succeeded(std::string("gates"), 1));
}

TEST(ChangesInfrastructure, AJournalWordNamingNoCommandCountsAsOne) {
  EXPECT_TRUE(changes_infrastructure("apply"));
  EXPECT_TRUE(changes_infrastructure("destroy"));
  EXPECT_TRUE(changes_infrastructure("rebuild"));
  EXPECT_FALSE(changes_infrastructure("plan"));
  EXPECT_FALSE(changes_infrastructure("drift"));
  EXPECT_FALSE(changes_infrastructure("exec"));
  EXPECT_FALSE(changes_infrastructure(""));       // a damaged run_start
  EXPECT_TRUE(changes_infrastructure("import"));  // a resume refuses it, naming the word
}

}  // namespace
}  // namespace stackctl
