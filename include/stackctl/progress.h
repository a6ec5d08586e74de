#pragma once
/// What a run shows while it goes: on a terminal a live board redrawn in place on stderr (done/
/// total, running layers with their elapsed time, failures so far, an ETA from the journal's
/// durations); elsewhere one line per event (ProgressLines); with --output ndjson, the event
/// stream on stdout as well.
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stackctl/executor.h"
#include "stackctl/journal.h"
#include "stackctl/ndjson.h"
#include "stackctl/report.h"
#include "stackctl/workspace.h"

namespace stackctl {

/// Expected durations of layer actions from the journal: per action, per manifest position, the
/// median duration of its successful runs, or a negative value when the journal has none.
struct DurationHistory {
  std::map<Action, std::vector<double>> median_s;
  /// The expected duration of a layer action; nullopt when unknown.
  std::optional<double> expected(std::size_t layer, Action action) const;
};

/// The medians of plan, apply and destroy runs, by the manifest's layer positions.
DurationHistory duration_history(const JournalContents& journal, const Manifest& manifest);

/// What the board knows at one moment. Pure data: ProgressBoard keeps it current and
/// render_board() draws it, so rendering is tested with made-up states and times.
struct BoardState {
  struct Running {
    std::string name;
    Action action = Action::Apply;
    double started = 0;               ///< clock seconds
    std::optional<double> expected;   ///< from the journal
  };
  std::size_t total = 0;              ///< layer actions in the run
  std::size_t done = 0;               ///< layer actions finished
  std::vector<std::string> failures;  ///< failed, refused or interrupted layers, in order
  std::vector<Running> running;       ///< in start order
  std::size_t parallelism = 1;
  double started = 0;                 ///< clock seconds when the run began
  double queued_known_s = 0;          ///< expected seconds of the not yet started layers
  std::size_t queued_unknown = 0;     ///< not yet started layers with no history
  std::optional<double> typical_s;    ///< stands in for an unknown layer's duration
  bool stopping = false;              ///< nothing new starts (failure without --keep-going)
};

/// Seconds left, estimated from the journal's durations: the larger of the remaining work
/// spread over the parallelism and the longest remaining running layer. nullopt when a layer's
/// duration is unknown and nothing stands in for it.
std::optional<double> estimate_remaining(const BoardState& state, double now);

/// The board's lines at `now`. Each is shorter than `width` columns so no terminal wraps it
/// (wrapped lines would break the redraw); at most 8 running layers are listed.
std::vector<std::string> render_board(const BoardState& state, double now, std::size_t width);

/// The live board. Finished layers are printed above it as permanent ProgressLines lines; the
/// board itself (its last lines on the terminal) is erased and redrawn on every event and tick.
class ProgressBoard : public RunObserver {
 public:
  /// phases: everything the run will do (for the totals and the ETA); columns: the terminal's
  /// width now (asked before each redraw, since terminals get resized).
  ProgressBoard(const Stack& stack, const Console& console, const std::vector<Phase>& phases,
                const ExecOptions& exec, const DurationHistory& history, std::FILE* out,
                Clock clock, std::function<std::size_t()> columns);
  ~ProgressBoard() override;
  ProgressBoard(const ProgressBoard&) = delete;
  ProgressBoard& operator=(const ProgressBoard&) = delete;

  void phase_started(const Phase& phase) override;
  void layer_started(std::size_t layer, Action action) override;
  void layer_finished(const LayerResult& result) override;
  void interrupted(int signal, int count) override;
  void layer_retrying(const RetryNotice& notice) override;
  void tick() override;
  /// Prints echoed child output (-v) above the board; the runner's echo sink.
  void echo(const std::string& text);
  /// Erases the board for good; later events print nothing more on the board.
  void close();
  /// What the board shows now.
  const BoardState& state() const { return state_; }

 private:
  void erase();
  void draw();

  const Stack& stack_;
  const DurationHistory& history_;
  ProgressLines lines_;
  std::FILE* out_;
  Clock clock_;
  std::function<std::size_t()> columns_;
  BoardState state_;
  bool keep_going_ = false;
  bool destroying_ = false;
  bool closed_ = false;
  bool typical_from_history_ = false;
  double finished_s_ = 0;          ///< durations of this run's finished layers (no history)
  std::size_t finished_ok_ = 0;
  std::size_t drawn_ = 0;  ///< board lines now on the terminal
  double last_draw_ = 0;
};

/// The width of the terminal on stream, or 80 when it is not one.
std::size_t terminal_columns(std::FILE* stream);

/// Everything a run shows while it goes, chosen from the console: the live board on a terminal,
/// one line per event elsewhere (only failures with -q); with --output ndjson, the events on
/// stdout as well.
class RunFeedback {
 public:
  RunFeedback(const Console& console, const Workspace& ws, const std::vector<Phase>& phases,
              const ExecOptions& exec);
  ~RunFeedback();
  /// Options for the process runner: with the board, echoed child lines go above it.
  ProcessRunnerOptions runner_options();
  /// The executor's observers: `journal` first, then the display, then the event stream.
  std::vector<RunObserver*> observers(RunObserver* journal);
  /// The ndjson run_started event.
  void run_started(const std::string& command, const std::string& run_id, std::size_t parallelism);
  /// Erases the board for good: call it when the executor returns, before anything else is
  /// printed on stderr.
  void stop_display();
  /// Erases the board (if still there) and writes the ndjson run_finished event.
  void run_finished(int exit_code, const RunResult& result, const std::filesystem::path& log_dir);

 private:
  const Stack& stack_;
  std::string command_;
  DurationHistory history_;
  std::unique_ptr<ProgressLines> lines_;
  std::unique_ptr<ProgressBoard> board_;
  std::unique_ptr<NdjsonEvents> events_;
};

}  // namespace stackctl
