// A model-based test of the safety rules (docs/contract.md, Rules that always hold; How terragrunt
// is called). Each case generates a manifest (dependencies, protection, optional layers), an env
// (enable, disable, protection overrides, confirm), a real state and the journal that recorded it
// (with an unfinished earlier run whose run_start may be hand-edited), a command with flags, plan
// contents and an interruption point. It runs the case through the library's real command flow
// (execute_run) against the fake runner and checks what reached the children against an oracle
// computed from the generated model alone:
//   - no destroy reaches a protected layer that was not allowed, or a layer that a present
//     (enabled or still applied) protected layer depends on, unless that layer went first;
//   - no destroy reaches a layer while an enabled layer that depends on it still holds
//     resources in the real state (whatever this checkout's journal says), including a layer
//     applied from another checkout between the preview and the run;
//   - no apply follows a plan of a protected layer that deletes or replaces an address not
//     named with --allow-replace;
//   - no child starts after stackctl was interrupted, and an interrupted run exits 130.
// Seeds: a fixed base (or STACKCTL_MODEL_SEED) plus the case number; a failure prints both.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "stackctl/commands/run.h"
#include "stackctl/util/error.h"
#include "support/fake_runner.h"

namespace stackctl {
namespace {

namespace fs = std::filesystem;
using testing::FakeRunner;
using testing::plan_json;

constexpr std::uint64_t kBaseSeed = 20261203;
constexpr int kCases = 4000;

std::uint64_t base_seed() {
  const char* v = std::getenv("STACKCTL_MODEL_SEED");
  return v && *v ? std::strtoull(v, nullptr, 10) : kBaseSeed;
}

struct LayerModel {
  std::string name;
  std::vector<int> deps;
  Protect protect = Protect::None;  ///< in the manifest
  bool optional = false;
};

/// One generated case: the project, the state, the command, and what the children answer.
struct Model {
  std::vector<LayerModel> layers;
  std::set<int> enable, disable;     ///< env.yaml enable (optional layers) / disable
  std::map<int, Protect> overrides;  ///< env.yaml protect
  bool confirm = false;
  std::set<int> exists;      ///< the real state before the command
  std::set<int> unreadable;  ///< layers whose state cannot be read (show -json fails)
  /// Layers that hold nothing at the preview and are applied from another checkout between the
  /// preview and the run (when the run, under the env lock, makes its runner).
  std::set<int> filled;
  std::vector<nlohmann::json> journal;  ///< records after the header
  RunRequest req;
  int interrupt_after = -1;  ///< FakeRunner::interrupt_after_starts
  int interrupt_count = 1;
  std::map<int, std::string> guarded;  ///< layer -> address its plan deletes or replaces

