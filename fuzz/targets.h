#pragma once
// The fuzzed entry points. Each takes arbitrary bytes and hands them to one loader the way
// stackctl meets that input, then runs the code that consumes the loader's result. They are
// shared by the libFuzzer targets (fuzz/fuzz_*.cc) and by tests/unit/fuzz_regression_test.cc, which
// replays every saved crash input through them in the normal test suite.
//
// The contract under test: every function returns normally for every input. Bad input becomes
// diagnostics, warnings or an error string; never a crash, an exception escaping, a hang, an
// out-of-bounds access or undefined behaviour (the fuzz build runs under ASan and UBSan).
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "stackctl/commands/import.h"
#include "stackctl/commands/run_settings.h"
#include "stackctl/journal/journal.h"
#include "stackctl/journal/plan_json.h"
#include "stackctl/manifest/env.h"
#include "stackctl/manifest/graph.h"
#include "stackctl/manifest/hcl.h"
#include "stackctl/manifest/manifest.h"
#include "stackctl/manifest/workspace.h"
#include "stackctl/plan/real_state.h"
#include "stackctl/plan/resume.h"
#include "stackctl/plan/saved_plans.h"
#include "stackctl/report/progress.h"

namespace stackctl::fuzz {

/// A small project on disk (manifest, env dev, its layer folders) in a temporary folder, made
/// once per process and removed at exit: the inputs that are files (journal, terragrunt trees)
/// are written inside it, and the journal is read against its workspace.
class Scratch {
 public:
  Scratch() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "stackctl-fuzz-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = tmpl;
    write("layers/manifest.yaml", kManifest);
    write("envs/dev/env.yaml", "name: dev\nenable: [nat]\n");
    for (const char* layer : {"vpc", "nat", "sg-db", "rds-app", "app"})
      write(std::string("envs/dev/") + layer + "/terragrunt.hcl", "");
    Locations where;
    where.manifest = (root_ / "layers/manifest.yaml").string();
    where.state_dir = (root_ / "state").string();
    workspace_ = Workspace::open(where);
    workspace_->select_env("dev");
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  /// Writes bytes to a file under the scratch folder (creating folders); returns its path.
  std::filesystem::path write(const std::string& relative, std::string_view bytes) const {
    const std::filesystem::path file = root_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return file;
  }
  const std::filesystem::path& root() const { return root_; }
  const Workspace& workspace() const { return *workspace_; }
  /// The one scratch project of this process.
  static const Scratch& get() {
    static const Scratch scratch;
    return scratch;
  }

  static constexpr const char* kManifest = R"(version: 1
tiers: [network, data, app]
layers:
  - name: vpc
    tier: network
  - name: nat
    tier: network
    optional: true
    depends_on: [vpc]
  - name: sg-db
    tier: network
    depends_on: [vpc]
  - name: rds-password
    tier: data
    kind: manual
    instructions: Set the password.
  - name: rds-app
    tier: data
    protect: data
    depends_on: [sg-db, rds-password]
  - name: app
    tier: app
    depends_on: [vpc]
  - name: bootstrap
    tier: app
    kind: command
    depends_on: [rds-app]
    command: [ansible-playbook, site.yml]
)";

 private:
  std::filesystem::path root_;
  std::unique_ptr<Workspace> workspace_;
};

/// layers/manifest.yaml: parse, then (when valid) the graph, its cycle check and pinning.
inline void manifest(std::string_view text) {
  Diagnostics diags;
  Manifest m = parse_manifest(text, "layers/manifest.yaml", diags);
  (void)diags.str();
  if (diags.has_errors()) return;
  Graph g(m);
  (void)g.find_cycle();
  std::vector<bool> enabled(m.layers.size(), true);
  std::vector<Protect> protect;
  for (const Layer& layer : m.layers) protect.push_back(layer.protect);
  (void)pinned_layers(g, enabled, protect);
}

