#include "stackctl/journal/plan_json.h"

#include <gtest/gtest.h>

namespace stackctl {
namespace {

// A plan document with the given resource_changes entries (JSON text).
std::string plan_with(const std::string& changes) {
  return R"({"format_version":"1.2","terraform_version":"1.9.0","errored":false,)"
         R"("resource_changes":[)" +
         changes + "]}";
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
  PlanSummary s = parse_ok(plan_with(change("aws_vpc.main", R"(["create"])") + "," +
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
  PlanSummary s = parse_ok(plan_with(change("aws_instance.api", R"(["create","delete"])") + "," +
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

TEST(PlanJson, NoOpCountsForNothingAndAReadIsAChangeButNoDeletion) {
  PlanSummary noop = parse_ok(plan_with(change("aws_s3_bucket.a", R"(["no-op"])")));
  EXPECT_FALSE(noop.counts.any());
  PlanSummary s = parse_ok(plan_with(change("aws_s3_bucket.a", R"(["no-op"])") + "," +
                                     change("aws_s3_bucket.b", R"(["read"])")));
  EXPECT_EQ(s.counts.reads, 1);
  EXPECT_TRUE(s.counts.any());
  EXPECT_EQ(s.counts.replace, 0);
  EXPECT_TRUE(s.deletions.empty());
  EXPECT_TRUE(s.changes.empty());
}

// OpenTofu's `removed { lifecycle { destroy = false } }`: the resource leaves the state and
// stays where it is. A change (exit 2), not a deletion.
TEST(PlanJson, AForgetIsAChangeButNotADeletion) {
  PlanSummary s = parse_ok(plan_with(change("aws_s3_bucket.c", R"(["forget"])")));
  EXPECT_EQ(s.counts.forgets, 1);
  EXPECT_EQ(s.counts.destroy, 0);
  EXPECT_TRUE(s.counts.any());
  EXPECT_TRUE(s.deletions.empty());
  ASSERT_EQ(s.changes.size(), 1u);
  EXPECT_EQ(s.changes[0].action, "forget");
}

// The four replace forms: OpenTofu's ["forget","create"] (lifecycle destroy = false with a
// forced replacement) and Terraform's ["create","forget"] replace the resource that holds the
// data as surely as ["delete","create"] and ["create","delete"] do.
TEST(PlanJson, EveryReplaceFormIsADeletionTheGuardSees) {
  PlanSummary s = parse_ok(plan_with(change("aws_db_instance.a", R"(["delete","create"])") + "," +
                                     change("aws_db_instance.b", R"(["create","delete"])") + "," +
                                     change("aws_db_instance.c", R"(["forget","create"])") + "," +
                                     change("aws_db_instance.d", R"(["create","forget"])")));
  EXPECT_EQ(s.counts.add, 4);
  EXPECT_EQ(s.counts.destroy, 2);
  EXPECT_EQ(s.counts.forgets, 2);
  EXPECT_EQ(s.counts.replace, 4);
  std::vector<std::string> seen;
  for (const auto& d : s.deletions) seen.push_back(d.address + " " + d.action);
  EXPECT_EQ(seen,
            (std::vector<std::string>{"aws_db_instance.a replace", "aws_db_instance.b replace",
                                      "aws_db_instance.c replace", "aws_db_instance.d replace"}));
  EXPECT_EQ(s.deletions[2].actions, (std::vector<std::string>{"forget", "create"}));
  for (const auto& c : s.changes) EXPECT_EQ(c.action, "replace") << c.address;
}

// An import block: the entry's actions are ["no-op"] (or ["update"]) and change.importing holds
// the import id. terraform counts it in "Plan: 1 to import, ...".
TEST(PlanJson, AnImportIsAChangeEvenWithNoOpActions) {
  PlanSummary s = parse_ok(plan_with(
      R"({"address":"aws_s3_bucket.logs","mode":"managed","type":"aws_s3_bucket","name":"logs",)"
      R"("change":{"actions":["no-op"],"before":{"id":"logs"},"after":{"id":"logs"},)"
      R"("importing":{"id":"logs"}}},)"
      R"({"address":"aws_iam_role.ci","mode":"managed","type":"aws_iam_role","name":"ci",)"
      R"("change":{"actions":["update"],"importing":{"id":"ci"}}},)"
      R"({"address":"aws_iam_role.web","mode":"managed","type":"aws_iam_role","name":"web",)"
      R"("change":{"actions":["no-op"],"importing":null}})"));
  EXPECT_EQ(s.counts.imports, 2);
  EXPECT_EQ(s.counts.change, 1);
  EXPECT_TRUE(s.counts.any());
  ASSERT_EQ(s.changes.size(), 2u);
  EXPECT_EQ(s.changes[0].action, "import");
  EXPECT_TRUE(s.changes[0].importing);
  EXPECT_EQ(s.changes[1].action, "update");
  EXPECT_TRUE(s.changes[1].importing);
}

// A `moved` block: previous_address names the old address; the actions are ["no-op"].
TEST(PlanJson, AMoveIsAChangeWhenTheAddressDiffers) {
  PlanSummary s = parse_ok(plan_with(
      R"({"address":"module.net.aws_vpc.main","previous_address":"aws_vpc.main",)"
      R"("mode":"managed","type":"aws_vpc","name":"main","change":{"actions":["no-op"]}},)"
      R"({"address":"aws_subnet.a","previous_address":"aws_subnet.a","mode":"managed",)"
      R"("type":"aws_subnet","name":"a","change":{"actions":["no-op"]}})"));
  EXPECT_EQ(s.counts.moves, 1);
  EXPECT_TRUE(s.counts.any());
  ASSERT_EQ(s.changes.size(), 1u);
  EXPECT_EQ(s.changes[0].action, "move");
  EXPECT_EQ(s.changes[0].address, "module.net.aws_vpc.main");
  EXPECT_EQ(s.changes[0].previous_address, "aws_vpc.main");
}

// A plan that only changes outputs: no resource_changes key at all (omitted when empty).
TEST(PlanJson, AnOutputOnlyPlanHasChanges) {
  PlanSummary s = parse_ok(
      R"({"format_version":"1.2","terraform_version":"1.10.6","errored":false,)"
      R"("output_changes":{)"
      R"("vpc_id":{"actions":["no-op"],"before":"vpc-1","after":"vpc-1","after_unknown":false},)"
      R"("subnet_ids":{"actions":["create"],"before":null,"after":["s-1"],"after_unknown":false},)"
      R"("cidr":{"actions":["update"],"before":"10.0.0.0/16","after":"10.1.0.0/16"},)"
      R"("legacy":{"actions":["delete"],"before":"x","after":null}}})");
  EXPECT_EQ(s.counts.outputs, 3);
  EXPECT_EQ(s.counts.add + s.counts.change + s.counts.destroy, 0);
  EXPECT_TRUE(s.counts.any());
  EXPECT_TRUE(s.changes.empty());
  std::vector<std::string> seen;
  for (const auto& o : s.outputs) seen.push_back(o.action + " " + o.address);
  EXPECT_EQ(seen, (std::vector<std::string>{"update output.cidr", "delete output.legacy",
                                            "create output.subnet_ids"}));
}

TEST(PlanJson, NoOpOutputsAreNoChanges) {
  PlanSummary s =
      parse_ok(R"({"format_version":"1.2","output_changes":{"vpc_id":{"actions":["no-op"]}}})");
  EXPECT_FALSE(s.counts.any());
}

TEST(PlanJson, MalformedOutputChangesAreErrors) {
  EXPECT_EQ(parse_error(R"({"format_version":"1.2","output_changes":[]})"),
            "plan JSON output_changes is not an object");
  EXPECT_EQ(parse_error(R"({"format_version":"1.2","output_changes":{"a":{"before":1}}})"),
            "plan JSON output_changes.a has no actions list");
  EXPECT_EQ(parse_error(R"({"format_version":"1.2","output_changes":{"a":{"actions":[1]}}})"),
            "plan JSON output_changes.a has an actions entry that is not a string");
  EXPECT_EQ(parse_error(plan_with(R"({"address":"a.b","previous_address":3,"mode":"managed",)"
                                  R"("change":{"actions":["no-op"]}})")),
            "plan JSON resource_changes[0] has a previous_address that is not a string");
}

TEST(PlanJson, ChangesTextShowsTheOtherCountsOnlyWhenNotZero) {
  ChangeCounts c;
  c.add = 1;
  EXPECT_EQ(changes_text(c), "+1 ~0 -0");
  c.imports = 2;
  c.moves = 1;
  c.forgets = 3;
  c.outputs = 4;
  EXPECT_EQ(changes_text(c), "+1 ~0 -0 import 2 move 1 forget 3 outputs 4");
  EXPECT_EQ(changes_text(ChangeCounts{}, "\u2212"), "+0 ~0 \u22120");
}

// A data source's `read` in a plan is a read deferred to apply ("will be read during apply"):
// terraform exits 2 for it, so it is a change; a data source is never a deletion.
TEST(PlanJson, ADataSourceReadIsAChangeAndNeverADeletion) {
  PlanSummary s = parse_ok(plan_with(change("data.aws_ami.ubuntu", R"(["read"])", "data") + "," +
                                     change("data.aws_iam_policy.x", R"(["delete"])", "data")));
  EXPECT_EQ(s.counts.reads, 1);
  EXPECT_TRUE(s.counts.any());
  EXPECT_EQ(s.counts.destroy, 0);
  EXPECT_TRUE(s.changes.empty());
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
TEST(PlanJson, WarningsTerraformPrintsBeforeTheDocumentAreSkipped) {
  // OpenTofu 1.12 with TF_CLI_CONFIG_FILE naming a missing file, verbatim.
  const std::string warned =
      "\nWarning: Unable to open CLI configuration file\n\n"
      "The CLI configuration file at \"/root/.terraformrc\" does not exist.\n" +
      plan_with(change("a.b", R"(["delete"])"));
  PlanSummary s = parse_ok(warned);
  EXPECT_EQ(s.counts.destroy, 1);
  EXPECT_NE(parse_error("Warning: no document here\n"), "") << "text without a document fails";
}

}  // namespace stackctl
