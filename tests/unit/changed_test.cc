// Scenarios for --changed: changed files mapped to layers (pure), and what git reports in real
// temporary repositories.
#include "stackctl/commands/changed.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "stackctl/util/error.h"
#include "support/scenario.h"
#include "support/stack_fixture.h"

namespace stackctl {
namespace {

namespace fs = std::filesystem;
using Names = std::vector<std::string>;
using testing::StackFixture;

const char* kManifest = R"(version: 1
layers:
  - name: dns
  - name: gate
    kind: manual
    depends_on: [dns]
    instructions: Delegate the domain.
  - name: vpc
    module: network
  - name: vpc-extra
    path: vpc/extra
    depends_on: [vpc]
  - name: sg
    module: network
    depends_on: [vpc]
  - name: db
    depends_on: [sg]
    protect: data
  - name: seed
    kind: command
    depends_on: [db]
    command: [ansible-playbook, -i, inventory, playbooks/seed.yml]
  - name: app
    optional: true
    depends_on: [sg]
)";

class ChangedTest : public ::testing::Test {
 protected:
  ChangedTest() : f_(kManifest, "name: test\nenable: [app]\n") {
    f_.manifest.file = f_.dir / "layers" / "manifest.yaml";
    f_.stack.env.file = f_.dir / "envs" / "test" / "env.yaml";
    changes_.toplevel = f_.dir;
  }

  /// "layer: reason; reason" per changed layer.
  std::vector<std::string> changed(const Names& files, bool with_dependents = false) {
    changes_.files = files;
    std::vector<std::string> out;
    for (const auto& c : changed_layers(f_.stack, *f_.graph, changes_, with_dependents)) {
      std::string line = f_.stack.layer(c.layer).name + ":";
      for (std::size_t i = 0; i < c.reasons.size(); ++i) line += (i ? "; " : " ") + c.reasons[i];
      out.push_back(line);
    }
    return out;
  }

  StackFixture f_;
  GitChanges changes_;
};

TEST_F(ChangedTest, AFileInALayerFolderSelectsThatLayer) {
  EXPECT_EQ(changed({"envs/test/dns/inputs.auto.tfvars", "envs/test/dns/terragrunt.hcl"}),
            (Names{"dns: files changed in envs/test/dns: inputs.auto.tfvars, terragrunt.hcl"}));
}

TEST_F(ChangedTest, TheDeepestLayerFolderOwnsAFile) {
  EXPECT_EQ(changed({"envs/test/vpc/extra/terragrunt.hcl"}),
            (Names{"vpc-extra: files changed in envs/test/vpc/extra: terragrunt.hcl"}));
  EXPECT_EQ(changed({"envs/test/vpc/terragrunt.hcl"}),
            (Names{"vpc: files changed in envs/test/vpc: terragrunt.hcl"}));
}

TEST_F(ChangedTest, ManyFilesAreCountedAfterTheFirstThree) {
  EXPECT_EQ(changed({"envs/test/dns/a.tf", "envs/test/dns/b.tf", "envs/test/dns/c.tf",
                     "envs/test/dns/d.tf", "envs/test/dns/e.tf"}),
            (Names{"dns: files changed in envs/test/dns: a.tf, b.tf, c.tf and 2 more"}));
}

TEST_F(ChangedTest, AModuleChangeSelectsEveryLayerUsingIt) {
  EXPECT_EQ(changed({"modules/network/main.tf", "modules/other/main.tf"}),
            (Names{"vpc: files changed in module modules/network: main.tf",
                   "sg: files changed in module modules/network: main.tf"}));
}

TEST_F(ChangedTest, SharedHclOfTheEnvSelectsEveryTerragruntLayer) {
  EXPECT_EQ(changed({"envs/test/root.hcl", "envs/test/README.md", "README.md"}),
            (Names{"dns: shared configuration changed: envs/test/root.hcl",
                   "vpc: shared configuration changed: envs/test/root.hcl",
                   "vpc-extra: shared configuration changed: envs/test/root.hcl",
                   "sg: shared configuration changed: envs/test/root.hcl",
                   "db: shared configuration changed: envs/test/root.hcl",
                   "app: shared configuration changed: envs/test/root.hcl"}));
}

TEST_F(ChangedTest, ACommandLayerChangesWithTheFilesItsArgvNames) {
  fs::create_directories(f_.dir / "envs/test/playbooks");
  std::ofstream(f_.dir / "envs/test/playbooks/seed.yml") << "- hosts: db\n";
  EXPECT_EQ(changed({"envs/test/playbooks/seed.yml", "envs/test/playbooks/other.yml"}),
            (Names{"seed: input of its command changed: envs/test/playbooks/seed.yml"}));
}

TEST_F(ChangedTest, WithDependentsAddsEveryLayerBehindAChangedOne) {
  EXPECT_EQ(changed({"envs/test/sg/terragrunt.hcl"}, true),
            (Names{"sg: files changed in envs/test/sg: terragrunt.hcl",
                   "db: depends on sg, which changed", "seed: depends on sg, which changed",
                   "app: depends on sg, which changed"}));
}

TEST_F(ChangedTest, AManifestChangeSelectsOnlyTheEntriesThatDiffer) {
  std::string old = kManifest;
  const std::string db_entry = "    depends_on: [sg]\n    protect: data\n";
  old.replace(old.find(db_entry), db_entry.size(), "    depends_on: [vpc]\n");
  old.replace(old.find("  - name: app\n"), std::string::npos, "");
  changes_.old_files["layers/manifest.yaml"] = old;
  EXPECT_EQ(changed({"layers/manifest.yaml"}),
            (Names{"db: manifest entry changed: depends_on, protect", "app: new in the manifest"}));
}

TEST_F(ChangedTest, ANewManifestMakesEveryLayerNew) {
  changes_.old_files["layers/manifest.yaml"] = std::nullopt;
  auto out = changed({"layers/manifest.yaml"});
  ASSERT_EQ(out.size(), 8u);
  EXPECT_EQ(out[0], "dns: new in the manifest (layers/manifest.yaml is new)");
}

TEST_F(ChangedTest, AnUnreadableBaseManifestCountsEveryEntryAsChanged) {
  changes_.old_files["layers/manifest.yaml"] = std::string("layers: [");
  auto out = changed({"layers/manifest.yaml"});
  ASSERT_EQ(out.size(), 8u);
  EXPECT_EQ(out[7],
            "app: the base version of layers/manifest.yaml does not parse: every entry counts as "
            "changed");
}

TEST_F(ChangedTest, EnvYamlEnableAndProtectChangesSelectTheirLayers) {
  f_.stack.env.protect["vpc"] = Protect::Keep;
  changes_.old_files["envs/test/env.yaml"] = std::string("name: test\n");
  EXPECT_EQ(changed({"envs/test/env.yaml"}), (Names{"vpc: envs/test/env.yaml: protect changed",
                                                    "app: envs/test/env.yaml: enabled"}));
}

TEST_F(ChangedTest, EnvWideSettingsSelectEveryLayer) {
  changes_.old_files["envs/test/env.yaml"] =
      std::string("name: test\nenable: [app]\nenv: {AWS_REGION: us-east-1}\n");
  auto out = changed({"envs/test/env.yaml"});
  ASSERT_EQ(out.size(), 8u);
  EXPECT_EQ(out[2], "vpc: envs/test/env.yaml changed env, which every layer uses");
}

TEST_F(ChangedTest, NothingOutsideTheStackSelectsALayer) {
  EXPECT_EQ(changed({"docs/guide.md", "envs/prod/dns/terragrunt.hcl", "tools/x.sh"}), Names{});
}

// --- git ----------------------------------------------------------------------------------

/// A temporary git repository holding a project.
class Repo : public testing::Scenario {
 public:
  Repo() {
    git({"init", "-q", "-b", "main"});
    manifest("version: 1\nlayers:\n  - name: vpc\n  - name: db\n    depends_on: [vpc]\n");
    env("dev", "name: dev\n");
    layer_hcl("dev", "vpc", {});
    layer_hcl("dev", "db", {"vpc"});
    commit("first");
  }

