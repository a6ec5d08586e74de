// Reading terragrunt.hcl: dependency edges, flags and syntax errors, from hard inline fixtures.
#include "stackctl/manifest/hcl.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stackctl {
namespace {

HclModule parse_ok(const std::string& text) {
  HclModule module;
  std::string error;
  EXPECT_TRUE(parse_hcl(text, module, error)) << error;
  EXPECT_EQ(error, "");
  return module;
}

std::string parse_error(const std::string& text, HclModule* module = nullptr) {
  HclModule local;
  std::string error;
  EXPECT_FALSE(parse_hcl(text, module ? *module : local, error));
  return error;
}

std::vector<std::string> names(const HclModule& m) {
  std::vector<std::string> out;
  for (const auto& d : m.dependencies) out.push_back(d.name);
  return out;
}

std::vector<std::string> paths(const HclModule& m) {
  std::vector<std::string> out;
  for (const auto& d : m.dependencies) out.push_back(d.config_path);
  return out;
}

using Strings = std::vector<std::string>;

TEST(Hcl, ReadsDependencyBlocksWithNestedMockOutputs) {
  HclModule m = parse_ok(R"(include "root" {
  path = find_in_parent_folders()
}

terraform {
  source = "git::https://example.com/modules.git//sg?ref=v1.2.0"
}

dependency "vpc" {
  config_path = "../vpc"
  mock_outputs = {
    vpc_id = "vpc-mock"
    subnets = {
      private = ["subnet-a", "subnet-b"]
      tags    = { Name = "}{" }
    }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "sg_bastion" {
  config_path = "../sg-bastion"
}

inputs = {
  vpc_id = dependency.vpc.outputs.vpc_id
}
)");
  EXPECT_EQ(names(m), (Strings{"vpc", "sg_bastion"}));
  EXPECT_EQ(paths(m), (Strings{"../vpc", "../sg-bastion"}));
  EXPECT_TRUE(m.dependencies[0].has_mock_outputs);
  EXPECT_FALSE(m.dependencies[1].has_mock_outputs);
  EXPECT_EQ(m.dependencies[0].line, 9);
  EXPECT_EQ(m.dependencies[1].line, 21);
  EXPECT_EQ(m.terraform_source, "git::https://example.com/modules.git//sg?ref=v1.2.0");
  EXPECT_TRUE(m.has_include);
  EXPECT_FALSE(m.prevent_destroy);
  EXPECT_TRUE(m.dependency_paths.empty());
}

TEST(Hcl, CommentedOutDependencyBlocksAreNotEdges) {
  HclModule m = parse_ok(R"(# dependency "kms" {
#   config_path = "../kms"
# }
// dependency "s3" { config_path = "../s3" }
/*
dependency "iam" {
  config_path = "../iam"
}
*/
dependency "vpc" { # trailing comment with a { brace
  config_path = "../vpc" // and "quotes"
  /* mock_outputs = { a = 1 } */
}
/* dependencies { paths = ["../x"] } */
)");
  EXPECT_EQ(names(m), (Strings{"vpc"}));
  EXPECT_EQ(paths(m), (Strings{"../vpc"}));
  EXPECT_FALSE(m.dependencies[0].has_mock_outputs);
  EXPECT_EQ(m.dependencies[0].line, 10);
  EXPECT_TRUE(m.dependency_paths.empty());
}

TEST(Hcl, HeredocsHoldingBracesAndBlocksAreSkipped) {
  HclModule m = parse_ok(R"(generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite"
  contents  = <<EOF
provider "aws" {
  region = "${local.region}"
}
dependency "fake" {
  config_path = "../fake"
EOF
}

locals {
  policy = <<-POLICY
    {"Statement": [{"Effect": "Allow"}]
    }}}
    POLICY
}

dependency "real" {
  config_path = "../real"
}
)");
  EXPECT_EQ(names(m), (Strings{"real"}));
  EXPECT_EQ(m.dependencies[0].line, 20);
}

TEST(Hcl, StringsMayHoldCommentMarkersBracesAndEscapedQuotes) {
  HclModule m = parse_ok(R"(locals {
  a = "hash # is not a comment"
  b = "slashes // are not either, nor /* this */"
  c = "braces { and } and [ ] stay in the string"
  d = "escaped \" quote, then } brace"
  e = "$${not_interpolated} and %%{ nor this"
}
dependency "x" {
  config_path = "../odd \"name\" # here"
}
)");
  EXPECT_EQ(paths(m), (Strings{"../odd \"name\" # here"}));
}

