// `stackctl scaffold`: exact skeletons for a small project, and nothing that exists is touched.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "stackctl/commands/scaffold.h"
#include "stackctl/manifest/check_hcl.h"
#include "stackctl/manifest/hcl.h"
#include "stackctl/manifest/workspace.h"
#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
namespace fs = std::filesystem;

namespace {

// rds lives in a nested folder and waits for a manual gate; app waits only for a gate that
// itself waits for vpc (no dependency block may be invented for it) and has no module; the
// command step and the gate get no file; cdn runs in us-east-1; old is an optional layer the
// env leaves off.
const char* kManifest = R"(version: 1
layers:
  - name: vpc
    module: vpc
  - name: kms
    module: kms
    protect: data
  - name: db-password
    kind: manual
    depends_on: [vpc]
    instructions: Export TF_VAR_db_pass.
  - name: rds
    module: rds
    path: data/rds
    depends_on: [vpc, kms, db-password]
    protect: data
  - name: bootstrap
    kind: command
    depends_on: [rds]
    command: [make, bootstrap]
  - name: app
    depends_on: [db-password]
  - name: cdn
    module: cloudfront
    optional: true
    depends_on: [vpc]
    env: {AWS_REGION: us-east-1}
  - name: old
    module: old
    optional: true
)";

const char* kEnv = R"(name: dev
module_source: "git::https://example.com/modules.git//{module}?ref=v1"
env: {AWS_REGION: eu-west-1}
enable: [cdn]
)";

const char* kRoot =
    R"(# Root configuration of env dev, included by the terragrunt.hcl of every layer.
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

locals {
  env = "dev"
  # The env's region (AWS_REGION in env.yaml): the state bucket and the provider. A layer
  # with an AWS_REGION of its own replaces the provider in its terragrunt.hcl.
  region = "eu-west-1"
}

# One state file per layer, keyed by env and layer folder. Set the bucket and lock table
# names here or in TF_STATE_BUCKET and TF_STATE_LOCK_TABLE.
remote_state {
  backend = "s3"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    bucket         = get_env("TF_STATE_BUCKET", "CHANGE-ME-dev-terraform-state")
    key            = "${local.env}/${path_relative_to_include()}/terraform.tfstate"
    region         = local.region
    encrypt        = true
    dynamodb_table = get_env("TF_STATE_LOCK_TABLE", "CHANGE-ME-dev-terraform-locks")
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOF
provider "aws" {
  region = "${local.region}"
}
EOF
}
)";

const char* kVpc = R"(# Layer vpc of env dev (module vpc).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://example.com/modules.git//vpc?ref=v1"
}

# locals {
# }

# inputs = {
# }
)";

const char* kRds = R"(# Layer rds of env dev (module rds).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://example.com/modules.git//rds?ref=v1"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "vpc" {
  config_path = "../../vpc"
}

dependency "kms" {
  config_path = "../../kms"
}

# locals {
# }

# inputs = {
#   some_input = dependency.vpc.outputs.some_output
# }
)";

const char* kApp = R"(# Layer app of env dev.
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

# No module source: the layer has no module in the manifest. Name the module here:
# terraform {
#   source = "..."
# }

# locals {
# }

# inputs = {
# }
)";

const char* kCdn = R"(# Layer cdn of env dev (module cloudfront).
# Written by `stackctl scaffold`, which never overwrites it: edit it freely.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::https://example.com/modules.git//cloudfront?ref=v1"
}

# The terragrunt layers in depends_on (layers/manifest.yaml); their outputs are
# dependency.<name>.outputs.<output>.
dependency "vpc" {
  config_path = "../vpc"
}

# This layer runs in us-east-1 (its AWS_REGION in layers/manifest.yaml): this
# provider replaces the one of the root configuration. The state stays in the env's bucket.
generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOF
provider "aws" {
  region = "us-east-1"
}
EOF
}

