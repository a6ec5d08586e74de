#include "real/real_project.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace stackctl::testing {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

json json_file(const fs::path& p) {
  if (!fs::exists(p)) return nullptr;
  json j = json::parse(slurp(p), nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

bool executable(const std::string& path) {
  return !path.empty() && ::access(path.c_str(), X_OK) == 0;
}

// The terraform module every unit uses: one terraform_data resource and its outputs.
const char* kModule = R"(variable "name" {
  type = string
}
variable "upstream" {
  type    = map(string)
  default = {}
}
variable "revision" {
  type    = string
  default = "1"
}
variable "note" {
  type    = string
  default = ""
}
variable "sleep_s" {
  type    = number
  default = 0
}
resource "terraform_data" "this" {
  triggers_replace = var.revision
  input            = { name = var.name, upstream = var.upstream }
  provisioner "local-exec" {
    command = "sleep ${var.sleep_s}"
  }
  %LIFECYCLE%
}
output "id" {
  value = terraform_data.this.id
}
output "name" {
  value = var.name
}
output "note" {
  value = var.note
}
)";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

}  // namespace

int count_of(const std::string& haystack, const std::string& text) {
  int n = 0;
  for (std::size_t at = haystack.find(text); at != std::string::npos;
       at = haystack.find(text, at + text.size()))
    ++n;
  return n;
}

std::optional<RealTools> real_tools(std::string& why_not) {
  // ctest sets STACKCTL_REAL_TERRAGRUNT per pinned version; tofu defaults to the pinned one.
  std::string tofu = env_or_empty("STACKCTL_REAL_TOFU");
  if (tofu.empty()) tofu = STACKCTL_PINNED_TOFU;
  RealTools t{tofu, env_or_empty("STACKCTL_REAL_TERRAGRUNT"), 0};
  if (!executable(t.tofu) || !executable(t.terragrunt)) {
    why_not = "STACKCTL_REAL_TOFU='" + t.tofu + "' and STACKCTL_REAL_TERRAGRUNT='" + t.terragrunt +
              "' must name the real tools (build them with .ci/real-tools)";
    return std::nullopt;
  }
  Outcome v = run_program(t.terragrunt, {"--version"}, fs::temp_directory_path(), {});
  std::smatch m;
  const std::string text = v.out + v.err;
  if (!std::regex_search(text, m, std::regex(R"(version v?(\d+)\.(\d+)\.(\d+))"))) {
    why_not = t.terragrunt + " --version printed no version: " + text;
    return std::nullopt;
  }
  const int major = std::stoi(m[1]), minor = std::stoi(m[2]);
  t.minor = major >= 1 ? 1000 + minor : minor;
  return t;
}

// ---- HttpBackend -------------------------------------------------------------------------------

