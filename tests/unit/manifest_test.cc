// Scenarios for reading layers/manifest.yaml: every rule's exact message and all problems
// reported at once. Hostile input and file access are in manifest_input_test.cc.
#include "stackctl/manifest/manifest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace stackctl {
namespace {
namespace fs = std::filesystem;

const char* const kFile = "layers/manifest.yaml";

/// Every finding of parsing text, rendered.
std::vector<std::string> findings(const std::string& text) {
  Diagnostics diags;
  parse_manifest(text, kFile, diags);
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.all()) out.push_back(d.str());
  return out;
}

/// A manifest of one layer whose body lines follow `- name: NAME`.
std::string one_layer(const std::string& name, const std::string& body = "") {
  return "version: 1\nlayers:\n  - name: " + name + "\n" + body;
}

using Lines = std::vector<std::string>;

TEST(Diagnostic, RendersFileLineAndMessage) {
  Diagnostics d;
  d.error("layers/manifest.yaml", 42, "layer 'sg-db' depends on 'sg-build-app', which comes later");
  d.warning("envs/dev/env.yaml", 3,
            "layer 'vpc' in 'enable' is not optional; it is always enabled");
  d.error("layers/manifest.yaml", 0, "the manifest is empty");
  EXPECT_EQ(d.str(),
            "layers/manifest.yaml:42: layer 'sg-db' depends on 'sg-build-app', which comes later\n"
            "envs/dev/env.yaml:3: warning: layer 'vpc' in 'enable' is not optional; it is always "
            "enabled\n"
            "layers/manifest.yaml: the manifest is empty");
  EXPECT_TRUE(d.has_errors());
}

TEST(Diagnostic, WarningsAloneAreNotErrors) {
  Diagnostics d, other;
  d.warning("f", 1, "w");
  EXPECT_FALSE(d.has_errors());
  other.error("g", 2, "e");
  d.merge(other);
  EXPECT_TRUE(d.has_errors());
  EXPECT_EQ(d.str(), "f:1: warning: w\ng:2: e");
}

TEST(Manifest, ReadsEveryFieldOfTheContractExample) {
  Diagnostics diags;
  Manifest m = parse_manifest(R"yaml(version: 1
tiers: [dns, network, database, deploy]
layers:
  - name: route53-delegation-set
    tier: dns
    protect: keep
  - name: vpc
    tier: network
    path: network/vpc
    description: "The VPC"
  - name: registrar-ns
    tier: dns
    kind: manual
    depends_on: [route53-delegation-set]
    instructions: "Point the registrar at the delegation set's name servers."
  - name: rds-app
    tier: database
    depends_on: [vpc]
    protect: data
    optional: true
    needs_env: [TF_VAR_rds_master_pass]
    env: {AWS_REGION: us-east-1, B: "2"}
    module: rds
  - name: bootstrap-db
    tier: deploy
    kind: command
    depends_on: [rds-app]
    command: [ansible-playbook, -i, inventory, playbooks/bootstrap-db-pg.yml]
)yaml",
                              kFile, diags);
  ASSERT_EQ(diags.str(), "");
  ASSERT_EQ(m.layers.size(), 5u);
  EXPECT_EQ(m.tiers, (Lines{"dns", "network", "database", "deploy"}));
  EXPECT_EQ(m.layers[0].path, "route53-delegation-set");  // path defaults to the name
  EXPECT_EQ(m.layers[0].protect, Protect::Keep);
  EXPECT_EQ(m.layers[0].kind, LayerKind::Terragrunt);
  EXPECT_EQ(m.layers[0].line, 4);
  EXPECT_EQ(m.layers[1].path, "network/vpc");
  EXPECT_EQ(m.layers[1].description, "The VPC");
  EXPECT_EQ(m.layers[2].kind, LayerKind::Manual);
  EXPECT_EQ(m.layers[2].instructions, "Point the registrar at the delegation set's name servers.");
  const Layer* rds = m.find("rds-app");
  ASSERT_NE(rds, nullptr);
  EXPECT_TRUE(rds->optional);
  EXPECT_EQ(rds->protect, Protect::Data);
  EXPECT_EQ(rds->depends_on, (Lines{"vpc"}));
  EXPECT_EQ(rds->needs_env, (Lines{"TF_VAR_rds_master_pass"}));
  EXPECT_EQ(rds->env, (EnvVars{{"AWS_REGION", "us-east-1"}, {"B", "2"}}));
  EXPECT_EQ(rds->module, "rds");
  EXPECT_EQ(rds->tier, "database");
  EXPECT_EQ(m.layers[4].command,
            (Lines{"ansible-playbook", "-i", "inventory", "playbooks/bootstrap-db-pg.yml"}));
  // A command runs in the env's folder unless it names another.
  EXPECT_EQ(m.layers[4].path, ".");
  EXPECT_EQ(m.position("bootstrap-db"), std::optional<std::size_t>(4));
  EXPECT_EQ(m.position("nope"), std::nullopt);
  EXPECT_EQ(m.find("nope"), nullptr);
  EXPECT_EQ(m.root, fs::path("."));
}