# locals {
# }

# inputs = {
#   some_input = dependency.vpc.outputs.some_output
# }
)";

struct Project : Scenario {
  Project() {
    manifest(kManifest);
    env("dev", kEnv);
  }
  Outcome scaffold() const { return run({"scaffold", "--env", "dev"}); }
};

const char* kAllWritten =
    "wrote envs/dev/root.hcl\n"
    "wrote envs/dev/vpc/terragrunt.hcl\n"
    "wrote envs/dev/kms/terragrunt.hcl\n"
    "wrote envs/dev/data/rds/terragrunt.hcl\n"
    "wrote envs/dev/app/terragrunt.hcl\n"
    "wrote envs/dev/cdn/terragrunt.hcl\n"
    "env dev: 6 written, 0 skipped (already there)\n";

}  // namespace

TEST(Scaffold, WritesTheExactSkeletonOfEveryEnabledTerragruntLayer) {
  Project p;
  Outcome r = p.scaffold();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, kAllWritten);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(p.read("envs/dev/root.hcl"), kRoot);
  EXPECT_EQ(p.read("envs/dev/vpc/terragrunt.hcl"), kVpc);
  EXPECT_EQ(p.read("envs/dev/data/rds/terragrunt.hcl"), kRds);
  EXPECT_EQ(p.read("envs/dev/app/terragrunt.hcl"), kApp);
  EXPECT_EQ(p.read("envs/dev/cdn/terragrunt.hcl"), kCdn);
}

TEST(Scaffold, GatesCommandStepsAndDisabledLayersGetNoFile) {
  Project p;
  ASSERT_EQ(p.scaffold().exit_code, 0);
  EXPECT_FALSE(p.exists("envs/dev/db-password"));
  EXPECT_FALSE(p.exists("envs/dev/bootstrap"));
  EXPECT_FALSE(p.exists("envs/dev/old"));
}

TEST(Scaffold, NeverOverwritesAndReportsWhatItSkipped) {
  Project p;
  p.write("envs/dev/vpc/terragrunt.hcl", "# mine\n");
  p.write("envs/dev/root.hcl", "# my root\n");
  Outcome first = p.scaffold();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err,
            "skipped envs/dev/root.hcl (exists)\n"
            "skipped envs/dev/vpc/terragrunt.hcl (exists)\n"
            "wrote envs/dev/kms/terragrunt.hcl\n"
            "wrote envs/dev/data/rds/terragrunt.hcl\n"
            "wrote envs/dev/app/terragrunt.hcl\n"
            "wrote envs/dev/cdn/terragrunt.hcl\n"
            "env dev: 4 written, 2 skipped (already there)\n");
  EXPECT_EQ(p.read("envs/dev/vpc/terragrunt.hcl"), "# mine\n");
  EXPECT_EQ(p.read("envs/dev/root.hcl"), "# my root\n");
  p.write("envs/dev/kms/terragrunt.hcl", "# edited\n");
  Outcome again = p.scaffold();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err.substr(again.err.rfind("env dev")),
            "env dev: 0 written, 6 skipped (already there)\n");
  EXPECT_EQ(p.read("envs/dev/kms/terragrunt.hcl"), "# edited\n");
}

TEST(Scaffold, ALegacyRootTerragruntHclIsKeptAndIncluded) {
  Project p;
  p.write("envs/dev/terragrunt.hcl", "# legacy root\n");
  Outcome r = p.scaffold();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "skipped envs/dev/terragrunt.hcl (exists)");
  EXPECT_FALSE(p.exists("envs/dev/root.hcl"));
  EXPECT_NE(p.read("envs/dev/vpc/terragrunt.hcl")
                .find("  path = find_in_parent_folders(\"terragrunt.hcl\")\n"),
            std::string::npos);
}

