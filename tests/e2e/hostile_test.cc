// End to end: hostile names and paths are refused before anything runs, layer folders stay
// inside their env, nothing is ever run through a shell, command steps get their argv verbatim
// and children get exactly the environment configured (docs/reliability.md).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::run_program;
using stackctl::testing::Scenario;
using Lines = std::vector<std::string>;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Lines lines_of(const std::string& text) {
  Lines out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// A project with env dev and a terragrunt layer vpc; tests replace the manifest.
struct Project : Scenario {
  Project() {
    manifest("version: 1\nlayers:\n  - name: vpc\n");
    env("dev", "name: dev\nparallelism: 1\n");
    layer_hcl("dev", "vpc", {});
  }
  /// The one log file of layer's action in the only run so far.
  std::string log(const std::string& layer, const std::string& action = "apply") const {
    for (const auto& run : fs::directory_iterator(root() / ".stackctl/dev/runs"))
      return read(fs::relative(run.path() / (layer + "." + action + ".log"), root()).string());
    return "";
  }
  /// Files anywhere in the project whose name starts with "pwned" (written by a command that
  /// a shell would have run).
  Lines pwned() const {
    Lines out;
    for (const auto& e : fs::recursive_directory_iterator(root()))
      if (e.path().filename().string().rfind("pwned", 0) == 0) out.push_back(e.path().string());
    return out;
  }
};

const char* const kNameRule =
    " (use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit)";
const char* const kVarRule = " (expected letters, digits and '_', not starting with a digit)";

}  // namespace

TEST(Hostile, EnvNamesThatAreNotOneEnvFolderAreUsageErrors) {
  Project p;
  for (const std::string name :
       {"../x", "a b", "", ".", "..", "dev/../dev", "/etc", "dev/", "DEV"}) {
    Outcome r = p.run({"plan", "--env", name});
    EXPECT_EQ(r.exit_code, 64) << "--env '" << name << "'\n" << r.err;
    EXPECT_TRUE(contains(r.err, (p.root() / "envs").string() + ": unknown env '")) << r.err;
    EXPECT_TRUE(contains(r.err, "; envs: dev\n")) << r.err;
  }
  EXPECT_FALSE(fs::exists(p.call_log()));
  EXPECT_FALSE(p.exists(".stackctl")) << "no state is made for a name that is not an env";
}

TEST(Hostile, LayerNamesPathsAndVariableNamesAreValidatedBeforeAnythingRuns) {
  Project p;
  p.manifest(R"yaml(version: 1
layers:
  - name: "$(touch pwned)"
  - name: ../up
  - name: "--version"
  - name: VPC
  - name: up
    path: ../../etc
  - name: abs
    path: /etc
  - name: sneaky
    path: a/../../b
  - name: vars
    env: {"A B": x, "X=Y": z, "$(id)": w, OK_1: fine}
    needs_env: ["PATH;rm"]
)yaml");
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 65);
  const std::string m = (p.root() / "layers/manifest.yaml").string();
  EXPECT_EQ(r.err, "stackctl: " + m + ":3: layer #1: invalid name '$(touch pwned)'" + kNameRule +
                       "\n" + m + ":4: layer #2: invalid name '../up'" + kNameRule + "\n" + m +
                       ":5: layer #3: invalid name '--version'" + kNameRule + "\n" + m +
                       ":6: layer #4: invalid name 'VPC'" + kNameRule + "\n" + m +
                       ":8: layer 'up': path '../../etc' leaves the env folder\n" + m +
                       ":10: layer 'abs': path '/etc' must be relative to the env folder\n" + m +
                       ":12: layer 'sneaky': path 'a/../../b' leaves the env folder\n" + m +
                       ":14: layer 'vars': invalid variable name 'A B' in 'env'" + kVarRule + "\n" +
                       m + ":14: layer 'vars': invalid variable name 'X=Y' in 'env'" + kVarRule +
                       "\n" + m + ":14: layer 'vars': invalid variable name '$(id)' in 'env'" +
                       kVarRule + "\n" + m +
                       ":15: layer 'vars': invalid variable name 'PATH;rm' in 'needs_env'" +
                       kVarRule + "\n");
  EXPECT_FALSE(fs::exists(p.call_log()));
  EXPECT_EQ(p.pwned(), Lines{});
}

