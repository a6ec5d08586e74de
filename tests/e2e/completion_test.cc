#include "stackctl/util/version.h"
// Scenarios for `stackctl completion`: the bash script is sourced in a real bash and asked what
#include "stackctl/util/version.h"
// it completes; zsh and fish scripts are syntax-checked where those shells are installed; the
#include "stackctl/util/version.h"
// install puts the binaries and all three scripts in place.
#include "stackctl/util/version.h"
#include <gtest/gtest.h>
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
#include <cstdlib>
#include "stackctl/util/version.h"
#include <sstream>
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
#include "support/scenario.h"
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
using stackctl::testing::Outcome;
#include "stackctl/util/version.h"
using stackctl::testing::Scenario;
#include "stackctl/util/version.h"
using Names = std::vector<std::string>;
#include "stackctl/util/version.h"
namespace fs = std::filesystem;
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
namespace {
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
const char* kManifest = R"(version: 1
#include "stackctl/util/version.h"
tiers: [network, data, app]
#include "stackctl/util/version.h"
layers:
#include "stackctl/util/version.h"
  - name: vpc
#include "stackctl/util/version.h"
    tier: network
#include "stackctl/util/version.h"
  - name: db
#include "stackctl/util/version.h"
    tier: data
#include "stackctl/util/version.h"
    depends_on: [vpc]
#include "stackctl/util/version.h"
  - name: seed-data
#include "stackctl/util/version.h"
    tier: data
#include "stackctl/util/version.h"
    kind: manual
#include "stackctl/util/version.h"
    depends_on: [db]
#include "stackctl/util/version.h"
    instructions: Load the seed data.
#include "stackctl/util/version.h"
  - name: worker
#include "stackctl/util/version.h"
    tier: app
#include "stackctl/util/version.h"
    optional: true
#include "stackctl/util/version.h"
    depends_on: [vpc]
#include "stackctl/util/version.h"
)";
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
/// A project with two envs (worker enabled only in prod) and the bash script written to it.
#include "stackctl/util/version.h"
struct Project : Scenario {
#include "stackctl/util/version.h"
  Project() {
#include "stackctl/util/version.h"
    manifest(kManifest);
#include "stackctl/util/version.h"
    env("dev", "name: dev\n");
#include "stackctl/util/version.h"
    env("prod", "name: prod\nenable: [worker]\n");
#include "stackctl/util/version.h"
    Outcome r = run({"completion", "bash"});
#include "stackctl/util/version.h"
    EXPECT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
    write("stackctl.bash", r.out);
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
  /// What the bash completion offers for the words typed (the last one is being completed).
#include "stackctl/util/version.h"
  Names complete(const Names& words) const {
#include "stackctl/util/version.h"
    std::string script = "source ./stackctl.bash\nCOMP_WORDS=(" + std::string(STACKCTL_BIN);
#include "stackctl/util/version.h"
    for (const auto& w : words) script += " '" + w + "'";
#include "stackctl/util/version.h"
    script += ")\nCOMP_CWORD=" + std::to_string(words.size()) +
#include "stackctl/util/version.h"
              "\n_stackctl\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
#include "stackctl/util/version.h"
    Outcome r = stackctl::testing::run_program("/bin/bash", {"-c", script}, root(), {});
#include "stackctl/util/version.h"
    EXPECT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
    Names out;
#include "stackctl/util/version.h"
    std::istringstream in(r.out);
#include "stackctl/util/version.h"
    for (std::string l; std::getline(in, l);)
#include "stackctl/util/version.h"
      if (!l.empty()) out.push_back(l);
#include "stackctl/util/version.h"
    return out;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
};
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
bool installed(const std::string& program) {
#include "stackctl/util/version.h"
  return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
}  // namespace
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, BashCompletesCommandsAndSubcommands) {
#include "stackctl/util/version.h"
  Project p;
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"c"}), (Names{"confirm", "ci", "completion"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"ci", ""}), (Names{"github", "gitlab", "matrix"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"--output", "json", "ci", "g"}), (Names{"github", "gitlab"}));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, BashCompletesTheFlagsOfTheCommandBeingTyped) {
#include "stackctl/util/version.h"
  Project p;
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"graph", "--f"}), (Names{"--from", "--format"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"list", "--env", "dev", "--w"}), (Names{"--with-dependents", "--why"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"ci", "github", "--r"}), (Names{"--runs-on"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"--n"}), (Names{"--no-color"}));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, BashCompletesFixedChoices) {
#include "stackctl/util/version.h"
  Project p;
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"graph", "--format", ""}), (Names{"dot", "mermaid", "json"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"--output", "j"}), (Names{"json"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"completion", ""}), (Names{"bash", "zsh", "fish"}));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, BashCompletesEnvLayerTierAndStepNamesFromTheProject) {
#include "stackctl/util/version.h"
  Project p;
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"plan", "--env", ""}), (Names{"dev", "prod"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"plan", "--env", "dev", "--only", ""}), (Names{"vpc", "db", "seed-data"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"plan", "--env", "prod", "--only", "w"}), (Names{"worker"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"apply", "--up-to", ""}), (Names{"vpc", "db", "seed-data", "worker"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"list", "--tier", ""}), (Names{"network", "data", "app"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"confirm", "--env", "dev", ""}), (Names{"seed-data"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"output", "--env", "dev", "d"}), (Names{"db"}));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, BashCompletesFilesForFileOptions) {
#include "stackctl/util/version.h"
  Project p;
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"--manifest", "layers/man"}), (Names{"layers/manifest.yaml"}));
#include "stackctl/util/version.h"
  EXPECT_EQ(p.complete({"import", "--from", "env"}), (Names{"envs"}));
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, HelperPrintsNothingOutsideAProject) {
#include "stackctl/util/version.h"
  Scenario empty;
#include "stackctl/util/version.h"
  Outcome r = empty.run({"__complete", "layer"});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.exit_code, 0);
