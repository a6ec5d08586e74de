// Scenarios for a manifest seen through an env: enable/disable, protection overrides, and the
// folder each layer runs in (with `..` and symlinks resolved and confined to the env's tree).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "stackctl/manifest/env.h"
#include "support/scenario.h"

namespace stackctl {
namespace {
namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

// Line numbers: vpc 3, nat 4, sg-db 7, rds-app 9, launch-template-app 12, asg-app 14,
// bootstrap-db 17.
const char* const kManifest = R"yaml(version: 1
layers:
  - name: vpc
  - name: nat
    depends_on: [vpc]
    optional: true
  - name: sg-db
    depends_on: [vpc]
  - name: rds-app
    depends_on: [sg-db]
    protect: data
  - name: launch-template-app
    optional: true
  - name: asg-app
    optional: true
    depends_on: [vpc, launch-template-app]
  - name: bootstrap-db
    kind: command
    command: [make, seed]
    depends_on: [rds-app]
)yaml";

class StackTest : public ::testing::Test {
 protected:
  /// Writes the manifest and envs/dev/env.yaml, loads both (they must be valid on their own)
  /// and resolves the stack, collecting its findings in diags.
  Stack resolve(const std::string& env_yaml, const std::string& manifest_yaml = kManifest) {
    s.manifest(manifest_yaml);
    s.env("dev", env_yaml);
    Diagnostics load;
    manifest = load_manifest(s.root() / "layers" / "manifest.yaml", load);
    EnvConfig env = load_env(s.root() / "envs", "dev", load);
    EXPECT_EQ(load.str(), "");
    return resolve_stack(manifest, env, diags);
  }
  std::string env_file() const { return (s.root() / "envs" / "dev" / "env.yaml").string(); }
  std::string manifest_file() const { return (s.root() / "layers" / "manifest.yaml").string(); }
  static Lines enabled(const Stack& stack) {
    Lines out;
    for (std::size_t i = 0; i < stack.size(); ++i) {
      if (stack.enabled[i]) out.push_back(stack.layer(i).name);
    }
    return out;
  }

