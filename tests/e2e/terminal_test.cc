// End to end: what children and manifest authors write never drives the user's terminal.
// Escape sequences and control characters in child output (the -v echo, a failure's last
// lines) and in manifest text (a gate's instructions) reach stderr visibly escaped, with
// colours or without; the log files keep the bytes exactly (docs/reliability.md).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "stackctl/util/terminal_text.h"
#include "support/scenario.h"

using stackctl::terminal_safe;
using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Attacks, each as printf(1) writes it and as the bytes that reach the terminal.
struct Attack {
  const char* what;
  const char* printf_format;
  std::string bytes;
};

const std::vector<Attack> kAttacks = {
    {"window title", "\\033]0;pwned\\007", "\x1b]0;pwned\x07"},
    {"clipboard write", "\\033]52;c;Y3VybCBldmlsLnNofHNo\\007",
     "\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07"},
    {"repaint as success", "\\033[1A\\033[2K[1/1] vpc apply ok",
     "\x1b[1A\x1b[2K[1/1] vpc apply ok"},
    {"clear screen", "\\033[2J\\033[H", "\x1b[2J\x1b[H"},
    {"carriage return", "Error: x\\rAll good   ", "Error: x\rAll good   "},
    {"hidden text", "\\033[8mhidden\\033[0m", "\x1b[8mhidden\x1b[0m"},
    {"8-bit CSI", "\\2332J",
     "\x9b"
     "2J"},
    {"C1 in UTF-8", "\\302\\2332J",
     "\xc2\x9b"
     "2J"},
    {"bell and backspace", "\\007\\010\\010x", "\x07\x08\x08x"},
    {"right-to-left override", "\\342\\200\\256gnp.exe",
     "\xe2\x80\xae"
     "gnp.exe"},
};

/// One command layer per attack, printing it on stdout and stderr; `fail` makes the last one
/// exit 1 so that its last lines are shown.
std::string manifest(bool fail) {
  std::string m = "version: 1\nlayers:\n";
  for (std::size_t i = 0; i < kAttacks.size(); ++i) {
    m += "  - name: attack-" + std::to_string(i) + "\n    kind: command\n";
    if (i > 0) m += "    depends_on: [attack-" + std::to_string(i - 1) + "]\n";
    const std::string script = std::string("printf '") + kAttacks[i].printf_format +
                               "\\n'; printf '" + kAttacks[i].printf_format + "\\n' >&2" +
                               (fail && i + 1 == kAttacks.size() ? "; exit 1" : "");
    std::string quoted;  // a YAML single-quoted scalar: backslashes stay, ' is doubled
    for (char c : script) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    m += "    command: [sh, -c, '" + quoted + "']\n";
  }
  return m;
}

struct Project : Scenario {
  Project() { env("dev", "name: dev\nparallelism: 1\n"); }
  std::string log(const std::string& layer) const {
    for (const auto& run : fs::directory_iterator(root() / ".stackctl/dev/runs"))
      return read(fs::relative(run.path() / (layer + ".apply.log"), root()).string());
    return "";
  }
};

}  // namespace

TEST(Terminal, ChildOutputInTheVerboseEchoIsEscapedWithOrWithoutColour) {
  for (const bool colour : {false, true}) {
    SCOPED_TRACE(colour ? "CLICOLOR_FORCE=1" : "NO_COLOR=1");
    Project p;
    p.manifest(manifest(false));
    const std::map<std::string, std::string> env =
        colour ? std::map<std::string, std::string>{{"NO_COLOR", ""}, {"CLICOLOR_FORCE", "1"}}
               : std::map<std::string, std::string>{};
    Outcome r = p.run({"-v", "apply", "--env", "dev", "--yes"}, env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (std::size_t i = 0; i < kAttacks.size(); ++i) {
      const std::string label = "[attack-" + std::to_string(i) + "] ";
      const std::string shown = terminal_safe(kAttacks[i].bytes);
      EXPECT_NE(shown, kAttacks[i].bytes) << kAttacks[i].what;
      EXPECT_TRUE(contains(r.err, label + shown + "\n")) << kAttacks[i].what << "\n" << r.err;
      EXPECT_FALSE(contains(r.err, kAttacks[i].bytes)) << kAttacks[i].what;
      // The log keeps what the child wrote, byte for byte.
      EXPECT_EQ(p.log("attack-" + std::to_string(i)),
                kAttacks[i].bytes + "\n" + kAttacks[i].bytes + "\n")
          << kAttacks[i].what;
    }
    if (!colour) {
      EXPECT_FALSE(contains(r.err, "\x1b")) << "no escape byte at all without colours";
    }
  }
}

TEST(Terminal, AFailedLayersLastLinesAreEscaped) {
  Project p;
  p.manifest(manifest(true));
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const Attack& last = kAttacks.back();
  const std::string label = "    [attack-" + std::to_string(kAttacks.size() - 1) + "] ";
  EXPECT_TRUE(contains(r.err, label + terminal_safe(last.bytes) + "\n")) << r.err;
  EXPECT_FALSE(contains(r.err, "\x1b")) << r.err;
  EXPECT_FALSE(contains(r.err, "\xe2\x80\xae")) << r.err;
}

TEST(Terminal, AGatesInstructionsAreEscaped) {
  Project p;
  p.manifest(
      "version: 1\nlayers:\n  - name: registrar\n    kind: manual\n"
      "    instructions: \"Point the registrar at\\e]0;pwned\\a the name "
      "servers.\\e[1A\\e[2KDone\"\n");
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  if (r.exit_code == 65)
    GTEST_SKIP() << "the manifest loader refuses control characters: " << r.err;
  ASSERT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(contains(
      r.err, "Point the registrar at\\x1b]0;pwned\\x07 the name servers.\\x1b[1A\\x1b[2KDone"))
      << r.err;
  EXPECT_FALSE(contains(r.err, "\x1b")) << r.err;
}

TEST(Terminal, JournalTextShownByStatusIsEscaped) {
  Project p;
  p.manifest("version: 1\nlayers:\n  - name: vpc\n");
  p.layer_hcl("dev", "vpc", {});
  p.write(".stackctl/dev/journal.jsonl",
          "{\"type\":\"header\",\"format\":\"stackctl-journal\",\"version\":1}\n"
          "{\"type\":\"run_start\",\"run_id\":\"r1\",\"time\":\"\\u001b]0;pwned\\u0007\","
          "\"command\":\"apply\\u001b[2J\"}\n"
          "{\"type\":\"layer_end\",\"run_id\":\"r1\",\"time\":\"t\",\"layer\":\"vpc\",\"action\":"
          "\"apply\",\"result\":\"ok\\u001b[32m\"}\n");
  Outcome r = p.run({"status", "--env", "dev"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(
      contains(r.out, "last run r1: apply\\x1b[2J started \\x1b]0;pwned\\x07, never finished"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "ok\\x1b[32m")) << r.out;
  EXPECT_FALSE(contains(r.out, "\x1b")) << r.out;
}