TEST(Manifest, LayerNamesFollowThePattern) {
  EXPECT_TRUE(valid_layer_name("vpc"));
  EXPECT_TRUE(valid_layer_name("0-a.b_c"));
  EXPECT_TRUE(valid_layer_name(std::string(128, 'a')));
  EXPECT_FALSE(valid_layer_name(std::string(129, 'a')));
  EXPECT_FALSE(valid_layer_name(""));
  EXPECT_FALSE(valid_layer_name("-rf"));
  EXPECT_FALSE(valid_layer_name(".hidden"));
  EXPECT_FALSE(valid_layer_name("Vpc"));
  EXPECT_FALSE(valid_layer_name("../x"));
  EXPECT_FALSE(valid_layer_name("a b"));
}

TEST(Manifest, ProtectAndKindNames) {
  EXPECT_EQ(parse_protect("none"), Protect::None);
  EXPECT_EQ(parse_protect("keep"), Protect::Keep);
  EXPECT_EQ(parse_protect("data"), Protect::Data);
  EXPECT_EQ(parse_protect("Data"), std::nullopt);
  EXPECT_EQ(parse_protect(""), std::nullopt);
  EXPECT_STREQ(to_string(Protect::Keep), "keep");
  EXPECT_STREQ(to_string(Protect::Data), "data");
  EXPECT_STREQ(to_string(Protect::None), "none");
  EXPECT_STREQ(to_string(LayerKind::Terragrunt), "terragrunt");
  EXPECT_STREQ(to_string(LayerKind::Manual), "manual");
  EXPECT_STREQ(to_string(LayerKind::Command), "command");
}

TEST(ManifestRules, VersionMustBeOne) {
  EXPECT_EQ(findings("version: 2\nlayers: []\n"),
            (Lines{"layers/manifest.yaml:1: 'version' must be 1, not '2'"}));
  EXPECT_EQ(findings("layers: []\n"),
            (Lines{"layers/manifest.yaml: missing 'version' (expected 'version: 1')"}));
  EXPECT_EQ(findings("version: 1\n"),
            (Lines{"layers/manifest.yaml: missing 'layers' (the ordered list of layers)"}));
}

TEST(ManifestRules, UnknownTopLevelKeyIsNamedWithTheAllowedOnes) {
  EXPECT_EQ(findings("version: 1\nlayer: []\n"),
            (Lines{"layers/manifest.yaml: missing 'layers' (the ordered list of layers)",
                   "layers/manifest.yaml:2: unknown key 'layer' (did you mean 'layers'?); "
                   "allowed keys: version, tiers, layers"}));
}