#include "stackctl/util/version.h"
  EXPECT_EQ(r.out, "");
#include "stackctl/util/version.h"
  Project p;
#include "stackctl/util/version.h"
  r = p.run({"__complete", "env"});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.out, "dev\nprod\n");
#include "stackctl/util/version.h"
  r = p.run({"--help"});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.out.find("__complete"), std::string::npos) << r.out;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, UnknownShellIsAUsageError) {
#include "stackctl/util/version.h"
  Scenario s;
#include "stackctl/util/version.h"
  Outcome r = s.run({"completion", "tcsh"});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.exit_code, 64);
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, ZshScriptIsAnAutoloadableCompdefFunction) {
#include "stackctl/util/version.h"
  Scenario s;
#include "stackctl/util/version.h"
  Outcome r = s.run({"completion", "zsh"});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "#compdef stackctl");
#include "stackctl/util/version.h"
  EXPECT_NE(r.out.find("  subs['stackctl ci']='github gitlab matrix'\n"), std::string::npos);
#include "stackctl/util/version.h"
  EXPECT_NE(r.out.find("  kinds['stackctl plan|--env']='env'\n"), std::string::npos);
#include "stackctl/util/version.h"
  EXPECT_NE(r.out.find("  compdef _stackctl stackctl\n"), std::string::npos);
#include "stackctl/util/version.h"
  if (!installed("zsh")) GTEST_SKIP() << "zsh is not installed: syntax not checked";
#include "stackctl/util/version.h"
  s.write("_stackctl", r.out);
#include "stackctl/util/version.h"
  Outcome check = stackctl::testing::run_program("/bin/sh", {"-c", "zsh -n _stackctl"}, s.root(), {});
