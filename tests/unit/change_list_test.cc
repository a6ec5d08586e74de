// Resource-level changes as the terminal shows them: terraform's symbols, the words for what has
// no symbol, moves and imports, the cut for huge plans, hostile addresses; and the destroy count
// read from terraform's closing line.
#include "stackctl/report/change_list.h"

#include <gtest/gtest.h>

using namespace stackctl;

TEST(ChangeLines, EachActionWithTerraformsSymbolOrItsOwnWord) {
  std::vector<ResourceChange> changes = {
      {"aws_vpc.this", "create", "", false},
      {"aws_subnet.a", "update", "", false},
      {"aws_route.old", "delete", "", false},
      {"aws_db_instance.main", "replace", "", false},
      {"aws_s3_bucket.logs", "import", "", true},
      {"aws_iam_role.legacy", "forget", "", false},
      {"aws_subnet.b", "move", "aws_subnet.old_b", false},
      {"aws_kms_key.k", "update", "", true},
  };
  EXPECT_EQ(change_lines(changes, 30, "  "),
            "  +      aws_vpc.this\n"
            "  ~      aws_subnet.a\n"
            "  -      aws_route.old\n"
            "  -/+    aws_db_instance.main\n"
            "  import aws_s3_bucket.logs\n"
            "  forget aws_iam_role.legacy\n"
            "  move   aws_subnet.b (from aws_subnet.old_b)\n"
            "  ~      aws_kms_key.k (import)\n");
}

TEST(ChangeLines, AHugePlanIsCutWithTheCountOfTheRest) {
  std::vector<ResourceChange> changes(1000, ResourceChange{"null_resource.x", "create", "", false});
  const std::string text = change_lines(changes, 3, "");
  EXPECT_EQ(
      text,
      "+      null_resource.x\n+      null_resource.x\n+      null_resource.x\n... and 997 more\n");
}

TEST(ChangeLines, AddressesCannotDriveTheTerminal) {
  std::vector<ResourceChange> changes = {{"aws_s3_bucket.b[\"\x1b[2Jx\"]", "create", "", false}};
  EXPECT_EQ(change_lines(changes, 30, ""), "+      aws_s3_bucket.b[\"\\x1b[2Jx\"]\n");
}

TEST(DestroyedCount, ReadsTerraformsClosingLineWhateverPrefixesIt) {
  EXPECT_EQ(destroyed_count(
                "x\n\033[0m\033[1m\033[32mDestroy complete! Resources: 3 destroyed.\033[0m\n"),
            3);
  EXPECT_EQ(
      destroyed_count("12:00:00.000 STDOUT terraform: Destroy complete! Resources: 0 destroyed.\n"),
      0);
  EXPECT_EQ(destroyed_count("Destroy complete! Resources: 12 destroyed.\nDestroy complete! "
                            "Resources: 1 destroyed.\n"),
            1);
  EXPECT_EQ(destroyed_count("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.\n"),
            std::nullopt);
  EXPECT_EQ(destroyed_count("Destroy complete! Resources: many destroyed.\n"), std::nullopt);
  EXPECT_EQ(destroyed_count(""), std::nullopt);
}