/// envs/<env>/env.yaml: parse, then resolve it against the scratch manifest (enable, disable,
/// protect and needs checks, the tree and layer folders confined to the env folder).
inline void env(std::string_view text) {
  const Scratch& scratch = Scratch::get();
  Diagnostics diags;
  EnvConfig cfg = parse_env(text, "envs/dev/env.yaml", diags);
  (void)diags.str();
  if (diags.has_errors()) return;
  cfg.folder = scratch.root() / "envs" / "dev";
  cfg.file = cfg.folder / "env.yaml";
  Diagnostics stack_diags;
  (void)resolve_stack(scratch.workspace().manifest(), cfg, stack_diags);
  (void)stack_diags.str();
}

/// .stackctl/<env>/journal.jsonl: read it from a file, then every query over it: last results,
/// confirmations, durations, upstream applies, and the resume point with its recorded options.
inline void journal(std::string_view bytes) {
  const Scratch& scratch = Scratch::get();
  JournalContents j = read_journal(scratch.write("journal.jsonl", bytes));
  (void)last_results(j);
  (void)confirmations(j);
  (void)median_durations(j, "apply");
  (void)last_state_changes(j);
  (void)duration_history(j, scratch.workspace().manifest());
  if (auto point = find_resume_point(j, scratch.workspace())) {
    RunRequest req;
    apply_recorded_options(point->options, req);
  }
}

/// One terragrunt.hcl.
inline void hcl(std::string_view text) {
  HclModule module;
  std::string error;
  (void)parse_hcl(text, module, error);
}

/// A terragrunt tree for `import`: the input is split at lines `--8<--` into up to four
/// terragrunt.hcl files of fixed folders, then the tree is imported and rendered.
inline void import_tree_of(std::string_view bytes) {
  static const char* const kFolders[] = {"vpc", "sg-db", "app/rds", "Web_Frontend"};
  const Scratch& scratch = Scratch::get();
  const std::filesystem::path tree = scratch.root() / "import";
  std::error_code ec;
  std::filesystem::remove_all(tree, ec);
  constexpr std::string_view kCut = "\n--8<--\n";
  std::size_t used = 0;
  for (const char* folder : kFolders) {
    if (used > bytes.size()) break;
    std::size_t cut = bytes.find(kCut, used);
    if (cut == std::string_view::npos) cut = bytes.size();
    scratch.write(std::string("import/") + folder + "/terragrunt.hcl",
                  bytes.substr(used, cut - used));
    used = cut + kCut.size();
  }
  ImportResult result = import_tree(tree);
  if (result.error.empty()) (void)render_import(result.layers, "import");
  for (const char* folder : kFolders) (void)import_layer_name(folder);
  (void)import_layer_name(bytes.substr(0, 300));
  (void)import_suggests_data(bytes.substr(0, 300));
}

/// `terragrunt show -json PLAN`: a child's stdout, parsed for the counts and the data guard.
inline void plan_json(std::string_view text) {
  std::string error;
  (void)parse_plan_json(text, error);
}

/// `terragrunt show -json` without a plan file: a child's stdout, read for whether the layer's
/// state holds anything (plan/real_state.h).
inline void real_state(std::string_view text) { (void)read_real_state(0, std::string(text)); }

/// `plan --out-dir DIR`'s summary.json, as `apply --plan-dir DIR` reads it back.
inline void saved_plans(std::string_view text) {
  std::string error;
  (void)parse_saved_plans(text, error);
}

/// The entry point of each fuzz target by name (the folder names under fuzz/corpus and
/// tests/data/fuzz-regressions).
inline const std::map<std::string, void (*)(std::string_view)>& targets() {
  static const std::map<std::string, void (*)(std::string_view)> all = {
      {"manifest", manifest},     {"env", env},
      {"journal", journal},       {"hcl", hcl},
      {"import", import_tree_of}, {"plan_json", plan_json},
      {"real_state", real_state}, {"saved_plans", saved_plans}};
  return all;
}

}  // namespace stackctl::fuzz