HttpBackend::HttpBackend(const fs::path& data_dir) : dir_(data_dir) {
  fs::create_directories(dir_);
  const std::string script = std::string(STACKCTL_SOURCE_DIR) + "/tests/real/http_backend.py";
  pid_ = ::fork();
  if (pid_ == 0) {
    int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);
    ::execlp("python3", "python3", script.c_str(), dir_.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 1000 && port_ == 0; ++i) {
    std::string p = slurp(dir_ / "port");
    if (!p.empty())
      port_ = std::stoi(p);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (port_ == 0) throw std::runtime_error("the http state server did not start");
}

HttpBackend::~HttpBackend() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void HttpBackend::delay_writes(int seconds) const {
  std::ofstream(dir_ / "delay-writes") << seconds;
}

json HttpBackend::state(const std::string& unit) const {
  return json_file(dir_ / (unit + ".tfstate"));
}

bool HttpBackend::locked(const std::string& unit) const {
  return fs::exists(dir_ / (unit + ".lock"));
}

// ---- RealProject -------------------------------------------------------------------------------

RealProject::RealProject(const RealTools& tools, std::vector<RealLayer> layers, int backend_port)
    : tools_(tools), layers_(std::move(layers)), backend_port_(backend_port) {
  std::string manifest = "version: 1\nlayers:\n";
  for (const auto& l : layers_) {
    manifest += "  - name: " + l.name + "\n";
    if (!l.deps.empty()) {
      manifest += "    depends_on: [";
      for (std::size_t i = 0; i < l.deps.size(); ++i) manifest += (i ? ", " : "") + l.deps[i];
      manifest += "]\n";
    }
    if (l.protect != "none") manifest += "    protect: " + l.protect + "\n";
  }
  this->manifest(manifest);
  env("real", "name: real\nparallelism: 2\n");
  // A remote_state block, not a plain generate block: with one, terragrunt reads a dependency's
  // outputs without running `terragrunt output` in the dependency's folder, which races with the
  // other layers reading the same dependency at the same time ("Backend initialization required
  // ... Unsetting the previously set backend", seen with 0.72.6 at parallelism 2).
  std::string config;
  std::string kind = "local";
  if (backend_port_ == 0) {
    config =
        "    path = "
        "\"${get_parent_terragrunt_dir()}/../../state/${path_relative_to_include()}/"
        "terraform.tfstate\"\n";
  } else {
    kind = "http";
    const std::string base = "http://127.0.0.1:" + std::to_string(backend_port_);
    config = "    address        = \"" + base +
             "/state/${path_relative_to_include()}\"\n"
             "    lock_address   = \"" +
             base +
             "/lock/${path_relative_to_include()}\"\n"
             "    unlock_address = \"" +
             base + "/lock/${path_relative_to_include()}\"\n";
  }
  write("envs/real/root.hcl", "remote_state {\n  backend = \"" + kind +
                                  "\"\n  generate = {\n    path      = \"backend.tf\"\n"
                                  "    if_exists = \"overwrite_terragrunt\"\n  }\n  config = {\n" +
                                  config + "  }\n}\n");
  for (const auto& l : layers_) write_unit(l);
}

const RealLayer& RealProject::layer(const std::string& name) const {
  for (const auto& l : layers_)
    if (l.name == name) return l;
  throw std::runtime_error("no layer " + name);
}

void RealProject::update(const RealLayer& changed) {
  for (auto& l : layers_)
    if (l.name == changed.name) l = changed;
  write_unit(changed);
}

void RealProject::write_unit(const RealLayer& l) {
  std::string hcl = "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n";
  if (l.prevent_destroy) hcl += "prevent_destroy = true\n";
  std::string upstream;
  for (const auto& d : l.deps) {
    hcl += "dependency \"" + d + "\" {\n  config_path = \"../" + d +
           "\"\n  mock_outputs = {\n    id   = \"mock-" + d + "\"\n    name = \"" + d +
           "\"\n  }\n"
           "  mock_outputs_allowed_terraform_commands = [\"validate\", \"plan\"]\n}\n";
    upstream += "    \"" + d + "\" = dependency." + d + ".outputs.id\n";
  }
  hcl += "inputs = {\n  name     = \"" + l.name + "\"\n  revision = \"" + l.revision +
         "\"\n  note     = \"" + l.note + "\"\n  sleep_s  = " + std::to_string(l.sleep_s) +
         "\n  upstream = {\n" + upstream + "  }\n}\n";
  write("envs/real/" + l.name + "/terragrunt.hcl", hcl);
  write("envs/real/" + l.name + "/main.tf",
        replace_all(kModule, "%LIFECYCLE%",
                    l.forget_on_replace ? "lifecycle {\n    destroy = false\n  }" : ""));
}

std::map<std::string, std::string> RealProject::tool_env() const {
  // The machine's own terraform CLI settings stay out of the scenario: an empty config file.
  const fs::path cli_config = root() / "terraformrc";
  if (!fs::exists(cli_config)) std::ofstream(cli_config).flush();
  std::map<std::string, std::string> e = {{"STACKCTL_TERRAGRUNT", tools_.terragrunt},
                                          {"CHECKPOINT_DISABLE", "1"},
                                          {"TF_CLI_CONFIG_FILE", cli_config.string()},
                                          {"TF_PLUGIN_CACHE_DIR", ""}};
  // The variable that names terraform's binary, in the terragrunt's own dialect.
  e[tools_.minor < 73 ? "TERRAGRUNT_TFPATH" : "TG_TF_PATH"] = tools_.tofu;
  return e;
}

Outcome RealProject::stackctl(const std::vector<std::string>& args,
                              std::map<std::string, std::string> env) const {
  for (const auto& [k, v] : tool_env()) env.emplace(k, v);
  return run(args, env);
}

std::unique_ptr<Background> RealProject::start_stackctl(
    const std::vector<std::string>& args) const {
  return start(args, tool_env());
}

Outcome RealProject::terragrunt(const std::string& layer,
                                const std::vector<std::string>& args) const {
  auto env = tool_env();
  env[tools_.minor < 73 ? "TERRAGRUNT_NON_INTERACTIVE" : "TG_NON_INTERACTIVE"] = "true";
  return run_program(tools_.terragrunt, args, root() / "envs/real" / layer, env);
}

json RealProject::state(const std::string& layer) const {
  return json_file(root() / "state" / layer / "terraform.tfstate");
}

bool RealProject::lock_left(const std::string& layer) const {
  return fs::exists(root() / "state" / layer / ".terraform.tfstate.lock.info");
}

std::vector<std::string> RealProject::resources(const std::string& layer) const {
  std::vector<std::string> out;
  json s = state(layer);
  if (!s.is_object()) return out;
  for (const auto& r : s.value("resources", json::array()))
    if (r.value("mode", "") == "managed" && !r.value("instances", json::array()).empty())
      out.push_back(r.value("type", "") + "." + r.value("name", ""));
  return out;
}

std::string RealProject::last_log(const std::string& layer_action) const {
  const fs::path runs = root() / ".stackctl/real/runs";
  if (!fs::exists(runs)) return "";
  fs::path newest;
  fs::file_time_type when{};
  for (const auto& run : fs::directory_iterator(runs)) {
    fs::path log = run.path() / (layer_action + ".log");
    if (fs::exists(log) && (newest.empty() || fs::last_write_time(log) >= when)) {
      newest = log;
      when = fs::last_write_time(log);
    }
  }
  return newest.empty() ? "" : slurp(newest);
}

bool RealProject::wait_for_log(const std::string& layer_action, const std::string& text) const {
  for (int i = 0; i < 1200; ++i) {
    if (last_log(layer_action).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::vector<json> RealProject::journal() const {
  std::vector<json> out;
  std::istringstream in(read(".stackctl/real/journal.jsonl"));
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line, nullptr, false);
    if (!j.is_discarded()) out.push_back(j);
  }
  return out;
}

std::string RealProject::last_result(const std::string& layer) const {
  std::string result;
  for (const auto& r : journal())
    if (r.value("type", "") == "layer_end" && r.value("layer", "") == layer)
      result = r.value("result", "");
  return result;
}

}  // namespace stackctl::testing