  testing::Scenario s;
  Manifest manifest;
  Diagnostics diags;
};

TEST_F(StackTest, EveryLayerButTheOptionalOnesIsEnabledByDefault) {
  Stack stack = resolve("name: dev\n");
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(enabled(stack), (Lines{"vpc", "sg-db", "rds-app", "bootstrap-db"}));
  EXPECT_EQ(stack.manifest, &manifest);
  EXPECT_EQ(stack.env.name, "dev");
  const fs::path tree = s.root() / "envs" / "dev";
  EXPECT_EQ(stack.tree, tree);
  ASSERT_EQ(stack.dirs.size(), 7u);
  EXPECT_EQ(stack.dirs[0], tree / "vpc");
  EXPECT_EQ(stack.dirs[3], tree / "rds-app");
  EXPECT_EQ(stack.dirs[6], tree);  // a command runs in the env's folder
  EXPECT_EQ(stack.protect[3], Protect::Data);
  EXPECT_EQ(stack.protect[0], Protect::None);
}

TEST_F(StackTest, EnableSwitchesOnOptionalLayers) {
  Stack stack = resolve("enable: [nat, launch-template-app]\n");
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(enabled(stack),
            (Lines{"vpc", "nat", "sg-db", "rds-app", "launch-template-app", "bootstrap-db"}));
}

TEST_F(StackTest, EnableAllSwitchesOnEveryOptionalLayer) {
  Stack stack = resolve("enable: all\n");
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(enabled(stack), (Lines{"vpc", "nat", "sg-db", "rds-app", "launch-template-app",
                                   "asg-app", "bootstrap-db"}));
}

TEST_F(StackTest, DisablingALayerTogetherWithItsDependentsIsFine) {
  Stack stack = resolve("enable: all\ndisable: [rds-app, bootstrap-db]\n");
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(enabled(stack), (Lines{"vpc", "nat", "sg-db", "launch-template-app", "asg-app"}));
}

TEST_F(StackTest, DisablingALayerThatAnEnabledLayerNeedsNamesBoth) {
  resolve("name: dev\ndisable:\n  - sg-db\n");
  EXPECT_EQ(diags.str(), env_file() +
                             ":3: cannot disable 'sg-db': enabled layer 'rds-app' "
                             "depends on it");
}

TEST_F(StackTest, DisablingALayerManyNeedNamesTheFirstAndCountsTheRest) {
  resolve("enable: [nat]\ndisable: [vpc]\n");
  EXPECT_EQ(diags.str(), env_file() +
                             ":2: cannot disable 'vpc': enabled layer 'nat' depends on "
                             "it (and 1 more)");
}

TEST_F(StackTest, AnEnabledLayerNeedsItsOptionalDependenciesEnabled) {
  resolve("name: dev\nenable:\n  - asg-app\n");
  EXPECT_EQ(diags.str(), env_file() +
                             ":3: layer 'asg-app' is enabled but depends on "
                             "'launch-template-app', which is not enabled in env 'dev' "
                             "(add it to enable)");
}

TEST_F(StackTest, UnknownLayerNamesInTheEnvAreErrorsWithSuggestions) {
  resolve("enable: [natt]\ndisable: [zzz]\nprotect: {rds-ap: keep}\n");
  EXPECT_EQ(diags.str(), env_file() +
                             ":1: unknown layer 'natt' in 'enable' (did you mean 'nat'?)\n" +
                             env_file() + ":2: unknown layer 'zzz' in 'disable'\n" + env_file() +
                             ":3: unknown layer 'rds-ap' in 'protect' (did you mean 'rds-app'?)");
}

TEST_F(StackTest, EnablingALayerThatIsNotOptionalIsAWarning) {
  Stack stack = resolve("enable: [vpc]\n");
  EXPECT_EQ(diags.str(), env_file() +
                             ":1: warning: layer 'vpc' in 'enable' is not optional; it "
                             "is always enabled");
  EXPECT_FALSE(diags.has_errors());
  EXPECT_EQ(enabled(stack), (Lines{"vpc", "sg-db", "rds-app", "bootstrap-db"}));
}

TEST_F(StackTest, ProtectOverridesFromTheEnvApply) {
  Stack stack = resolve("protect:\n  rds-app: none\n  vpc: keep\n");
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(stack.protect,
            (std::vector<Protect>{Protect::Keep, Protect::None, Protect::None, Protect::None,
                                  Protect::None, Protect::None, Protect::None}));
}

TEST_F(StackTest, TheEnvsTreeMustExist) {
  Stack stack = resolve("name: dev\ndir: ../../live/dev\n");
  const fs::path tree = s.root() / "live" / "dev";
  EXPECT_EQ(diags.str(),
            env_file() + ":2: the env's terragrunt folder " + tree.string() + " does not exist");
  EXPECT_EQ(stack.dirs[0], tree / "vpc");
}

TEST_F(StackTest, TheTreeMayLiveOutsideTheEnvFolder) {
  fs::create_directories(s.root() / "live" / "dev");
  Stack stack = resolve("dir: ../../live/dev\n");
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(stack.tree, s.root() / "live" / "dev");
  EXPECT_EQ(stack.dirs[2], s.root() / "live" / "dev" / "sg-db");
}

TEST_F(StackTest, TheTreeIsCanonicalThroughSymlinks) {
  fs::create_directories(s.root() / "real-dev");
  s.write("real-dev/env.yaml", "name: dev\n");
  fs::create_directories(s.root() / "envs");
  fs::create_directory_symlink(s.root() / "real-dev", s.root() / "envs" / "dev");
  s.manifest(kManifest);
  Diagnostics load;
  manifest = load_manifest(s.root() / "layers" / "manifest.yaml", load);
  EnvConfig env = load_env(s.root() / "envs", "dev", load);
  ASSERT_EQ(load.str(), "");
  Stack stack = resolve_stack(manifest, env, diags);
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(stack.tree, s.root() / "real-dev");
  EXPECT_EQ(stack.dirs[0], s.root() / "real-dev" / "vpc");
}

TEST_F(StackTest, ASymlinkOutOfTheTreeIsRefused) {
  fs::create_directories(s.root() / "envs" / "dev");
  fs::create_directories(s.root() / "elsewhere" / "vpc");
  fs::create_directory_symlink(s.root() / "elsewhere" / "vpc", s.root() / "envs" / "dev" / "vpc");
  fs::create_directory_symlink(s.root() / "elsewhere", s.root() / "envs" / "dev" / "net");
  Stack stack = resolve("name: dev\n", R"yaml(version: 1
layers:
  - name: vpc
  - name: nat
    path: net/nat
  - name: sg
    path: groups/../sg
)yaml");
  const std::string tree = (s.root() / "envs" / "dev").string();
  EXPECT_EQ(diags.str(),
            manifest_file() + ":3: layer 'vpc' path 'vpc' resolves to " +
                (s.root() / "elsewhere" / "vpc").string() + ", outside the env folder " + tree +
                "\n" + manifest_file() + ":4: layer 'nat' path 'net/nat' resolves to " +
                (s.root() / "elsewhere" / "nat").string() + ", outside the env folder " + tree);
  EXPECT_EQ(stack.dirs[2], s.root() / "envs" / "dev" / "sg");
}

TEST_F(StackTest, ASymlinkInsideTheTreeIsFollowed) {
  fs::create_directories(s.root() / "envs" / "dev" / "shared" / "nat");
  fs::create_directory_symlink("shared/nat", s.root() / "envs" / "dev" / "nat");
  Stack stack = resolve("enable: [nat]\n");
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(stack.dirs[1], s.root() / "envs" / "dev" / "shared" / "nat");
}

TEST_F(StackTest, ASymlinkBackToTheTreeItselfIsRefused) {
  fs::create_directories(s.root() / "envs" / "dev");
  fs::create_directory_symlink(".", s.root() / "envs" / "dev" / "vpc");
  resolve("name: dev\n");
  const std::string tree = (s.root() / "envs" / "dev").string();
  EXPECT_EQ(diags.str(), manifest_file() +
                             ":3: layer 'vpc' path 'vpc' resolves to the env "
                             "folder " +
                             tree + " itself");
}

}  // namespace
}  // namespace stackctl
