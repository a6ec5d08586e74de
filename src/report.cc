#include "stackctl/report.h"

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <iomanip>
#include <sstream>

#include "stackctl/changes_json.h"
#include "stackctl/duration.h"
#include "stackctl/terminal_text.h"

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
    case Outcome::Ok: return "32";
    case Outcome::Skipped: return "2";
    case Outcome::Pending: return "33";
    case Outcome::Provisional: return "33";
    case Outcome::NotRun: return "2";
    default: return "31";
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
  if (r.outcome == Outcome::Ok && r.action == Action::Destroy && r.message.rfind("already gone", 0) == 0)
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
  const char* what = count >= 3 ? "sending SIGKILL to every running layer"
                                : "sending SIGINT to every running layer; waiting for them";
  std::fprintf(out_, "%s received (%d): no new layer starts; %s%s\n",
               signal == SIGTERM ? "SIGTERM" : "Ctrl-C", count, what,
               count < 3 ? " (press Ctrl-C again to forward another SIGINT, a third time to kill)"
                         : "");
  std::fflush(out_);
}

std::string summary_table(const Stack& stack, const std::vector<LayerResult>& results) {
  std::size_t w = 5;
  for (const auto& r : results) w = std::max(w, stack.layer(r.layer).name.size());
  std::ostringstream s;
  s << std::left << std::setw(static_cast<int>(w)) << "LAYER" << "  " << std::setw(8) << "ACTION"
    << "  " << std::setw(11) << "RESULT" << "  " << std::setw(16) << "CHANGES" << "  DURATION\n";
  for (const auto& r : results) {
    s << std::setw(static_cast<int>(w)) << stack.layer(r.layer).name << "  " << std::setw(8)
      << to_string(r.action) << "  " << std::setw(11) << to_string(r.outcome) << "  "
      << std::setw(16) << format_changes(r) << "  "
      << (r.outcome == Outcome::NotRun ? "-" : format_duration(r.duration_s)) << "\n";
  }
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
    l["changes"] = r.changes_known ? nlohmann::json(changes_json(r.changes)) : nlohmann::json(nullptr);
    if (!r.message.empty()) l["message"] = r.message;
    if (r.retries > 0) l["retries"] = r.retries;
    if (!r.would_refuse.empty()) l["would_refuse"] = r.would_refuse;
    if (!r.log_file.empty() && r.outcome != Outcome::NotRun) l["log"] = r.log_file.string();
    layers.push_back(std::move(l));
  }
  return {{"command", command}, {"env", env},       {"run_id", run_id},
          {"success", exit_code == 0 || (command == "plan" && exit_code == 2)},
          {"exit_code", exit_code}, {"layers", layers}, {"errors", errors}};
}

}  // namespace stackctl
