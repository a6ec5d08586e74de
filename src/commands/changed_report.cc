// A change set for one env, and how `list --changed --why` shows it.
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "stackctl/commands/changed.h"
#include "stackctl/runner/interrupts.h"

namespace stackctl {

std::vector<std::string> ChangeSet::names(const Stack& stack) const {
  std::vector<std::string> out;
  for (const auto& c : layers) out.push_back(stack.layer(c.layer).name);
  return out;
}

const std::vector<std::string>* ChangeSet::reasons(std::size_t i) const {
  for (const auto& c : layers)
    if (c.layer == i) return &c.reasons;
  return nullptr;
}

ChangeSet find_changes(const Stack& stack, const Graph& g, const ChangedOptions& options) {
  auto process_runner = make_process_runner();
  InterruptLatch runner(*process_runner);  // after a Ctrl-C, no further git call starts
  ChangeSet out;
  out.git = read_git_changes(runner, stack.manifest->root, options.base,
                             {stack.manifest->file, stack.env.file});
  out.layers = changed_layers(stack, g, out.git, options.with_dependents);
  return out;
}

std::string describe_change_set(const Stack& stack, const ChangeSet& changes) {
  std::size_t enabled = 0;
  for (const auto& c : changes.layers)
    if (stack.enabled[c.layer]) ++enabled;
  auto count = [](std::size_t n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
  };
  return "changes since " + changes.git.base_label + ": " +
         count(changes.git.files.size(), "file") + ", " + count(enabled, "changed layer");
}

std::string why_table(const Stack& stack, const ChangeSet& changes,
                      const std::vector<std::size_t>& selected) {
  std::size_t width = 5;
  for (std::size_t i : selected) width = std::max(width, stack.layer(i).name.size());
  std::ostringstream o;
  o << describe_change_set(stack, changes) << "\n";
  o << std::left << std::setw(5) << "#" << std::setw(static_cast<int>(width) + 2) << "LAYER"
    << "WHY\n";
  for (std::size_t i : selected) {
    const auto* reasons = changes.reasons(i);
    if (!reasons) continue;
    for (std::size_t r = 0; r < reasons->size(); ++r) {
      o << std::setw(5) << (r == 0 ? std::to_string(i + 1) : "")
        << std::setw(static_cast<int>(width) + 2) << (r == 0 ? stack.layer(i).name : "")
        << (*reasons)[r] << "\n";
    }
  }
  return o.str();
}

nlohmann::json why_document(const Stack& stack, const ChangeSet& changes,
                            const std::vector<std::size_t>& selected) {
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i : selected) {
    const auto* reasons = changes.reasons(i);
    if (!reasons) continue;
    layers.push_back(
        {{"name", stack.layer(i).name}, {"tier", stack.layer(i).tier}, {"reasons", *reasons}});
  }
  return {{"base", changes.git.base_label},
          {"commit", changes.git.base_commit},
          {"files", changes.git.files},
          {"layers", layers}};
}

}  // namespace stackctl
