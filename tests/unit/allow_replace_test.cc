// --allow-replace entries: unscoped ADDR, scoped LAYER:ADDR, the parse-time check of the layer,
// and which entries match nothing in a plan.
#include "stackctl/executor/allow_replace.h"

#include <gtest/gtest.h>

#include "stackctl/util/diagnostics.h"
#include "stackctl/util/error.h"

namespace stackctl {
namespace {

Manifest manifest() {
  Diagnostics diags;
  Manifest m =
      parse_manifest("version: 1\nlayers:\n  - name: vpc\n  - name: rds-app\n    protect: data\n",
                     "manifest.yaml", diags);
  EXPECT_FALSE(diags.has_errors());
  return m;
}

std::string usage_message(const std::set<std::string>& entries) {
  try {
    check_allow_replace(entries, manifest());
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Usage);
    return e.what();
  }
  return "";
}

std::vector<Deletion> replaces(std::initializer_list<const char*> addresses) {
  std::vector<Deletion> out;
  for (const char* a : addresses) out.push_back({a, "replace", {"delete", "create"}});
  return out;
}

using Entries = std::vector<std::string>;

TEST(AllowReplace, AColonBeforeAnyBracketScopesTheAddressToALayer) {
  EXPECT_EQ(split_allow_replace("rds-app:aws_db_instance.this").layer, "rds-app");
  EXPECT_EQ(split_allow_replace("rds-app:aws_db_instance.this").address, "aws_db_instance.this");
  EXPECT_EQ(split_allow_replace("aws_db_instance.this").layer, "");
  EXPECT_EQ(split_allow_replace(R"(aws_s3_bucket.b["us-east-1:logs"])").layer, "");
  EXPECT_EQ(split_allow_replace(R"(aws_s3_bucket.b["us-east-1:logs"])").address,
            R"(aws_s3_bucket.b["us-east-1:logs"])");
  EXPECT_EQ(split_allow_replace(R"(vpc:aws_s3_bucket.b["a:b"])").address,
            R"(aws_s3_bucket.b["a:b"])");
}

TEST(AllowReplace, AScopedEntryAllowsOnlyInItsLayerAndAnUnscopedOneEverywhere) {
  const std::set<std::string> entries = {"rds-app:aws_db_instance.this", "aws_kms_key.k"};
  EXPECT_TRUE(replace_allowed(entries, "rds-app", "aws_db_instance.this"));
  EXPECT_FALSE(replace_allowed(entries, "vpc", "aws_db_instance.this"));
  EXPECT_TRUE(replace_allowed(entries, "vpc", "aws_kms_key.k"));
  EXPECT_TRUE(replace_allowed(entries, "rds-app", "aws_kms_key.k"));
  EXPECT_FALSE(replace_allowed(entries, "rds-app", "aws_db_instance.other"));
}

TEST(AllowReplace, AnUnknownLayerOrAMissingAddressIsAUsageError) {
  EXPECT_EQ(usage_message({"rds-ap:aws_db_instance.this"}),
            "--allow-replace rds-ap:aws_db_instance.this: unknown layer 'rds-ap' (did you mean "
            "'rds-app'?)");
  EXPECT_EQ(usage_message({"elb:x.y"}), "--allow-replace elb:x.y: unknown layer 'elb'");
  EXPECT_EQ(usage_message({"vpc:"}),
            "--allow-replace vpc:: no address after 'vpc:' (e.g. vpc:aws_db_instance.this)");
  EXPECT_EQ(usage_message({"vpc:aws_vpc.main", "aws_db_instance.this"}), "");
}

TEST(AllowReplace, ScopedEntriesThatTheirLayersPlanDoesNotReplaceAreUnmatched) {
  const std::set<std::string> entries = {"rds-app:aws_db_instance.this",
                                         "rds-app:aws_db_instance.typo", "vpc:aws_vpc.main",
                                         "aws_kms_key.k"};
  EXPECT_EQ(unmatched_in_layer(entries, "rds-app", replaces({"aws_db_instance.this"})),
            (Entries{"rds-app:aws_db_instance.typo"}));
  EXPECT_EQ(unmatched_in_layer(entries, "vpc", {}), (Entries{"vpc:aws_vpc.main"}));
  EXPECT_EQ(unmatched_in_layer(entries, "app", {}), Entries{});
}

TEST(AllowReplace, AnUnscopedEntryIsUnmatchedWhenNoLayerOfTheRunReplacesIt) {
  const std::set<std::string> entries = {"aws_kms_key.k", "aws_db_instance.this",
                                         "vpc:aws_vpc.main"};
  std::vector<LayerResult> layers(2);
  layers[1].deletions = replaces({"aws_db_instance.this"});
  EXPECT_EQ(unmatched_anywhere(entries, layers), (Entries{"aws_kms_key.k"}));
}

}  // namespace
}  // namespace stackctl
