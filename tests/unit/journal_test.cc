// The run journal: what a run writes, and what a later command reads back, damage included.
#include "stackctl/journal/journal.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "stackctl/util/error.h"

namespace stackctl {
namespace {

namespace fs = std::filesystem;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "journal_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    file_ = dir_ / ".stackctl" / "dev" / "journal.jsonl";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string contents() const {
    std::ifstream in(file_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    std::istringstream in(contents());
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  void write_raw(const std::string& text) const {
    fs::create_directories(file_.parent_path());
    std::ofstream(file_, std::ios::app) << text;
  }

  fs::path dir_;
  fs::path file_;
};

JournalRecord layer_end(const std::string& layer, const std::string& action,
                        const std::string& result, double seconds) {
  JournalRecord r;
  r.type = "layer_end";
  r.run_id = "20261130T101500Z-3f9a";
  r.time = "2026-11-30T10:15:00Z";
  r.layer = layer;
  r.action = action;
  r.result = result;
  r.duration_s = seconds;
  return r;
}

const char* const kHeader =
    R"({"type":"header","format":"stackctl-journal","version":1,"created":"2026-11-30T10:00:00Z"})"
    "\n";

TEST_F(JournalTest, NewJournalStartsWithAVersionedHeader) {
  { JournalWriter writer(file_); }
  const std::vector<std::string> all = lines();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(std::regex_match(
      all[0], std::regex(R"(\{"type":"header","format":"stackctl-journal","version":1,)"
                         R"("created":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\})")))
      << all[0];
}

TEST_F(JournalTest, ReopeningAddsNoSecondHeaderButAnEmptyFileGetsOne) {
  write_raw("");
  { JournalWriter writer(file_); }
  { JournalWriter writer(file_); }
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_EQ(read_journal(file_).records.at(0).type, "header");
}

TEST_F(JournalTest, LayerEndIsOneLineWithKnownFieldsFirstAndExtrasAfter) {
  JournalRecord r = layer_end("vpc", "apply", "ok", 12.3456);
  r.changes = {3, 1, 0, 0};
  r.raw["log"] = "runs/x/vpc.apply.log";
  r.raw["layer"] = "ignored: the record's own field wins";
  JournalWriter(file_).append(r);
  EXPECT_EQ(lines().at(1),
            R"({"type":"layer_end","run_id":"20261130T101500Z-3f9a","time":"2026-11-30T10:15:00Z",)"
            R"("layer":"vpc","action":"apply","result":"ok","exit_code":0,"duration_s":12.346,)"
            R"("changes":{"add":3,"change":1,"destroy":0},"log":"runs/x/vpc.apply.log"})");
}

TEST_F(JournalTest, StartRecordsLeaveOutEmptyFields) {
  JournalRecord r;
  r.type = "layer_start";
  r.run_id = "r1";
  r.layer = "vpc";
  r.action = "plan";
  JournalWriter(file_).append(r);
  EXPECT_EQ(lines().at(1), R"({"type":"layer_start","run_id":"r1","layer":"vpc","action":"plan"})");
}

TEST_F(JournalTest, EveryFieldSurvivesTheRoundTrip) {
  JournalRecord start;
  start.type = "run_start";
  start.run_id = "r1";
  start.time = "2026-11-30T10:15:00Z";
  start.raw = {{"command", "apply"},
               {"argv", {"stackctl", "apply", "--env", "dev"}},
               {"selection", {"vpc", "rds-app"}}};
  JournalRecord end = layer_end("rds-app", "apply", "failed", 61.5);
  end.exit_code = 1;
  end.changes = {2, 0, 1, 1};
  {
    JournalWriter writer(file_);
    writer.append(start);
    writer.append(end);
  }
  const JournalContents j = read_journal(file_);
  EXPECT_TRUE(j.warnings.empty());
  ASSERT_EQ(j.records.size(), 3u);
  const JournalRecord& s = j.records[1];
  EXPECT_EQ(s.type, "run_start");
  EXPECT_EQ(s.run_id, "r1");
  EXPECT_EQ(s.time, "2026-11-30T10:15:00Z");
  EXPECT_EQ(s.raw.at("argv"), nlohmann::json({"stackctl", "apply", "--env", "dev"}));
  EXPECT_EQ(s.raw.at("selection"), nlohmann::json({"vpc", "rds-app"}));
  EXPECT_EQ(s.raw.at("command"), "apply");
  const JournalRecord& e = j.records[2];
  EXPECT_EQ(e.type, "layer_end");
  EXPECT_EQ(e.run_id, "20261130T101500Z-3f9a");
  EXPECT_EQ(e.time, "2026-11-30T10:15:00Z");
  EXPECT_EQ(e.layer, "rds-app");
  EXPECT_EQ(e.action, "apply");
  EXPECT_EQ(e.result, "failed");
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_EQ(e.duration_s, 61.5);
  EXPECT_EQ(e.changes.add, 2);
  EXPECT_EQ(e.changes.change, 0);
  EXPECT_EQ(e.changes.destroy, 1);
  EXPECT_EQ(e.changes.replace, 1);
}

TEST_F(JournalTest, MissingJournalReadsAsEmpty) {
  const JournalContents j = read_journal(dir_ / "nowhere" / "journal.jsonl");
  EXPECT_TRUE(j.records.empty());
  EXPECT_TRUE(j.warnings.empty());
}

TEST_F(JournalTest, TornLastLineIsSkippedOnceAndTheNextRecordStartsOnAFreshLine) {
  {
    JournalWriter writer(file_);
    writer.append(layer_end("vpc", "apply", "ok", 1));
    writer.append(layer_end("sg-db", "apply", "ok", 2));
  }
  write_raw(R"({"type":"layer_end","run_id":"r1","layer":"rds)");  // the crash
  const JournalContents torn = read_journal(file_);
  EXPECT_EQ(torn.records.size(), 3u);
  EXPECT_EQ(torn.warnings, std::vector<std::string>{file_.string() + ":4: skipped torn last line"});

  JournalWriter(file_).append(layer_end("rds-app", "apply", "ok", 3));
  EXPECT_NE(contents().find("\"rds\n{\"type\":\"layer_end\""), std::string::npos);
  const JournalContents after = read_journal(file_);
  EXPECT_EQ(after.warnings,
            std::vector<std::string>{file_.string() + ":4: skipped unreadable journal line"});
  ASSERT_EQ(after.records.size(), 4u);
  EXPECT_EQ(after.records[3].layer, "rds-app");
}

TEST_F(JournalTest, GarbageLinesAreSkippedWithTheirLineNumbersAndBlankLinesSilently) {
  write_raw(std::string(kHeader) + "not json at all\n\n   \n[1,2,3]\n42\n" +
            R"({"type":"confirm","layer":"registrar-ns","time":"t1"})" + "\r\n" + "{\"type\":\n");
  const JournalContents j = read_journal(file_);
  const std::string f = file_.string();
  EXPECT_EQ(j.warnings, (std::vector<std::string>{f + ":2: skipped unreadable journal line",
                                                  f + ":5: skipped unreadable journal line",
                                                  f + ":6: skipped unreadable journal line",
                                                  f + ":8: skipped unreadable journal line"}));
  ASSERT_EQ(j.records.size(), 2u);
  EXPECT_EQ(j.records[1].layer, "registrar-ns");
}

TEST_F(JournalTest, FieldsOfTheWrongTypeReadAsEmpty) {
  write_raw(std::string(kHeader) +
            R"({"type":"layer_end","layer":7,"exit_code":"x","duration_s":null,"changes":[1]})"
            "\n");
  const JournalContents j = read_journal(file_);
  EXPECT_TRUE(j.warnings.empty());
  ASSERT_EQ(j.records.size(), 2u);
  EXPECT_EQ(j.records[1].layer, "");
  EXPECT_EQ(j.records[1].exit_code, 0);
  EXPECT_EQ(j.records[1].duration_s, 0);
  EXPECT_FALSE(j.records[1].changes.any());
}

TEST_F(JournalTest, UnknownRecordTypesAreKeptButIgnoredByQueries) {
  write_raw(std::string(kHeader) +
            R"({"type":"drift_check","layer":"vpc","result":"ok","detail":{"n":2}})"
            "\n");
  const JournalContents j = read_journal(file_);
  EXPECT_TRUE(j.warnings.empty());
  ASSERT_EQ(j.records.size(), 2u);
  EXPECT_EQ(j.records[1].type, "drift_check");
  EXPECT_EQ(j.records[1].raw.at("detail").at("n"), 2);
  EXPECT_TRUE(last_results(j).empty());
  EXPECT_TRUE(confirmations(j).empty());
}

TEST_F(JournalTest, NewerFormatVersionWarnsAndReadsWhatItUnderstands) {
  write_raw(R"({"type":"header","format":"stackctl-journal","version":2,"created":"x"})"
            "\n" +
            std::string(R"({"type":"layer_end","layer":"vpc","action":"apply","result":"ok"})") +
            "\n");
  const JournalContents j = read_journal(file_);
  EXPECT_EQ(j.warnings,
            std::vector<std::string>{file_.string() +
                                     ":1: journal format version 2 is newer than this stackctl "
                                     "understands (1); reading the records it knows"});
  EXPECT_EQ(last_results(j).at("vpc").result, "ok");
}

TEST_F(JournalTest, AHundredThousandLinesLoad) {
  std::string text = kHeader;
  for (int i = 0; i < 100000; ++i) {
    text += R"({"type":"layer_end","run_id":"r)" + std::to_string(i / 10) + R"(","layer":"layer-)" +
            std::to_string(i % 10) +
            R"(","action":"apply","result":"ok","exit_code":0,"duration_s":)" + std::to_string(i) +
            "}\n";
  }
  write_raw(text);
  const JournalContents j = read_journal(file_);
  EXPECT_TRUE(j.warnings.empty());
  EXPECT_EQ(j.records.size(), 100001u);
  const auto last = last_results(j);
  ASSERT_EQ(last.size(), 10u);
  EXPECT_EQ(last.at("layer-3").run_id, "r9999");
  EXPECT_EQ(last.at("layer-3").duration_s, 99993);
}