TEST(ManifestRules, UnknownLayerKeyIsNamedWithTheAllowedOnes) {
  EXPECT_EQ(findings(one_layer("vpc", "    dependson: []\n    colour: red\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': unknown key 'dependson' (did you mean "
                   "'depends_on'?); allowed keys: name, tier, kind, path, depends_on, protect, "
                   "optional, needs_env, env, description, instructions, command, module",
                   "layers/manifest.yaml:5: layer 'vpc': unknown key 'colour'; allowed keys: "
                   "name, tier, kind, path, depends_on, protect, optional, needs_env, env, "
                   "description, instructions, command, module"}));
}

TEST(ManifestRules, NameIsRequiredAndMustMatchThePattern) {
  EXPECT_EQ(findings("version: 1\nlayers:\n  - tier: x\n"),
            (Lines{"layers/manifest.yaml:3: layer #1: missing 'name'"}));
  EXPECT_EQ(findings(one_layer("Vpc")),
            (Lines{"layers/manifest.yaml:3: layer #1: invalid name 'Vpc' (use lowercase letters, "
                   "digits, '.', '_' and '-', starting with a letter or digit)"}));
  EXPECT_EQ(findings(one_layer(std::string(129, 'a'))),
            (Lines{"layers/manifest.yaml:3: layer #1: name '" + std::string(80, 'a') +
                   "...' is longer than 128 characters"}));
  EXPECT_EQ(findings(one_layer("[vpc]")),
            (Lines{"layers/manifest.yaml:3: layer #1: 'name' must be a string, not a list"}));
  EXPECT_EQ(findings(one_layer("")), (Lines{"layers/manifest.yaml:3: layer #1: 'name' is empty"}));
}

TEST(ManifestRules, HostileNamesAreShownQuotedAndNeverTrusted) {
  Diagnostics diags;
  Manifest m = parse_manifest(R"yaml(version: 1
layers:
  - name: "a;rm -rf x"
  - name: "$(touch x)"
  - name: "-rf"
  - name: "../x"
  - name: "it's\n\u001b[31mred"
  - name: ok
    depends_on: ["$(touch x)", "../y"]
)yaml",
                              kFile, diags);
  EXPECT_EQ(diags.str(),
            "layers/manifest.yaml:3: layer #1: invalid name 'a;rm -rf x' (use lowercase letters, "
            "digits, '.', '_' and '-', starting with a letter or digit)\n"
            "layers/manifest.yaml:4: layer #2: invalid name '$(touch x)' (use lowercase letters, "
            "digits, '.', '_' and '-', starting with a letter or digit)\n"
            "layers/manifest.yaml:5: layer #3: invalid name '-rf' (use lowercase letters, digits, "
            "'.', '_' and '-', starting with a letter or digit)\n"
            "layers/manifest.yaml:6: layer #4: invalid name '../x' (use lowercase letters, "
            "digits, '.', '_' and '-', starting with a letter or digit)\n"
            "layers/manifest.yaml:7: layer #5: invalid name 'it\\'s\\n\\x1B[31mred' (use "
            "lowercase letters, digits, '.', '_' and '-', starting with a letter or digit)\n"
            "layers/manifest.yaml:9: layer 'ok' depends on unknown layer '../y'");
  // Every entry is kept, so positions still match the file.
  EXPECT_EQ(m.layers.size(), 6u);
}

TEST(ManifestRules, DuplicateLayerNamesTheFirstDefinition) {
  EXPECT_EQ(findings("version: 1\nlayers:\n  - name: vpc\n  - name: nat\n  - name: vpc\n"),
            (Lines{"layers/manifest.yaml:5: duplicate layer 'vpc' (first defined at line 3)"}));
}

