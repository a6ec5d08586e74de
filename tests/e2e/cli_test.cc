// End to end: the command line itself, before any command runs.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "stackctl/util/version.h"
#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;

TEST(CommandLine, AMistypedCommandGetsADidYouMeanAndExits64) {
  Scenario s;
  for (const auto& [typed, meant] : {std::pair<std::string, std::string>{"aply", "apply"},
                                     {"destory", "destroy"},
                                     {"stauts", "status"},
                                     {"plna", "plan"}}) {
    SCOPED_TRACE(typed);
    Outcome r = s.run({typed, "--env", "dev"});
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_EQ(r.err, "stackctl: unknown command '" + typed + "' (did you mean '" + meant + "'?)\n");
  }
  // Global flags and their values before the command are not mistaken for it.
  Outcome flags = s.run({"--output", "json", "aply"});
  EXPECT_EQ(flags.err, "stackctl: unknown command 'aply' (did you mean 'apply'?)\n");
  // Nothing close: CLI11's own message.
  Outcome far = s.run({"frobnicate"});
  EXPECT_EQ(far.exit_code, 64);
  EXPECT_EQ(far.err, "A subcommand is required\nRun with --help for more information.\n");
}

TEST(CommandLine, AnUnknownFlagIsNamedAndExits64) {
  Scenario s;
  // Before a command, after one, and after one with everything it requires: the same message,
  // not "A subcommand is required" or "--env is required".
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--no-such-flag"},
                                               {"apply", "--no-such-flag"},
                                               {"apply", "--env", "dev", "--no-such-flag"}}) {
    SCOPED_TRACE(args.size());
    Outcome r = s.run(args);
    EXPECT_EQ(r.exit_code, 64);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err,
              "The following argument was not expected: --no-such-flag\n"
              "Run with --help for more information.\n");
  }
  Outcome two = s.run({"--no-such-flag", "status", "--env", "dev", "--nor-this"});
  EXPECT_EQ(two.exit_code, 64);
  EXPECT_EQ(two.err,
            "The following arguments were not expected: --nor-this --no-such-flag\n"
            "Run with --help for more information.\n");
}

TEST(CommandLine, VersionPrintsTheProjectVersionAndExits0) {
  Scenario s;
  Outcome r = s.run({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string("stackctl ") + stackctl::version() + "\n");
  EXPECT_EQ(r.err, "");
}

TEST(CommandLine, ACommandLineThatDoesNotParseStillEndsWithTheJsonDocumentWhenOneIsAsked) {
  Scenario s;
  Outcome r = s.run({"--output", "json", "apply", "--env", "dev", "--no-such-flag"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(r.err,
            "The following argument was not expected: --no-such-flag\n"
            "Run with --help for more information.\n");
  EXPECT_EQ(nlohmann::json::parse(r.out),
            nlohmann::json::parse(R"({"command": "apply", "env": "dev", "errors": [
              "The following argument was not expected: --no-such-flag"], "exit_code": 64,
              "layers": [], "run_id": "", "success": false})"));
  // The format given after the command, in its = form; ndjson ends with the run_finished event.
  Outcome typo = s.run({"aply", "--output=ndjson"});
  EXPECT_EQ(typo.exit_code, 64);
  nlohmann::json event = nlohmann::json::parse(typo.out);
  EXPECT_EQ(event["event"], "run_finished");
  EXPECT_EQ(event["command"], "");
  EXPECT_EQ(event["errors"],
            nlohmann::json::array({"unknown command 'aply' (did you mean 'apply'?)"}));
  // Text, the default, prints nothing on stdout.
  EXPECT_EQ(s.run({"apply", "--env", "dev", "--no-such-flag"}).out, "");
}