TEST(Hcl, InterpolationMayNestBracesAndQuotes) {
  HclModule m = parse_ok(R"(locals {
  name = "${merge({ a = "}" }, { b = "{" })["a"]}-${local.env}"
  list = "%{ for x in ["}", "{"] }${x}%{ endfor }"
}
dependency "vpc" {
  config_path = "${get_terragrunt_dir()}/../vpc"
}
dependency "plain" {
  config_path = "$${literal}"
}
)");
  EXPECT_EQ(paths(m), (Strings{"\"${get_terragrunt_dir()}/../vpc\"", "${literal}"}));
}

TEST(Hcl, NonLiteralConfigPathIsKeptAsWritten) {
  HclModule m = parse_ok(R"(dependency "a" {
  config_path = find_in_parent_folders("vpc")
}
dependency "b" {
  config_path = "${dirname(find_in_parent_folders())}/network/vpc"
}
dependency "c" {
  config_path = local.vpc_path
}
)");
  EXPECT_EQ(paths(m),
            (Strings{"find_in_parent_folders(\"vpc\")",
                     "\"${dirname(find_in_parent_folders())}/network/vpc\"", "local.vpc_path"}));
}

TEST(Hcl, DependenciesPathsWithTrailingCommasAndComments) {
  HclModule m = parse_ok(R"(dependencies {
  paths = [
    "../sg-bastion", # the bastion group
    // "../sg-devops",
    "../sg-lb-public",
    "${get_terragrunt_dir()}/../acm",
  ]
}
)");
  EXPECT_EQ(m.dependency_paths,
            (Strings{"../sg-bastion", "../sg-lb-public", "\"${get_terragrunt_dir()}/../acm\""}));
  EXPECT_TRUE(m.dependencies.empty());
}

TEST(Hcl, DependenciesPathsOnOneLineAndAcrossBlocks) {
  HclModule m = parse_ok(
      "dependencies { paths = [\"../a\",\"../b\",] }\n"
      "dependencies {\n  paths = [\"../c\"]\n}\n");
  EXPECT_EQ(m.dependency_paths, (Strings{"../a", "../b", "../c"}));
}

TEST(Hcl, DependenciesPathsThatAreNotAListAreKeptWhole) {
  HclModule m = parse_ok("dependencies {\n  paths = concat([\"../a\"], local.more)\n}\n");
  EXPECT_EQ(m.dependency_paths, (Strings{"concat([\"../a\"], local.more)"}));
}

TEST(Hcl, PreventDestroyOnlyCountsAtTopLevel) {
  EXPECT_TRUE(parse_ok("prevent_destroy = true\n").prevent_destroy);
  EXPECT_FALSE(parse_ok("prevent_destroy = false\n").prevent_destroy);
  EXPECT_FALSE(parse_ok("prevent_destroy = local.protect\n").prevent_destroy);
  EXPECT_FALSE(parse_ok("locals {\n  prevent_destroy = true\n}\n").prevent_destroy);
  EXPECT_FALSE(parse_ok("inputs = {\n  prevent_destroy = true\n}\n").prevent_destroy);
  EXPECT_FALSE(parse_ok("# prevent_destroy = true\n").prevent_destroy);
}

TEST(Hcl, OnlyTopLevelBlocksAreRead) {
  HclModule m = parse_ok(R"(terraform {
  source = "tfr:///terraform-aws-modules/vpc/aws?version=5.0.0"
  extra_arguments "retry" {
    commands = ["apply"]
  }
  dependency "nested" {
    config_path = "../nested"
  }
}
generate "x" {
  terraform {
    source = "../not-this"
  }
}
)");
  EXPECT_TRUE(m.dependencies.empty());
  EXPECT_EQ(m.terraform_source, "tfr:///terraform-aws-modules/vpc/aws?version=5.0.0");
}

TEST(Hcl, IncludeWithoutLabelAndFunctionCalls) {
  HclModule m = parse_ok(R"(include {
  path = find_in_parent_folders()
}
locals {
  dir  = get_terragrunt_dir()
  vars = read_terragrunt_config(find_in_parent_folders("env.hcl"))
  cond = local.dir == "x" ? [for s in ["a", "b"] : upper(s)] : []
  obj  = { for k, v in local.vars : k => v if v != null }
}
)");
  EXPECT_TRUE(m.has_include);
  EXPECT_FALSE(parse_ok("locals {\n  include = true\n}\n").has_include);
}

TEST(Hcl, OneLineBlocksAndEscapesInConfigPath) {
  HclModule m = parse_ok(
      "dependency \"a\" { config_path = \"../a\" }\n"
      "dependency \"b\" { config_path = \"..\\\\b\\u0041\" }\n"
      "dependency \"c\" {}\n"
      "dependency \"d\" { config_path = \"../caf\\u00e9-\\U0001F600\" }\n");
  EXPECT_EQ(names(m), (Strings{"a", "b", "c", "d"}));
  EXPECT_EQ(paths(m), (Strings{"../a", "..\\bA", "", "../caf\xc3\xa9-\xf0\x9f\x98\x80"}));
  EXPECT_EQ(m.dependencies[2].line, 3);
}

