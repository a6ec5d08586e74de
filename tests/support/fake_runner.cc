#include "support/fake_runner.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace stackctl::testing {

std::string plan_json(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& changes) {
  nlohmann::json rc = nlohmann::json::array();
  for (const auto& [address, actions] : changes)
    rc.push_back({{"address", address}, {"mode", "managed"}, {"change", {{"actions", actions}}}});
  nlohmann::json doc = {{"format_version", "1.2"}, {"errored", false}};
  if (!rc.empty()) doc["resource_changes"] = rc;
  return doc.dump();
}

std::string state_json(const std::vector<std::string>& resources) {
  nlohmann::json doc = {{"format_version", "1.0"}};
  if (resources.empty()) return doc.dump();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& address : resources)
    list.push_back(
        {{"address", address}, {"mode", "managed"}, {"values", nlohmann::json::object()}});
  doc["terraform_version"] = "1.12.6";
  doc["values"] = {{"root_module", {{"resources", list}}}};
  return doc.dump();
}

int FakeRunner::start(const ChildSpec& spec) {
  bool terragrunt = spec.argv.size() > 1 && spec.argv[1].rfind("-", 0) != 0 &&
                    spec.argv[0].find("terragrunt") != std::string::npos;
  std::string step = terragrunt ? spec.argv[1] : "command";
  // `show -json` without a plan file reads the state.
  if (step == "show" && spec.argv.size() == 3 && spec.argv[2] == "-json") step = "state";
  std::string key = spec.label + " " + step;
  started.push_back(key);
  specs.push_back(spec);
  ChildResult r;
  r.exit_code = 0;
  if (step == "plan") r.exit_code = 2;
  if (step == "show") r.stdout_data = plan_json({{"null_resource." + spec.label, {"create"}}});
  if (step == "state")
    r.stdout_data = state_json(holding.count(spec.label)
                                   ? std::vector<std::string>{"null_resource." + spec.label}
                                   : std::vector<std::string>{});
  if (auto it = script.find(key); it != script.end()) r = it->second;
  const bool planned =
      r.spawn_error.empty() && r.signal == 0 && (r.exit_code == 0 || r.exit_code == 2);
  if (step == "plan" && planned && !plans_not_written.count(key)) {
    for (const std::string& arg : spec.argv) {
      if (arg.rfind("-out=", 0) == 0) {
        const std::filesystem::path file = arg.substr(5);
        std::error_code ec;
        std::filesystem::create_directories(file.parent_path(), ec);
        std::ofstream(file) << "plan of " << spec.label << "\n";
      } else if (arg.rfind("-json-into=", 0) == 0 && streams.count(key)) {
        std::ofstream(arg.substr(11)) << streams.at(key);
      }
    }
  }
  if (!spec.mark.empty() && r.ok() && !closings_not_printed.count(key)) {
    const std::size_t at = r.tail.rfind(spec.mark);
    if (at != std::string::npos) {
      const std::size_t begin = r.tail.rfind('\n', at);
      r.marked_line = r.tail.substr(begin == std::string::npos ? 0 : begin + 1);
      r.marked_line = r.marked_line.substr(0, r.marked_line.find('\n'));
    } else {
      r.marked_line =
          spec.mark + (step == "destroy" ? "1 destroyed." : "1 added, 0 changed, 0 destroyed.");
    }
  }
  r.id = next_id_++;
  r.duration_s = 1.0;
  running_.push_back(r);
  max_running = std::max(max_running, running_.size());
  return r.id;
}

RunnerEvent FakeRunner::wait(std::chrono::milliseconds) {
  RunnerEvent ev;
  if (interrupts_sent_ < interrupt_count && interrupt_after_starts >= 0 &&
      static_cast<int>(started.size()) >= interrupt_after_starts) {
    ++interrupts_sent_;
    ev.type = RunnerEvent::Type::Interrupt;
    ev.signal = 2;
    return ev;
  }
  if (running_.empty()) return ev;
  ev.type = RunnerEvent::Type::Exited;
  ev.result = running_.front();
  running_.pop_front();
  return ev;
}

}  // namespace stackctl::testing