TEST(Hostile, EnvVariableNamesAreValidatedBeforeAnythingRuns) {
  Project p;
  p.env("dev", "name: dev\nenv: {\"bad name\": 1, \"a=b\": 2}\nrequire_env: [\"$(id)\"]\n");
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 65);
  const std::string e = (p.root() / "envs/dev/env.yaml").string();
  EXPECT_EQ(r.err, "stackctl: " + e + ":2: invalid variable name 'bad name' in 'env'" + kVarRule +
                       "\n" + e + ":2: invalid variable name 'a=b' in 'env'" + kVarRule + "\n" + e +
                       ":3: invalid variable name '$(id)' in 'require_env'" + kVarRule + "\n");
  EXPECT_FALSE(fs::exists(p.call_log()));
}

TEST(Hostile, ALayerFolderReachedThroughASymlinkLeavingTheEnvIsRefused) {
  Project p;
  Scenario outside;
  outside.write("elsewhere/terragrunt.hcl", "");
  outside.write("shared/vpc/terragrunt.hcl", "");
  p.manifest(
      "version: 1\nlayers:\n  - name: vpc\n  - name: escape\n  - name: deep\n"
      "    path: shared/vpc\n");
  fs::create_directory_symlink(outside.root() / "elsewhere", p.root() / "envs/dev/escape");
  fs::create_directory_symlink(outside.root() / "shared", p.root() / "envs/dev/shared");
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 65);
  const std::string m = (p.root() / "layers/manifest.yaml").string();
  const std::string env_dir = (p.root() / "envs/dev").string();
  EXPECT_EQ(r.err, "stackctl: " + m + ":4: layer 'escape' path 'escape' resolves to " +
                       (outside.root() / "elsewhere").string() + ", outside the env folder " +
                       env_dir + "\n" + m + ":5: layer 'deep' path 'shared/vpc' resolves to " +
                       (outside.root() / "shared/vpc").string() + ", outside the env folder " +
                       env_dir + "\n");
  EXPECT_FALSE(fs::exists(p.call_log()));

  // A symlink that stays inside the env is fine.
  fs::remove(p.root() / "envs/dev/escape");
  fs::remove(p.root() / "envs/dev/shared");
  p.layer_hcl("dev", "real-vpc", {});
  fs::create_directory_symlink(p.root() / "envs/dev/real-vpc", p.root() / "envs/dev/linked");
  p.manifest("version: 1\nlayers:\n  - name: linked\n");
  EXPECT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
  ASSERT_EQ(p.calls().size(), 4u);  // --version, plan, show, apply
  EXPECT_EQ(p.calls()[1]["cwd"], (p.root() / "envs/dev/real-vpc").string());
}

