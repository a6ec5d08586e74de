// The console decided from the global flags and the terminal, and what a failed command leaves
// on stdout for each --output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stackctl/report/report.h"

namespace stackctl {
namespace {

/// "live color" / "live" / "color" / "plain" for the console of flags on terminal.
std::string shown(const ConsoleFlags& flags, const Terminal& terminal) {
  Console c = make_console(flags, terminal);
  if (c.live) return c.color ? "live color" : "live";
  return c.color ? "color" : "plain";
}

TEST(Console, ATerminalThatIsNotDumbIsLiveAndColouredUnlessColourIsTurnedOff) {
  EXPECT_EQ(shown({}, {true, "xterm-256color", nullptr, nullptr}), "live color");
  EXPECT_EQ(shown({}, {true, nullptr, nullptr, nullptr}), "live color");
  EXPECT_EQ(shown({}, {true, "dumb", nullptr, nullptr}), "plain");
  EXPECT_EQ(shown({true}, {true, "xterm", nullptr, nullptr}), "live") << "--no-color";
  EXPECT_EQ(shown({}, {true, "xterm", "1", nullptr}), "live") << "NO_COLOR=1";
  EXPECT_EQ(shown({}, {true, "xterm", "", nullptr}), "live color") << "an empty NO_COLOR is unset";
}

TEST(Console, ClicolorForceColoursAPipeButNeverAgainstNoColor) {
  EXPECT_EQ(shown({}, {false, "xterm", nullptr, nullptr}), "plain");
  EXPECT_EQ(shown({}, {false, "xterm", nullptr, "1"}), "color");
  EXPECT_EQ(shown({}, {false, "dumb", nullptr, "1"}), "color");
  EXPECT_EQ(shown({}, {false, "xterm", nullptr, "0"}), "plain");
  EXPECT_EQ(shown({}, {false, "xterm", nullptr, ""}), "plain");
  EXPECT_EQ(shown({}, {false, "xterm", "1", "1"}), "plain");
  EXPECT_EQ(shown({true}, {false, "xterm", nullptr, "1"}), "plain");
}

TEST(Console, TheFlagsPassThroughAndAnyOtherOutputIsText) {
  Console c = make_console({false, true, true, "ndjson"}, {});
  EXPECT_TRUE(c.verbose);
  EXPECT_TRUE(c.quiet);
  EXPECT_EQ(c.format, OutputFormat::Ndjson);
  EXPECT_EQ(make_console({false, false, false, "json"}, {}).format, OutputFormat::Json);
  EXPECT_EQ(make_console({}, {}).format, OutputFormat::Text);
}

TEST(ErrorOutput, TextLeavesStdoutEmptyJsonGetsTheDocumentNdjsonItsLastEvent) {
  EXPECT_EQ(error_output(OutputFormat::Text, "apply", "dev", 64, "unknown layer 'vpx'"), "");
  const std::string json =
      error_output(OutputFormat::Json, "apply", "dev", 64, "unknown layer 'vpx'");
  const nlohmann::json doc = nlohmann::json::parse(json);
  EXPECT_EQ(json, doc.dump(2) + "\n");
  EXPECT_EQ(doc["command"], "apply");
  EXPECT_EQ(doc["env"], "dev");
  EXPECT_EQ(doc["exit_code"], 64);
  EXPECT_EQ(doc["success"], false);
  EXPECT_EQ(doc["errors"], nlohmann::json::array({"unknown layer 'vpx'"}));
  EXPECT_FALSE(doc.contains("event"));
  const std::string line =
      error_output(OutputFormat::Ndjson, "apply", "dev", 64, "unknown layer 'vpx'");
  nlohmann::json event = doc;
  event["event"] = "run_finished";
  EXPECT_EQ(line, event.dump() + "\n");
}

}  // namespace
}  // namespace stackctl