  std::string git(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{"git", "-c", "user.name=t", "-c", "user.email=t@example.com"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r =
        testing::run_program("/usr/bin/env", argv, root(), {{"GIT_CONFIG_GLOBAL", "/dev/null"}});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }
  void commit(const std::string& message) const {
    git({"add", "-A"});
    git({"commit", "-q", "-m", message});
  }
  GitChanges changes(const std::string& base = "") const {
    auto runner = make_process_runner();
    return read_git_changes(*runner, root(), base,
                            {root() / "layers/manifest.yaml", root() / "envs/dev/env.yaml"});
  }
};

TEST(ChangedGit, CommittedStagedUnstagedAndUntrackedFilesAllCount) {
  Repo repo;
  std::string first = repo.git({"rev-parse", "HEAD"});
  repo.write("envs/dev/vpc/terragrunt.hcl", "# committed\n");
  repo.commit("second");
  repo.write("envs/dev/db/terragrunt.hcl", "# unstaged\n");
  repo.write("envs/dev/db/new.tf", "# untracked\n");
  repo.write("modules/x/main.tf", "# staged\n");
  repo.git({"add", "modules/x/main.tf"});
  repo.write(".gitignore", "ignored.txt\n");
  repo.write("ignored.txt", "x\n");
  GitChanges c = repo.changes();
  EXPECT_EQ(c.files, (Names{".gitignore", "envs/dev/db/new.tf", "envs/dev/db/terragrunt.hcl",
                            "envs/dev/vpc/terragrunt.hcl", "modules/x/main.tf"}));
  EXPECT_EQ(c.base_commit, first);
  EXPECT_EQ(c.base_label, "HEAD^ (" + first.substr(0, 7) + ")");
  EXPECT_EQ(c.toplevel, repo.root());
}

TEST(ChangedGit, OnABranchTheBaseIsTheMergeBaseWithMain) {
  Repo repo;
  std::string fork = repo.git({"rev-parse", "HEAD"});
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("envs/dev/db/terragrunt.hcl", "# one\n");
  repo.commit("one");
  repo.write("envs/dev/vpc/terragrunt.hcl", "# two\n");
  repo.commit("two");
  GitChanges c = repo.changes();
  EXPECT_EQ(c.base_label, "the merge base with main (" + fork.substr(0, 7) + ")");
  EXPECT_EQ(c.files, (Names{"envs/dev/db/terragrunt.hcl", "envs/dev/vpc/terragrunt.hcl"}));
}

TEST(ChangedGit, AGivenBaseIsUsedAndAnUnknownOneIsAUsageError) {
  Repo repo;
  repo.write("envs/dev/db/terragrunt.hcl", "# changed\n");
  repo.commit("second");
  EXPECT_EQ(repo.changes("HEAD").files, Names{});
  EXPECT_EQ(repo.changes("HEAD~1").files, (Names{"envs/dev/db/terragrunt.hcl"}));
  try {
    repo.changes("no-such-ref");
    FAIL() << "expected a usage error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
    EXPECT_EQ(std::string(e.what()),
              "--base 'no-such-ref' is not a commit of the repository at " + repo.root().string());
  }
}

TEST(ChangedGit, WithoutAParentEverythingIsNew) {
  Repo repo;
  GitChanges c = repo.changes();
  EXPECT_EQ(c.base_label, "the empty tree (HEAD has no parent)");
  EXPECT_EQ(c.files, (Names{"envs/dev/db/terragrunt.hcl", "envs/dev/env.yaml",
                            "envs/dev/vpc/terragrunt.hcl", "layers/manifest.yaml"}));
  EXPECT_EQ(c.old_files.at("layers/manifest.yaml"), std::nullopt);
}

TEST(ChangedGit, TheBaseVersionOfAChangedManifestIsRead) {
  Repo repo;
  std::string before = repo.read("layers/manifest.yaml");
  repo.git({"commit", "-q", "--allow-empty", "-m", "empty"});
  repo.manifest(before + "  - name: app\n    depends_on: [db]\n");
  GitChanges c = repo.changes();
  EXPECT_EQ(c.files, Names{"layers/manifest.yaml"});
  EXPECT_EQ(c.old_files.at("layers/manifest.yaml"), std::optional<std::string>(before));
  EXPECT_EQ(c.old_files.count("envs/dev/env.yaml"), 0u);
}

TEST(ChangedGit, OutsideARepositoryIsAUsageError) {
  testing::Scenario plain;
  auto runner = make_process_runner();
  try {
    read_git_changes(*runner, plain.root(), "", {});
    FAIL() << "expected a usage error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
    EXPECT_EQ(std::string(e.what()),
              "--changed needs a git repository: " + plain.root().string() + " is not inside one");
  }
}

// `list --changed --why` lists the layers the whole selection keeps, not every changed one: here
// --exclude seed drops one of the four sg brought in.
TEST_F(ChangedTest, WhyListsTheReasonsOfTheSelectedLayersOnly) {
  changes_.files = {"envs/test/sg/terragrunt.hcl"};
  changes_.base_label = "HEAD^ (1a2b3c4)";
  changes_.base_commit = "1a2b3c4d";
  ChangeSet set{changes_, changed_layers(f_.stack, *f_.graph, changes_, true)};
  SelectionOptions sel;
  sel.use_changed = true;
  sel.changed = set.names(f_.stack);
  sel.exclude = {"seed"};
  EXPECT_EQ(why_listing(f_.stack, *f_.graph, set, sel, OutputFormat::Text),
            "changes since HEAD^ (1a2b3c4): 1 file, 4 changed layers\n"
            "#    LAYER  WHY\n"
            "5    sg     files changed in envs/test/sg: terragrunt.hcl\n"
            "6    db     depends on sg, which changed\n"
            "8    app    depends on sg, which changed\n");
  EXPECT_EQ(
      nlohmann::json::parse(why_listing(f_.stack, *f_.graph, set, sel, OutputFormat::Json)),
      (nlohmann::json{
          {"base", "HEAD^ (1a2b3c4)"},
          {"commit", "1a2b3c4d"},
          {"files", {"envs/test/sg/terragrunt.hcl"}},
          {"layers",
           {{{"name", "sg"},
             {"tier", ""},
             {"reasons", {"files changed in envs/test/sg: terragrunt.hcl"}}},
            {{"name", "db"}, {"tier", ""}, {"reasons", {"depends on sg, which changed"}}},
            {{"name", "app"}, {"tier", ""}, {"reasons", {"depends on sg, which changed"}}}}}}));
}

TEST_F(ChangedTest, WithoutChangedNothingIsResolvedAndNoWorkspaceIsOpened) {
  Context ctx;
  ctx.where.manifest = (f_.dir / "no-such-manifest.yaml").string();
  SelectionOptions sel;
  sel.only = {"vpc"};
  EXPECT_FALSE(resolve_changed(ctx, "test", sel, true).has_value());
  EXPECT_EQ(sel.changed, Names{});
}

}  // namespace
}  // namespace stackctl
