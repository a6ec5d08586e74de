// Every input saved under tests/data/fuzz-regressions/<target>/ (crashes fuzzing found, and the
// known hazards: deep nesting, alias bombs, NUL bytes, invalid UTF-8, duplicate keys, wrong
// types) and every seed of fuzz/corpus/<target>/ replayed through the same entry points the
// libFuzzer targets drive (fuzz/targets.h), in the normal test suite. A regression crashes this
// test; the hazards' exact findings are checked as well.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../fuzz/targets.h"
#include "stackctl/journal/journal.h"
#include "stackctl/manifest/env.h"
#include "stackctl/manifest/hcl.h"
#include "stackctl/manifest/manifest.h"
#include "stackctl/util/diagnostics.h"

namespace stackctl {
namespace {
namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

const fs::path kRegressions = fs::path(STACKCTL_SOURCE_DIR) / "tests/data/fuzz-regressions";
const fs::path kCorpus = fs::path(STACKCTL_SOURCE_DIR) / "fuzz/corpus";

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Replays every file of every target folder under dir; returns how many were replayed.
std::size_t replay_all(const fs::path& dir) {
  std::size_t replayed = 0;
  for (const auto& folder : fs::directory_iterator(dir)) {
    const std::string target = folder.path().filename().string();
    auto it = fuzz::targets().find(target);
    EXPECT_NE(it, fuzz::targets().end()) << "no fuzz target called " << target;
    if (it == fuzz::targets().end()) continue;
    for (const auto& input : fs::directory_iterator(folder.path())) {
      SCOPED_TRACE(input.path().string());
      it->second(slurp(input.path()));
      ++replayed;
    }
  }
  return replayed;
}

Lines manifest_findings(const std::string& name) {
  Diagnostics diags;
  parse_manifest(slurp(kRegressions / "manifest" / name), "m.yaml", diags);
  Lines out;
  for (const Diagnostic& d : diags.all()) out.push_back(d.str());
  return out;
}

Lines env_findings(const std::string& name) {
  Diagnostics diags;
  parse_env(slurp(kRegressions / "env" / name), "e.yaml", diags);
  Lines out;
  for (const Diagnostic& d : diags.all()) out.push_back(d.str());
  return out;
}

/// The syntax error of an HCL file ("" when it parses).
std::string hcl_error(const std::string& name) {
  HclModule module;
  std::string error;
  parse_hcl(slurp(kRegressions / "hcl" / name), module, error);
  return error;
}

}  // namespace

TEST(FuzzRegressions, EverySavedInputIsHandledWithoutCrashing) {
  EXPECT_GE(replay_all(kRegressions), 30u);
}

TEST(FuzzRegressions, EverySeedOfTheFuzzCorporaIsHandled) {
  EXPECT_GE(replay_all(kCorpus), 40u);
  for (const auto& [name, run] : fuzz::targets())
    EXPECT_TRUE(fs::is_directory(kCorpus / name)) << "fuzz target " << name << " has no seeds";
}

TEST(FuzzRegressions, DeepNestingIsRefusedNotRecursedInto) {
  const Lines too_deep = {"m.yaml:2: nesting is deeper than 256 levels"};
  EXPECT_EQ(manifest_findings("deep-flow-nesting.yaml"), too_deep);
  EXPECT_EQ(manifest_findings("deep-mapping-nesting.yaml"), too_deep);
  EXPECT_EQ(manifest_findings("deep-block-nesting.yaml"),
            Lines{"m.yaml:3: nesting is deeper than 256 levels"});
  EXPECT_EQ(env_findings("deep-flow-nesting.yaml"),
            Lines{"e.yaml:2: nesting is deeper than 256 levels"});
  // The HCL reader walks brackets with a counter, not recursion: any depth is read.
  EXPECT_EQ(hcl_error("deep-nesting.hcl"), "");
}

TEST(FuzzRegressions, AliasBombsAndSelfReferencesAreRefused) {
  EXPECT_EQ(manifest_findings("billion-laughs.yaml"),
            Lines{"m.yaml:6: aliases expand the document to more than 200000 nodes"});
  EXPECT_EQ(env_findings("billion-laughs.yaml"),
            Lines{"e.yaml:7: aliases expand the document to more than 200000 nodes"});
  EXPECT_EQ(manifest_findings("self-alias.yaml"),
            Lines{"m.yaml:2: an alias refers to a node that contains it"});
}

TEST(FuzzRegressions, NulBytesAndInvalidEncodingsAreRefused) {
  EXPECT_EQ(manifest_findings("nul-byte.yaml"),
            Lines{"m.yaml:3: NUL byte at column 12 (the file must be UTF-8 text)"});
  EXPECT_EQ(manifest_findings("invalid-utf8.yaml"),
            Lines{"m.yaml:3: invalid UTF-8 byte 0xE9 at column 14"});
  EXPECT_EQ(manifest_findings("surrogate.yaml"),
            Lines{"m.yaml:2: invalid UTF-8 byte 0xED at column 9"});
  EXPECT_EQ(manifest_findings("utf16.yaml"), Lines{"m.yaml:1: file is UTF-16; save it as UTF-8"});
  EXPECT_EQ(env_findings("nul-byte.yaml"),
            Lines{"e.yaml:2: NUL byte at column 12 (the file must be UTF-8 text)"});
  EXPECT_EQ(env_findings("invalid-utf8.yaml"),
            Lines{"e.yaml:1: invalid UTF-8 byte 0xC3 at column 8"});
}

TEST(FuzzRegressions, DuplicateKeysAreReportedWithTheFirstDefinition) {
  EXPECT_EQ(manifest_findings("duplicate-keys.yaml"),
            (Lines{"m.yaml:2: duplicate key 'version' (first defined at line 1)",
                   "m.yaml:5: duplicate key 'name' (first defined at line 4)",
                   "m.yaml:7: duplicate key 'depends_on' (first defined at line 6)"}));
  EXPECT_EQ(env_findings("duplicate-keys.yaml"),
            (Lines{"e.yaml:2: duplicate key 'name' (first defined at line 1)",
                   "e.yaml:3: duplicate key 'A' (first defined at line 3)",
                   "e.yaml:4: duplicate key 'vpc' (first defined at line 4)"}));
}

TEST(FuzzRegressions, UnterminatedHclIsASyntaxErrorWithItsLine) {
  EXPECT_EQ(hcl_error("unterminated-block.hcl"), "1: unterminated '{'");
  EXPECT_EQ(hcl_error("unterminated-heredoc.hcl"), "1: unterminated heredoc <<EOT");
  EXPECT_EQ(hcl_error("unterminated-string.hcl"), "2: unterminated string");
}

TEST(FuzzRegressions, AJournalOfWrongTypesLoadsWhatItCanWithWarnings) {
  fuzz::Scratch::get();
  const fs::path file = fuzz::Scratch::get().write(
      "wrong-types.jsonl", slurp(kRegressions / "journal/wrong-types.jsonl"));
  JournalContents j = read_journal(file);
  const std::string f = file.string();
  EXPECT_EQ(j.warnings,
            (Lines{f + ":1: journal format version 99 is newer than this stackctl understands (1); "
                       "reading the records it knows",
                   f + ":2: ignored run_start field 'command' (not a string)",
                   f + ":2: ignored run_start field 'options' (not an object)",
                   f + ":2: ignored run_start field 'phases' (not a list of {action, layers})",
                   f + ":3: ignored run_start field 'phases' (not a list of {action, layers})",
                   f + ":7: skipped torn last line"}));
  ASSERT_EQ(j.records.size(), 6u);
  EXPECT_EQ(j.records[4].exit_code, 2147483647) << "numbers are clamped, not overflowed";
  EXPECT_EQ(j.records[4].duration_s, -1e308);
}

}  // namespace stackctl
