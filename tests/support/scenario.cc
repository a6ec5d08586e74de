#include "support/scenario.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace stackctl::testing {
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Scenario::Scenario() {
  std::string tmpl = (fs::temp_directory_path() / "stackctl-e2e-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  root_ = fs::canonical(tmpl);
}

Scenario::~Scenario() {
  if (!std::getenv("STACKCTL_KEEP_TEST_DIRS")) {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
}

void Scenario::write(const std::string& relative, const std::string& text) const {
  fs::path p = root_ / relative;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string Scenario::read(const std::string& relative) const { return slurp(root_ / relative); }

std::string Scenario::masked(const std::string& text) const {
  const std::string root = root_.string();
  std::string out = text;
  for (std::size_t at = out.find(root); at != std::string::npos; at = out.find(root, at))
    out.replace(at, root.size(), "<root>");
  out = std::regex_replace(out, std::regex(R"(\b[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}\b)"), "<run>");
  out = std::regex_replace(
      out, std::regex(R"(\b[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\b)"), "<when>");
  out =
      std::regex_replace(out, std::regex(R"(\b[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\b)"), "<clock>");
  return std::regex_replace(out, std::regex(R"(\b[0-9]+\.[0-9]s\b)"), "<t>");
}

bool Scenario::exists(const std::string& relative) const { return fs::exists(root_ / relative); }

void Scenario::env(const std::string& name, const std::string& yaml) const {
  write("envs/" + name + "/env.yaml", yaml);
}

void Scenario::layer_hcl(const std::string& env, const std::string& layer,
                         const std::vector<std::string>& deps, const std::string& extra) const {
  std::string hcl;
  for (const auto& d : deps)
    hcl += "dependency \"" + d + "\" {\n  config_path = \"../" + d + "\"\n}\n";
  write("envs/" + env + "/" + layer + "/terragrunt.hcl", hcl + extra);
}

Background::Background(const std::string& program, const std::vector<std::string>& args,
                       const fs::path& cwd, const std::map<std::string, std::string>& env) {
  char out_tmpl[] = "/tmp/stackctl-out-XXXXXX";
  char err_tmpl[] = "/tmp/stackctl-err-XXXXXX";
  int out_fd = mkstemp(out_tmpl), err_fd = mkstemp(err_tmpl);
  out_file_ = out_tmpl;
  err_file_ = err_tmpl;
  pid_ = fork();
  if (pid_ == 0) {
    setpgid(0, 0);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  setpgid(pid_, pid_);
  close(out_fd);
  close(err_fd);
}

Background::~Background() {
  if (!waited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  unlink(out_file_.c_str());
  unlink(err_file_.c_str());
}

void Background::signal(int sig, bool group) const { kill(group ? -pid_ : pid_, sig); }

Outcome Background::wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  waited_ = true;
  Outcome o;
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  o.out = slurp(out_file_);
  o.err = slurp(err_file_);
  return o;
}

Outcome run_program(const std::string& program, const std::vector<std::string>& args,
                    const fs::path& cwd, const std::map<std::string, std::string>& env) {
  return Background(program, args, cwd, env).wait();
}

void Scenario::chain_of_three() const {
  manifest(
      "version: 1\nlayers:\n  - name: vpc\n  - name: db\n    depends_on: [vpc]\n"
      "  - name: app\n    depends_on: [db]\n");
  env("dev", "name: dev\nparallelism: 1\n");
  layer_hcl("dev", "vpc", {});
  layer_hcl("dev", "db", {"vpc"});
  layer_hcl("dev", "app", {"db"});
}

void Scenario::fault(const std::string& layer, const std::string& faults_json) const {
  write("envs/dev/" + layer + "/.terragrunt-sim/faults.json", faults_json);
}

std::string Scenario::sim_lock(const std::string& layer) const {
  return "envs/dev/" + layer + "/.terragrunt-sim/lock";
}

bool Scenario::wait_working(const std::string& layer) const {
  for (int i = 0; i < 3000; ++i, usleep(10000))
    if (exists(sim_lock(layer))) return true;
  return false;
}

int Scenario::working_pid(const std::string& layer) const {
  for (int i = 0; i < 3000; ++i, usleep(10000)) {
    if (!exists(sim_lock(layer))) continue;
    nlohmann::json lock = nlohmann::json::parse(read(sim_lock(layer)), nullptr, false);
    if (lock.is_object() && lock.contains("pid")) return lock["pid"].get<int>();
  }
  return -1;
}

int Scenario::signals_seen(const std::string& layer) const {
  std::ifstream in(root_ / "envs/dev" / layer / ".terragrunt-sim/signals.log");
  int n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

bool Scenario::wait_for_call(const std::string& call) const {
  for (int i = 0; i < 3000; ++i) {
    if (fs::exists(call_log())) {
      for (const auto& c : call_sequence())
        if (c == call) return true;
    }
    usleep(10000);
  }
  return false;
}

std::vector<nlohmann::json> Scenario::calls() const {
  std::vector<nlohmann::json> out;
  std::istringstream in(slurp(call_log()));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::vector<std::string> Scenario::call_sequence() const {
  std::vector<std::string> out;
  for (const auto& c : calls()) {
    std::vector<std::string> argv = c.at("argv").get<std::vector<std::string>>();
    // The log may or may not include the program itself as argv[0].
    if (!argv.empty() && argv[0].find("terragrunt") != std::string::npos) argv.erase(argv.begin());
    if (argv.empty() || argv[0] == "--version") continue;
    out.push_back(fs::path(c.at("cwd").get<std::string>()).filename().string() + " " + argv[0]);
  }
  return out;
}

bool catches_signal(int pid, int sig) {
  for (int i = 0; i < 3000; ++i, ::usleep(10 * 1000)) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
      if (line.rfind("SigCgt:", 0) == 0 &&
          (std::stoull(line.substr(7), nullptr, 16) >> (sig - 1)) & 1)
        return true;
  }
  return false;
}

int tofu_running(const fs::path& folder, const std::string& command) {
  const std::string prefix = "tofu" + std::string(1, '\0') + command + std::string(1, '\0');
  for (int i = 0; i < 3000; ++i, ::usleep(10 * 1000)) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      if (slurp(entry.path() / "cmdline").rfind(prefix, 0) != 0) continue;
      if (fs::read_symlink(entry.path() / "cwd", ec) != folder) continue;
      const int pid = std::stoi(name);
      if (catches_signal(pid, SIGINT)) return pid;
    }
  }
  return -1;
}

}  // namespace stackctl::testing