TEST(Hostile, LayerNamesAndPathsThatLookLikeShellCommandsRunNothingButTerragrunt) {
  Project p;
  // Programs named like the layers, first on PATH: a shell (or an exec of the name) would run them.
  for (const std::string name : {"reboot", "vpc", "touch"}) {
    p.write("bin/" + name, "#!/bin/sh\n: > \"" + (p.root() / ("pwned-" + name)).string() + "\"\n");
    fs::permissions(p.root() / "bin" / name, fs::perms::owner_all);
  }
  const std::string weird = "x $(touch pwned-1); `touch pwned-2` | touch pwned-3 && touch pwned-4";
  p.manifest(
      "version: 1\nlayers:\n  - name: reboot\n  - name: vpc\n  - name: touch\n"
      "    path: '" +
      weird + "'\n");
  p.layer_hcl("dev", "reboot", {});
  p.layer_hcl("dev", weird, {});
  const std::string path = (p.root() / "bin").string() + ":" + std::getenv("PATH");
  Outcome r = p.run({"apply", "--env", "dev", "--yes"}, {{"PATH", path}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(p.pwned(), Lines{});
  EXPECT_EQ(p.call_sequence(),
            (Lines{"reboot plan", "reboot show", "reboot apply", "vpc plan", "vpc show",
                   "vpc apply", weird + " plan", weird + " show", weird + " apply"}));
  EXPECT_EQ(p.calls().back()["cwd"], (p.root() / "envs/dev" / weird).string());
  for (const auto& call : p.calls())
    EXPECT_EQ(call["argv"][0], TERRAGRUNT_SIM_BIN) << "only terragrunt is ever started";
}

TEST(Hostile, CommandStepArgvIsPassedVerbatimWithoutAShell) {
  Project p;
  p.manifest(R"yaml(version: 1
layers:
  - name: args
    kind: command
    command: [printf, "[%s]\n", "two words", "'single'", '"double"', "$(touch pwned-1)",
              "`touch pwned-2`", ";", "touch pwned-3", "*", "$HOME", "a\\b", "", "|", "&&",
              "--", "-n", "tab	inside", "ünïcode"]
)yaml");
  Outcome r = p.run({"-v", "apply", "--env", "dev", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Lines expected = {"[two words]",
                          "['single']",
                          "[\"double\"]",
                          "[$(touch pwned-1)]",
                          "[`touch pwned-2`]",
                          "[;]",
                          "[touch pwned-3]",
                          "[*]",
                          "[$HOME]",
                          "[a\\b]",
                          "[]",
                          "[|]",
                          "[&&]",
                          "[--]",
                          "[-n]",
                          "[tab\tinside]",
                          "[ünïcode]"};
  EXPECT_EQ(lines_of(p.log("args")), expected);
  for (const auto& line : expected) EXPECT_TRUE(contains(r.err, "[args] " + line + "\n")) << line;
  EXPECT_EQ(p.pwned(), Lines{});
}

TEST(Hostile, ChildrenGetExactlyStackctlsEnvironmentPlusWhatIsConfigured) {
  Project p;
  p.manifest(R"(version: 1
layers:
  - name: vpc
    env: {LAYER_ONLY: from-layer, SHARED: layer-wins}
  - name: dump
    kind: command
    depends_on: [vpc]
    command: [env]
    env: {LAYER_ONLY: dump-layer}
)");
  p.env(
      "dev",
      "name: dev\nparallelism: 1\nenv: {ENV_NAME: dev, SHARED: env-yaml, FROM_SHELL: replaced}\n");
  p.write("envs/dev/vpc/.terragrunt-sim/faults.json", R"({"TERRAGRUNT_SIM_SLEEP": "plan:2"})");
  // stackctl runs with exactly this environment (env -i): nothing else can reach a child.
  const Lines own = {"PATH=/usr/local/bin:/usr/bin:/bin",
                     "STACKCTL_TERRAGRUNT=" + std::string(TERRAGRUNT_SIM_BIN),
                     "TERRAGRUNT_SIM_LOG=" + p.call_log().string(),
                     "NO_COLOR=1",
                     "FROM_SHELL=shell",
                     "TF_INPUT=1"};
  std::vector<std::string> args = {"-i"};
  args.insert(args.end(), own.begin(), own.end());
  args.insert(args.end(), {STACKCTL_BIN, "apply", "--env", "dev", "--yes"});
  auto run = std::make_unique<stackctl::testing::Background>("/usr/bin/env", args, p.root(),
                                                             std::map<std::string, std::string>{});
  // The terragrunt child's environment, read from the kernel while it plans.
  std::string environ_text;
  for (int i = 0; i < 3000 && environ_text.empty(); ++i, usleep(10000)) {
    if (!p.exists("envs/dev/vpc/.terragrunt-sim/lock")) continue;
    json lock = json::parse(p.read("envs/dev/vpc/.terragrunt-sim/lock"), nullptr, false);
    if (!lock.is_object() || !lock.contains("pid")) continue;
    std::ifstream in("/proc/" + std::to_string(lock["pid"].get<int>()) + "/environ");
    environ_text.assign(std::istreambuf_iterator<char>(in), {});
  }
  Outcome r = run->wait();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Lines terragrunt_env;
  std::istringstream in(environ_text);
  // The lock names the double's terraform child, which also carries what the double passes it.
  for (std::string var; std::getline(in, var, '\0');)
    if (var.rfind("TERRAGRUNT_SIM_TOFU=", 0) != 0) terragrunt_env.push_back(var);
  const Lines base = {"PATH=/usr/local/bin:/usr/bin:/bin",
                      "STACKCTL_TERRAGRUNT=" + std::string(TERRAGRUNT_SIM_BIN),
                      "TERRAGRUNT_SIM_LOG=" + p.call_log().string(), "NO_COLOR=1"};
  Lines want_vpc = base;
  want_vpc.insert(want_vpc.end(), {"FROM_SHELL=replaced", "TF_INPUT=1", "TF_IN_AUTOMATION=1",
                                   "TG_NON_INTERACTIVE=true", "ENV_NAME=dev", "SHARED=layer-wins",
                                   "LAYER_ONLY=from-layer"});
  EXPECT_EQ(terragrunt_env, want_vpc);
  Lines want_dump = base;
  want_dump.insert(want_dump.end(), {"FROM_SHELL=replaced", "TF_INPUT=1", "TF_IN_AUTOMATION=1",
                                     "TG_NON_INTERACTIVE=true", "ENV_NAME=dev", "SHARED=env-yaml",
                                     "LAYER_ONLY=dump-layer"});
  EXPECT_EQ(lines_of(p.log("dump")), want_dump);
}

TEST(Hostile, PathologicalManifestAndEnvFilesExit65WithoutCrashing) {
  Project p;
  const fs::path data = fs::path(STACKCTL_SOURCE_DIR) / "tests/data/fuzz-regressions";
  const std::string m = (p.root() / "layers/manifest.yaml").string();
  const std::map<std::string, std::string> manifests = {
      {"deep-flow-nesting.yaml", ":2: nesting is deeper than 256 levels"},
      {"deep-block-nesting.yaml", ":3: nesting is deeper than 256 levels"},
      {"billion-laughs.yaml", ":6: aliases expand the document to more than 200000 nodes"},
      {"nul-byte.yaml", ":3: NUL byte at column 12 (the file must be UTF-8 text)"},
      {"invalid-utf8.yaml", ":3: invalid UTF-8 byte 0xE9 at column 14"},
      {"duplicate-keys.yaml", ":2: duplicate key 'version' (first defined at line 1)"}};
  for (const auto& [file, finding] : manifests) {
    fs::copy_file(data / "manifest" / file, p.root() / "layers/manifest.yaml",
                  fs::copy_options::overwrite_existing);
    Outcome r = p.run({"validate", "--env", "dev"});
    EXPECT_EQ(r.exit_code, 65) << file << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, m + finding)) << file << "\n" << r.err;
  }
  // Bigger than the 16 MiB limit (sparse, so cheap to make): refused before it is read.
  fs::resize_file(p.root() / "layers/manifest.yaml", 17u * 1024u * 1024u);
  Outcome huge = p.run({"validate", "--env", "dev"});
  EXPECT_EQ(huge.exit_code, 65);
  EXPECT_EQ(huge.err, "stackctl: " + m + ": file is larger than 16 MiB (17825792 bytes)\n");

  p.manifest("version: 1\nlayers:\n  - name: vpc\n");
  const std::string e = (p.root() / "envs/dev/env.yaml").string();
  fs::copy_file(data / "env/deep-flow-nesting.yaml", e, fs::copy_options::overwrite_existing);
  Outcome deep_env = p.run({"plan", "--env", "dev"});
  EXPECT_EQ(deep_env.exit_code, 65);
  EXPECT_TRUE(contains(deep_env.err, e + ":2: nesting is deeper than 256 levels")) << deep_env.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
}
