// The shipped reference stack (layers/manifest.yaml, envs/dev|prod|demo|rehearsal and their
// terragrunt trees): it validates, its trees match the manifest, import gives its edges back, a
// rebuild keeps the data, and the demo comes up on the simulator.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "stackctl/commands/import.h"
#include "stackctl/commands/scaffold.h"
#include "stackctl/manifest/workspace.h"
#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::run_program;
using stackctl::testing::Scenario;
namespace fs = std::filesystem;
using Names = std::set<std::string>;

namespace {

const fs::path kSource = fs::canonical(STACKCTL_SOURCE_DIR);

Outcome stackctl_in_source(const std::vector<std::string>& args) {
  return run_program(STACKCTL_BIN, args, kSource, {{"NO_COLOR", "1"}});
}

std::unique_ptr<stackctl::Workspace> shipped(const std::string& env) {
  auto ws = stackctl::Workspace::open({(kSource / "layers/manifest.yaml").string(), "", ""});
  ws->select_env(env);
  return ws;
}

Names terragrunt_deps(const stackctl::Manifest& m, const stackctl::Layer& l) {
  Names out;
  for (const auto& d : l.depends_on)
    if (m.find(d)->kind == stackctl::LayerKind::Terragrunt) out.insert(d);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Copies a folder without its hidden entries (simulator state, journals).
void copy_visible(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& e : fs::directory_iterator(from)) {
    std::string name = e.path().filename().string();
    if (name[0] == '.') continue;
    if (e.is_directory())
      copy_visible(e.path(), to / name);
    else
      fs::copy_file(e.path(), to / name);
  }
}

}  // namespace

