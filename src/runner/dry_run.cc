#include "stackctl/runner/dry_run.h"

#include <algorithm>

namespace stackctl {

std::string shell_quote(const std::string& word) {
  bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string("-_./=:,+@%").find(c) != std::string::npos;
  });
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& w : argv) s += (s.empty() ? "" : " ") + shell_quote(w);
  return s;
}

int DryRunRunner::start(const ChildSpec& spec) {
  std::fprintf(out_, "%s: cd %s && %s\n", spec.label.c_str(),
               shell_quote(spec.cwd.string()).c_str(), shell_join(spec.argv).c_str());
  std::fflush(out_);
  // Only what a report of the calls needs: the environment, copied into every spec, would
  // make a 10,000-layer dry run hold hundreds of megabytes.
  ChildSpec call;
  call.argv = spec.argv;
  call.cwd = spec.cwd;
  call.label = spec.label;
  calls_.push_back(std::move(call));
  ChildResult r;
  r.id = next_id_++;
  r.exit_code = 0;
  const auto& a = spec.argv;
  // Answer like terragrunt with pending changes, so plan -> show -> apply is shown whole.
  if (std::find(a.begin(), a.end(), "-detailed-exitcode") != a.end()) r.exit_code = 2;
  if (spec.capture_stdout) r.stdout_data = R"({"format_version":"1.2","errored":false})";
  r.marked_line = spec.mark;  // and as if terraform finished what it was asked to do
  pending_.push_back(r);
  return r.id;
}

RunnerEvent DryRunRunner::wait(std::chrono::milliseconds) {
  RunnerEvent ev;
  if (pending_.empty()) return ev;
  ev.type = RunnerEvent::Type::Exited;
  ev.result = pending_.front();
  pending_.pop_front();
  return ev;
}

}  // namespace stackctl
