#include "stackctl/commands/real_state_probe.h"

#include <algorithm>
#include <chrono>
#include <map>
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

ChildSpec state_probe_spec(const Stack& stack, const TaskSettings& task, std::size_t layer) {
  const Layer& l = stack.layer(layer);
  ChildSpec spec;
  spec.argv = terragrunt_argv(task.call, Action::Show);
  spec.cwd = stack.dirs[layer];
  spec.env = child_environment(task.base_env, task.version, stack.env.env, l.env);
  spare_dependency_outputs(spec.env, task.version);
  spec.label = l.name;
  spec.capture_stdout = true;
  spec.redact = task.redact;
  spec.interrupt_scope = InterruptScope::GroupButLeader;
  return spec;
}

ProbedState probed_state(std::size_t layer, const ChildResult& r) {
  ProbedState p;
  p.layer = layer;
  p.state = r.ok() ? read_real_state(0, r.stdout_data) : RealState::Unknown;
  if (p.state == RealState::Unknown) p.detail = failure_detail(r);
  return p;
}

std::vector<ProbedState> probe_real_states(ProcessRunner& runner, const Stack& stack,
                                           const TaskSettings& task,
                                           const std::vector<std::size_t>& layers,
                                           std::size_t parallelism) {
  std::vector<ProbedState> out(layers.size());
  for (std::size_t k = 0; k < layers.size(); ++k) {  // what a read the runner lost says
    out[k].layer = layers[k];
    out[k].detail = "the runner lost track of the read";
  }
  std::map<int, std::size_t> running;           // child id -> position in layers
  std::vector<bool> cut(layers.size(), false);  // running when the first interrupt came
  std::size_t next = 0;
  int interrupts = 0, first = 0;
  // Loop: start reads up to the bound (none after an interrupt), wait for one event.
  while ((next < layers.size() && first == 0) || !running.empty()) {
    while (first == 0 && next < layers.size() &&
           running.size() < std::max<std::size_t>(1, parallelism)) {
      running[runner.start(state_probe_spec(stack, task, layers[next]))] = next;
      ++next;
    }
    const RunnerEvent ev = runner.wait(std::chrono::milliseconds(-1));
    if (ev.type == RunnerEvent::Type::Interrupt) {
      if (first == 0) {
        first = ev.signal;
        for (const auto& [id, k] : running) cut[k] = true;
      }
      runner.signal_all(interrupt_signal(++interrupts));
      continue;
    }
    if (ev.type == RunnerEvent::Type::Timeout && runner.running() == 0) break;  // a lost child
    if (ev.type != RunnerEvent::Type::Exited) continue;
    auto it = running.find(ev.result.id);
    if (it == running.end()) continue;
    out[it->second] = probed_state(layers[it->second], ev.result);
    running.erase(it);
  }
  if (first != 0) {
    std::string names;
    for (std::size_t k = 0; k < layers.size(); ++k)
      if (cut[k]) names += (names.empty() ? "" : ", ") + stack.layer(layers[k]).name;
    if (names.empty()) names = stack.layer(layers[std::min(next, layers.size() - 1)]).name;
    throw Error(ExitCode::Interrupted, "interrupted (" + signal_name(first) +
                                           ") while reading the state of " + names +
                                           "; nothing was started");
  }
  return out;
}

EmptyDependentsGuard::EmptyDependentsGuard(
    const Stack& stack, const Graph& graph, const TaskSettings& task,
    const std::map<std::string, std::string>& not_applied_why)
    : stack_(stack), graph_(graph), task_(task), why_(not_applied_why) {}

std::vector<ChildSpec> EmptyDependentsGuard::checks(std::size_t layer, Action action) {
  std::vector<ChildSpec> specs;
  if (action != Action::Destroy) return specs;
  std::vector<std::size_t> read = dependents_to_recheck(stack_, graph_, task_.not_applied, layer);
  for (std::size_t d : read) specs.push_back(state_probe_spec(stack_, task_, d));
  read_[layer] = std::move(read);
  return specs;
}

std::optional<std::string> EmptyDependentsGuard::verdict(std::size_t layer, Action /*action*/,
                                                         const std::vector<ChildResult>& results) {
  const std::vector<std::size_t> read = std::move(read_[layer]);
  read_.erase(layer);
  std::vector<ProbedState> probes;
  for (std::size_t k = 0; k < read.size() && k < results.size(); ++k)
    probes.push_back(probed_state(read[k], results[k]));
  return recheck_refusal(stack_, layer, probes, why_);
}

}  // namespace stackctl