TEST(ReferenceStack, EveryShippedEnvValidates) {
  Outcome r = stackctl_in_source({"validate"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, (kSource / "layers/manifest.yaml").string() +
                       ": ok (117 layers)\n"
                       "env demo: ok (41 of 117 layers enabled)\n"
                       "env dev: ok (43 of 117 layers enabled)\n"
                       "env prod: ok (47 of 117 layers enabled)\n"
                       "env rehearsal: ok (41 of 117 layers enabled)\n");
}

TEST(ReferenceStack, TheShippedTreesMatchTheManifestEdges) {
  Outcome r = stackctl_in_source({"validate", "--check-hcl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            (kSource / "layers/manifest.yaml").string() +
                ": ok (117 layers)\n"
                "env demo: ok (41 of 117 layers enabled), terragrunt.hcl edges match\n"
                "env dev: ok (43 of 117 layers enabled), terragrunt.hcl edges match\n"
                "env prod: ok (47 of 117 layers enabled), terragrunt.hcl edges match\n"
                "env rehearsal: ok (41 of 117 layers enabled), terragrunt.hcl edges match\n");
  EXPECT_EQ(r.err, "");  // not even an ordering-only warning: every terragrunt edge is declared
}

TEST(ReferenceStack, TheShippedTreesAreExactlyWhatScaffoldWrites) {
  const std::map<std::string, std::size_t> layer_files = {{"dev", 36}, {"prod", 40}, {"demo", 36}};
  for (const auto& [env, expected] : layer_files) {
    auto ws = shipped(env);
    const stackctl::Stack& stack = ws->stack();
    ASSERT_EQ(stackctl::root_file_name(stack), "root.hcl");
    EXPECT_EQ(read_text(stack.tree / "root.hcl"), stackctl::render_root_hcl(stack)) << env;
    std::size_t files = 0;
    for (std::size_t i = 0; i < stack.size(); ++i) {
      if (!stack.enabled[i] || stack.layer(i).kind != stackctl::LayerKind::Terragrunt) continue;
      ++files;
      EXPECT_EQ(read_text(stack.dirs[i] / "terragrunt.hcl"),
                stackctl::render_layer_hcl(stack, i, "root.hcl"))
          << env << "/" << stack.layer(i).name;
    }
    EXPECT_EQ(files, expected) << env;
  }
}

TEST(ReferenceStack, TheGuideOrderFailsWithItsTrapsInFileOrder) {
  Outcome r =
      stackctl_in_source({"--manifest", "tests/data/guide-order-manifest.yaml", "validate"});
  EXPECT_EQ(r.exit_code, 65);
  const std::string f = "tests/data/guide-order-manifest.yaml:";
  EXPECT_EQ(
      r.err,
      "stackctl: " + f +
          "34: layer 'route53-public-www' depends on 'lb-public', which comes later\n" + f +
          "39: layer 'route53-wildcard' depends on 'lb-public', which comes later\n" + f +
          "138: layer 'iam-codepipeline-app' depends on unknown layer 'codestar-connection'\n" + f +
          "164: layer 'sg-app-private' depends on 'sg-lb-public', which comes later\n" + f +
          "164: layer 'sg-app-private' depends on 'sg-bastion', which comes later\n" + f +
          "164: layer 'sg-app-private' depends on 'sg-devops', which comes later\n" + f +
          "164: layer 'sg-app-private' depends on 'sg-prometheus', which comes later\n" + f +
          "168: layer 'sg-db' depends on 'sg-build-app', which comes later\n" + f +
          "176: layer 'sg-worker' depends on 'sg-bastion', which comes later\n" + f +
          "176: layer 'sg-worker' depends on 'sg-devops', which comes later\n" + f +
          "375: layer 'iam-codecommit-bounce' depends on 'iam-codecommit-user-mirror-bounce', "
          "which comes later\n" +
          f +
          "380: layer 'iam-codecommit-log-elasticsearch' depends on "
          "'iam-codecommit-user-mirror-log-elasticsearch', which comes later\n" +
          f + "491: layer 'codepipeline-app-ecs' depends on unknown layer 'codestar-connection'\n");
}

TEST(ReferenceStack, DeleteBackToTheDataWithEveryLayerKeeps31ComponentsAndDestroys74) {
  Scenario s;
  s.write("envs/all/env.yaml",
          "name: all\nenable: all\n"
          "env: {TF_VAR_rds_master_pass: x, TF_VAR_keypair_name: x, GITHUB_TOKEN: x}\n");
  Outcome r = s.run({"--manifest", (kSource / "layers/manifest.yaml").string(), "--envs-dir",
                     (s.root() / "envs").string(), "--state-dir", (s.root() / "state").string(),
                     "destroy", "--env", "all", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Names kept_expected = {
      // data (12)
      "kms", "s3-app", "s3-codepipeline-app", "s3-request-logs", "s3-worker",
      "s3-codepipeline-worker", "s3-public-web", "s3-codepipeline-public-web", "rds-app",
      "codecommit-repo-bounce", "codecommit-repo-log-elasticsearch", "elasticsearch-app",
      // keep (7)
      "route53-delegation-set", "route53-public", "acm-public", "acm-public-cloudfront", "acm-cdn",
      "iam-ecs", "iam-openid-connect-provider-github",
      // pinned (12)
      "route53-cdn", "vpc", "sg-app-public", "sg-lb-public", "sg-build-app", "sg-bastion",
      "sg-devops", "sg-prometheus", "sg-worker", "sg-app-private", "sg-db", "sg-elasticsearch-app"};
  ASSERT_EQ(kept_expected.size(), 31u);
  auto ws = shipped("dev");
  const stackctl::Manifest& m = ws->manifest();
  Names components, kept;
  for (const auto& l : m.layers)
    if (l.kind == stackctl::LayerKind::Terragrunt) components.insert(l.name);
  ASSERT_EQ(components.size(), 105u);
  for (const auto& line : lines_of(r.err))
    if (line.rfind("  keep     ", 0) == 0) {
      std::string name = line.substr(11, line.find(' ', 11) - 11);
      if (components.count(name)) kept.insert(name);
    }
  EXPECT_EQ(kept, kept_expected);
  std::vector<std::string> destroyed;  // children in the order they would run
  for (const auto& line : lines_of(r.out)) destroyed.push_back(line.substr(0, line.find(": cd ")));
  Names destroyed_set(destroyed.begin(), destroyed.end()), rest;
  std::set_difference(components.begin(), components.end(), kept_expected.begin(),
                      kept_expected.end(), std::inserter(rest, rest.end()));
  EXPECT_EQ(destroyed.size(), 74u);
  EXPECT_EQ(destroyed_set, rest);
  // Dependents go first: no layer is destroyed before a destroyed layer that depends on it.
  std::map<std::string, std::size_t> at;
  for (std::size_t k = 0; k < destroyed.size(); ++k) at[destroyed[k]] = k;
  for (const auto& [name, k] : at) {
    for (const auto& dep : m.find(name)->depends_on) {
      if (at.count(dep)) {
        EXPECT_GT(at[dep], k) << name << " before its dependency " << dep;
      }
    }
  }
}

TEST(ReferenceStack, ImportOfTheDevTreeGivesBackTheManifestEdges) {
  auto ws = shipped("dev");
  const stackctl::Stack& stack = ws->stack();
  const stackctl::Manifest& m = ws->manifest();
  auto result = stackctl::import_tree(kSource / "envs/dev");
  ASSERT_EQ(result.error, "");
  Names enabled_components, imported;
  for (std::size_t i = 0; i < stack.size(); ++i)
    if (stack.enabled[i] && stack.layer(i).kind == stackctl::LayerKind::Terragrunt)
      enabled_components.insert(stack.layer(i).name);
  std::size_t edges = 0;
  for (const auto& l : result.layers) {
    imported.insert(l.name);
    EXPECT_EQ(l.folder, l.name);
    EXPECT_EQ(l.notes, std::vector<std::string>{}) << l.name;
    const stackctl::Layer* in_manifest = m.find(l.name);
    ASSERT_NE(in_manifest, nullptr) << l.name;
    EXPECT_EQ(Names(l.depends_on.begin(), l.depends_on.end()), terragrunt_deps(m, *in_manifest))
        << l.name;
    edges += l.depends_on.size();
  }
  EXPECT_EQ(imported, enabled_components);
  EXPECT_EQ(imported.size(), 36u);
  EXPECT_EQ(edges, 74u);
  stackctl::Diagnostics diags;
  stackctl::parse_manifest(stackctl::render_import(result.layers, "envs/dev"), "imported.yaml",
                           diags);
  EXPECT_FALSE(diags.has_errors()) << diags.str();
}

TEST(ReferenceStack, TheDemoComesUpThroughAsgAppOnTheSimulator) {
  Scenario s;
  copy_visible(kSource / "layers", s.root() / "layers");
  copy_visible(kSource / "envs/demo", s.root() / "envs/demo");
  // The command steps run Ansible; a stand-in records that they ran.
  s.write("bin/ansible-playbook", "#!/bin/sh\necho \"ansible-playbook $*\"\n");
  fs::permissions(s.root() / "bin/ansible-playbook", fs::perms::owner_all);
  std::map<std::string, std::string> env = {
      {"PATH", (s.root() / "bin").string() + ":" + std::getenv("PATH")}};
  for (const char* gate :
       {"registrar-ns", "rds-master-password", "approve-codestar-connection", "packer-ami"})
    ASSERT_EQ(s.run({"confirm", "--env", "demo", gate}, env).exit_code, 0) << gate;
  Outcome r = s.run({"apply", "--env", "demo", "--up-to", "asg-app", "--yes"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Names applied;
  for (const auto& call : s.call_sequence())
    if (call.size() > 6 && call.substr(call.size() - 6) == " apply")
      applied.insert(call.substr(0, call.size() - 6));
  EXPECT_EQ(applied.size(), 30u);
  EXPECT_TRUE(applied.count("rds-app"));
  EXPECT_TRUE(applied.count("asg-app"));
  Outcome out = s.run({"output", "--env", "demo", "rds-app"}, env);
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_TRUE(nlohmann::json::parse(out.out).contains("endpoint")) << out.out;
}

TEST(ReferenceStack, TheRehearsalTreeIsExactlyWhatItsGeneratorWrites) {
  Outcome r = run_program((kSource / "tools/rehearsal/generate").string(),
                          {"--check", "--stackctl", STACKCTL_BIN}, kSource, {{"NO_COLOR", "1"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");  // otherwise: the files that differ, one a line
}

TEST(ReferenceStack, TheRehearsalRunsTheDemoLayerSetOverOneModuleWithMockedDependencies) {
  auto demo = shipped("demo"), rehearsal = shipped("rehearsal");
  const stackctl::Stack& d = demo->stack();
  const stackctl::Stack& s = rehearsal->stack();
  ASSERT_EQ(s.size(), d.size());
  const std::string mocks =
      "  mock_outputs_allowed_terraform_commands = [\"validate\", \"plan\"]\n";
  std::size_t units = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s.enabled[i], d.enabled[i]) << s.layer(i).name;
    EXPECT_EQ(s.protect[i], d.protect[i]) << s.layer(i).name;
    if (!s.enabled[i] || s.layer(i).kind != stackctl::LayerKind::Terragrunt) {
      EXPECT_FALSE(fs::exists(s.tree / s.layer(i).name)) << s.layer(i).name;  // no folder
      continue;
    }
    ++units;
    std::string hcl = read_text(s.dirs[i] / "terragrunt.hcl");
    EXPECT_NE(hcl.find("  source = \"../../../modules//rehearsal\"\n"), std::string::npos) << hcl;
    for (const auto& dep : terragrunt_deps(rehearsal->manifest(), s.layer(i))) {
      EXPECT_NE(hcl.find("dependency \"" + dep + "\" {\n  config_path = \"../" + dep +
                         "\"\n"
                         "  mock_outputs = { id = \"mock-" +
                         dep + "\" }\n" + mocks + "}\n"),
                std::string::npos)
          << hcl;
      EXPECT_NE(hcl.find(" = dependency." + dep + ".outputs.id\n"), std::string::npos) << hcl;
    }
  }
  EXPECT_EQ(units, 36u);
  EXPECT_TRUE(fs::exists(kSource / "modules/rehearsal/main.tf"));
  // No AWS provider and a local state file per layer: nothing leaves the machine.
  std::string root = read_text(s.tree / "root.hcl");
  EXPECT_EQ(root.find("generate \"provider\""), std::string::npos) << root;
  EXPECT_EQ(root.find("provider \"aws\""), std::string::npos) << root;
  EXPECT_NE(root.find("  backend = \"local\"\n"), std::string::npos) << root;
  EXPECT_NE(root.find("    path = \"${get_parent_terragrunt_dir()}/.state/"
                      "${path_relative_to_include()}/terraform.tfstate\"\n"),
            std::string::npos)
      << root;
}