TEST(ManifestRules, TierIsRequiredWhenTiersAreGivenAndMustBeOneOfThem) {
  const std::string head = "version: 1\ntiers: [network, sg]\nlayers:\n";
  EXPECT_EQ(findings(head + "  - name: vpc\n"),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': missing 'tier' (the manifest defines "
                   "tiers)"}));
  EXPECT_EQ(findings(head + "  - name: vpc\n    tier: netwrk\n"),
            (Lines{"layers/manifest.yaml:5: layer 'vpc': unknown tier 'netwrk' (did you mean "
                   "'network'?)"}));
  EXPECT_EQ(findings(head + "  - name: vpc\n    tier: compute\n"),
            (Lines{"layers/manifest.yaml:5: layer 'vpc': unknown tier 'compute' (tiers: "
                   "network, sg)"}));
  // Without tiers, a tier is a free-form label.
  EXPECT_EQ(findings(one_layer("vpc", "    tier: anything\n")), Lines{});
  EXPECT_EQ(findings("version: 1\ntiers: [a, b, a]\nlayers: []\n"),
            (Lines{"layers/manifest.yaml:2: duplicate tier 'a' (first defined at line 2)"}));
}

TEST(ManifestRules, KindMustBeKnown) {
  EXPECT_EQ(findings(one_layer("vpc", "    kind: terraform\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': unknown kind 'terraform' (expected "
                   "terragrunt, manual or command)"}));
}

TEST(ManifestRules, ManualLayersNeedInstructions) {
  EXPECT_EQ(findings(one_layer("gate", "    kind: manual\n")),
            (Lines{"layers/manifest.yaml:3: layer 'gate': kind manual needs 'instructions' (what "
                   "the operator must do)"}));
  EXPECT_EQ(findings(one_layer("vpc", "    instructions: do it\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': 'instructions' is only for kind manual"}));
}

TEST(ManifestRules, CommandLayersNeedANonEmptyListOfStrings) {
  EXPECT_EQ(findings(one_layer("seed", "    kind: command\n")),
            (Lines{"layers/manifest.yaml:3: layer 'seed': kind command needs a 'command' list "
                   "(the program and its arguments)"}));
  EXPECT_EQ(findings(one_layer("seed", "    kind: command\n    command: []\n")),
            (Lines{"layers/manifest.yaml:5: layer 'seed': 'command' is empty (expected the "
                   "program and its arguments)"}));
  EXPECT_EQ(findings(one_layer("seed", "    kind: command\n    command: ansible-playbook x\n")),
            (Lines{"layers/manifest.yaml:5: layer 'seed': 'command' must be a list, not a "
                   "string"}));
  EXPECT_EQ(findings(one_layer("seed", "    kind: command\n    command: [make, {a: b}]\n")),
            (Lines{"layers/manifest.yaml:5: layer 'seed': 'command' items must be strings, not "
                   "a mapping"}));
  EXPECT_EQ(findings(one_layer("seed", "    kind: command\n    command: ['', x]\n")),
            (Lines{"layers/manifest.yaml:5: layer 'seed': 'command' starts with an empty "
                   "program name"}));
  EXPECT_EQ(findings(one_layer("vpc", "    command: [make]\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': 'command' is only for kind command"}));
}

TEST(ManifestRules, PathMustStayInsideTheEnvFolder) {
  EXPECT_EQ(findings(one_layer("vpc", "    path: /etc\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': path '/etc' must be relative to the env "
                   "folder"}));
  EXPECT_EQ(findings(one_layer("vpc", "    path: a/../../etc\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': path 'a/../../etc' leaves the env "
                   "folder"}));
  EXPECT_EQ(findings(one_layer("vpc", "    path: a/..\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': path 'a/..' is the env folder itself "
                   "(name a folder inside it)"}));
  EXPECT_EQ(findings(one_layer("vpc", "    path: ''\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': 'path' is empty"}));
  EXPECT_EQ(findings(one_layer("vpc", "    path: ./net/../vpc\n")), Lines{});
}

TEST(ManifestRules, TwoTerragruntLayersCannotShareAFolder) {
  EXPECT_EQ(findings("version: 1\nlayers:\n  - name: a\n  - name: b\n    path: ./a/\n"),
            (Lines{"layers/manifest.yaml:5: layer 'b': path './a/' is already the folder of "
                   "layer 'a' (line 3)"}));
}

