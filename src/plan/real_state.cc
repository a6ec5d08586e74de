#include "stackctl/plan/real_state.h"

#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

namespace stackctl {

namespace {

// True when a state module (root or child) or any module under it lists a resource.
bool has_resources(const nlohmann::json& module) {
  if (!module.is_object()) return false;
  if (auto r = module.find("resources"); r != module.end() && r->is_array() && !r->empty())
    return true;
  if (auto c = module.find("child_modules"); c != module.end() && c->is_array())
    for (const auto& child : *c)
      if (has_resources(child)) return true;
  return false;
}

}  // namespace

RealState read_real_state(int exit_code, const std::string& stdout_text) {
  if (exit_code != 0) return RealState::Unknown;
  std::size_t at = 0;
  while (at < stdout_text.size() && stdout_text[at] != '{') {  // one line at a time
    at = stdout_text.find('\n', at);
    if (at == std::string::npos) return RealState::Unknown;
    ++at;
  }
  const auto doc = nlohmann::json::parse(stdout_text.begin() + static_cast<std::ptrdiff_t>(at),
                                         stdout_text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("format_version"))
    return RealState::Unknown;
  const auto values = doc.find("values");
  if (values == doc.end()) return RealState::Empty;
  if (!values->is_object()) return RealState::Unknown;
  if (auto o = values->find("outputs"); o != values->end() && o->is_object() && !o->empty())
    return RealState::Holds;
  if (auto root = values->find("root_module"); root != values->end() && has_resources(*root))
    return RealState::Holds;
  return RealState::Empty;
}

std::vector<std::size_t> layers_to_probe(const Stack& stack, const Graph& graph,
                                         const Preflight& pre, const std::vector<Phase>& phases) {
  std::vector<bool> skipped(stack.size(), false);
  std::vector<std::size_t> destroyed;
  for (const auto& phase : phases) {
    for (std::size_t i : phase.not_applied) skipped[i] = true;
    if (phase.action != Action::Destroy) continue;
    destroyed.insert(destroyed.end(), phase.layers.begin(), phase.layers.end());
    destroyed.insert(destroyed.end(), phase.not_applied.begin(), phase.not_applied.end());
  }
  // What depends on a layer that is (or, once read, may be) destroyed must not still hold
  // resources.
  std::vector<bool> above = graph.closure(destroyed, true);
  for (std::size_t i : destroyed) above[i] = false;
  for (std::size_t i = 0; i < stack.size() && i < above.size(); ++i)
    if (above[i] && pre.not_applied.count(stack.layer(i).name)) skipped[i] = true;
  std::vector<bool> wanted(stack.size(), false);
  for (std::size_t i = 0; i < stack.size(); ++i) {
    const bool pins_nothing_by_journal =
        stack.protect[i] != Protect::None && !stack.enabled[i] &&
        !(i < pre.protection.applied.size() && pre.protection.applied[i]);
    wanted[i] = skipped[i] || pins_nothing_by_journal;
  }
  // A unit terragrunt cannot read is judged by its dependencies' state (apply_real_state): read
  // those the journal shows holding nothing too.
  for (std::size_t i = stack.size(); i-- > 0;)  // dependents come after their dependencies
    if (wanted[i])
      for (std::size_t d : graph.deps(i))
        if (pre.not_applied.count(stack.layer(d).name)) wanted[d] = true;
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < stack.size(); ++i) {
    std::error_code ec;
    if (wanted[i] && stack.layer(i).kind == LayerKind::Terragrunt &&
        std::filesystem::is_directory(stack.dirs[i], ec))
      out.push_back(i);
  }
  return out;
}

std::vector<std::string> apply_real_state(const Stack& stack, const Graph& graph, Preflight& pre,
                                          const std::vector<ProbedState>& probes) {
  std::vector<bool> applied = pre.protection.applied;
  applied.resize(stack.size(), false);
  std::map<std::size_t, const ProbedState*> found;
  for (const auto& p : probes) found[p.layer] = &p;
  // Per layer: found holding nothing (empty, or skipped below).
  std::vector<bool> holds_nothing(stack.size(), false);
  std::vector<std::string> warnings;
  for (const auto& [i, p] : found) {  // manifest order: dependencies come first
    const std::string& name = stack.layer(i).name;
    std::string why;
    if (p->state == RealState::Empty) why = "its state is empty";
    if (p->state == RealState::Unknown)
      for (std::size_t d : graph.deps(i))
        if (stack.layer(d).kind == LayerKind::Terragrunt && holds_nothing[d]) {
          why = "its dependency " + stack.layer(d).name + " holds nothing";
          break;
        }
    // Unknown may exist: it pins; it is skipped only when terragrunt could not destroy it anyway.
    applied[i] = p->state != RealState::Empty;
    const bool pins_only_if_applied = stack.protect[i] != Protect::None && !stack.enabled[i];
    if (p->state == RealState::Unknown && (why.empty() || pins_only_if_applied))
      warnings.push_back("cannot read the state of " + name + " (" + p->detail +
                         "): it counts as applied");
    holds_nothing[i] = !why.empty();
    if (why.empty()) {
      pre.not_applied.erase(name);
      pre.not_applied_why.erase(name);
    } else {
      pre.not_applied.insert(name);
      pre.not_applied_why[name] = why;
    }
  }
  pre.protection = protection_of(stack, graph, std::move(applied));
  return warnings;
}

std::vector<std::size_t> dependents_to_recheck(const Stack& stack, const Graph& graph,
                                               const std::set<std::string>& not_applied,
                                               std::size_t layer) {
  std::vector<std::size_t> out;
  if (not_applied.empty()) return out;
  for (std::size_t d : graph.descendants(layer)) {
    std::error_code ec;
    if (d < stack.size() && stack.enabled[d] && stack.layer(d).kind == LayerKind::Terragrunt &&
        not_applied.count(stack.layer(d).name) && std::filesystem::is_directory(stack.dirs[d], ec))
      out.push_back(d);
  }
  return out;
}

std::optional<std::string> recheck_refusal(
    const Stack& stack, std::size_t layer, const std::vector<ProbedState>& probes,
    const std::map<std::string, std::string>& not_applied_why) {
  const std::string tail = "; nothing of " + stack.layer(layer).name + " was destroyed";
  for (const auto& p : probes) {
    const std::string& name = stack.layer(p.layer).name;
    if (p.state == RealState::Holds)
      return "refused: " + name + " now holds resources (its state was empty at the preview)" +
             tail;
    if (p.state != RealState::Unknown) continue;
    const auto why = not_applied_why.find(name);
    if (why != not_applied_why.end() && why->second.rfind("its dependency ", 0) == 0) continue;
    // terragrunt cannot show a unit whose dependency has no outputs (one this run destroyed
    // first): nothing can have applied it since, and that dependency's own destroy read it.
    if (p.detail.find("detected no outputs") != std::string::npos) continue;
    return "refused: the state of " + name + " cannot be read now (" + p.detail +
           "); it counts as holding resources" + tail;
  }
  return std::nullopt;
}

}  // namespace stackctl
