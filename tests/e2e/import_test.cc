// `stackctl import`: terragrunt trees with hard HCL become exact manifests that load.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "stackctl/commands/import.h"
#include "stackctl/manifest/manifest.h"
#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::run_program;
using stackctl::testing::Scenario;
namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = fs::path(STACKCTL_SOURCE_DIR) / "tests/data/import";

Outcome import_in(const fs::path& cwd, const std::string& from) {
  return run_program(STACKCTL_BIN, {"import", "--from", from}, cwd, {{"NO_COLOR", "1"}});
}

// The manifest of tests/data/import/hard: every dependency hidden in a comment, a heredoc or a
// string is ignored; nested folders, a trailing slash, get_terragrunt_dir() and
// dependencies.paths are followed; what cannot be an edge is a comment.
const char* kHardManifest = R"(# Imported by `stackctl import` from DIR = hard: 7 layers.
# Review before saving as layers/manifest.yaml: add implicit edges, manual gates,
# optional, needs_env and per-layer env, and settle each suggested protect.
version: 1
layers:
  - name: kms
    # protect: data  (suggested by the name and prevent_destroy = true)
  - name: s3-data
    depends_on: [kms]
    # protect: data  (suggested by the name)
  - name: iam-s3-access
    depends_on: [s3-data]
  - name: web_frontend
    path: Web_Frontend
    depends_on: [iam-s3-access]
  - name: vpc
  - name: sg-db
    depends_on: [vpc]
  - name: app-rds
    path: app/rds
    depends_on: [kms, vpc, sg-db]
    # protect: data  (suggested by the name)
    # depends on find_in_parent_folders("kms") (not a literal path)
    # depends on ../../../outside/network (outside DIR)
    # depends on ../../missing (no layer there)
)";

}  // namespace

TEST(Import, HardHclGivesTheExactManifest) {
  Outcome r = import_in(kFixtures, "hard");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kHardManifest);
  EXPECT_EQ(r.err, "imported 7 layers from hard; 3 dependencies left as comments\n");
}

TEST(Import, TheImportedManifestLoads) {
  Outcome r = import_in(kFixtures, "hard");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  stackctl::Diagnostics diags;
  stackctl::Manifest m = stackctl::parse_manifest(r.out, "imported.yaml", diags);
  ASSERT_FALSE(diags.has_errors()) << diags.str();
  ASSERT_EQ(m.layers.size(), 7u);
  const stackctl::Layer* rds = m.find("app-rds");
  ASSERT_NE(rds, nullptr);
  EXPECT_EQ(rds->path, "app/rds");
  EXPECT_EQ(rds->depends_on, (std::vector<std::string>{"kms", "vpc", "sg-db"}));
  EXPECT_EQ(m.find("web_frontend")->path, "Web_Frontend");
  EXPECT_EQ(m.find("vpc")->path, "vpc");
}

TEST(Import, ACycleIsAnErrorShowingTheWholeCycle) {
  Outcome r = import_in(kFixtures, "cycle");
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "stackctl: dependency cycle: a -> b -> c -> a\n");
}

TEST(Import, ALayerDependingOnItselfIsACycle) {
  Scenario s;
  s.write("tree/solo/terragrunt.hcl", "dependencies {\n  paths = [\"../solo\"]\n}\n");
  Outcome r = import_in(s.root(), "tree");
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err, "stackctl: dependency cycle: solo -> solo\n");
}

TEST(Import, OrderIsTheFolderOrderAsFarAsTheEdgesAllow) {
  Scenario s;
  s.write("tree/alpha/terragrunt.hcl", "dependency \"zulu\" {\n  config_path = \"../zulu\"\n}\n");
  s.write("tree/bravo/terragrunt.hcl", "");
  s.write("tree/zulu/terragrunt.hcl", "dependency \"mike\" {\n  config_path = \"../mike\"\n}\n");
  s.write("tree/mike/terragrunt.hcl", "");
  auto result = stackctl::import_tree(s.root() / "tree");
  ASSERT_EQ(result.error, "");
  std::vector<std::string> names;
  for (const auto& l : result.layers) names.push_back(l.name);
  EXPECT_EQ(names, (std::vector<std::string>{"bravo", "mike", "zulu", "alpha"}));
}