TEST(Hcl, CrlfLineEndings) {
  std::string text =
      "# header\r\n"
      "include \"root\" {\r\n  path = find_in_parent_folders()\r\n}\r\n"
      "locals {\r\n  doc = <<EOT\r\n  dependency \"no\" {\r\nEOT\r\n}\r\n"
      "dependency \"vpc\" {\r\n  config_path = \"../vpc\"\r\n  mock_outputs = {\r\n"
      "    id = \"x\"\r\n  }\r\n}\r\n"
      "dependencies {\r\n  paths = [\r\n    \"../kms\",\r\n  ]\r\n}\r\n"
      "prevent_destroy = true\r\n";
  HclModule m = parse_ok(text);
  EXPECT_EQ(names(m), (Strings{"vpc"}));
  EXPECT_EQ(paths(m), (Strings{"../vpc"}));
  EXPECT_EQ(m.dependencies[0].line, 10);
  EXPECT_TRUE(m.dependencies[0].has_mock_outputs);
  EXPECT_EQ(m.dependency_paths, (Strings{"../kms"}));
  EXPECT_TRUE(m.prevent_destroy);
  EXPECT_TRUE(m.has_include);
}

TEST(Hcl, EmptyAndCommentOnlyFiles) {
  HclModule a = parse_ok("");
  EXPECT_TRUE(a.dependencies.empty());
  HclModule b = parse_ok("# nothing\n// here\n/* at all */\n\n");
  EXPECT_TRUE(b.dependencies.empty());
  EXPECT_FALSE(b.has_include);
}

TEST(HclErrors, UnterminatedStringNamesItsLine) {
  EXPECT_EQ(parse_error("locals {\n  a = \"open\n}\n"), "2: unterminated string");
  EXPECT_EQ(parse_error("a = \"x\\"), "1: unterminated string");
  EXPECT_EQ(parse_error("a = \"${b\n"), "1: unterminated string");
  EXPECT_EQ(parse_error("a = \"${ \"}\" "), "1: unterminated string");
}

TEST(HclErrors, UnterminatedHeredoc) {
  EXPECT_EQ(parse_error("a = 1\nb = <<EOF\nline\nEO\n"), "2: unterminated heredoc <<EOF");
  EXPECT_EQ(parse_error("b = <<-END\n  x\n"), "1: unterminated heredoc <<-END");
  EXPECT_EQ(parse_error("b = <<EOF x\nEOF\n"),
            "1: heredoc marker <<EOF must be followed by a newline");
}

TEST(HclErrors, UnterminatedComment) {
  EXPECT_EQ(parse_error("a = 1\n\n/* dependency \"x\" {\n}\n"), "3: unterminated comment");
}

TEST(HclErrors, UnterminatedBlockNamesTheBlockAndItsLine) {
  EXPECT_EQ(parse_error("\ndependency \"vpc\" {\n  config_path = \"../vpc\"\n"),
            "2: unterminated block 'dependency'");
  EXPECT_EQ(parse_error("terraform {\n  extra_arguments \"x\" {\n}\n"),
            "1: unterminated block 'terraform'");
  EXPECT_EQ(parse_error("terraform {\n  extra_arguments \"x\" {\n    a = 1\n"),
            "2: unterminated block 'extra_arguments'");
}

TEST(HclErrors, UnbalancedBrackets) {
  EXPECT_EQ(parse_error("inputs = {\n  a = [1, 2\n}\n"), "3: expected ']' but found '}'");
  EXPECT_EQ(parse_error("dependencies {\n  paths = [\"../a\",\n"), "2: unterminated '['");
  EXPECT_EQ(parse_error("a = 1\n}\n"), "2: unexpected '}'");
  EXPECT_EQ(parse_error("a = b)\n"), "1: unexpected ')'");
}

TEST(HclErrors, MalformedStatements) {
  EXPECT_EQ(parse_error("\"x\" = 1\n"), "1: expected an attribute or block, found a string");
  EXPECT_EQ(parse_error("locals\n{\n}\n"), "1: expected '=' or '{' after 'locals'");
  EXPECT_EQ(parse_error("a =\nb = 1\n"), "1: missing value for 'a'");
}

TEST(HclErrors, WhatWasReadBeforeTheErrorIsKept) {
  HclModule m;
  std::string error = parse_error(
      "dependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n"
      "prevent_destroy = true\n"
      "dependency \"broken\" {\n  config_path = \"../bro\n}\n",
      &m);
  EXPECT_EQ(error, "6: unterminated string");
  EXPECT_EQ(names(m), (Strings{"vpc", "broken"}));
  EXPECT_EQ(paths(m), (Strings{"../vpc", ""}));
  EXPECT_TRUE(m.prevent_destroy);
}

}  // namespace
}  // namespace stackctl
