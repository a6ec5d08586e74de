#include "stackctl/plan_json.h"

#include <gtest/gtest.h>

namespace stackctl {
namespace {

// A plan document with the given resource_changes entries (JSON text).
std::string plan_with(const std::string& changes) {
  return R"({"format_version":"1.2","terraform_version":"1.9.0","errored":false,)"
         R"("resource_changes":[)" + changes + "]}";
}

std::string change(const std::string& address, const std::string& actions,
                   const std::string& mode = "managed") {
  return R"({"address":")" + address + R"(","mode":")" + mode +
         R"(","type":"t","name":"n","change":{"actions":)" + actions + "}}";
}

PlanSummary parse_ok(const std::string& json) {
  std::string error;
  auto s = parse_plan_json(json, error);
  EXPECT_TRUE(s.has_value()) << error;
  EXPECT_EQ(error, "");
  return s.value_or(PlanSummary{});
}

std::string parse_error(const std::string& json) {
  std::string error;
  auto s = parse_plan_json(json, error);
  EXPECT_FALSE(s.has_value());
  return error;
}

TEST(PlanJson, CountsLikeTheTerraformPlanLine) {
  PlanSummary s = parse_ok(plan_with(
      change("aws_vpc.main", R"(["create"])") + "," +
      change("aws_subnet.a", R"(["update"])") + "," +
      change("aws_eip.old", R"(["delete"])") + "," +
      change("aws_instance.web", R"(["delete","create"])") + "," +
      change("aws_instance.api", R"(["create","delete"])") + "," +
      change("aws_s3_bucket.logs", R"(["no-op"])")));
  EXPECT_EQ(s.counts.add, 3);
  EXPECT_EQ(s.counts.change, 1);
  EXPECT_EQ(s.counts.destroy, 3);
  EXPECT_EQ(s.counts.replace, 2);
  EXPECT_TRUE(s.counts.any());
  EXPECT_FALSE(s.errored);
}

TEST(PlanJson, DeletionsListDeletesAndBothReplaceOrdersInPlanOrder) {
  PlanSummary s = parse_ok(plan_with(
      change("aws_instance.api", R"(["create","delete"])") + "," +
      change("aws_vpc.main", R"(["create"])") + "," +
      change("aws_db_instance.app", R"(["delete"])") + "," +
      change("aws_instance.web", R"(["delete","create"])")));
  ASSERT_EQ(s.deletions.size(), 3u);
  EXPECT_EQ(s.deletions[0].address, "aws_instance.api");
  EXPECT_EQ(s.deletions[0].action, "replace");
  EXPECT_EQ(s.deletions[1].address, "aws_db_instance.app");
  EXPECT_EQ(s.deletions[1].action, "delete");
  EXPECT_EQ(s.deletions[2].address, "aws_instance.web");
  EXPECT_EQ(s.deletions[2].action, "replace");
}

TEST(PlanJson, ReadNoOpAndForgetCountForNothing) {
  PlanSummary s = parse_ok(plan_with(change("aws_s3_bucket.a", R"(["no-op"])") + "," +
                                     change("aws_s3_bucket.b", R"(["read"])") + "," +
                                     change("aws_s3_bucket.c", R"(["forget"])")));
  EXPECT_FALSE(s.counts.any());
  EXPECT_EQ(s.counts.replace, 0);
  EXPECT_TRUE(s.deletions.empty());
}

TEST(PlanJson, DataSourcesAreIgnored) {
  PlanSummary s = parse_ok(plan_with(change("data.aws_ami.ubuntu", R"(["read"])", "data") + "," +
                                     change("data.aws_iam_policy.x", R"(["delete"])", "data")));
  EXPECT_FALSE(s.counts.any());
  EXPECT_TRUE(s.deletions.empty());
}

TEST(PlanJson, MissingResourceChangesMeansNoChanges) {
  PlanSummary s = parse_ok(R"({"format_version":"1.0","errored":false,"output_changes":{}})");
  EXPECT_FALSE(s.counts.any());
  EXPECT_TRUE(s.deletions.empty());
}