TEST(ManifestRules, ProtectOptionalAndVariables) {
  EXPECT_EQ(findings(one_layer("vpc", "    protect: yes\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': invalid protect 'yes' (expected none, "
                   "keep or data)"}));
  EXPECT_EQ(findings(one_layer("vpc", "    optional: yes\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': 'optional' must be true or false, not "
                   "'yes'"}));
  EXPECT_EQ(findings(one_layer("vpc", "    optional: \"true\"\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': 'optional' must be true or false, not "
                   "'true'"}));
  EXPECT_EQ(findings(one_layer("vpc", "    needs_env: [GOOD_1, 1BAD, BAD-2]\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': invalid variable name '1BAD' in "
                   "'needs_env' (expected letters, digits and '_', not starting with a digit)",
                   "layers/manifest.yaml:4: layer 'vpc': invalid variable name 'BAD-2' in "
                   "'needs_env' (expected letters, digits and '_', not starting with a digit)"}));
  EXPECT_EQ(findings(one_layer("vpc", "    env:\n      A B: x\n      C: [1]\n")),
            (Lines{"layers/manifest.yaml:5: layer 'vpc': invalid variable name 'A B' in 'env' "
                   "(expected letters, digits and '_', not starting with a digit)",
                   "layers/manifest.yaml:6: layer 'vpc': 'env' value of C must be a string, not "
                   "a list"}));
  EXPECT_EQ(findings(one_layer("vpc", "    env: [A]\n")),
            (Lines{"layers/manifest.yaml:4: layer 'vpc': 'env' must be a mapping of variable "
                   "names to values, not a list"}));
}

TEST(ManifestRules, DependencyOnAnUnknownLayerSuggestsACloseName) {
  EXPECT_EQ(findings("version: 1\nlayers:\n  - name: vpc\n  - name: nat\n    depends_on: [vcp, "
                     "zzz]\n"),
            (Lines{"layers/manifest.yaml:5: layer 'nat' depends on unknown layer 'vcp' (did you "
                   "mean 'vpc'?)",
                   "layers/manifest.yaml:5: layer 'nat' depends on unknown layer 'zzz'"}));
}

TEST(ManifestRules, SelfAndRepeatedDependencies) {
  EXPECT_EQ(findings("version: 1\nlayers:\n  - name: vpc\n  - name: nat\n    depends_on:\n"
                     "      - vpc\n      - nat\n      - vpc\n"),
            (Lines{"layers/manifest.yaml:7: layer 'nat' depends on itself",
                   "layers/manifest.yaml:8: warning: layer 'nat' lists 'vpc' twice in "
                   "'depends_on'"}));
}

TEST(ManifestRules, DependencyOnALaterLayerNamesBoth) {
  EXPECT_EQ(findings(R"yaml(version: 1
layers:
  - name: vpc
  - name: sg-db
    depends_on:
      - vpc
      - sg-build-app
  - name: sg-build-app
    depends_on: [vpc]
)yaml"),
            (Lines{"layers/manifest.yaml:7: layer 'sg-db' depends on 'sg-build-app', which comes "
                   "later"}));
}

TEST(ManifestRules, ForwardEdgesThatCloseACycleAreReportedAsTheCycle) {
  EXPECT_EQ(findings(R"yaml(version: 1
layers:
  - name: a
    depends_on: [b]
  - name: b
    depends_on: [c]
  - name: c
    depends_on: [a]
  - name: d
    depends_on: [e]
  - name: e
)yaml"),
            (Lines{"layers/manifest.yaml:4: dependency cycle: a -> b -> c -> a",
                   "layers/manifest.yaml:10: layer 'd' depends on 'e', which comes later"}));
}