  std::vector<bool> enabled() const {
    std::vector<bool> on(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i)
      on[i] = layers[i].optional ? enable.count(static_cast<int>(i)) > 0
                                 : !disable.count(static_cast<int>(i));
    return on;
  }
  Protect protect(int i) const {
    auto it = overrides.find(i);
    return it != overrides.end() ? it->second : layers[static_cast<std::size_t>(i)].protect;
  }
  int position(const std::string& name) const {
    for (std::size_t i = 0; i < layers.size(); ++i)
      if (layers[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int upto(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  Protect protect() {
    int r = upto(10);
    return r < 6 ? Protect::None : r < 8 ? Protect::Keep : Protect::Data;
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

nlohmann::json layer_line(const std::string& type, const std::string& run, const std::string& layer,
                          const std::string& action, const std::string& result = "") {
  nlohmann::json j = {{"type", type},
                      {"run_id", run},
                      {"time", "2026-12-01T10:00:00Z"},
                      {"layer", layer},
                      {"action", action}};
  if (!result.empty()) j["result"] = result;
  return j;
}

void record(Model& m, const std::string& run, int layer, const std::string& action,
            const std::string& result) {
  const std::string& name = m.layers[static_cast<std::size_t>(layer)].name;
  m.journal.push_back(layer_line("layer_start", run, name, action));
  m.journal.push_back(layer_line("layer_end", run, name, action, result));
}

void make_layers(Gen& g, Model& m) {
  const int n = 3 + g.upto(6);
  for (int i = 0; i < n; ++i) {
    LayerModel l;
    l.name = "l" + std::to_string(i);
    for (int d = 0; d < i; ++d)
      if (g.chance(0.3)) l.deps.push_back(d);
    l.protect = g.protect();
    l.optional = g.chance(0.25);
    m.layers.push_back(l);
  }
}

// An env whose enabled set is closed under dependencies (an invalid env is another test's job).
void make_env(Gen& g, Model& m) {
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    int li = static_cast<int>(i);
    if (m.layers[i].optional && g.chance(0.5)) m.enable.insert(li);
    if (!m.layers[i].optional && g.chance(0.15)) m.disable.insert(li);
    if (g.chance(0.15)) m.overrides[li] = g.protect();
  }
  for (bool changed = true; changed;) {
    changed = false;
    auto on = m.enabled();
    for (std::size_t i = 0; i < m.layers.size(); ++i) {
      if (!on[i]) continue;
      bool deps_on = true;
      for (int d : m.layers[i].deps) deps_on = deps_on && on[static_cast<std::size_t>(d)];
      if (deps_on) continue;
      int li = static_cast<int>(i);
      if (m.layers[i].optional)
        m.enable.erase(li);
      else
        m.disable.insert(li);
      changed = true;
    }
  }
  m.confirm = g.chance(0.25);
}

// The real state (closed under dependencies) and the journal runs that recorded it: applies, and
// destroys of some layers applied once. This checkout's journal is not the whole truth: some
// layers were applied from another checkout (no record here), some destroys exited 0 without
// destroying anything (journaled ok), and some states cannot be read.
void make_state(Gen& g, Model& m) {
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    bool deps = true;
    for (int d : m.layers[i].deps) deps = deps && m.exists.count(d);
    if (deps && g.chance(0.7)) m.exists.insert(static_cast<int>(i));
    if (g.chance(0.08)) m.unreadable.insert(static_cast<int>(i));
  }
  m.journal.push_back({{"type", "run_start"}, {"run_id", "r1"}, {"command", "apply"}});
  std::set<int> destroyed;
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    int li = static_cast<int>(i);
    const bool elsewhere = m.exists.count(li) && g.chance(0.12);
    if (elsewhere || !(m.exists.count(li) || g.chance(0.2))) continue;
    record(m, "r1", li, "apply", "ok");
    if (!m.exists.count(li) || g.chance(0.1)) destroyed.insert(li);
  }
  m.journal.push_back({{"type", "run_end"}, {"run_id", "r1"}, {"result", "ok"}});
  if (destroyed.empty()) return;
  m.journal.push_back({{"type", "run_start"}, {"run_id", "r2"}, {"command", "destroy"}});
  for (auto it = destroyed.rbegin(); it != destroyed.rend(); ++it)
    record(m, "r2", *it, "destroy", "ok");
  m.journal.push_back({{"type", "run_end"}, {"run_id", "r2"}, {"result", "ok"}});
}

// An earlier run that did not finish, as the journal has it; sometimes edited by hand: the wrong
// phases for its command, protected layers to destroy, allow lists it never had.
void make_unfinished_run(Gen& g, Model& m) {
  static const char* const kCommands[] = {"destroy", "rebuild", "apply"};
  std::string command = kCommands[g.upto(3)];
  std::vector<std::string> actions = command == "rebuild"
                                         ? std::vector<std::string>{"destroy", "apply"}
                                     : command == "destroy" ? std::vector<std::string>{"destroy"}
                                                            : std::vector<std::string>{"apply"};
  if (g.chance(0.15)) actions = {g.chance(0.5) ? "destroy" : "apply"};
  nlohmann::json phases = nlohmann::json::array();
  nlohmann::json allow = nlohmann::json::array();
  for (const auto& a : actions) {
    nlohmann::json names = nlohmann::json::array();
    for (const auto& l : m.layers)
      if (g.chance(0.5)) names.push_back(l.name);
    phases.push_back({{"action", a}, {"layers", names}});
  }
  for (const auto& l : m.layers)
    if (g.chance(0.3)) allow.push_back(l.name);
  m.journal.push_back({{"type", "run_start"},
                       {"run_id", "r3"},
                       {"command", command},
                       {"argv", {"stackctl", command}},
                       {"env", "m"},
                       {"phases", phases},
                       {"options",
                        {{"keep_going", g.chance(0.3)},
                         {"allow_destroy", allow},
                         {"allow_replace", nlohmann::json::array({"res.l0", "res.l1"})}}}});
  // Some of its layers ended ok before it stopped; the real state follows what they did.
  for (const auto& p : phases) {
    for (const auto& n : p["layers"]) {
      int li = m.position(n.get<std::string>());
      if (!g.chance(0.3)) continue;
      std::string action = p["action"];
      if (action == "destroy") {
        bool dependent_left = false;
        for (std::size_t d = 0; d < m.layers.size(); ++d)
          for (int dep : m.layers[d].deps)
            dependent_left |= dep == li && m.exists.count(static_cast<int>(d));
        if (dependent_left || !m.exists.count(li)) continue;
        m.exists.erase(li);
      } else {
        bool deps = true;
        for (int d : m.layers[static_cast<std::size_t>(li)].deps) deps = deps && m.exists.count(d);
        if (!deps) continue;
        m.exists.insert(li);
      }
      record(m, "r3", li, action, "ok");
    }
  }
  if (g.chance(0.5))
    m.journal.push_back({{"type", "run_end"}, {"run_id", "r3"}, {"result", "interrupted"}});
}

std::string random_layer(Gen& g, const Model& m) {
  return m.layers[static_cast<std::size_t>(g.upto(static_cast<int>(m.layers.size())))].name;
}

void make_request(Gen& g, Model& m) {
  RunRequest& r = m.req;
  int c = g.upto(20);
  r.command = c < 6    ? Command::Destroy
              : c < 10 ? Command::Rebuild
              : c < 17 ? Command::Resume
                       : Command::Apply;
  if (r.command == Command::Resume) make_unfinished_run(g, m);
  r.env = "m";
  r.yes = true;
  r.confirm_env = g.chance(0.85) ? "m" : "prod";
  r.keep_going = g.chance(0.3);
  r.parallelism = 1 + g.upto(4);
  if (r.command == Command::Destroy || r.command == Command::Apply) {
    int s = g.upto(10);
    if (s == 0) r.selection.only = {random_layer(g, m)};
    if (s == 1) r.selection.only = {random_layer(g, m), random_layer(g, m)};
    if (s == 2) r.selection.target = {random_layer(g, m)};
    if (s == 3) r.selection.up_to = random_layer(g, m);
    if (s == 4) r.selection.from = random_layer(g, m);
    if (s == 5) r.selection.exclude = {random_layer(g, m)};
  }
  if (r.command == Command::Rebuild && g.chance(0.3)) r.selection.up_to = random_layer(g, m);
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    int li = static_cast<int>(i);
    if (m.protect(li) != Protect::None && g.chance(0.35)) r.allow_destroy.insert(m.layers[i].name);
    if (g.chance(0.3)) m.guarded[li] = "res." + m.layers[i].name;
    if (m.guarded.count(li) && g.chance(0.25)) r.allow_replace.insert(m.guarded[li]);
  }
  if (g.chance(0.6)) {
    m.interrupt_after = g.upto(2 * static_cast<int>(m.layers.size()) + 2);
    m.interrupt_count = 1 + g.upto(3);
  }
}

Model generate(std::uint64_t seed) {
  Gen g(seed);
  Model m;
  make_layers(g, m);
  make_env(g, m);
  make_state(g, m);
  make_request(g, m);
  // Drawn last, so that the cases without it stay the ones the seeds always gave.
  // Only what could be applied: every dependency holds something (or was filled too).
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    bool deps = true;
    for (int d : m.layers[i].deps) deps = deps && (m.exists.count(d) || m.filled.count(d));
    if (deps && !m.exists.count(static_cast<int>(i)) && g.chance(0.15))
      m.filled.insert(static_cast<int>(i));
  }
  return m;
}

const char* protect_word(Protect p) {
  return p == Protect::Data ? "data" : p == Protect::Keep ? "keep" : "none";
}

std::string names_of(const Model& m, const std::set<int>& layers) {
  std::string s;
  for (int i : layers) s += (s.empty() ? "" : ", ") + m.layers[static_cast<std::size_t>(i)].name;
  return "[" + s + "]";
}

void write_project(const fs::path& root, const Model& m) {
  fs::create_directories(root / "layers");
  std::ofstream man(root / "layers/manifest.yaml");
  man << "version: 1\nlayers:\n";
  for (const auto& l : m.layers) {
    man << "  - name: " << l.name << "\n    protect: " << protect_word(l.protect)
        << "\n    optional: " << (l.optional ? "true" : "false") << "\n    depends_on: [";
    for (std::size_t d = 0; d < l.deps.size(); ++d)
      man << (d ? ", " : "") << m.layers[static_cast<std::size_t>(l.deps[d])].name;
    man << "]\n";
    fs::create_directories(root / "envs/m" / l.name);
  }
  std::ofstream env(root / "envs/m/env.yaml");
  env << "name: m\nenable: " << names_of(m, m.enable) << "\ndisable: " << names_of(m, m.disable)
      << "\nconfirm: " << (m.confirm ? "true" : "false") << "\nprotect:";
  if (m.overrides.empty()) env << " {}";
  for (const auto& [i, p] : m.overrides)
    env << "\n  " << m.layers[static_cast<std::size_t>(i)].name << ": " << protect_word(p);
  env << "\n";
  fs::create_directories(root / ".stackctl/m");
  std::ofstream journal(root / ".stackctl/m/journal.jsonl");
  journal << nlohmann::json({{"type", "header"},
                             {"format", "stackctl-journal"},
                             {"version", 1},
                             {"created", "2026-12-01T09:00:00Z"}})
                 .dump()
          << "\n";
  for (const auto& line : m.journal) journal << line.dump() << "\n";
}

/// What the run did, as the fake runner saw it.
struct Probe {
  FakeRunner fake;
  long started_at_interrupt = -1;  ///< children started when the first interrupt was reported
  std::set<std::string> filled;    ///< Model::filled, by name
  long filled_at = -1;             ///< children started when they were filled
};

/// Lets the test keep the FakeRunner after the command flow has destroyed its runner.
class ProbeRunner : public ProcessRunner {
 public:
  explicit ProbeRunner(Probe& p) : p_(p) {}
  int start(const ChildSpec& spec) override { return p_.fake.start(spec); }
  RunnerEvent wait(std::chrono::milliseconds t) override {
    RunnerEvent ev = p_.fake.wait(t);
    if (ev.type == RunnerEvent::Type::Interrupt && p_.started_at_interrupt < 0)
      p_.started_at_interrupt = static_cast<long>(p_.fake.started.size());
    return ev;
  }
  void signal_all(int sig) override { p_.fake.signal_all(sig); }
  void signal(int id, int sig) override { p_.fake.signal(id, sig); }
  std::size_t running() const override { return p_.fake.running(); }

