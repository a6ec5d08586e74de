#include "state.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace tgsim {

using nlohmann::json;

const Resource* State::find(const std::string& address) const {
  for (const Resource& r : resources) {
    if (r.address == address) return &r;
  }
  return nullptr;
}

fs::path sim_dir(const fs::path& module_dir) { return module_dir / ".terragrunt-sim"; }

bool read_file(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

bool write_file_atomic(const fs::path& path, const std::string& content, std::string& error) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  fs::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) {
      error = "cannot write " + tmp.string();
      return false;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    error = "cannot write " + path.string() + ": " + ec.message();
    return false;
  }
  return true;
}

namespace {

std::vector<std::string> string_list(const json& j) {
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& item : j) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

bool parse_json_file(const fs::path& path, json& out, std::string& error) {
  std::string text;
  if (!read_file(path, text)) {
    error = "cannot read " + path.string();
    return false;
  }
  out = json::parse(text, nullptr, false);
  if (out.is_discarded() || !out.is_object()) {
    error = path.string() + ": not a JSON object";
    return false;
  }
  return true;
}

}  // namespace

bool load_state(const fs::path& module_dir, State& state, std::string& error) {
  state = State{};
  fs::path path = sim_dir(module_dir) / "state.json";
  std::error_code ec;
  if (!fs::exists(path, ec)) return true;
  json j;
  if (!parse_json_file(path, j, error)) return false;
  state.serial = j.value("serial", 0);
  state.lineage = j.value("lineage", "");
  for (const auto& r : j.value("resources", json::array())) {
    if (!r.is_object() || !r.contains("address")) continue;
    state.resources.push_back(
        {r.value("address", ""), r.value("id", ""), r.value("attributes", json::object())});
  }
  state.outputs = j.value("outputs", json::object());
  state.sensitive_outputs = string_list(j.value("sensitive_outputs", json::array()));
  return true;
}

bool save_state(const fs::path& module_dir, const State& state, std::string& error) {
  json resources = json::array();
  for (const Resource& r : state.resources) {
    resources.push_back({{"address", r.address}, {"id", r.id}, {"attributes", r.attributes}});
  }
  json j = {{"version", 1},
            {"serial", state.serial},
            {"lineage", state.lineage},
            {"resources", resources},
            {"outputs", state.outputs},
            {"sensitive_outputs", state.sensitive_outputs}};
  return write_file_atomic(sim_dir(module_dir) / "state.json", j.dump(2) + "\n", error);
}

bool load_desired(const fs::path& module_dir, Desired& desired, std::string& error) {
  desired = Desired{};
  fs::path path = module_dir / "sim.json";
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    std::string name = module_dir.filename().string();
    desired.resources.emplace_back("null_resource." + name, json::object());
    desired.outputs[std::string("id")] = name + "-id";
    return true;
  }
  json j;
  if (!parse_json_file(path, j, error)) return false;
  json resources = j.value("resources", json::array());
  if (resources.is_array()) {
    for (const auto& address : string_list(resources)) {
      desired.resources.emplace_back(address, json::object());
    }
  } else if (resources.is_object()) {
    for (auto it = resources.begin(); it != resources.end(); ++it) {
      desired.resources.emplace_back(it.key(),
                                     it.value().is_object() ? it.value() : json::object());
    }
  }
  desired.outputs = j.value("outputs", json::object());
  desired.sensitive_outputs = string_list(j.value("sensitive_outputs", json::array()));
  desired.replace = string_list(j.value("replace", json::array()));
  desired.update = string_list(j.value("update", json::array()));
  for (const char* key : {"import", "moved"}) {
    json map = j.value(key, json::object());
    auto& into = std::string(key) == "import" ? desired.imports : desired.moved;
    for (auto it = map.begin(); map.is_object() && it != map.end(); ++it) {
      if (it.value().is_string()) into.emplace_back(it.key(), it.value().get<std::string>());
    }
  }
  desired.forget = string_list(j.value("forget", json::array()));
  desired.forget_replace = string_list(j.value("forget_replace", json::array()));
  return true;
}

}  // namespace tgsim
