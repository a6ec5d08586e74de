// What a run shows while it goes: the one-line-per-event output, the live board's lines and
// its redraws, the ETA, and the durations read from the journal. Time comes from a fake clock.
#include "stackctl/report/progress.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/memory_stream.h"
#include "support/stack_fixture.h"

using namespace stackctl;
using stackctl::testing::StackFixture;
using Lines = std::vector<std::string>;

namespace {

const char* kManifest = R"(version: 1
layers:
  - name: vpc
  - name: sg-db
    depends_on: [vpc]
  - name: app
    depends_on: [vpc]
)";

using Stream = stackctl::testing::MemoryStream;

LayerResult result(std::size_t layer, Outcome outcome, double duration) {
  LayerResult r;
  r.layer = layer;
  r.action = Action::Apply;
  r.outcome = outcome;
  r.duration_s = duration;
  return r;
}

/// A board over vpc, sg-db and app (apply) at parallelism 2. The journal knows vpc (10 s) and
/// sg-db (20 s), not app. The clock starts at 0 and moves only when the test says.
struct Board {
  explicit Board(bool keep_going = false) {
    history.median_s[Action::Apply] = {10.0, 20.0, -1.0};
    exec.parallelism = 2;
    exec.keep_going = keep_going;
    board = std::make_unique<ProgressBoard>(
        fx.stack, console, std::vector<Phase>{Phase{Action::Apply, {0, 1, 2}}}, exec, history,
        stream.file, [this] { return now; }, [] { return std::size_t{80}; });
  }
  /// The text written since the last call.
  std::string written() {
    std::string all = stream.text();
    std::string fresh = all.substr(seen);
    seen = all.size();
    return fresh;
  }
  StackFixture fx{kManifest};
  Console console;
  DurationHistory history;
  ExecOptions exec;
  Stream stream;
  double now = 0;
  std::size_t seen = 0;
  std::unique_ptr<ProgressBoard> board;
};

BoardState busy_state() {
  BoardState s;
  s.total = 41;
  s.done = 3;
  s.parallelism = 2;
  s.started = 50;
  s.running = {{"vpc", Action::Apply, 90, 60.0}, {"sg-db", Action::Apply, 95, std::nullopt}};
  s.failures = {"kms"};
  s.queued_known_s = 100;
  s.typical_s = 30;
  return s;
}

}  // namespace

TEST(ProgressLines, OneLinePerFinishedLayerWithCountsAndDuration) {
  StackFixture fx(kManifest);
  Console console;
  Stream out;
  ProgressLines lines(fx.stack, console, 41, out.file);
  LayerResult r = result(0, Outcome::Ok, 45.2);
  r.changes = ChangeCounts{12, 0, 0, 0};
  r.changes_known = true;
  for (int i = 0; i < 3; ++i) lines.layer_finished(r);
  EXPECT_EQ(out.text(),
            "[ 1/41] vpc apply ok +12 ~0 -0 45.2s\n"
            "[ 2/41] vpc apply ok +12 ~0 -0 45.2s\n"
            "[ 3/41] vpc apply ok +12 ~0 -0 45.2s\n");
}

TEST(ProgressLines, AFailedLayerPrintsItsLastLinesAsOneBlockPrefixedWithTheLayer) {
  StackFixture fx(kManifest);
  Console console;
  Stream out;
  ProgressLines lines(fx.stack, console, 3, out.file);
  LayerResult r = result(1, Outcome::Failed, 2);
  r.message = "plan failed: exit 1";
  r.tail = "Error: no security group\nexit status 1\n";
  r.log_file = "/s/runs/R/sg-db.apply.log";
  lines.layer_finished(r);
  EXPECT_EQ(out.text(),
            "[1/3] sg-db apply failed - 2.0s\n"
            "    plan failed: exit 1\n"
            "    --- last lines of /s/runs/R/sg-db.apply.log ---\n"
            "    [sg-db] Error: no security group\n"
            "    [sg-db] exit status 1\n");
}

TEST(RenderBoard, ShowsProgressRunningLayersFailuresAndEta) {
  // vpc has 50 s to go, sg-db (unknown, 30 s typical) 25 s, the queue 100 s: 175 s over 2 slots.
  EXPECT_EQ(
      render_board(busy_state(), 100, 80),
      (Lines{"[ 3/41] 2 running, 1 failed, 50.0s elapsed, ETA 1m28s",
             "  vpc    apply    10.0s of ~1m00s", "  sg-db  apply    5.0s", "  failed: kms"}));
}

