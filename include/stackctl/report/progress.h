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

#include "stackctl/executor/executor.h"
#include "stackctl/journal/journal.h"
#include "stackctl/manifest/workspace.h"
#include "stackctl/plan/command.h"
#include "stackctl/report/ndjson.h"
#include "stackctl/report/report.h"
#include "stackctl/runner/step_watch.h"

namespace stackctl {

/// Expected durations of layer actions from the journal, per action, per manifest position (a
/// negative value when the journal has none). A run that changes nothing takes a fraction of
/// one that does (an apply without changes is only its plan), so runs are compared with runs of
/// their kind: those whose plan changed something and those whose plan did not.
struct DurationHistory {
  /// The median duration of all successful runs.
  std::map<Action, std::vector<double>> median_s;
  /// The medians of the successful runs with changes, and of those without.
  std::map<Action, std::vector<double>> changed_s, unchanged_s;
  /// Whether the latest successful run changed something (1), did not (0), or unknown (-1).
  std::map<Action, std::vector<int>> last_changed;
  /// The expected duration of a layer action before it shows whether it changes anything: the
  /// median of the runs of the same kind as its latest run; nullopt when unknown.
  std::optional<double> expected(std::size_t layer, Action action) const;
  /// The expected duration once the run shows whether it changes anything: the median of the
  /// runs of that kind (nullopt when there is none, rather than the other kind's).
  std::optional<double> expected(std::size_t layer, Action action, bool changes) const;
};

/// The medians of plan, apply and destroy runs, by the manifest's layer positions.
DurationHistory duration_history(const JournalContents& journal, const Manifest& manifest);

/// What the board knows at one moment. Pure data: ProgressBoard keeps it current and
/// render_board() draws it, so rendering is tested with made-up states and times.
struct BoardState {
  struct Running {
    std::string name;
    Action action = Action::Apply;
    double started = 0;              ///< clock seconds
    std::optional<double> expected;  ///< from the journal
    /// What it does now: its step ("plan", "show", "apply", "destroy", "command"), or "init"
    /// while terragrunt initialises; "" before its first child (the action's name is shown).
    std::string step{};
    /// "waiting for state lock" (plus " held by user@host" when terraform said who), or "".
    std::string note{};
    std::size_t layer = 0;  ///< manifest position
  };
  std::size_t total = 0;              ///< layer actions in the run
  std::size_t done = 0;               ///< layer actions finished
  std::vector<std::string> failures;  ///< failed, refused or interrupted layers, in order
  std::vector<Running> running;       ///< in start order
  std::size_t parallelism = 1;
  double started = 0;               ///< clock seconds when the run began
  double queued_known_s = 0;        ///< expected seconds of the not yet started layers
  std::size_t queued_unknown = 0;   ///< not yet started layers with no history
  std::optional<double> typical_s;  ///< stands in for an unknown layer's duration
  bool stopping = false;            ///< nothing new starts (failure without --keep-going)
};

/// Seconds left, estimated from the journal's durations: the larger of the remaining work
/// spread over the parallelism and the longest remaining running layer. nullopt when a layer's
/// duration is unknown and nothing stands in for it, or a layer waits for its state lock.
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
  void step_started(std::size_t layer, Action action, const std::string& step,
                    const std::filesystem::path& log_file) override;
  void layer_finished(const LayerResult& result) override;
  void interrupted(int signal, int count) override;
  void layer_retrying(const RetryNotice& notice) override;
  /// Redraws, after reading what the running layers' children printed since the last tick.
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
  /// The steps and notes of the running layers from their followers' output.
  void follow_output();
  void expect_changes(std::size_t layer);

  const Stack& stack_;
  const DurationHistory& history_;
  ProgressLines lines_;
  std::FILE* out_;
  Clock clock_;
  std::function<std::size_t()> columns_;
  BoardState state_;
  std::map<std::size_t, LogFollower> followers_;  ///< running layers' logs, by manifest position
  std::map<std::size_t, std::string> steps_;      ///< the step each running layer's child is at
  bool keep_going_ = false;
  bool destroying_ = false;
  bool closed_ = false;
  bool typical_from_history_ = false;
  double finished_s_ = 0;  ///< durations of this run's finished layers (no history)
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
  RunFeedback(const Console& console, const Workspace& ws, Command command,
              const std::vector<Phase>& phases, const ExecOptions& exec);
  ~RunFeedback();
  /// Options for the process runner: with the board, echoed child lines go above it.
  ProcessRunnerOptions runner_options();
  /// The executor's observers: `journal` first, then the display, then the event stream.
  std::vector<RunObserver*> observers(RunObserver* journal);
  /// The ndjson run_started event.
  void run_started(const std::string& run_id, std::size_t parallelism);
  /// Erases the board for good: call it when the executor returns, before anything else is
  /// printed on stderr.
  void stop_display();
  /// Erases the board (if still there) and writes the ndjson run_finished event.
  void run_finished(int exit_code, const RunResult& result, const std::filesystem::path& log_dir);

 private:
  const Stack& stack_;
  Command command_;
  DurationHistory history_;
  std::unique_ptr<ProgressLines> lines_;
  std::unique_ptr<ProgressBoard> board_;
  std::unique_ptr<NdjsonEvents> events_;
};

}  // namespace stackctl