TEST(ManifestRules, EveryCycleIsReported) {
  EXPECT_EQ(findings(R"yaml(version: 1
layers:
  - name: a
    depends_on: [b]
  - name: b
    depends_on: [a]
  - name: c
    depends_on: [d]
  - name: d
    depends_on: [c]
)yaml"),
            (Lines{"layers/manifest.yaml:4: dependency cycle: a -> b -> a",
                   "layers/manifest.yaml:8: dependency cycle: c -> d -> c"}));
}

TEST(ManifestRules, AllProblemsAreReportedNotOnlyTheFirst) {
  EXPECT_EQ(findings(R"yaml(version: 1
tiers: [network]
colour: red
layers:
  - name: vpc
    tier: network
    kind: terraform
  - name: Bad
    tier: network
  - name: nat
    tier: netwerk
    protect: maybe
    depends_on: [vpc, later, ghost]
    name: again
  - name: later
    tier: network
    optional: 1
  - name: vpc
    tier: network
)yaml"),
            (Lines{
                "layers/manifest.yaml:3: unknown key 'colour'; allowed keys: version, tiers, "
                "layers",
                "layers/manifest.yaml:7: layer 'vpc': unknown kind 'terraform' (expected "
                "terragrunt, manual or command)",
                "layers/manifest.yaml:8: layer #2: invalid name 'Bad' (use lowercase letters, "
                "digits, '.', '_' and '-', starting with a letter or digit)",
                "layers/manifest.yaml:11: layer 'nat': unknown tier 'netwerk' (did you mean "
                "'network'?)",
                "layers/manifest.yaml:12: layer 'nat': invalid protect 'maybe' (expected none, "
                "keep or data)",
                "layers/manifest.yaml:13: layer 'nat' depends on unknown layer 'ghost'",
                "layers/manifest.yaml:13: layer 'nat' depends on 'later', which comes later",
                "layers/manifest.yaml:14: duplicate key 'name' (first defined at line 10)",
                "layers/manifest.yaml:17: layer 'later': 'optional' must be true or false, not "
                "'1'",
                "layers/manifest.yaml:18: duplicate layer 'vpc' (first defined at line 5)",
            }));
}

TEST(ManifestRules, DuplicateMappingKeysAreReported) {
  EXPECT_EQ(findings("version: 1\nversion: 1\nlayers: []\n"),
            (Lines{"layers/manifest.yaml:2: duplicate key 'version' (first defined at line 1)"}));
}

TEST(ManifestRules, LayersMustBeAListOfMappings) {
  EXPECT_EQ(findings("version: 1\nlayers: {vpc: {}}\n"),
            (Lines{"layers/manifest.yaml:2: 'layers' must be a list, not a mapping"}));
  EXPECT_EQ(findings("version: 1\nlayers:\n  - vpc\n"),
            (Lines{"layers/manifest.yaml:3: layer #1 must be a mapping, not a string"}));
  EXPECT_EQ(findings("version: 1\nlayers:\n"), Lines{});
}

TEST(GuideOrder, TheUpstreamGuidesOrderIsRejectedAtEachTrap) {
  Diagnostics diags;
  load_manifest(fs::path(STACKCTL_SOURCE_DIR) / "tests/data/guide-order-manifest.yaml", diags);
  std::vector<std::string> messages;
  for (const Diagnostic& d : diags.all()) messages.push_back(d.message);
  ASSERT_EQ(messages.size(), 13u) << diags.str();
  EXPECT_EQ(messages[0], "layer 'route53-public-www' depends on 'lb-public', which comes later");
  EXPECT_EQ(messages[2],
            "layer 'iam-codepipeline-app' depends on unknown layer 'codestar-connection'");
  EXPECT_EQ(messages[7], "layer 'sg-db' depends on 'sg-build-app', which comes later");
  EXPECT_EQ(messages[12],
            "layer 'codepipeline-app-ecs' depends on unknown layer "
            "'codestar-connection'");
}

}  // namespace
}  // namespace stackctl