TEST(RenderBoard, LinesAreCutToTheTerminalWidth) {
  Lines lines = render_board(busy_state(), 100, 30);
  EXPECT_EQ(lines[0], "[ 3/41] 2 running, 1 faile...");
  for (const auto& l : lines) EXPECT_LT(l.size(), 30u) << l;
}

TEST(RenderBoard, ListsAtMostEightRunningLayers) {
  BoardState s;
  s.total = 10;
  s.parallelism = 10;
  for (int i = 0; i < 10; ++i)
    s.running.push_back({"l" + std::to_string(i), Action::Destroy, 0, 1.0});
  Lines lines = render_board(s, 0.5, 80);
  ASSERT_EQ(lines.size(), 10u);
  EXPECT_EQ(lines[1], "  l0  destroy  0.5s of ~1.0s");
  EXPECT_EQ(lines[9], "  ... and 2 more running");
}

TEST(RenderBoard, WithoutAnyDurationToGoByThereIsNoEta) {
  BoardState s;
  s.total = 2;
  s.queued_unknown = 2;
  EXPECT_EQ(render_board(s, 3, 80), (Lines{"[0/2] 0 running, 3.0s elapsed"}));
}

TEST(EstimateRemaining, StoppingCountsOnlyTheRunningLayersAndOverdueOnesCountZero) {
  BoardState s = busy_state();
  s.stopping = true;
  EXPECT_EQ(estimate_remaining(s, 100), 50.0);  // vpc's 50 s dominate sg-db's 25 s
  EXPECT_EQ(estimate_remaining(s, 200), 0.0);
  s.typical_s.reset();
  EXPECT_EQ(estimate_remaining(s, 100), std::nullopt);
}

TEST(EstimateRemaining, OneSlowLayerBoundsTheEstimateFromBelow) {
  BoardState s;
  s.parallelism = 4;
  s.running = {{"db", Action::Apply, 0, 600.0}};
  s.queued_known_s = 40;
  EXPECT_EQ(estimate_remaining(s, 0), 600.0);
}

TEST(ProgressBoard, RedrawsInPlaceAndPrintsFinishedLayersAboveTheBoard) {
  Board b;
  b.board->layer_started(0, Action::Apply);
  EXPECT_EQ(b.written(),
            "[0/3] 1 running, 0.0s elapsed, ETA 22.5s\n"
            "  vpc  apply    0.0s of ~10.0s\n");
  b.now = 4;
  b.board->tick();
  EXPECT_EQ(b.written(),
            "\r\033[2A\033[J"
            "[0/3] 1 running, 4.0s elapsed, ETA 20.5s\n"
            "  vpc  apply    4.0s of ~10.0s\n");
  LayerResult r = result(0, Outcome::Ok, 4);
  r.changes_known = true;
  r.changes.add = 1;
  b.board->layer_finished(r);
  EXPECT_EQ(b.written(),
            "\r\033[2A\033[J"
            "[1/3] vpc apply ok +1 ~0 -0 4.0s\n"
            "[1/3] 0 running, 4.0s elapsed, ETA 17.5s\n");
  b.board->close();
  EXPECT_EQ(b.written(), "\r\033[1A\033[J");
  b.board->tick();
  EXPECT_EQ(b.written(), "");
}

TEST(ProgressBoard, AFailureIsListedAndTheEtaGivesWayToStopping) {
  Board b;
  b.board->layer_started(0, Action::Apply);
  b.board->layer_started(2, Action::Apply);
  b.written();
  b.now = 1;
  LayerResult r = result(0, Outcome::Failed, 1);
  r.message = "apply failed: exit 1";
  b.board->layer_finished(r);
  EXPECT_EQ(b.written(),
            "\r\033[3A\033[J"
            "[1/3] vpc apply failed - 1.0s\n"
            "    apply failed: exit 1\n"
            "[1/3] 1 running, 1 failed, 1.0s elapsed, stopping\n"
            "  app  apply    1.0s\n"
            "  failed: vpc\n");
}

TEST(ProgressBoard, WithKeepGoingAFailureDoesNotStopTheEstimate) {
  Board b(true);
  b.board->layer_started(0, Action::Apply);
  b.written();
  b.board->layer_finished(result(0, Outcome::Failed, 0));
  EXPECT_FALSE(b.board->state().stopping);
  EXPECT_EQ(b.board->state().failures, (Lines{"vpc"}));
}

