// Scenarios for did-you-mean suggestions on mistyped names.
#include "stackctl/util/suggest.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stackctl {
namespace {

const std::vector<std::string> kLayers = {"vpc",     "nat",       "sg-app",  "sg-db",
                                          "rds-app", "lb-public", "asg-app", "route53-public"};

TEST(EditDistanceTest, CountsEachKindOfEditOnce) {
  EXPECT_EQ(edit_distance("vpc", "vpc"), 0u);
  EXPECT_EQ(edit_distance("", "vpc"), 3u);
  EXPECT_EQ(edit_distance("vpc", ""), 3u);
  EXPECT_EQ(edit_distance("vpc", "vpcs"), 1u);        // insertion
  EXPECT_EQ(edit_distance("rds-app", "rds-ap"), 1u);  // deletion
  EXPECT_EQ(edit_distance("sg-db", "sg-dc"), 1u);     // substitution
  EXPECT_EQ(edit_distance("sg-db", "sg-bd"), 1u);     // adjacent swap
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("vpc", "nat"), 3u);
}

TEST(ClosestMatchTest, SuggestsPlausibleTyposOnly) {
  EXPECT_EQ(closest_match("vcp", kLayers), "vpc");
  EXPECT_EQ(closest_match("sg-bd", kLayers), "sg-db");
  EXPECT_EQ(closest_match("lb-pubic", kLayers), "lb-public");
  EXPECT_EQ(closest_match("route53-pubic", kLayers), "route53-public");
  EXPECT_EQ(closest_match("VPC", kLayers), "vpc");
  EXPECT_EQ(closest_match("elasticsearch", kLayers), std::nullopt);
  // Three edits would turn any short name into any other.
  EXPECT_EQ(closest_match("kms", kLayers), std::nullopt);
  EXPECT_EQ(closest_match("", kLayers), std::nullopt);
  EXPECT_EQ(closest_match("vpc", {}), std::nullopt);
}

TEST(ClosestMatchTest, TheExactNameNeedsNoSuggestion) {
  EXPECT_EQ(closest_match("nat", kLayers), std::nullopt);
}

TEST(ClosestMatchTest, AmongEquallyCloseNamesTheFirstWins) {
  // sg-a is one edit from both; the closer sg-ap (one edit from sg-app, two from asg-app)
  // still beats a later, farther name.
  EXPECT_EQ(closest_match("sg-a", {"sg-b", "sg-c"}), "sg-b");
  EXPECT_EQ(closest_match("sg-ap", {"asg-app", "sg-app"}), "sg-app");
}

TEST(DidYouMeanTest, FormsTheTailOfAnUnknownNameMessage) {
  EXPECT_EQ(did_you_mean("rds-ap", kLayers), " (did you mean 'rds-app'?)");
  EXPECT_EQ(did_you_mean("frobnicate", kLayers), "");
}

}  // namespace
}  // namespace stackctl
