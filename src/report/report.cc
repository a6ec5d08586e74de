#include "stackctl/report/report.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <iomanip>
#include <map>
#include <sstream>

#include "stackctl/journal/changes_json.h"
#include "stackctl/plan/command.h"
#include "stackctl/runner/runner.h"
#include "stackctl/util/duration.h"
#include "stackctl/util/terminal_text.h"

namespace stackctl {

double monotonic_seconds() {
  using Seconds = std::chrono::duration<double>;
  return std::chrono::duration_cast<Seconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Console::paint(const std::string& text, const char* code) const {
  if (!color) return text;
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

namespace {

const char* color_of(Outcome o) {
  switch (o) {
    case Outcome::Ok:
      return "32";
    case Outcome::Skipped:
      return "2";
    case Outcome::Pending:
    case Outcome::Provisional:
      return "33";
    case Outcome::NotRun:
      return "2";
    default:
      return "31";
  }
}

}  // namespace

namespace {

// Prints text line by line, indented under a progress line.
void print_indented(std::FILE* out, const std::string& text) {
  std::istringstream lines(terminal_safe(text));  // messages carry manifest and child text
  for (std::string line; std::getline(lines, line);) std::fprintf(out, "    %s\n", line.c_str());
}

}  // namespace

std::string format_changes(const LayerResult& r) {
  if (!r.changes_known) return "-";
  std::ostringstream s;
  s << '+' << r.changes.add << " ~" << r.changes.change << " -" << r.changes.destroy;
  return s.str();
}

ProgressLines::ProgressLines(const Stack& stack, const Console& console, std::size_t total,
                             std::FILE* out)
    : stack_(stack), console_(console), total_(total), out_(out) {}

void ProgressLines::layer_started(std::size_t layer, Action action) {
  if (console_.quiet || !console_.verbose) return;
  std::fprintf(out_, "%s %s %s\n", console_.paint("start", "2").c_str(),
               stack_.layer(layer).name.c_str(), to_string(action));
  std::fflush(out_);
}

void ProgressLines::layer_finished(const LayerResult& r) {
  ++done_;
  if (console_.quiet && r.outcome != Outcome::Failed && r.outcome != Outcome::Refused) return;
  int width = static_cast<int>(std::to_string(total_).size());
  std::fprintf(out_, "[%*zu/%zu] %s %s %s %s %s\n", width, done_, total_,
               stack_.layer(r.layer).name.c_str(), to_string(r.action),
               console_.paint(to_string(r.outcome), color_of(r.outcome)).c_str(),
               format_changes(r).c_str(), format_duration(r.duration_s).c_str());
  if (!r.warning.empty()) print_indented(out_, "warning: " + r.warning);
  if (!r.would_refuse.empty()) print_indented(out_, "apply would refuse " + r.would_refuse);
  if (!r.message.empty() && r.outcome != Outcome::Ok && r.outcome != Outcome::Skipped)
    print_indented(out_, r.message);
  if (r.outcome == Outcome::Ok && r.action == Action::Destroy &&
      r.message.rfind("already gone", 0) == 0)
    print_indented(out_, r.message);
  if (r.outcome == Outcome::Failed && !r.tail.empty()) {
    std::fprintf(out_, "    --- last lines of %s ---\n", r.log_file.string().c_str());
    std::istringstream lines(terminal_safe(r.tail));
    for (std::string line; std::getline(lines, line);)
      std::fprintf(out_, "    [%s] %s\n", stack_.layer(r.layer).name.c_str(), line.c_str());
  }
  std::fflush(out_);
}

void ProgressLines::layer_retrying(const RetryNotice& n) {
  if (console_.quiet) return;
  std::fprintf(out_, "%s %s %s: %s failed (exit %d) with a transient error; try %d of %d in %s\n",
               console_.paint("retry", "33").c_str(), stack_.layer(n.layer).name.c_str(),
               to_string(n.action), n.step.c_str(), n.exit_code, n.attempt, n.attempts,
               format_duration(n.sleep_s).c_str());
  print_indented(out_, "matched " + n.pattern);
  std::fflush(out_);
}

void ProgressLines::interrupted(int signal, int count) {
  const bool kills = interrupt_signal(count) == SIGKILL;  // what the executor sends this time
  const char* what = kills ? "sending SIGKILL to every running layer"
                           : "sending SIGINT to every running layer; waiting for them";
  // On a terminal the notice starts its own line, not after the "^C" the terminal echoed.
  if (console_.live) std::fputs("\r\033[K", out_);
  std::fprintf(
      out_, "%s received (%d): no new layer starts; %s%s\n",
      signal == SIGTERM ? "SIGTERM" : "Ctrl-C", count, what,
      kills ? "" : " (press Ctrl-C again to forward another SIGINT, a third time to kill)");
  std::fflush(out_);
}

namespace {

constexpr Outcome kTroubles[] = {Outcome::Failed, Outcome::Refused, Outcome::Interrupted,
                                 Outcome::Pending, Outcome::NotRun};

// "not run" for the footer, the result's own word otherwise.
std::string trouble_word(Outcome o) { return o == Outcome::NotRun ? "not run" : to_string(o); }

// The first line of why a layer failed or was refused, to name it in the footer.
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// The footer: one line per kind of trouble, naming the layers (and, for a failure, a refusal or
// an interrupt, why).
std::string summary_footer(const Stack& stack, const std::vector<const LayerResult*>& rows) {
  std::map<Outcome, std::string> named;
  for (const LayerResult* r : rows) {
    std::string entry = stack.layer(r->layer).name;
    const bool why = r->outcome == Outcome::Failed || r->outcome == Outcome::Refused ||
                     r->outcome == Outcome::Interrupted;
    if (why && !r->message.empty()) entry += " (" + terminal_safe(first_line(r->message)) + ")";
    std::string& list = named[r->outcome];
    list += (list.empty() ? "" : ", ") + entry;
  }
  std::string out;
  for (Outcome o : kTroubles)
    if (named.count(o)) out += trouble_word(o) + ": " + named[o] + "\n";
  return out;
}

// `3 ok, 1 failed, 1 not-run`, in a fixed order.
std::string outcome_counts(const std::vector<const LayerResult*>& rows) {
  std::map<Outcome, std::size_t> n;
  for (const LayerResult* r : rows) ++n[r->outcome];
  std::string text;
  for (Outcome o : {Outcome::Ok, Outcome::Skipped, Outcome::Provisional, Outcome::Failed,
                    Outcome::Refused, Outcome::Interrupted, Outcome::Pending, Outcome::NotRun})
    if (n.count(o)) text += (text.empty() ? "" : ", ") + std::to_string(n[o]) + " " + to_string(o);
  return text;
}

// The sum of the known counts; unknown (`-`) when no row knows its counts.
LayerResult totals_of(const std::vector<const LayerResult*>& rows) {
  LayerResult sum;
  for (const LayerResult* r : rows) {
    if (!r->changes_known) continue;
    sum.changes_known = true;
    sum.changes.add += r->changes.add;
    sum.changes.change += r->changes.change;
    sum.changes.destroy += r->changes.destroy;
  }
  return sum;
}

}  // namespace

std::string summary_table(const Stack& stack, const std::vector<LayerResult>& results) {
  // Manifest order, whatever order the layers finished in; a layer run twice (rebuild) keeps
  // its destroy before its apply.
  std::vector<const LayerResult*> rows;
  rows.reserve(results.size());
  for (const auto& r : results) rows.push_back(&r);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const LayerResult* a, const LayerResult* b) { return a->layer < b->layer; });
  const LayerResult sum = totals_of(rows);
  std::size_t w = 5;
  for (const LayerResult* r : rows) w = std::max(w, stack.layer(r->layer).name.size());
  const std::size_t cw = std::max<std::size_t>(16, format_changes(sum).size());
  std::ostringstream s;
  auto row = [&](const std::string& name, const std::string& action, const std::string& result,
                 const std::string& changes, const std::string& duration) {
    s << std::left << std::setw(static_cast<int>(w)) << name << "  " << std::setw(8) << action
      << "  " << std::setw(11) << result << "  " << std::setw(static_cast<int>(cw)) << changes
      << "  " << duration << "\n";
  };
  row("LAYER", "ACTION", "RESULT", "CHANGES", "DURATION");
  for (const LayerResult* r : rows)
    row(stack.layer(r->layer).name, to_string(r->action), to_string(r->outcome), format_changes(*r),
        r->outcome == Outcome::NotRun ? "-" : format_duration(r->duration_s));
  if (rows.empty()) return s.str();
  double total_s = 0;
  for (const LayerResult* r : rows) total_s += r->outcome == Outcome::NotRun ? 0 : r->duration_s;
  row("total", "", std::to_string(rows.size()) + (rows.size() == 1 ? " layer" : " layers"),
      format_changes(sum), format_duration(total_s));
  s << outcome_counts(rows) << "\n" << summary_footer(stack, rows);
  return s.str();
}

nlohmann::json result_document(const std::string& command, const std::string& env,
                               const std::string& run_id, int exit_code, const Stack* stack,
                               const std::vector<LayerResult>& results,
                               const std::vector<std::string>& errors) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& r : results) {
    nlohmann::json l = {{"name", stack ? stack->layer(r.layer).name : ""},
                        {"action", to_string(r.action)},
                        {"result", to_string(r.outcome)},
                        {"exit_code", r.exit_code},
                        {"duration_s", std::round(r.duration_s * 1000) / 1000}};
    l["changes"] =
        r.changes_known ? nlohmann::json(changes_json(r.changes)) : nlohmann::json(nullptr);
    if (!r.message.empty()) l["message"] = r.message;
    if (!r.warning.empty()) l["warning"] = r.warning;  // e.g. the processes SIGKILL ended
    if (r.retries > 0) l["retries"] = r.retries;
    if (!r.would_refuse.empty()) l["would_refuse"] = r.would_refuse;
    if (!r.log_file.empty() && r.outcome != Outcome::NotRun) l["log"] = r.log_file.string();
    layers.push_back(std::move(l));
  }
  return {{"command", command},     {"env", env},
          {"run_id", run_id},       {"success", run_succeeded(command, exit_code)},
          {"exit_code", exit_code}, {"layers", layers},
          {"errors", errors}};
}

}  // namespace stackctl
