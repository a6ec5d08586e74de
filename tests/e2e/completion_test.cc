// Scenarios for `stackctl completion`: the bash script is sourced in a real bash and asked what
// it completes; zsh and fish scripts are syntax-checked where those shells are installed; the
// install puts the binaries and all three scripts in place.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "stackctl/util/version.h"
#include "support/completion_project.h"
#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Names = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

const std::string kManifest =
    std::string("version: 1\ntiers: [network, data, app]\n") + stackctl::testing::kCompletionLayers;

/// A project with two envs (worker enabled only in prod) and the bash script written to it.
struct Project : Scenario {
  Project() {
    manifest(kManifest);
    env("dev", "name: dev\n");
    env("prod", "name: prod\nenable: [worker]\n");
    Outcome r = run({"completion", "bash"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    write("stackctl.bash", r.out);
  }

  /// What the bash completion offers for the words typed (the last one is being completed).
  Names complete(const Names& words) const {
    std::string script = "source ./stackctl.bash\nCOMP_WORDS=(" + std::string(STACKCTL_BIN);
    for (const auto& w : words) script += " '" + w + "'";
    script += ")\nCOMP_CWORD=" + std::to_string(words.size()) +
              "\n_stackctl\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Outcome r = stackctl::testing::run_program("/bin/bash", {"-c", script}, root(), {});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Names out;
    std::istringstream in(r.out);
    for (std::string l; std::getline(in, l);)
      if (!l.empty()) out.push_back(l);
    return out;
  }
};

bool installed(const std::string& program) {
  return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace

TEST(Completion, BashCompletesCommandsAndSubcommands) {
  Project p;
  EXPECT_EQ(p.complete({"c"}), (Names{"confirm", "ci", "completion"}));
  EXPECT_EQ(p.complete({"ci", ""}), (Names{"github", "gitlab", "matrix"}));
  EXPECT_EQ(p.complete({"--output", "json", "ci", "g"}), (Names{"github", "gitlab"}));
}

TEST(Completion, BashCompletesTheFlagsOfTheCommandBeingTyped) {
  Project p;
  EXPECT_EQ(p.complete({"graph", "--f"}), (Names{"--from", "--format"}));
  EXPECT_EQ(p.complete({"list", "--env", "dev", "--w"}), (Names{"--with-dependents", "--why"}));
  EXPECT_EQ(p.complete({"ci", "github", "--r"}), (Names{"--runs-on"}));
  EXPECT_EQ(p.complete({"--n"}), (Names{"--no-color"}));
}

TEST(Completion, BashCompletesFixedChoices) {
  Project p;
  EXPECT_EQ(p.complete({"graph", "--format", ""}), (Names{"dot", "mermaid", "json"}));
  EXPECT_EQ(p.complete({"--output", "j"}), (Names{"json"}));
  EXPECT_EQ(p.complete({"completion", ""}), (Names{"bash", "zsh", "fish"}));
}

TEST(Completion, BashCompletesEnvLayerTierAndStepNamesFromTheProject) {
  Project p;
  EXPECT_EQ(p.complete({"plan", "--env", ""}), (Names{"dev", "prod"}));
  EXPECT_EQ(p.complete({"plan", "--env", "dev", "--only", ""}), (Names{"vpc", "db", "seed-data"}));
  EXPECT_EQ(p.complete({"plan", "--env", "prod", "--only", "w"}), (Names{"worker"}));
  EXPECT_EQ(p.complete({"apply", "--up-to", ""}), (Names{"vpc", "db", "seed-data", "worker"}));
  EXPECT_EQ(p.complete({"list", "--tier", ""}), (Names{"network", "data", "app"}));
  EXPECT_EQ(p.complete({"confirm", "--env", "dev", ""}), (Names{"seed-data"}));
  EXPECT_EQ(p.complete({"output", "--env", "dev", "d"}), (Names{"db"}));
}

TEST(Completion, BashCompletesFilesForFileOptions) {
  Project p;
  EXPECT_EQ(p.complete({"--manifest", "layers/man"}), (Names{"layers/manifest.yaml"}));
  EXPECT_EQ(p.complete({"import", "--from", "env"}), (Names{"envs"}));
}

TEST(Completion, HelperPrintsNothingOutsideAProject) {
  Scenario empty;
  Outcome r = empty.run({"__complete", "layer"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  Project p;
  r = p.run({"__complete", "env"});
  EXPECT_EQ(r.out, "dev\nprod\n");
  r = p.run({"--help"});
  EXPECT_EQ(r.out.find("__complete"), std::string::npos) << r.out;
}

TEST(Completion, UnknownShellIsAUsageError) {
  Scenario s;
  Outcome r = s.run({"completion", "tcsh"});
  EXPECT_EQ(r.exit_code, 64);
}

TEST(Completion, ZshScriptIsAnAutoloadableCompdefFunction) {
  Scenario s;
  Outcome r = s.run({"completion", "zsh"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "#compdef stackctl");
  EXPECT_NE(r.out.find("  subs['stackctl ci']='github gitlab matrix'\n"), std::string::npos);
  EXPECT_NE(r.out.find("  kinds['stackctl plan|--env']='env'\n"), std::string::npos);
  EXPECT_NE(r.out.find("  compdef _stackctl stackctl\n"), std::string::npos);
  if (!installed("zsh")) GTEST_SKIP() << "zsh is not installed: syntax not checked";
  s.write("_stackctl", r.out);
  Outcome check =
      stackctl::testing::run_program("/bin/sh", {"-c", "zsh -n _stackctl"}, s.root(), {});
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

TEST(Completion, FishScriptCompletesThroughOneFunction) {
  Scenario s;
  Outcome r = s.run({"completion", "fish"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("        case 'stackctl ci'\n            printf '%s\\t%s\\n' 'github' "),
            std::string::npos);
  EXPECT_NE(r.out.find("        case 'stackctl confirm|#1'\n            echo 'step'\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("complete -c stackctl -f -a '(__stackctl_complete)'\n"), std::string::npos);
  if (!installed("fish")) GTEST_SKIP() << "fish is not installed: syntax not checked";
  s.write("stackctl.fish", r.out);
  Outcome check =
      stackctl::testing::run_program("/bin/sh", {"-c", "fish -n stackctl.fish"}, s.root(), {});
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

TEST(Completion, FishCompletesCommandsChoicesAndProjectNames) {
  if (!installed("fish")) GTEST_SKIP() << "fish is not installed";
  Project p;
  p.write("stackctl.fish", p.run({"completion", "fish"}).out);
  fs::create_directories(p.root() / "bin");
  fs::create_symlink(STACKCTL_BIN, p.root() / "bin/stackctl");
  std::string path = (p.root() / "bin").string() + ":" + std::getenv("PATH");
  Outcome r = stackctl::testing::run_program(
      "/bin/sh",
      {"-c",
       "fish -c 'source stackctl.fish; complete -C \"stackctl ci g\"; "
       "complete -C \"stackctl plan --env prod --only w\"; complete -C \"stackctl graph --format "
       "m\"'"},
      p.root(), {{"PATH", path}});
  EXPECT_EQ(
      r.out,
      "github\tA GitHub Actions workflow: plan on pull requests, apply on the default branch\n"
      "gitlab\tA .gitlab-ci.yml: plan in merge requests, apply on the default branch\n"
      "worker\nmermaid\n");
}

TEST(Completion, BashScriptIsValidBash) {
  Project p;
  Outcome check =
      stackctl::testing::run_program("/bin/bash", {"-n", "stackctl.bash"}, p.root(), {});
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

#ifdef STACKCTL_BUILD_DIR
TEST(Install, InstallsBothProgramsAndTheCompletions) {
  Scenario s;
  fs::path prefix = s.root() / "prefix";
  Outcome r = stackctl::testing::run_program(
      CMAKE_COMMAND_PATH, {"--install", STACKCTL_BUILD_DIR, "--prefix", prefix.string()}, s.root(),
      {});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* bin : {"bin/stackctl", "bin/stackctl-terragrunt-sim"}) {
    auto perms = fs::status(prefix / bin).permissions();
    EXPECT_NE(perms & fs::perms::owner_exec, fs::perms::none) << bin;
  }
  for (const auto& [shell, file] : std::vector<std::pair<std::string, std::string>>{
           {"bash", "share/bash-completion/completions/stackctl"},
           {"zsh", "share/zsh/site-functions/_stackctl"},
           {"fish", "share/fish/vendor_completions.d/stackctl.fish"}}) {
    Outcome script = s.run({"completion", shell});
    EXPECT_EQ(s.read("prefix/" + file), script.out) << file;
  }
  Outcome version = stackctl::testing::run_program((prefix / "bin/stackctl").string(),
                                                   {"--version"}, s.root(), {});
  EXPECT_EQ(version.out, std::string("stackctl ") + stackctl::version() + "\n");
}
#endif
