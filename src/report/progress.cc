// The live board and the choice of what a run shows while it goes.
//
// The board is the last few lines on the terminal. Every change erases them (cursor up, clear to
// the end of the screen) and draws them again; anything permanent (finished layers, failing
// children's last lines, echoed output) is printed in between, so it scrolls up above the board.
#include "stackctl/report/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "stackctl/util/duration.h"
#include "stackctl/util/terminal_text.h"

namespace stackctl {

namespace {

constexpr std::size_t kMaxRunningLines = 8;
constexpr double kEchoRedrawGap = 0.1;  ///< seconds between redraws caused by echoed output

std::size_t total_of(const std::vector<Phase>& phases) {
  std::size_t total = 0;
  for (const Phase& phase : phases) total += phase.layers.size();
  return total;
}

std::string fit(std::string line, std::size_t width) {
  const std::size_t limit = std::max<std::size_t>(width, 20) - 1;
  if (line.size() <= limit) return line;
  return line.substr(0, limit - 3) + "...";
}

std::string running_line(const BoardState::Running& r, std::size_t name_width, double now) {
  std::string name = r.name;
  name.resize(std::max(name_width, name.size()), ' ');
  std::string step = r.step.empty() ? to_string(r.action) : r.step;
  step.resize(std::max<std::size_t>(7, step.size()), ' ');
  std::string line = "  " + name + "  " + step + "  " + format_duration(now - r.started);
  if (r.expected) line += " of ~" + format_duration(*r.expected);
  if (!r.note.empty()) line += ", " + terminal_safe(r.note);
  return line;
}

std::string header_line(const BoardState& s, double now) {
  const int width = static_cast<int>(std::to_string(s.total).size());
  char head[64];
  std::snprintf(head, sizeof head, "[%*zu/%zu] ", width, s.done, s.total);
  std::string line = head + std::to_string(s.running.size()) + " running";
  if (!s.failures.empty()) line += ", " + std::to_string(s.failures.size()) + " failed";
  line += ", " + format_duration(now - s.started) + " elapsed";
  if (s.stopping) return line + ", stopping";
  if (auto eta = estimate_remaining(s, now)) line += ", ETA " + format_duration(*eta);
  return line;
}

}  // namespace

namespace {

template <typename T>
std::optional<T> at(const std::map<Action, std::vector<T>>& table, Action action,
                    std::size_t layer) {
  auto it = table.find(action);
  if (it == table.end() || layer >= it->second.size() || it->second[layer] < 0) return std::nullopt;
  return it->second[layer];
}

}  // namespace

std::optional<double> DurationHistory::expected(std::size_t layer, Action action) const {
  if (auto last = at(last_changed, action, layer)) return expected(layer, action, *last == 1);
  return at(median_s, action, layer);
}

std::optional<double> DurationHistory::expected(std::size_t layer, Action action,
                                                bool changes) const {
  if (!last_changed.count(action)) return at(median_s, action, layer);  // no kinds known
  return at(changes ? changed_s : unchanged_s, action, layer);
}

DurationHistory duration_history(const JournalContents& journal, const Manifest& manifest) {
  DurationHistory h;
  for (Action a : {Action::Plan, Action::Apply, Action::Destroy}) {
    const std::size_t n = manifest.layers.size();
    std::vector<std::vector<double>> all(n), with(n), without(n);
    std::vector<int> last(n, -1);
    for (const JournalRecord& r : journal.records) {
      if (r.type != "layer_end" || r.result != "ok" || r.action != to_string(a)) continue;
      auto pos = manifest.position(r.layer);
      if (!pos) continue;
      const double secs = std::max(r.duration_s, 0.0);
      const bool c =
          a != Action::Destroy && changed_something(r);  // a destroy reads no plan: one kind
      all[*pos].push_back(secs);
      (c ? with : without)[*pos].push_back(secs);
      last[*pos] = c ? 1 : 0;
    }
    // Each median is taken from the last kDurationSamples runs of its kind (journal.h).
    auto medians = [&](const std::vector<std::vector<double>>& runs) {
      std::vector<double> out(n, -1.0);
      for (std::size_t i = 0; i < n; ++i)
        if (!runs[i].empty()) out[i] = recent_median(runs[i]);
      return out;
    };
    h.median_s[a] = medians(all);
    if (a == Action::Destroy) continue;
    h.changed_s[a] = medians(with);
    h.unchanged_s[a] = medians(without);
    h.last_changed[a] = std::move(last);
  }
  return h;
}

std::optional<double> estimate_remaining(const BoardState& s, double now) {
  double work = 0, longest = 0;
  for (const auto& r : s.running) {
    if (!r.note.empty()) return std::nullopt;  // waiting for a lock: it ends when another run does
    std::optional<double> expected = r.expected ? r.expected : s.typical_s;
    if (!expected) return std::nullopt;
    double left = std::max(*expected - (now - r.started), 0.0);
    work += left;
    longest = std::max(longest, left);
  }
  if (!s.stopping) {
    if (s.queued_unknown > 0 && !s.typical_s) return std::nullopt;
    work += s.queued_known_s;
    if (s.queued_unknown > 0) work += static_cast<double>(s.queued_unknown) * *s.typical_s;
  }
  return std::max(work / static_cast<double>(std::max<std::size_t>(s.parallelism, 1)), longest);
}

std::vector<std::string> render_board(const BoardState& s, double now, std::size_t width) {
  std::vector<std::string> lines{fit(header_line(s, now), width)};
  std::size_t name_width = 0;
  for (const auto& r : s.running) name_width = std::max(name_width, r.name.size());
  const std::size_t shown = std::min(s.running.size(), kMaxRunningLines);
  for (std::size_t i = 0; i < shown; ++i)
    lines.push_back(fit(running_line(s.running[i], name_width, now), width));
  if (s.running.size() > shown)
    lines.push_back("  ... and " + std::to_string(s.running.size() - shown) + " more running");
  if (!s.failures.empty()) {
    std::string text = "  failed:";
    for (std::size_t i = 0; i < s.failures.size(); ++i)
      text += (i == 0 ? " " : ", ") + s.failures[i];
    lines.push_back(fit(text, width));
  }
  return lines;
}

std::size_t terminal_columns(std::FILE* stream) {
  struct winsize ws {};
  if (::ioctl(::fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

// ---- ProgressBoard ----------------------------------------------------------------------------

ProgressBoard::ProgressBoard(const Stack& stack, const Console& console,
                             const std::vector<Phase>& phases, const ExecOptions& exec,
                             const DurationHistory& history, std::FILE* out, Clock clock,
                             std::function<std::size_t()> columns)
    : stack_(stack),
      history_(history),
      lines_(stack, console, total_of(phases), out),
      out_(out),
      clock_(std::move(clock)),
      columns_(std::move(columns)),
      keep_going_(exec.keep_going) {
  state_.parallelism = std::max<std::size_t>(exec.parallelism, 1);
  state_.started = clock_();
  double known = 0;
  std::size_t known_count = 0;
  state_.total = total_of(phases);
  for (const Phase& phase : phases) {
    for (std::size_t layer : phase.layers) {
      if (auto e = history_.expected(layer, phase.action)) {
        known += *e;
        ++known_count;
      } else {
        ++state_.queued_unknown;
      }
    }
  }
  state_.queued_known_s = known;
  // A layer never run before is guessed to take as long as the known ones do on average.
  if (known_count > 0) state_.typical_s = known / static_cast<double>(known_count);
  typical_from_history_ = known_count > 0;
}

ProgressBoard::~ProgressBoard() { close(); }

// "\r" first: the cursor may not be at the start of its line (the terminal echoes a Ctrl-C as
// "^C" below the board), and cursor-up keeps the column.
void ProgressBoard::erase() {
  if (drawn_ > 0) std::fprintf(out_, "\r\033[%zuA\033[J", drawn_);
  drawn_ = 0;
}

// An apply step starts only when the plan changes something: from now on the layer is expected
// to take as long as its runs with changes did.
void ProgressBoard::expect_changes(std::size_t layer) {
  for (auto& r : state_.running)
    if (r.layer == layer && r.action == Action::Apply)
      r.expected = history_.expected(layer, r.action, true);
}

void ProgressBoard::follow_output() {
  for (auto& r : state_.running) {
    auto f = followers_.find(r.layer);
    if (f == followers_.end()) continue;
    f->second.poll();
    const OutputScanner& out = f->second.scanner();
    r.step = out.initializing() ? "init" : steps_[r.layer];
    r.note.clear();
    if (out.waiting_for_lock()) {
      r.note = "waiting for state lock";
      if (!out.lock_holder().empty()) r.note += " held by " + out.lock_holder();
    }
  }
}

void ProgressBoard::draw() {
  if (closed_) return;
  const double now = clock_();
  std::string text;
  std::vector<std::string> lines = render_board(state_, now, columns_());
  for (const auto& line : lines) text += line + "\n";
  std::fputs(text.c_str(), out_);
  std::fflush(out_);
  drawn_ = lines.size();
  last_draw_ = now;
}

void ProgressBoard::phase_started(const Phase& phase) {
  destroying_ = phase.action == Action::Destroy;
}

void ProgressBoard::layer_started(std::size_t layer, Action action) {
  auto expected = history_.expected(layer, action);
  if (expected) {
    state_.queued_known_s = std::max(state_.queued_known_s - *expected, 0.0);
  } else if (state_.queued_unknown > 0) {
    --state_.queued_unknown;
  }
  state_.running.push_back({stack_.layer(layer).name, action, clock_(), expected, "", "", layer});
  erase();
  draw();
}

void ProgressBoard::step_started(std::size_t layer, Action /*action*/, const std::string& step,
                                 const std::filesystem::path& log_file) {
  auto f = followers_.find(layer);
  if (f == followers_.end()) {
    f = followers_.emplace(layer, LogFollower(log_file)).first;
  } else {
    f->second.poll();  // the end of the last child's output
  }
  f->second.scanner().next_child();
  steps_[layer] = step;
  if (step == "apply") expect_changes(layer);
  follow_output();
  erase();
  draw();
}

void ProgressBoard::layer_finished(const LayerResult& result) {
  followers_.erase(result.layer);
  steps_.erase(result.layer);
  const std::string& name = stack_.layer(result.layer).name;
  auto& running = state_.running;
  running.erase(std::remove_if(running.begin(), running.end(),
                               [&](const BoardState::Running& r) {
                                 return r.name == name && r.action == result.action;
                               }),
                running.end());
  ++state_.done;
  if (!typical_from_history_ && result.outcome == Outcome::Ok) {
    // Without history, the layers finished so far stand in for the ones still to come.
    finished_s_ += result.duration_s;
    ++finished_ok_;
    state_.typical_s = finished_s_ / static_cast<double>(finished_ok_);
  }
  if (stops_run(result.outcome)) {
    state_.failures.push_back(name);
    if (!keep_going_ || destroying_) state_.stopping = true;
  }
  erase();
  if (!closed_) lines_.layer_finished(result);
  draw();
}

void ProgressBoard::interrupted(int signal, int count) {
  state_.stopping = true;
  if (drawn_ == 0) std::fputs("\r\033[K", out_);  // the notice starts its own line (not after "^C")
  erase();
  if (!closed_) lines_.interrupted(signal, count);
  draw();
}

void ProgressBoard::layer_retrying(const RetryNotice& notice) {
  erase();
  if (!closed_) lines_.layer_retrying(notice);
  draw();
}

void ProgressBoard::tick() {
  follow_output();
  erase();
  draw();
}

void ProgressBoard::echo(const std::string& text) {
  erase();
  std::fputs(text.c_str(), out_);
  // Chatty children would otherwise redraw the board for every line they print.
  if (clock_() - last_draw_ >= kEchoRedrawGap) {
    draw();
  } else {
    std::fflush(out_);
  }
}

void ProgressBoard::close() {
  if (closed_) return;
  erase();
  std::fflush(out_);
  closed_ = true;
}

// ---- RunFeedback ------------------------------------------------------------------------------

RunFeedback::RunFeedback(const Console& console, const Workspace& ws, Command command,
                         const std::vector<Phase>& phases, const ExecOptions& exec)
    : stack_(ws.stack()), command_(command) {
  const std::size_t total = total_of(phases);
  if (console.live && !console.quiet) {
    history_ = duration_history(read_journal(ws.journal_file()), ws.manifest());
    board_ =
        std::make_unique<ProgressBoard>(stack_, console, phases, exec, history_, stderr,
                                        monotonic_seconds, [] { return terminal_columns(stderr); });
  } else {
    lines_ = std::make_unique<ProgressLines>(stack_, console, total, stderr);
  }
  if (console.format == OutputFormat::Ndjson)
    events_ = std::make_unique<NdjsonEvents>(stack_, total, stdout, monotonic_seconds);
}

RunFeedback::~RunFeedback() = default;

ProcessRunnerOptions RunFeedback::runner_options() {
  ProcessRunnerOptions options;
  if (board_) options.echo = [board = board_.get()](const std::string& text) { board->echo(text); };
  return options;
}

std::vector<RunObserver*> RunFeedback::observers(RunObserver* journal) {
  std::vector<RunObserver*> out{journal};
  if (board_) out.push_back(board_.get());
  if (lines_) out.push_back(lines_.get());
  if (events_) out.push_back(events_.get());
  return out;
}

void RunFeedback::run_started(const std::string& run_id, std::size_t parallelism) {
  if (events_) events_->run_started(to_string(command_), stack_.env.name, run_id, parallelism);
}

void RunFeedback::stop_display() {
  if (board_) board_->close();
}

void RunFeedback::run_finished(int exit_code, const RunResult& result,
                               const std::filesystem::path& log_dir) {
  stop_display();
  if (events_)
    events_->run_finished(exit_code, run_succeeded(command_, exit_code), result, log_dir);
}

}  // namespace stackctl