TEST(Scaffold, TheSkeletonsParseAndMatchTheManifestEdges) {
  Project p;
  ASSERT_EQ(p.scaffold().exit_code, 0);
  for (const char* file : {"envs/dev/root.hcl", "envs/dev/vpc/terragrunt.hcl",
                           "envs/dev/kms/terragrunt.hcl", "envs/dev/data/rds/terragrunt.hcl",
                           "envs/dev/app/terragrunt.hcl", "envs/dev/cdn/terragrunt.hcl"}) {
    stackctl::HclModule mod;
    std::string error;
    EXPECT_TRUE(stackctl::parse_hcl(p.read(file), mod, error)) << file << ": " << error;
  }
  stackctl::HclModule rds;
  std::string error;
  ASSERT_TRUE(stackctl::parse_hcl(p.read("envs/dev/data/rds/terragrunt.hcl"), rds, error));
  ASSERT_EQ(rds.dependencies.size(), 2u);
  EXPECT_EQ(rds.dependencies[0].config_path, "../../vpc");
  EXPECT_EQ(rds.terraform_source, "git::https://example.com/modules.git//rds?ref=v1");
  EXPECT_TRUE(rds.has_include);
  Outcome check = p.run({"validate", "--env", "dev", "--check-hcl"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.err, "");
}

TEST(Scaffold, TemplatesAreFilledAndQuotedForHcl) {
  Scenario s;
  s.manifest("version: 1\nlayers:\n  - name: vpc\n    module: 'v\"${x}'\n");
  s.env("dev", "name: dev\nmodule_source: \"../modules/{module}?layer={layer}\"\n");
  auto ws = stackctl::Workspace::open({(s.root() / "layers/manifest.yaml").string(), "", ""});
  ws->select_env("dev");
  std::string hcl = stackctl::render_layer_hcl(ws->stack(), 0, "root.hcl");
  EXPECT_NE(hcl.find("  source = \"../modules/v\\\"$${x}?layer=vpc\"\n"), std::string::npos) << hcl;
  stackctl::HclModule mod;
  std::string error;
  ASSERT_TRUE(stackctl::parse_hcl(hcl, mod, error)) << error;
  EXPECT_EQ(mod.terraform_source, "../modules/v\"${x}?layer=vpc");
}

TEST(Scaffold, AnEnvWithoutModuleSourceOrRegionGetsPlaceholders) {
  Scenario s;
  s.manifest("version: 1\nlayers:\n  - name: vpc\n    module: vpc\n");
  s.env("dev", "name: dev\n");
  auto ws = stackctl::Workspace::open({(s.root() / "layers/manifest.yaml").string(), "", ""});
  ws->select_env("dev");
  std::string hcl = stackctl::render_layer_hcl(ws->stack(), 0, "root.hcl");
  EXPECT_NE(hcl.find("# No module source: env.yaml has no module_source. Name the module here:\n"),
            std::string::npos)
      << hcl;
  EXPECT_NE(stackctl::render_root_hcl(ws->stack()).find("  region = \"CHANGE-ME\"\n"),
            std::string::npos);
}

TEST(Scaffold, AFileThatCannotBeWrittenFailsTheCommand) {
  Project p;
  p.write("envs/dev/kms", "a file where the layer's folder should be\n");
  Outcome r = p.scaffold();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("wrote envs/dev/vpc/terragrunt.hcl\nstackctl: cannot write envs/dev/kms"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(p.exists("envs/dev/data/rds/terragrunt.hcl"));
}

TEST(Scaffold, JsonOutputListsWrittenAndSkippedFiles) {
  Project p;
  p.write("envs/dev/vpc/terragrunt.hcl", "# mine\n");
  Outcome r = p.run({"--output", "json", "scaffold", "--env", "dev"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("success"), true);
  EXPECT_EQ(doc.at("skipped"), nlohmann::json({"envs/dev/vpc/terragrunt.hcl"}));
  EXPECT_EQ(doc.at("written").size(), 5u);
}