 private:
  Probe& p_;
};

/// Sends stdout and stderr to /dev/null while it exists (thousands of runs print previews).
class Silence {
 public:
  Silence() {
    std::fflush(stdout);
    std::fflush(stderr);
    out_ = ::dup(1);
    err_ = ::dup(2);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::close(null);
  }
  ~Silence() {
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(out_, 1);
    ::dup2(err_, 2);
    ::close(out_);
    ::close(err_);
  }

 private:
  int out_ = -1, err_ = -1;
};

int run_case(const fs::path& root, const Model& m, Probe& probe) {
  probe.fake.interrupt_after_starts = m.interrupt_after;
  probe.fake.interrupt_count = m.interrupt_count;
  probe.fake.answer(" command", 0, "terragrunt version v0.80.0");
  for (int i : m.exists) probe.fake.holding.insert(m.layers[static_cast<std::size_t>(i)].name);
  for (int i : m.filled) probe.filled.insert(m.layers[static_cast<std::size_t>(i)].name);
  for (int i : m.unreadable)
    probe.fake.answer(m.layers[static_cast<std::size_t>(i)].name + " state", 1);
  for (const auto& [i, address] : m.guarded)
    probe.fake.answer(m.layers[static_cast<std::size_t>(i)].name + " show", 0,
                      plan_json({{address, {"delete", "create"}}}));
  Context ctx;
  ctx.where.manifest = (root / "layers/manifest.yaml").string();
  ctx.where.envs_dir = (root / "envs").string();
  ctx.where.state_dir = (root / ".stackctl").string();
  ctx.terragrunt = "terragrunt";
  ctx.console.quiet = true;
  ctx.argv = {"stackctl", to_string(m.req.command)};
  // The preview reads states with a runner of its own; the run under the lock makes the next.
  int runners = 0;
  ctx.make_runner = [&probe, &runners](const ProcessRunnerOptions&) {
    const bool preview_reads =
        std::find_if(probe.fake.started.begin(), probe.fake.started.end(),
                     [](const std::string& k) {
                       return k.size() > 6 && k.compare(k.size() - 6, 6, " state") == 0;
                     }) != probe.fake.started.end();
    if (++runners > 1 && preview_reads && probe.filled_at < 0) {
      probe.filled_at = static_cast<long>(probe.fake.started.size());
      probe.fake.holding.insert(probe.filled.begin(), probe.filled.end());
    }
    return std::make_unique<ProbeRunner>(probe);
  };
  try {
    return execute_run(ctx, m.req);
  } catch (const Error& e) {
    return static_cast<int>(e.code());
  }
}

/// The transitive dependents of each layer (the oracle's own graph walk).
std::vector<std::set<int>> dependents_of(const Model& m) {
  std::vector<std::set<int>> out(m.layers.size());
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    std::vector<int> todo(m.layers[i].deps.begin(), m.layers[i].deps.end());
    while (!todo.empty()) {
      int a = todo.back();
      todo.pop_back();
      if (!out[static_cast<std::size_t>(a)].insert(static_cast<int>(i)).second) continue;
      for (int up : m.layers[static_cast<std::size_t>(a)].deps) todo.push_back(up);
    }
  }
  return out;
}

// Checks what reached the children; returns the first violation, or "".
std::string violation(const Model& m, const Probe& probe, int code) {
  const auto on = m.enabled();
  const auto dependents = dependents_of(m);
  std::set<int> destroyed;
  std::map<int, bool> guarded_plan_shown;
  const auto& started = probe.fake.started;
  for (std::size_t k = 0; k < started.size(); ++k) {
    const std::string& key = started[k];
    const auto space = key.find(' ');
    const int layer = m.position(key.substr(0, space));
    const std::string step = key.substr(space + 1);
    if (layer < 0) continue;  // terragrunt --version
    if (step == "destroy") {
      const std::string& name = m.layers[static_cast<std::size_t>(layer)].name;
      if (m.confirm && m.req.confirm_env != "m")
        return "destroy of " + name + " in a confirm: true env without its name";
      if (m.protect(layer) != Protect::None && !m.req.allow_destroy.count(name))
        return "destroy of protected " + name + " without --allow-destroy";
      if (m.protect(layer) != Protect::None && !on[static_cast<std::size_t>(layer)])
        return "destroy of disabled protected " + name;
      for (int d : dependents[static_cast<std::size_t>(layer)]) {
        bool present = on[static_cast<std::size_t>(d)] || m.exists.count(d);
        // An enabled protector that holds nothing and that the user allowed to go is no reason.
        bool empty_and_allowed =
            on[static_cast<std::size_t>(d)] && !m.exists.count(d) &&
            m.req.allow_destroy.count(m.layers[static_cast<std::size_t>(d)].name);
        if (m.protect(d) != Protect::None && present && !destroyed.count(d) && !empty_and_allowed)
          return "destroy of " + name + ", pinned by " + m.layers[static_cast<std::size_t>(d)].name;
        // Filled by another checkout after the preview: it must be read again before this destroy.
        const bool filled_before =
            m.filled.count(d) && probe.filled_at >= 0 && static_cast<long>(k) >= probe.filled_at;
        if (on[static_cast<std::size_t>(d)] && (m.exists.count(d) || filled_before) &&
            !destroyed.count(d))
          return "destroy of " + name + " while " + m.layers[static_cast<std::size_t>(d)].name +
                 ", which depends on it, still holds resources" +
                 (m.exists.count(d) ? "" : " (applied elsewhere after the preview)");
      }
      destroyed.insert(layer);
    }
    if (step == "show") guarded_plan_shown[layer] = m.guarded.count(layer) > 0;
    if (step == "apply" && guarded_plan_shown[layer] && m.protect(layer) != Protect::None &&
        !m.req.allow_replace.count(m.guarded.at(layer)))
      return "apply of " + key.substr(0, space) + " after a plan replacing " + m.guarded.at(layer);
  }
  if (probe.started_at_interrupt >= 0) {
    if (static_cast<long>(started.size()) != probe.started_at_interrupt)
      return "a child started after the interrupt: " +
             started[static_cast<std::size_t>(probe.started_at_interrupt)];
    if (code != 130) return "interrupted, but exit " + std::to_string(code);
  }
  return "";
}

std::string describe(const Model& m, const Probe& probe, int code) {
  std::ostringstream o;
  o << "command " << to_string(m.req.command) << ", exit " << code << ", interrupt after "
    << m.interrupt_after << " starts (x" << m.interrupt_count << "), exists "
    << names_of(m, m.exists) << ", unreadable " << names_of(m, m.unreadable)
    << ", filled after start " << names_of(m, m.filled) << " (at child " << probe.filled_at << ")"
    << ", allow-destroy " << m.req.allow_destroy.size() << ", allow-replace "
    << m.req.allow_replace.size() << "\nlayers:";
  const auto on = m.enabled();
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    o << " " << m.layers[i].name << "(" << protect_word(m.protect(static_cast<int>(i)))
      << (on[i] ? "" : ", off") << (m.guarded.count(static_cast<int>(i)) ? ", replaces" : "")
      << ")";
    for (int d : m.layers[i].deps)
      o << (d == m.layers[i].deps.front() ? "<-" : ",")
        << m.layers[static_cast<std::size_t>(d)].name;
  }
  o << "\nselection: only " << m.req.selection.only.size() << " target "
    << m.req.selection.target.size() << " up-to '" << m.req.selection.up_to << "' from '"
    << m.req.selection.from << "'\nstarted:";
  for (const auto& s : probe.fake.started) o << " [" << s << "]";
  o << "\njournal:\n";
  for (const auto& j : m.journal) o << "  " << j.dump() << "\n";
  return o.str();
}

fs::path scratch_root() {
  fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  std::string tmpl = (base / "stackctl-model-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) return {};
  return tmpl;
}

TEST(PolicyModel, NoDestroyOfProtectedOrPinnedNoGuardedApplyNoChildAfterAnInterrupt) {
  const std::uint64_t base = base_seed();
  const fs::path scratch = scratch_root();
  ASSERT_FALSE(scratch.empty());
  spdlog::set_level(spdlog::level::off);
  std::map<int, int> codes;
  int destroys = 0, interrupted = 0;
  for (int n = 0; n < kCases; ++n) {
    const std::uint64_t seed = base + static_cast<std::uint64_t>(n);
    const Model m = generate(seed);
    const fs::path root = scratch / std::to_string(n);
    write_project(root, m);
    Probe probe;
    int code;
    {
      Silence quiet;
      code = run_case(root, m, probe);
    }
    ++codes[code];
    for (const auto& s : probe.fake.started) destroys += s.find(" destroy") != std::string::npos;
    interrupted += probe.started_at_interrupt >= 0;
    std::string bad = violation(m, probe, code);
    std::error_code ec;
    fs::remove_all(root, ec);
    if (!bad.empty()) {
      spdlog::set_level(spdlog::level::info);
      ADD_FAILURE() << bad << "\nseed " << seed << " (STACKCTL_MODEL_SEED=" << base << ", case "
                    << n << ")\n"
                    << describe(m, probe, code);
      break;
    }
  }
  spdlog::set_level(spdlog::level::info);
  std::error_code ec;
  fs::remove_all(scratch, ec);
  // The generator must reach every kind of ending, or the properties above prove little.
  EXPECT_GT(codes[0], kCases / 20);
  EXPECT_GT(codes[3], kCases / 20);
  EXPECT_GT(codes[130], kCases / 20);
  EXPECT_GT(destroys, kCases / 4);
  EXPECT_GT(interrupted, kCases / 5);
  std::string summary;
  for (const auto& [code, count] : codes)
    summary += " " + std::to_string(code) + ":" + std::to_string(count);
  RecordProperty("exit_codes", summary);
  std::printf("exit codes (code:cases):%s; %d destroys, %d interrupted runs\n", summary.c_str(),
              destroys, interrupted);
}

}  // namespace
}  // namespace stackctl
