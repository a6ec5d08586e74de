// Durations as users type them and as reports print them.
#include "stackctl/util/duration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace stackctl {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, ReadsEachUnit) {
  EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(parse_duration("30s"), milliseconds(30000));
  EXPECT_EQ(parse_duration("5m"), milliseconds(300000));
  EXPECT_EQ(parse_duration("1h"), milliseconds(3600000));
}

TEST(ParseDuration, BareZeroNeedsNoUnit) {
  EXPECT_EQ(parse_duration("0"), milliseconds(0));
  EXPECT_EQ(parse_duration("0s"), milliseconds(0));
}

TEST(ParseDuration, SumsCompoundDurationsAndFractions) {
  EXPECT_EQ(parse_duration("1m30s"), milliseconds(90000));
  EXPECT_EQ(parse_duration("1h2m3s4ms"), milliseconds(3723004));
  EXPECT_EQ(parse_duration("1.5s"), milliseconds(1500));
  EXPECT_EQ(parse_duration("0.25m"), milliseconds(15000));
}

TEST(ParseDuration, RejectsMalformedText) {
  for (const char* bad : {"", "30", "s", "-5s", "5x", "5 s", " 5s", "5s ", "1.s", ".5s", "5sec",
                          "1m-3s", "99999999999999999h"}) {
    EXPECT_EQ(parse_duration(bad), std::nullopt) << "input: '" << bad << "'";
  }
}

TEST(FormatDuration, ShowsTenthsUnderAMinute) {
  EXPECT_EQ(format_duration(0), "0.0s");
  EXPECT_EQ(format_duration(0.44), "0.4s");
  EXPECT_EQ(format_duration(45.21), "45.2s");
  EXPECT_EQ(format_duration(59.94), "59.9s");
}

TEST(FormatDuration, ShowsMinutesAndHoursWithPaddedSeconds) {
  EXPECT_EQ(format_duration(59.96), "1m00s");
  EXPECT_EQ(format_duration(185), "3m05s");
  EXPECT_EQ(format_duration(3599.4), "59m59s");
  EXPECT_EQ(format_duration(3723), "1h02m03s");
  EXPECT_EQ(format_duration(90061), "25h01m01s");
}

TEST(FormatDuration, NonsenseBecomesZero) {
  EXPECT_EQ(format_duration(-3), "0.0s");
  EXPECT_EQ(format_duration(std::nan("")), "0.0s");
  EXPECT_EQ(format_duration(std::numeric_limits<double>::infinity()), "0.0s");
}

}  // namespace
}  // namespace stackctl