TEST(PlanJson, ErroredFlagIsKept) {
  PlanSummary s = parse_ok(R"({"format_version":"1.2","errored":true})");
  EXPECT_TRUE(s.errored);
}

TEST(PlanJson, AnyFormatVersionOneXIsAccepted) {
  for (const char* v : {"1.0", "1.1", "1.2", "1.10", "1"})
    EXPECT_FALSE(parse_ok(std::string(R"({"format_version":")") + v + R"("})").errored) << v;
}

TEST(PlanJson, OtherFormatVersionsAreRefused) {
  EXPECT_EQ(parse_error(R"({"format_version":"2.0"})"),
            R"(plan JSON format_version "2.0" is not supported (expected 1.x))");
  EXPECT_EQ(parse_error(R"({"format_version":"0.2"})"),
            R"(plan JSON format_version "0.2" is not supported (expected 1.x))");
  EXPECT_EQ(parse_error(R"({"format_version":"1.x"})"),
            R"(plan JSON format_version "1.x" is not supported (expected 1.x))");
  EXPECT_EQ(parse_error(R"({"resource_changes":[]})"), "plan JSON has no format_version");
  EXPECT_EQ(parse_error(R"({"format_version":1.2})"), "plan JSON has no format_version");
}

TEST(PlanJson, GarbageIsAnErrorNotAThrow) {
  EXPECT_EQ(parse_error(""), "plan JSON is empty");
  EXPECT_EQ(parse_error("  \n"), "plan JSON is empty");
  EXPECT_EQ(parse_error("[1,2]"), "plan JSON is not an object");
  EXPECT_EQ(parse_error(R"("text")"), "plan JSON is not an object");
  EXPECT_EQ(parse_error("Error: Failed to load plan"),
            "plan JSON is not valid JSON: parse error at line 1, column 1: syntax error while "
            "parsing value - invalid literal; last read: 'E'");
  EXPECT_EQ(parse_error(R"({"format_version":"1.2",)").rfind("plan JSON is not valid JSON: ", 0),
            0u);
  EXPECT_EQ(parse_error(std::string(100000, '[')).rfind("plan JSON is not valid JSON: ", 0), 0u);
}

TEST(PlanJson, MalformedEntriesAreErrorsSoTheDataGuardNeverMissesADeletion) {
  EXPECT_EQ(parse_error(R"({"format_version":"1.2","resource_changes":{}})"),
            "plan JSON resource_changes is not a list");
  EXPECT_EQ(parse_error(plan_with("42")), "plan JSON resource_changes[0] is not an object");
  EXPECT_EQ(parse_error(plan_with(R"({"address":"a.b","mode":"managed"})")),
            "plan JSON resource_changes[0] has no change object");
  EXPECT_EQ(parse_error(plan_with(change("a.b", R"(["create"])") + "," +
                                  R"({"address":"a.c","mode":"managed","change":{}})")),
            "plan JSON resource_changes[1] has no change.actions list");
  EXPECT_EQ(parse_error(plan_with(change("a.b", R"(["delete",7])"))),
            "plan JSON resource_changes[0] has a change.actions entry that is not a string");
  EXPECT_EQ(parse_error(plan_with(R"({"mode":"managed","change":{"actions":["delete"]}})")),
            "plan JSON resource_changes[0] has no address");
}

TEST(PlanJson, EntryWithoutModeCountsAsManaged) {
  PlanSummary s =
      parse_ok(plan_with(R"({"address":"aws_kms_key.k","change":{"actions":["delete"]}})"));
  EXPECT_EQ(s.counts.destroy, 1);
  ASSERT_EQ(s.deletions.size(), 1u);
  EXPECT_EQ(s.deletions[0].address, "aws_kms_key.k");
}

}  // namespace
}  // namespace stackctl