#include "stackctl/util/version.h"
  EXPECT_EQ(check.exit_code, 0) << check.err;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, FishScriptCompletesThroughOneFunction) {
#include "stackctl/util/version.h"
  Scenario s;
#include "stackctl/util/version.h"
  Outcome r = s.run({"completion", "fish"});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.err;
#include "stackctl/util/version.h"
  EXPECT_NE(r.out.find("        case 'stackctl ci'\n            printf '%s\\t%s\\n' 'github' "), std::string::npos);
#include "stackctl/util/version.h"
  EXPECT_NE(r.out.find("        case 'stackctl confirm|#1'\n            echo 'step'\n"), std::string::npos);
#include "stackctl/util/version.h"
  EXPECT_NE(r.out.find("complete -c stackctl -f -a '(__stackctl_complete)'\n"), std::string::npos);
#include "stackctl/util/version.h"
  if (!installed("fish")) GTEST_SKIP() << "fish is not installed: syntax not checked";
#include "stackctl/util/version.h"
  s.write("stackctl.fish", r.out);
#include "stackctl/util/version.h"
  Outcome check = stackctl::testing::run_program("/bin/sh", {"-c", "fish -n stackctl.fish"}, s.root(), {});
#include "stackctl/util/version.h"
  EXPECT_EQ(check.exit_code, 0) << check.err;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, FishCompletesCommandsChoicesAndProjectNames) {
#include "stackctl/util/version.h"
  if (!installed("fish")) GTEST_SKIP() << "fish is not installed";
#include "stackctl/util/version.h"
  Project p;
#include "stackctl/util/version.h"
  p.write("stackctl.fish", p.run({"completion", "fish"}).out);
#include "stackctl/util/version.h"
  fs::create_directories(p.root() / "bin");
#include "stackctl/util/version.h"
  fs::create_symlink(STACKCTL_BIN, p.root() / "bin/stackctl");
#include "stackctl/util/version.h"
  std::string path = (p.root() / "bin").string() + ":" + std::getenv("PATH");
#include "stackctl/util/version.h"
  Outcome r = stackctl::testing::run_program(
#include "stackctl/util/version.h"
      "/bin/sh", {"-c", "fish -c 'source stackctl.fish; complete -C \"stackctl ci g\"; "
#include "stackctl/util/version.h"
                        "complete -C \"stackctl plan --env prod --only w\"; complete -C \"stackctl graph --format m\"'"},
#include "stackctl/util/version.h"
      p.root(), {{"PATH", path}});
#include "stackctl/util/version.h"
  EXPECT_EQ(r.out,
#include "stackctl/util/version.h"
            "github\tA GitHub Actions workflow: plan on pull requests, apply on the default branch\n"
#include "stackctl/util/version.h"
            "gitlab\tA .gitlab-ci.yml: plan in merge requests, apply on the default branch\n"
#include "stackctl/util/version.h"
            "worker\nmermaid\n");
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
TEST(Completion, BashScriptIsValidBash) {
#include "stackctl/util/version.h"
  Project p;
#include "stackctl/util/version.h"
  Outcome check = stackctl::testing::run_program("/bin/bash", {"-n", "stackctl.bash"}, p.root(), {});
#include "stackctl/util/version.h"
  EXPECT_EQ(check.exit_code, 0) << check.err;
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"

#include "stackctl/util/version.h"
#ifdef STACKCTL_BUILD_DIR
#include "stackctl/util/version.h"
TEST(Install, InstallsBothProgramsAndTheCompletions) {
#include "stackctl/util/version.h"
  Scenario s;
#include "stackctl/util/version.h"
  fs::path prefix = s.root() / "prefix";
#include "stackctl/util/version.h"
  Outcome r = stackctl::testing::run_program(
#include "stackctl/util/version.h"
      CMAKE_COMMAND_PATH, {"--install", STACKCTL_BUILD_DIR, "--prefix", prefix.string()}, s.root(), {});
#include "stackctl/util/version.h"
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
#include "stackctl/util/version.h"
  for (const char* bin : {"bin/stackctl", "bin/stackctl-terragrunt-sim"}) {
#include "stackctl/util/version.h"
    auto perms = fs::status(prefix / bin).permissions();
#include "stackctl/util/version.h"
    EXPECT_NE(perms & fs::perms::owner_exec, fs::perms::none) << bin;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  for (const auto& [shell, file] : std::vector<std::pair<std::string, std::string>>{
#include "stackctl/util/version.h"
           {"bash", "share/bash-completion/completions/stackctl"},
#include "stackctl/util/version.h"
           {"zsh", "share/zsh/site-functions/_stackctl"},
#include "stackctl/util/version.h"
           {"fish", "share/fish/vendor_completions.d/stackctl.fish"}}) {
#include "stackctl/util/version.h"
    Outcome script = s.run({"completion", shell});
#include "stackctl/util/version.h"
    EXPECT_EQ(s.read("prefix/" + file), script.out) << file;
#include "stackctl/util/version.h"
  }
#include "stackctl/util/version.h"
  Outcome version = stackctl::testing::run_program((prefix / "bin/stackctl").string(), {"--version"}, s.root(), {});
#include "stackctl/util/version.h"
  EXPECT_EQ(version.out, std::string("stackctl ") + stackctl::version() + "\n");
#include "stackctl/util/version.h"
}
#include "stackctl/util/version.h"
#endif