TEST_F(JournalTest, LastResultsTakeTheLatestLayerEndOfAnyRun) {
  {
    JournalWriter writer(file_);
    writer.append(layer_end("vpc", "apply", "ok", 10));
    writer.append(layer_end("rds-app", "apply", "ok", 300));
    writer.append(layer_end("vpc", "destroy", "failed", 4));
  }
  const auto last = last_results(read_journal(file_));
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last.at("vpc").action, "destroy");
  EXPECT_EQ(last.at("vpc").result, "failed");
  EXPECT_EQ(last.at("rds-app").action, "apply");
}

TEST_F(JournalTest, ConfirmationsListEachManualStepOnce) {
  JournalRecord confirm;
  confirm.type = "confirm";
  confirm.layer = "registrar-ns";
  confirm.time = "2026-11-30T11:00:00Z";
  {
    JournalWriter writer(file_);
    writer.append(confirm);
    confirm.time = "2026-12-01T09:00:00Z";
    writer.append(confirm);
    writer.append(layer_end("vpc", "apply", "ok", 1));
  }
  const auto confirmed = confirmations(read_journal(file_));
  ASSERT_EQ(confirmed.size(), 1u);
  EXPECT_EQ(confirmed.at("registrar-ns").time, "2026-12-01T09:00:00Z");
}