TEST(Import, HiddenFoldersAndTheRootConfigurationAreNotLayers) {
  Scenario s;
  s.write("tree/terragrunt.hcl", "# root\n");
  s.write("tree/root.hcl", "# root\n");
  s.write("tree/vpc/terragrunt.hcl", "");
  s.write("tree/vpc/.terragrunt-cache/abc/def/terragrunt.hcl",
          "dependency \"x\" {\n  config_path = \"../x\"\n}\n");
  s.write("tree/.git/terragrunt.hcl", "");
  s.write("tree/modules/vpc/main.tf", "");
  auto result = stackctl::import_tree(s.root() / "tree");
  ASSERT_EQ(result.error, "");
  ASSERT_EQ(result.layers.size(), 1u);
  EXPECT_EQ(result.layers[0].name, "vpc");
  EXPECT_TRUE(result.layers[0].notes.empty());
}

TEST(Import, AFolderThatMakesNoLayerNameIsAnErrorNamingIt) {
  Scenario s;
  s.write("tree/My App/terragrunt.hcl", "");
  Outcome r = import_in(s.root(), "tree");
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err,
            "stackctl: folder 'My App' cannot be a layer name (layer names are "
            "[a-z0-9][a-z0-9._-]*; nested folders are joined with '-')\n");
}

TEST(Import, TwoFoldersMakingTheSameNameAreAnError) {
  Scenario s;
  s.write("tree/a/b-c/terragrunt.hcl", "");
  s.write("tree/a-b/c/terragrunt.hcl", "");
  Outcome r = import_in(s.root(), "tree");
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err, "stackctl: folders 'a/b-c' and 'a-b/c' both make the layer name 'a-b-c'\n");
}

TEST(Import, AnHclSyntaxErrorNamesTheFileAndLine) {
  Scenario s;
  s.write("tree/vpc/terragrunt.hcl", "inputs = {\n  name = \"vpc\n}\n");
  Outcome r = import_in(s.root(), "tree");
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err, "stackctl: tree/vpc/terragrunt.hcl:2: unterminated string\n");
}

TEST(Import, AMissingFolderOrAnEmptyTreeIsAUsageError) {
  Scenario s;
  Outcome missing = import_in(s.root(), "nowhere");
  EXPECT_EQ(missing.exit_code, 64);
  EXPECT_EQ(missing.err, "stackctl: nowhere: not a folder\n");
  s.write("empty/README.md", "no layers here\n");
  Outcome empty = import_in(s.root(), "empty");
  EXPECT_EQ(empty.exit_code, 64);
  EXPECT_EQ(empty.err, "stackctl: no terragrunt.hcl in the folders below empty\n");
}

TEST(Import, LayerNamesJoinNestedFoldersWithADashAndLowercase) {
  EXPECT_EQ(stackctl::import_layer_name("vpc"), "vpc");
  EXPECT_EQ(stackctl::import_layer_name("us-east-1/App/RDS"), "us-east-1-app-rds");
  EXPECT_EQ(stackctl::import_layer_name("web_frontend.v2"), "web_frontend.v2");
  EXPECT_EQ(stackctl::import_layer_name("_global/iam"), std::nullopt);
  EXPECT_EQ(stackctl::import_layer_name("my app"), std::nullopt);
}

TEST(Import, DataSuggestionsComeFromWholeWordsOfTheFolderName) {
  EXPECT_TRUE(stackctl::import_suggests_data("rds-app"));
  EXPECT_TRUE(stackctl::import_suggests_data("s3-request-logs"));
  EXPECT_TRUE(stackctl::import_suggests_data("codecommit-repo-bounce"));
  EXPECT_TRUE(stackctl::import_suggests_data("data/kms"));
  EXPECT_TRUE(stackctl::import_suggests_data("elasticsearch-app"));
  EXPECT_FALSE(stackctl::import_suggests_data("dashboards"));           // "rds" inside a word
  EXPECT_FALSE(stackctl::import_suggests_data("iam-s3-request-logs"));  // access, not the data
  EXPECT_FALSE(stackctl::import_suggests_data("sg-elasticsearch-app"));
  EXPECT_FALSE(stackctl::import_suggests_data("vpc"));
}

TEST(Import, JsonOutputIsOneDocumentHoldingTheManifest) {
  Outcome r =
      run_program(STACKCTL_BIN, {"--output", "json", "import", "--from", "hard"}, kFixtures, {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("command"), "import");
  EXPECT_EQ(doc.at("success"), true);
  EXPECT_EQ(doc.at("manifest"), kHardManifest);
  EXPECT_EQ(doc.at("layers").size(), 7u);
  EXPECT_EQ(doc.at("layers")[6].at("depends_on"), nlohmann::json({"kms", "vpc", "sg-db"}));
}