TEST(ProgressBoard, AnInterruptIsPrintedAboveTheBoardAndStopsTheEstimate) {
  Board b;
  b.board->layer_started(1, Action::Apply);
  b.written();
  b.board->interrupted(SIGINT, 1);
  EXPECT_EQ(
      b.written(),
      "\r\033[2A\033[J"
      "Ctrl-C received (1): no new layer starts; sending SIGINT to every running layer; "
      "waiting for them (press Ctrl-C again to forward another SIGINT, a third time to kill)\n"
      "[0/3] 1 running, 0.0s elapsed, stopping\n"
      "  sg-db  apply    0.0s of ~20.0s\n");
}

TEST(ProgressBoard, EchoedOutputGoesAboveTheBoardWhichRedrawsAtMostTenTimesASecond) {
  Board b;
  b.board->layer_started(2, Action::Apply);
  b.written();
  b.now = 0.05;
  b.board->echo("[app] Refreshing state...\n");
  EXPECT_EQ(b.written(), "\r\033[2A\033[J[app] Refreshing state...\n");
  b.now = 0.2;
  b.board->echo("[app] Plan: 1 to add\n");
  EXPECT_EQ(b.written(),
            "[app] Plan: 1 to add\n"
            "[0/3] 1 running, 0.2s elapsed, ETA 22.4s\n"
            "  app  apply    0.2s\n");
}

TEST(ProgressBoard, WithoutHistoryTheFinishedLayersStandInForTheRest) {
  StackFixture fx(kManifest);
  Console console;
  DurationHistory none;
  ExecOptions exec;
  Stream out;
  double now = 0;
  ProgressBoard board(
      fx.stack, console, {Phase{Action::Apply, {0, 1, 2}}}, exec, none, out.file,
      [&] { return now; }, [] { return std::size_t{80}; });
  board.layer_started(0, Action::Apply);
  EXPECT_EQ(board.state().typical_s, std::nullopt);
  now = 6;
  board.layer_finished(result(0, Outcome::Ok, 6));
  EXPECT_EQ(board.state().typical_s, 6.0);
  EXPECT_EQ(estimate_remaining(board.state(), now), 12.0);  // two more at 6 s, one at a time
}

TEST(DurationHistory, MediansOfSuccessfulRunsPerActionByPosition) {
  StackFixture fx(kManifest);
  JournalContents j;
  auto end = [&](const std::string& layer, const std::string& action, const std::string& res,
                 double secs) {
    JournalRecord r;
    r.type = "layer_end";
    r.layer = layer;
    r.action = action;
    r.result = res;
    r.duration_s = secs;
    j.records.push_back(r);
  };
  end("vpc", "apply", "ok", 10);
  end("vpc", "apply", "ok", 30);
  end("vpc", "apply", "ok", 12);
  end("vpc", "apply", "failed", 1);
  end("app", "destroy", "ok", 7);
  end("gone", "apply", "ok", 5);  // no longer in the manifest
  DurationHistory h = duration_history(j, fx.manifest);
  EXPECT_EQ(h.expected(0, Action::Apply), 12.0);
  EXPECT_EQ(h.expected(1, Action::Apply), std::nullopt);
  EXPECT_EQ(h.expected(2, Action::Destroy), 7.0);
  EXPECT_EQ(h.expected(2, Action::Apply), std::nullopt);
  EXPECT_EQ(h.expected(0, Action::Plan), std::nullopt);
}

namespace {

/// The visible rows of a terminal after it received `bytes`: printable text, '\n', '\r',
/// cursor up (ESC [ n A) and clear to the end of the screen (ESC [ J), which is all the board
/// uses. Enough to see what a user sees.
Lines screen(const std::string& bytes) {
  Lines rows{""};
  std::size_t row = 0, col = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c == '\n') {
      if (++row == rows.size()) rows.emplace_back();
      col = 0;
    } else if (c == '\r') {
      col = 0;
    } else if (c == '\033' && i + 1 < bytes.size() && bytes[i + 1] == '[') {
      std::size_t j = i + 2, n = 0;
      while (std::isdigit(static_cast<unsigned char>(bytes[j])))
        n = n * 10 + static_cast<std::size_t>(bytes[j++] - '0');
      if (bytes[j] == 'A') row -= std::min(row, std::max<std::size_t>(n, 1));
      if (bytes[j] == 'J') {
        rows.resize(row + 1);
        rows[row].resize(std::min(rows[row].size(), col));
      }
      if (bytes[j] == 'K') rows[row].resize(std::min(rows[row].size(), col));
      i = j;
    } else {
      if (rows[row].size() < col) rows[row].resize(col, ' ');
      if (col < rows[row].size())
        rows[row][col] = c;
      else
        rows[row] += c;
      ++col;
    }
  }
  while (!rows.empty() && rows.back().empty()) rows.pop_back();
  return rows;
}

