#pragma once
// End-to-end scenarios: a temporary project on disk, the built stackctl run against it with
// terragrunt-sim as terragrunt, and readers for what the simulator recorded.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stackctl::testing {

/// What a finished stackctl process left.
struct Outcome {
  int exit_code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// A stackctl process started in the background (for signals and concurrent runs).
class Background {
 public:
  Background(const std::string& program, const std::vector<std::string>& args,
             const std::filesystem::path& cwd, const std::map<std::string, std::string>& env);
  ~Background();
  int pid() const { return pid_; }
  /// Sends sig to the process (or, with group, to its whole process group, as a terminal does).
  void signal(int sig, bool group = false) const;
  /// Waits for the process and collects its output.
  Outcome wait();

 private:
  int pid_ = -1;
  std::string out_file_, err_file_;
  bool waited_ = false;
};

/// A temporary project: layers/manifest.yaml, envs/<env>/env.yaml and layer folders.
class Scenario {
 public:
  Scenario();
  ~Scenario();
  Scenario(const Scenario&) = delete;
  Scenario& operator=(const Scenario&) = delete;

  const std::filesystem::path& root() const { return root_; }
  /// Writes a file under the project root (creating folders).
  void write(const std::string& relative, const std::string& text) const;
  std::string read(const std::string& relative) const;
  /// A command's output with what varies from run to run masked: this project's folder as
  /// <root>, run ids as <run>, durations as <t>, clock times as <clock> and UTC times as <when>.
  std::string masked(const std::string& text) const;
  bool exists(const std::string& relative) const;
  /// Writes the manifest.
  void manifest(const std::string& yaml) const { write("layers/manifest.yaml", yaml); }
  /// Writes envs/<env>/env.yaml and a terragrunt.hcl per name in layers (with dependency
  /// blocks for the deps given as "layer:dep1,dep2").
  void env(const std::string& name, const std::string& yaml) const;
  /// Writes envs/<env>/<layer>/terragrunt.hcl with one dependency block per dep.
  void layer_hcl(const std::string& env, const std::string& layer,
                 const std::vector<std::string>& deps, const std::string& extra = "") const;

  /// Runs the built stackctl in the project root with args; TERRAGRUNT_SIM_LOG and
  /// STACKCTL_TERRAGRUNT point at the simulator unless env overrides them. stdin is /dev/null.
  Outcome run(const std::vector<std::string>& args,
              const std::map<std::string, std::string>& env = {}) const;

  /// Starts stackctl in the background, in its own process group, like run().
  std::unique_ptr<Background> start(const std::vector<std::string>& args,
                                    const std::map<std::string, std::string>& env = {}) const;
  /// Polls (up to 30 s) until the call log has a call whose "<layer> <command>" is call.
  bool wait_for_call(const std::string& call) const;

  /// The simulator's call log: one JSON object per terragrunt invocation, in start order.
  std::vector<nlohmann::json> calls() const;
  /// The calls as "layer action" strings ("vpc plan", "vpc show", ...), skipping --version.
  std::vector<std::string> call_sequence() const;
  /// Path of the call log.
  std::filesystem::path call_log() const { return root_ / "sim-calls.jsonl"; }
  void clear_calls() const { std::filesystem::remove(call_log()); }

  // The simulator's own files in a layer of env `dev` (docs/terragrunt-sim.md).
  /// Writes the layer's faults.json.
  void fault(const std::string& layer, const std::string& faults_json) const;
  /// The layer's state lock, relative to the root.
  std::string sim_lock(const std::string& layer) const;
  /// Polls (up to 30 s) until the simulator holds its state lock in layer (it is working).
  bool wait_working(const std::string& layer) const;
  /// The pid holding the layer's state lock (polls up to 30 s), or -1.
  int working_pid(const std::string& layer) const;
  /// How many signals the simulator's terraform in layer received.
  int signals_seen(const std::string& layer) const;
  /// Writes the chain vpc <- db <- app: manifest, env `dev` at parallelism 1, and the units.
  void chain_of_three() const;

 private:
  std::filesystem::path root_;
};

/// Polls (up to 30 s) until process pid catches sig (Linux: SigCgt in /proc/PID/status).
bool catches_signal(int pid, int sig);

/// Polls (up to 30 s) for terragrunt-sim's "tofu" process running command (`show`, `apply`) in
/// folder; its pid once it catches SIGINT (it is in its working step), or -1.
int tofu_running(const std::filesystem::path& folder, const std::string& command);

/// Runs a program with args in cwd, stdin from /dev/null, env added to this process's env.
Outcome run_program(const std::string& program, const std::vector<std::string>& args,
                    const std::filesystem::path& cwd,
                    const std::map<std::string, std::string>& env);

}  // namespace stackctl::testing