TEST_F(JournalTest, MediansUseOnlySuccessfulEndsOfTheAction) {
  {
    JournalWriter writer(file_);
    for (double s : {30.0, 10.0, 20.0}) writer.append(layer_end("vpc", "apply", "ok", s));
    for (double s : {100.0, 300.0}) writer.append(layer_end("rds-app", "apply", "ok", s));
    writer.append(layer_end("vpc", "apply", "failed", 9999));
    writer.append(layer_end("vpc", "destroy", "ok", 5));
    writer.append(layer_end("sg", "apply", "interrupted", 7));
  }
  const JournalContents j = read_journal(file_);
  EXPECT_EQ(median_durations(j, "apply"),
            (std::map<std::string, double>{{"rds-app", 200.0}, {"vpc", 20.0}}));
  EXPECT_EQ(median_durations(j, "destroy"), (std::map<std::string, double>{{"vpc", 5.0}}));
  EXPECT_TRUE(median_durations(j, "plan").empty());
}

TEST_F(JournalTest, ADirectoryInTheWayIsACleanError) {
  fs::create_directories(file_);
  try {
    JournalWriter writer(file_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Software);
    EXPECT_EQ(std::string(e.what()),
              "cannot open journal " + file_.string() + ": it is a directory, not a regular file");
  }
}