/// A log file a fake child appends to.
struct Log {
  Log()
      : dir(std::filesystem::temp_directory_path() /
            ("progress-test-" + std::to_string(::getpid()))),
        file(dir / "vpc.apply.log") {
    std::filesystem::create_directories(dir);
    std::ofstream(file, std::ios::trunc).flush();
  }
  ~Log() { std::filesystem::remove_all(dir); }
  void append(const std::string& text) const { std::ofstream(file, std::ios::app) << text; }
  std::filesystem::path dir, file;
};

JournalRecord apply_end(const std::string& layer, double secs, int adds) {
  JournalRecord r;
  r.type = "layer_end";
  r.layer = layer;
  r.action = "apply";
  r.result = "ok";
  r.duration_s = secs;
  r.changes.add = adds;
  return r;
}

}  // namespace

TEST(ProgressBoard, TheCtrlCNoticeStartsItsOwnLineAfterTheEchoedCaretC) {
  Board b;
  b.board->layer_started(0, Action::Apply);
  b.now = 2;
  b.board->tick();
  std::string shown = b.written();
  shown += "^C";  // the terminal echoes the keypress where the cursor is: below the board
  b.board->interrupted(SIGINT, 1);
  shown += b.written();
  EXPECT_EQ(
      screen(shown),
      (Lines{
          "Ctrl-C received (1): no new layer starts; sending SIGINT to every running layer; "
          "waiting for them (press Ctrl-C again to forward another SIGINT, a third time to kill)",
          "[0/3] 1 running, 2.0s elapsed, stopping", "  vpc  apply    2.0s of ~10.0s"}));
}

TEST(ProgressLines, OnATerminalTheCtrlCNoticeClearsTheLineFirst) {
  StackFixture fx(kManifest);
  Console console;
  console.live = true;
  Stream out;
  ProgressLines lines(fx.stack, console, 3, out.file);
  lines.interrupted(SIGTERM, 3);
  EXPECT_EQ(out.text(),
            "\r\033[KSIGTERM received (3): no new layer starts; sending SIGKILL to every running "
            "layer\n");
}

TEST(ProgressBoard, EachRunningLayerShowsItsStepInitAndAWaitForTheStateLock) {
  Board b;
  Log log;
  b.board->layer_started(0, Action::Apply);
  b.board->step_started(0, Action::Apply, "plan", log.file);
  EXPECT_EQ(b.board->state().running[0].step, "plan");
  log.append("\033[0m\033[1mInitializing the backend...\033[0m\n");
  b.now = 1;
  b.board->tick();
  EXPECT_EQ(render_board(b.board->state(), 1, 80)[1], "  vpc  init     1.0s of ~10.0s");
  log.append(
      "\033[0m\033[1m\033[32mOpenTofu has been successfully initialized!\033[0m\n"
      "Acquiring state lock. This may take a few moments...\n");
  b.now = 2;
  b.board->tick();
  EXPECT_EQ(render_board(b.board->state(), 2, 80),
            (Lines{"[0/3] 1 running, 2.0s elapsed",
                   "  vpc  plan     2.0s of ~10.0s, waiting for state lock"}))
      << "no ETA while a layer waits for another run to release its lock";
  log.append("terraform_data.a: Refreshing state... [id=98cafb50]\n");
  b.board->step_started(0, Action::Apply, "show", log.file);
  EXPECT_EQ(render_board(b.board->state(), 2, 80)[1], "  vpc  show     2.0s of ~10.0s");
  b.board->step_started(0, Action::Apply, "apply", log.file);
  EXPECT_EQ(render_board(b.board->state(), 2, 80)[1], "  vpc  apply    2.0s of ~10.0s");
}

