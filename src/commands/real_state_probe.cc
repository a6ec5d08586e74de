#include "stackctl/commands/real_state_probe.h"

#include <string>
#include <vector>

#include "stackctl/util/error.h"

namespace stackctl {

namespace {

// The line of a failed child's output that says why: terraform's last `Error: ...`, else
// terragrunt's last ERROR line, else the last line.
std::string reason_line(const std::string& tail) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < tail.size()) {
    std::size_t end = tail.find('\n', at);
    if (end == std::string::npos) end = tail.size();
    std::string line = tail.substr(at, end - at);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) lines.push_back(line);
    at = end + 1;
  }
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    if (auto e = it->find("Error: "); e != std::string::npos) return it->substr(e);
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    if (auto e = it->find("ERROR"); e != std::string::npos) {
      std::size_t from = it->find_first_not_of(' ', e + 5);
      return from == std::string::npos ? *it : it->substr(from);
    }
  return lines.empty() ? "" : lines.back();
}

// Why a probe could not read the state: how it ended and the line that says why (the tail is
// redacted already).
std::string failure_detail(const ChildResult& r) {
  const std::string detail = r.describe();
  if (!r.capture_error.empty()) return detail + ": its output is " + r.capture_error;
  const std::string why = r.ok() ? "no state document on stdout" : reason_line(r.tail);
  return why.empty() ? detail : detail + ": " + why;
}

}  // namespace

std::vector<ProbedState> probe_real_states(ProcessRunner& runner, const Stack& stack,
                                           const TaskSettings& task,
                                           const std::vector<std::size_t>& layers) {
  std::vector<ProbedState> out;
  for (std::size_t i : layers) {
    const Layer& l = stack.layer(i);
    ChildSpec spec;
    spec.argv = terragrunt_argv(task.call, Action::Show);
    spec.cwd = stack.dirs[i];
    spec.env = child_environment(task.base_env, task.version, stack.env.env, l.env);
    spare_dependency_outputs(spec.env, task.version);
    spec.label = l.name;
    spec.capture_stdout = true;
    spec.redact = task.redact;
    spec.interrupt_scope = InterruptScope::GroupButLeader;
    const ChildResult r = run_to_completion(runner, spec);
    if (r.interrupt != 0)
      throw Error(ExitCode::Interrupted, "interrupted (" + signal_name(r.interrupt) +
                                             ") while reading the state of " + l.name +
                                             "; nothing was started");
    ProbedState p;
    p.layer = i;
    p.state = r.ok() ? read_real_state(0, r.stdout_data) : RealState::Unknown;
    if (p.state == RealState::Unknown) p.detail = failure_detail(r);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace stackctl