TEST_F(JournalTest, AFileWhereTheFolderShouldBeIsACleanError) {
  std::ofstream(dir_ / ".stackctl") << "not a folder";
  try {
    JournalWriter writer(file_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Software);
    EXPECT_EQ(std::string(e.what()),
              "cannot create journal folder " + file_.parent_path().string() + ": Not a directory");
  }
}

TEST_F(JournalTest, AnUnwritableStateFolderIsACleanError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only folders";
  fs::create_directories(file_.parent_path());
  fs::permissions(file_.parent_path(), fs::perms::owner_read | fs::perms::owner_exec);
  try {
    JournalWriter writer(file_);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Software);
    EXPECT_EQ(std::string(e.what()),
              "cannot open journal " + file_.string() + ": Permission denied");
  }
  fs::permissions(file_.parent_path(), fs::perms::owner_all);
}

TEST_F(JournalTest, AWriteTheDiskRefusesIsACleanError) {
  // A file-size limit of one byte makes every write past it fail (EFBIG) as a full disk would.
  struct rlimit old {};
  ::getrlimit(RLIMIT_FSIZE, &old);
  auto previous = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit tiny = old;
  tiny.rlim_cur = 1;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tiny), 0);
  std::string what;
  try {
    JournalWriter writer(file_);  // writing the header already fails
  } catch (const Error& e) {
    what = e.what();
    EXPECT_EQ(e.code(), ExitCode::Software);
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previous);
  EXPECT_EQ(what, "cannot write journal " + file_.string() + ": File too large");
}

TEST_F(JournalTest, ADeviceFifoOrSymlinkInPlaceOfTheJournalIsRefusedNotReadOrWritten) {
  fs::create_directories(file_.parent_path());
  for (const std::string kind : {"symlink", "fifo"}) {
    SCOPED_TRACE(kind);
    fs::remove(file_);
    if (kind == "symlink") fs::create_symlink("/dev/zero", file_);
    if (kind == "fifo") {
      ASSERT_EQ(::mkfifo(file_.c_str(), 0600), 0);
    }
    const std::string why = kind == "symlink"
                                ? "it is a symbolic link, which stackctl does not follow"
                                : "it is a FIFO, not a regular file";
    try {
      read_journal(file_);  // would read /dev/zero forever, or wait for a FIFO writer
      ADD_FAILURE() << "expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                "cannot read journal " + file_.string() + ": " + why + "; move it aside");
    }
    try {
      JournalWriter writer(file_);
      ADD_FAILURE() << "expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), "cannot open journal " + file_.string() + ": " + why);
    }
  }
}

TEST(RunId, IsUtcTimeWithAShortRandomSuffix) {
  const std::string id = new_run_id();
  EXPECT_TRUE(std::regex_match(id, std::regex(R"(\d{8}T\d{6}Z-[0-9a-f]{4})"))) << id;
}

TEST(Now, IsIso8601UtcWithSeconds) {
  const std::string now = now_iso8601();
  EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"))) << now;
}

}  // namespace
}  // namespace stackctl