TEST(ProgressBoard, ARetryWaitingForTheLockNamesTheHolderTheLastAttemptReported) {
  Board b;
  Log log;
  b.board->layer_started(0, Action::Apply);
  b.board->step_started(0, Action::Apply, "plan", log.file);
  // What tofu 1.12 prints when -lock-timeout runs out (colours and the error box included).
  log.append(
      "Acquiring state lock. This may take a few moments...\n"
      "\033[31m\xe2\x95\xb7\033[0m\033[0m\n"
      "\033[31m\xe2\x94\x82\033[0m \033[0m\033[1m\033[31mError: \033[0m\033[0m\033[1mError "
      "acquiring the state lock\033[0m\n"
      "\033[31m\xe2\x94\x82\033[0m \033[0mLock Info:\n"
      "\033[31m\xe2\x94\x82\033[0m \033[0m  Operation: OperationTypeApply\n"
      "\033[31m\xe2\x94\x82\033[0m \033[0m  Who:       ops@bastion\n"
      "\033[31m\xe2\x94\x82\033[0m \033[0m  Version:   1.12.6\n");
  b.board->step_started(0, Action::Apply, "plan", log.file);
  EXPECT_EQ(b.board->state().running[0].note, "");
  log.append("Acquiring state lock. This may take a few moments...\n");
  b.board->tick();
  EXPECT_EQ(b.board->state().running[0].note, "waiting for state lock held by ops@bastion");
}

TEST(OutputScanner, LinesSplitAcrossReadsAndTerragruntPrefixesStillCount) {
  OutputScanner s;
  s.feed("14:02:11.123 STDOUT [vpc] tofu: Acquiring state lock. This may ");
  EXPECT_FALSE(s.waiting_for_lock());
  s.feed("take a few moments...\n");
  EXPECT_TRUE(s.waiting_for_lock());
  s.feed("\n   \n");
  EXPECT_TRUE(s.waiting_for_lock()) << "blank lines change nothing";
  s.feed("14:02:19.001 STDOUT [vpc] tofu: No changes.\n");
  EXPECT_FALSE(s.waiting_for_lock());
  EXPECT_EQ(s.lock_holder(), "");
}

TEST(DurationHistory, RunsAreComparedWithRunsOfTheirKindWithAndWithoutChanges) {
  StackFixture fx(kManifest);
  JournalContents j;
  j.records = {apply_end("vpc", 60, 3), apply_end("vpc", 4, 0),   apply_end("vpc", 5, 0),
               apply_end("vpc", 3, 0),  apply_end("sg-db", 3, 0), apply_end("sg-db", 50, 1)};
  DurationHistory h = duration_history(j, fx.manifest);
  EXPECT_EQ(h.expected(0, Action::Apply), 4.0) << "vpc's latest run changed nothing";
  EXPECT_EQ(h.expected(0, Action::Apply, true), 60.0);
  EXPECT_EQ(h.expected(1, Action::Apply), 50.0) << "sg-db's latest run changed something";
  EXPECT_EQ(h.expected(1, Action::Apply, false), 3.0);
  EXPECT_EQ(h.expected(2, Action::Apply, true), std::nullopt);
  EXPECT_EQ(h.median_s[Action::Apply][0], 4.5) << "all of vpc's runs";
}

TEST(ProgressBoard, WhenTheApplyStepStartsTheLayerIsExpectedToTakeAsLongAsItsRunsWithChanges) {
  StackFixture fx(kManifest);
  JournalContents j;
  j.records = {apply_end("vpc", 60, 3), apply_end("vpc", 4, 0), apply_end("vpc", 4, 0)};
  DurationHistory h = duration_history(j, fx.manifest);
  Console console;
  ExecOptions exec;
  Stream out;
  Log log;
  double now = 0;
  ProgressBoard board(
      fx.stack, console, {Phase{Action::Apply, {0}}}, exec, h, out.file, [&] { return now; },
      [] { return std::size_t{80}; });
  board.layer_started(0, Action::Apply);
  board.step_started(0, Action::Apply, "plan", log.file);
  now = 3;
  EXPECT_EQ(render_board(board.state(), now, 80),
            (Lines{"[0/1] 1 running, 3.0s elapsed, ETA 1.0s", "  vpc  plan     3.0s of ~4.0s"}));
  board.step_started(0, Action::Apply, "show", log.file);
  board.step_started(0, Action::Apply, "apply", log.file);
  EXPECT_EQ(render_board(board.state(), now, 80),
            (Lines{"[0/1] 1 running, 3.0s elapsed, ETA 57.0s", "  vpc  apply    3.0s of ~1m00s"}));
}
