// Scenarios for hostile manifest input (deep nesting, alias bombs, NUL bytes, bad UTF-8, huge
// files, very long manifests) and for finding and reading the manifest file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "stackctl/manifest/manifest.h"
#include "support/scenario.h"

namespace stackctl {
namespace {
namespace fs = std::filesystem;
using testing::Scenario;
using Lines = std::vector<std::string>;

const char* const kFile = "layers/manifest.yaml";

/// Every finding of parsing text, rendered.
Lines findings(const std::string& text) {
  Diagnostics diags;
  parse_manifest(text, kFile, diags);
  Lines out;
  for (const Diagnostic& d : diags.all()) out.push_back(d.str());
  return out;
}

/// A manifest of one layer called name.
std::string one_layer(const std::string& name) {
  return "version: 1\nlayers:\n  - name: " + name + "\n";
}

TEST(ManifestInput, EmptyOrNonMappingDocuments) {
  EXPECT_EQ(findings(""), (Lines{"layers/manifest.yaml: the manifest is empty (expected 'version: "
                                 "1' and a 'layers' list)"}));
  EXPECT_EQ(findings("# nothing here\n"),
            (Lines{"layers/manifest.yaml: the manifest is empty (expected 'version: 1' and a "
                   "'layers' list)"}));
  EXPECT_EQ(findings("- vpc\n- nat\n"),
            (Lines{"layers/manifest.yaml:1: the manifest must be a mapping with 'version' and "
                   "'layers', not a list"}));
  EXPECT_EQ(findings("just text\n"),
            (Lines{"layers/manifest.yaml:1: the manifest must be a mapping with 'version' and "
                   "'layers', not a string"}));
  EXPECT_EQ(findings("version: 1\nlayers: []\n---\nversion: 1\n"),
            (Lines{"layers/manifest.yaml:3: expected one YAML document, found a second one"}));
}

TEST(ManifestInput, MalformedYamlIsADiagnosticWithTheParserMessage) {
  EXPECT_EQ(findings("version: 1\nlayers: [\n  - name: x\n"),
            (Lines{"layers/manifest.yaml:3: illegal block entry"}));
  EXPECT_EQ(findings("version: 1\nlayers:\n - name: x\n  tier: y\n"),
            (Lines{"layers/manifest.yaml:4: end of sequence not found"}));
  EXPECT_EQ(findings("version: 1\nlayers: *nowhere\n"),
            (Lines{"layers/manifest.yaml:2: the referenced anchor is not defined"}));
}

TEST(ManifestInput, DeepFlowNestingIsRefusedWithoutCrashing) {
  const std::string deep =
      "version: 1\nlayers: " + std::string(20000, '[') + std::string(20000, ']') + "\n";
  EXPECT_EQ(findings(deep), (Lines{"layers/manifest.yaml:2: nesting is deeper than 256 levels"}));
  const std::string maps = "version: 1\nlayers: " + [] {
    std::string s;
    for (int i = 0; i < 20000; ++i) s += "{a: ";
    return s + "1" + std::string(20000, '}');
  }();
  EXPECT_EQ(findings(maps), (Lines{"layers/manifest.yaml:2: nesting is deeper than 256 levels"}));
}

TEST(ManifestInput, DeepBlockNestingIsRefusedWithoutCrashing) {
  std::string deep = "version: 1\nlayers:\n";
  for (int i = 0; i < 20000; ++i) deep += "- ";
  deep += "x\n";
  EXPECT_EQ(findings(deep), (Lines{"layers/manifest.yaml:3: nesting is deeper than 256 levels"}));
  // Nesting up to the limit is still read (and then judged as a manifest).
  std::string fine = "version: 1\nlayers:\n";
  for (int i = 0; i < 200; ++i) fine += "- ";
  fine += "x\n";
  EXPECT_EQ(findings(fine),
            (Lines{"layers/manifest.yaml:3: layer #1 must be a mapping, not a list"}));
}

TEST(ManifestInput, AliasBombIsRefused) {
  std::string bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) bomb += (i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  EXPECT_EQ(findings(bomb),
            (Lines{"layers/manifest.yaml:6: aliases expand the document to more than 200000 "
                   "nodes"}));
}

TEST(ManifestInput, ModestAliasesAreExpanded) {
  Diagnostics diags;
  Manifest m = parse_manifest(R"yaml(version: 1
layers:
  - name: cdn-cert
    env: &use1 {AWS_REGION: us-east-1}
  - name: cdn
    depends_on: [cdn-cert]
    env: *use1
)yaml",
                              kFile, diags);
  EXPECT_EQ(diags.str(), "");
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_EQ(m.layers[1].env, (EnvVars{{"AWS_REGION", "us-east-1"}}));
}

TEST(ManifestInput, SelfReferencingAliasIsRefused) {
  EXPECT_EQ(findings("version: 1\nlayers: &l [*l]\n"),
            (Lines{"layers/manifest.yaml:2: an alias refers to a node that contains it"}));
}

TEST(ManifestInput, NulBytesAndInvalidUtf8AreRefused) {
  const char with_nul[] = "version: 1\nlayers:\n  - name: a\0b\n";
  EXPECT_EQ(findings(std::string(with_nul, sizeof with_nul - 1)),
            (Lines{"layers/manifest.yaml:3: NUL byte at column 12 (the file must be UTF-8 text)"}));
  EXPECT_EQ(findings("version: 1\nlayers:\n  - name: caf\xE9\n"),
            (Lines{"layers/manifest.yaml:3: invalid UTF-8 byte 0xE9 at column 14"}));
  EXPECT_EQ(findings("version: 1\ntiers: [\xED\xA0\x80]\n"),
            (Lines{"layers/manifest.yaml:2: invalid UTF-8 byte 0xED at column 9"}));
  EXPECT_EQ(findings("\xFF\xFEv"),
            (Lines{"layers/manifest.yaml:1: file is UTF-16; save it as UTF-8"}));
  // Valid UTF-8 passes, and names with it are judged by the name rule.
  EXPECT_EQ(findings(one_layer("café")),
            (Lines{"layers/manifest.yaml:3: layer #1: invalid name 'café' (use lowercase "
                   "letters, digits, '.', '_' and '-', starting with a letter or digit)"}));
}

TEST(ManifestInput, TextOver16MiBIsRefused) {
  std::string huge = "version: 1\n#" + std::string(16u * 1024u * 1024u, 'x') + "\n";
  EXPECT_EQ(findings(huge),
            (Lines{"layers/manifest.yaml: file is larger than 16 MiB (16777229 bytes)"}));
}

TEST(LoadManifest, ReadsTheFileAndFindsTheRoot) {
  Scenario s;
  s.manifest("version: 1\nlayers:\n  - name: vpc\n");
  Diagnostics diags;
  Manifest m = load_manifest(s.root() / "layers" / "manifest.yaml", diags);
  EXPECT_EQ(diags.str(), "");
  EXPECT_EQ(m.root, s.root());
  EXPECT_EQ(m.file, s.root() / "layers" / "manifest.yaml");
  ASSERT_EQ(m.layers.size(), 1u);
}

TEST(LoadManifest, MissingDirectoryAndHugeFilesAreDiagnostics) {
  Scenario s;
  Diagnostics diags;
  const fs::path missing = s.root() / "nope.yaml";
  load_manifest(missing, diags);
  fs::create_directories(s.root() / "dir.yaml");
  load_manifest(s.root() / "dir.yaml", diags);
  const fs::path huge = s.root() / "huge.yaml";
  std::ofstream(huge) << "version: 1\n";
  fs::resize_file(huge, 17u * 1024u * 1024u);  // sparse: cheap to make
  load_manifest(huge, diags);
  EXPECT_EQ(diags.str(), missing.string() + ": cannot read file: No such file or directory\n" +
                             (s.root() / "dir.yaml").string() +
                             ": cannot read file: not a regular file\n" + huge.string() +
                             ": file is larger than 16 MiB (17825792 bytes)");
}

TEST(FindProjectRoot, WalksUpToTheFolderHoldingLayersManifest) {
  Scenario s;
  s.manifest("version: 1\nlayers: []\n");
  fs::create_directories(s.root() / "envs" / "dev" / "vpc");
  EXPECT_EQ(find_project_root(s.root() / "envs" / "dev" / "vpc"), s.root());
  EXPECT_EQ(find_project_root(s.root()), s.root());
  EXPECT_EQ(find_project_root(s.root() / "envs" / "dev" / "vpc" / "not-yet"), s.root());
}

TEST(FindProjectRoot, NoneWhenNoFolderAboveHoldsOne) {
  Scenario s;
  fs::create_directories(s.root() / "a" / "b");
  // The temporary folder's parents hold no layers/manifest.yaml.
  EXPECT_EQ(find_project_root(s.root() / "a" / "b"), std::nullopt);
}

TEST(ManifestInput, AVeryLongChainIsCheckedWhole) {
  std::string chain = "version: 1\nlayers:\n  - name: l0\n";
  for (int i = 1; i < 20000; ++i) {
    chain +=
        "  - name: l" + std::to_string(i) + "\n    depends_on: [l" + std::to_string(i - 1) + "]\n";
  }
  EXPECT_EQ(findings(chain), Lines{});
  // Each layer of the second file depends on the next one: 19,999 edges to later layers.
  std::string forward = "version: 1\nlayers:\n";
  for (int i = 0; i < 20000; ++i) {
    forward += "  - name: l" + std::to_string(i) + "\n";
    if (i + 1 < 20000) forward += "    depends_on: [l" + std::to_string(i + 1) + "]\n";
  }
  Lines found = findings(forward);
  ASSERT_EQ(found.size(), 19999u);
  EXPECT_EQ(found.front(), "layers/manifest.yaml:4: layer 'l0' depends on 'l1', which comes later");
  EXPECT_EQ(found.back(),
            "layers/manifest.yaml:40000: layer 'l19998' depends on 'l19999', which comes later");
}

}  // namespace
}  // namespace stackctl
