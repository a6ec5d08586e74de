// Scenarios for the run bookkeeping: readiness, priority, strict order, failures and skips.
#include "stackctl/executor/schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace stackctl {
namespace {

using Names = std::vector<std::string>;

struct Spec {
  std::string name;
  std::vector<std::string> depends_on;
};

Manifest make_manifest(const std::vector<Spec>& specs) {
  Manifest m;
  for (const Spec& s : specs) {
    Layer l;
    l.name = s.name;
    l.depends_on = s.depends_on;
    m.index.emplace(l.name, m.layers.size());
    m.layers.push_back(l);
  }
  return m;
}

std::vector<std::size_t> all(const Manifest& m) {
  std::vector<std::size_t> v;
  for (std::size_t i = 0; i < m.layers.size(); ++i) v.push_back(i);
  return v;
}

/// Drives a schedule the way the executor does, with up to `slots` layers running; the layer
/// started first finishes first. Returns the events: "+x" started, "-x" succeeded, "!x" failed.
/// Layers named in `fail` fail; the run goes on (keep-going) until nothing is ready or running.
Names drive(Schedule& s, const Manifest& m, std::size_t slots,
            const std::set<std::string>& fail = {}) {
  Names events;
  std::deque<std::size_t> running;
  while (!s.idle()) {
    while (running.size() < slots && s.next_ready()) {
      std::size_t l = *s.next_ready();
      s.start(l);
      running.push_back(l);
      events.push_back("+" + m.layers[l].name);
    }
    std::size_t done = running.front();
    running.pop_front();
    bool ok = fail.count(m.layers[done].name) == 0;
    s.finish(done, ok);
    events.push_back((ok ? "-" : "!") + m.layers[done].name);
  }
  return events;
}

/// The names of the layers next_ready() would hand out if all of them started now.
Names ready_now(const Schedule& s, const Manifest& m) {
  Schedule copy = s;
  Names out;
  while (copy.next_ready()) {
    std::size_t l = *copy.next_ready();
    out.push_back(m.layers[l].name);
    copy.start(l);
  }
  return out;
}

TEST(ScheduleTest, IndependentLayersAreReadyTogetherAndAChainOneByOne) {
  Manifest m = make_manifest({{"kms", {}}, {"vpc", {}}, {"sg", {"vpc"}}, {"rds", {"sg"}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  EXPECT_EQ(ready_now(s, m), (Names{"vpc", "kms"}));  // vpc heads the longer path
  EXPECT_EQ(s.state(2), LayerState::Waiting);
  s.start(1);
  EXPECT_EQ(ready_now(s, m), (Names{"kms"}));
  s.finish(1, true);
  EXPECT_EQ(ready_now(s, m), (Names{"sg", "kms"}));
  EXPECT_EQ(s.state(2), LayerState::Ready);
  EXPECT_FALSE(s.complete());
}

TEST(ScheduleTest, ALayerWaitsForAllItsDependencies) {
  Manifest m = make_manifest({{"vpc", {}}, {"kms", {}}, {"app", {"vpc", "kms"}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  EXPECT_EQ(drive(s, m, 4), (Names{"+vpc", "+kms", "-vpc", "-kms", "+app", "-app"}));
  EXPECT_TRUE(s.complete());
  EXPECT_TRUE(s.idle());
}

// Five quick independent layers listed before a three-layer chain.
Manifest shorts_then_chain() {
  return make_manifest({{"s1", {}},
                        {"s2", {}},
                        {"s3", {}},
                        {"s4", {}},
                        {"s5", {}},
                        {"c1", {}},
                        {"c2", {"c1"}},
                        {"c3", {"c2"}}});
}

TEST(ScheduleTest, TheLongestChainStartsFirstEvenWhenListedLast) {
  Manifest m = shorts_then_chain();
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  EXPECT_EQ(s.priority(5), 3.0);
  EXPECT_EQ(s.priority(0), 1.0);
  // c3 has no more to wait for than any s layer once it is ready, so manifest order decides.
  EXPECT_EQ(drive(s, m, 2), (Names{"+c1", "+s1", "-c1", "+c2", "-s1", "+s2", "-c2", "+s3", "-s2",
                                   "+s4", "-s3", "+s5", "-s4", "+c3", "-s5", "-c3"}));
}

TEST(ScheduleTest, StrictOrderRunsOneAtATimeInExactlyManifestOrder) {
  Manifest m = shorts_then_chain();
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {}, /*strict_order=*/true);
  EXPECT_EQ(drive(s, m, 1), (Names{"+s1", "-s1", "+s2", "-s2", "+s3", "-s3", "+s4", "-s4", "+s5",
                                   "-s5", "+c1", "-c1", "+c2", "-c2", "+c3", "-c3"}));
}

TEST(ScheduleTest, WithoutStrictOrderOneAtATimeFollowsThePriority) {
  Manifest m = shorts_then_chain();
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  EXPECT_EQ(drive(s, m, 1), (Names{"+c1", "-c1", "+c2", "-c2", "+s1", "-s1", "+s2", "-s2", "+s3",
                                   "-s3", "+s4", "-s4", "+s5", "-s5", "+c3", "-c3"}));
}

TEST(ScheduleTest, WeightsMakeASlowLayerStartBeforeQuickOnes) {
  // rds takes 10 minutes; everything else one.
  Manifest m = make_manifest({{"vpc", {}}, {"sg", {"vpc"}}, {"kms", {}}, {"rds", {"kms"}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {1.0, 1.0, 1.0, 10.0});
  EXPECT_EQ(s.priority(2), 11.0);
  EXPECT_EQ(ready_now(s, m), (Names{"kms", "vpc"}));
}

TEST(ScheduleTest, UnusableWeightsCountAsOne) {
  Manifest m = make_manifest({{"a", {}}, {"b", {"a"}}, {"c", {}}, {"d", {}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {-5.0, 0.0, std::nan("")});
  EXPECT_EQ(s.priority(0), 1.0);  // -5 counts as 1, b weighs 0
  EXPECT_EQ(s.priority(1), 0.0);
  EXPECT_EQ(s.priority(2), 1.0);  // not a number
  EXPECT_EQ(s.priority(3), 1.0);  // missing
}

TEST(ScheduleTest, ALayerThatNeverRanWeighsWhatTheOthersTypicallyTake) {
  // The journal knows rds (600 s) and sg, vpc, web (60 s each); cache, its queue and its
  // workers are new. Three new layers in a chain are more likely 180 s than 3 s.
  Manifest m = make_manifest({{"vpc", {}},
                              {"sg", {"vpc"}},
                              {"rds", {"sg"}},
                              {"web", {}},
                              {"cache", {}},
                              {"queue", {"cache"}},
                              {"workers", {"queue"}}});
  Graph g(m);
  const std::vector<double> w =
      weights_with_estimates({60.0, 60.0, 600.0, 60.0, std::nullopt, std::nullopt, std::nullopt});
  EXPECT_EQ(w, (std::vector<double>{60.0, 60.0, 600.0, 60.0, 60.0, 60.0, 60.0}));
  Schedule s(g, all(m), Direction::Apply, w);
  EXPECT_EQ(s.priority(0), 720.0);
  EXPECT_EQ(s.priority(4), 180.0);
  // vpc heads the longest chain; the new chain starts before the lone web layer (weighing the
  // new layers 1 s each would start web second and cache last).
  EXPECT_EQ(drive(s, m, 2),
            (Names{"+vpc", "+cache", "-vpc", "+sg", "-cache", "+queue", "-sg", "+rds", "-queue",
                   "+web", "-rds", "+workers", "-web", "-workers"}));
}

TEST(ScheduleTest, EstimatesAreTheMedianOfWhatIsKnownOrOneWhenNothingIs) {
  EXPECT_EQ(weights_with_estimates({std::nullopt, std::nullopt}), (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(weights_with_estimates({}), (std::vector<double>{}));
  EXPECT_EQ(weights_with_estimates({10.0, std::nullopt, 2.0, 4.0, 30.0}),
            (std::vector<double>{10.0, 7.0, 2.0, 4.0, 30.0}));
  // Unusable durations count as unknown and take no part in the median.
  EXPECT_EQ(weights_with_estimates({3.0, -1.0, std::nan(""), std::nullopt}),
            (std::vector<double>{3.0, 3.0, 3.0, 3.0}));
}

TEST(ScheduleTest, AFailureBlocksEveryDependentButNotTheSiblings) {
  Manifest m = make_manifest({{"vpc", {}},
                              {"sg-db", {"vpc"}},
                              {"rds-app", {"sg-db"}},
                              {"app", {"rds-app"}},
                              {"s3", {}},
                              {"cdn", {"s3"}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  EXPECT_EQ(drive(s, m, 2, {"sg-db"}),
            (Names{"+vpc", "+s3", "-vpc", "+sg-db", "-s3", "+cdn", "!sg-db", "-cdn"}));
  EXPECT_EQ(s.state(1), LayerState::Failed);
  EXPECT_EQ(s.state(2), LayerState::Blocked);
  EXPECT_EQ(s.state(3), LayerState::Blocked);
  EXPECT_EQ(s.state(5), LayerState::Succeeded);
  EXPECT_TRUE(s.complete());
}

TEST(ScheduleTest, DestroyGoesInReverseDependencyOrder) {
  Manifest m =
      make_manifest({{"vpc", {}}, {"sg", {"vpc"}}, {"lb", {"vpc"}}, {"app", {"sg", "lb"}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Destroy, {});
  EXPECT_EQ(ready_now(s, m), (Names{"app"}));
  EXPECT_EQ(drive(s, m, 4), (Names{"+app", "-app", "+lb", "+sg", "-lb", "-sg", "+vpc", "-vpc"}));
}

TEST(ScheduleTest, DestroyStrictOrderIsExactlyReverseManifestOrder) {
  Manifest m = shorts_then_chain();
  Graph g(m);
  Schedule s(g, all(m), Direction::Destroy, {}, /*strict_order=*/true);
  EXPECT_EQ(drive(s, m, 1), (Names{"+c3", "-c3", "+c2", "-c2", "+c1", "-c1", "+s5", "-s5", "+s4",
                                   "-s4", "+s3", "-s3", "+s2", "-s2", "+s1", "-s1"}));
}

TEST(ScheduleTest, DestroyPriorityTiesGoInReverseManifestOrder) {
  Manifest m = make_manifest({{"a", {}}, {"b", {}}, {"c", {}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Destroy, {});
  EXPECT_EQ(ready_now(s, m), (Names{"c", "b", "a"}));
}

TEST(ScheduleTest, AFailedDestroyKeepsWhatItStandsOn) {
  Manifest m = make_manifest({{"vpc", {}}, {"sg", {"vpc"}}, {"app", {"sg"}}, {"cdn", {}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Destroy, {});
  EXPECT_EQ(drive(s, m, 2, {"app"}), (Names{"+app", "+cdn", "!app", "-cdn"}));
  EXPECT_EQ(s.state(1), LayerState::Blocked);
  EXPECT_EQ(s.state(0), LayerState::Blocked);
}

TEST(ScheduleTest, OnlyEdgesBetweenSelectedLayersCount) {
  // sg is not selected, so app no longer waits for vpc.
  Manifest m = make_manifest({{"vpc", {}}, {"sg", {"vpc"}}, {"app", {"sg"}}, {"other", {}}});
  Graph g(m);
  Schedule s(g, {0, 2}, Direction::Apply, {});
  EXPECT_EQ(s.selected(), (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(ready_now(s, m), (Names{"vpc", "app"}));
  EXPECT_EQ(s.state(1), LayerState::Waiting);
}

TEST(ScheduleTest, SkippingAReadyLayerReleasesItsDependents) {
  Manifest m = make_manifest({{"gate", {}}, {"rds", {"gate"}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  s.skip(0);
  EXPECT_EQ(s.state(0), LayerState::Skipped);
  EXPECT_EQ(ready_now(s, m), (Names{"rds"}));
  EXPECT_EQ(drive(s, m, 1), (Names{"+rds", "-rds"}));
  EXPECT_TRUE(s.complete());
}

TEST(ScheduleTest, SkippingAWaitingLayerStillWaitsForWhatItNeeds) {
  // gate is skipped before vpc has run; rds must still come after vpc.
  Manifest m = make_manifest({{"vpc", {}}, {"gate", {"vpc"}}, {"rds", {"gate"}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  s.skip(1);
  EXPECT_EQ(ready_now(s, m), (Names{"vpc"}));
  EXPECT_EQ(drive(s, m, 2), (Names{"+vpc", "-vpc", "+rds", "-rds"}));
  EXPECT_TRUE(s.complete());
}

TEST(ScheduleTest, AFailureBlocksThroughASkippedLayer) {
  Manifest m = make_manifest({{"vpc", {}}, {"gate", {"vpc"}}, {"rds", {"gate"}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  s.skip(1);
  EXPECT_EQ(drive(s, m, 2, {"vpc"}), (Names{"+vpc", "!vpc"}));
  EXPECT_EQ(s.state(1), LayerState::Skipped);
  EXPECT_EQ(s.state(2), LayerState::Blocked);
  EXPECT_TRUE(s.complete());
}

TEST(ScheduleTest, OutOfTurnCallsAreRejected) {
  Manifest m = make_manifest({{"vpc", {}}, {"sg", {"vpc"}}});
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  EXPECT_THROW(s.start(1), std::logic_error);         // still waiting for vpc
  EXPECT_THROW(s.finish(0, true), std::logic_error);  // never started
  s.start(0);
  EXPECT_THROW(s.skip(0), std::logic_error);  // already running
  EXPECT_THROW(s.start(7), std::logic_error);
  EXPECT_THROW(Schedule(g, {5}, Direction::Apply, {}), std::invalid_argument);
}

TEST(ScheduleTest, AnEmptySelectionIsCompleteAtOnce) {
  Manifest m = make_manifest({{"vpc", {}}});
  Graph g(m);
  Schedule s(g, {}, Direction::Apply, {});
  EXPECT_TRUE(s.idle());
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.next_ready(), std::nullopt);
}

Manifest long_chain(std::size_t n) {
  std::vector<Spec> specs;
  for (std::size_t i = 0; i < n; ++i) {
    Spec s{"l" + std::to_string(i), {}};
    if (i > 0) s.depends_on.push_back("l" + std::to_string(i - 1));
    specs.push_back(s);
  }
  return make_manifest(specs);
}

TEST(ScheduleTest, TwentyThousandLayerChainRunsInOrderBothWays) {
  const std::size_t n = 20000;
  Manifest m = long_chain(n);
  Graph g(m);
  for (Direction dir : {Direction::Apply, Direction::Destroy}) {
    Schedule s(g, all(m), dir, {});
    EXPECT_EQ(s.priority(dir == Direction::Apply ? 0 : n - 1), static_cast<double>(n));
    std::size_t expected = dir == Direction::Apply ? 0 : n - 1;
    std::size_t in_order = 0;
    while (std::optional<std::size_t> next = s.next_ready()) {
      if (*next == expected) ++in_order;
      expected = dir == Direction::Apply ? expected + 1 : expected - 1;
      s.start(*next);
      s.finish(*next, true);
    }
    EXPECT_EQ(in_order, n);
    EXPECT_TRUE(s.complete());
  }
}

TEST(ScheduleTest, AFailureAtTheHeadOfALongChainBlocksAllOfIt) {
  const std::size_t n = 20000;
  Manifest m = long_chain(n);
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  s.start(0);
  s.finish(0, false);
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.state(n - 1), LayerState::Blocked);
}

TEST(ScheduleTest, TwentyThousandIndependentLayersComeOutInManifestOrder) {
  const std::size_t n = 20000;
  std::vector<Spec> specs;
  for (std::size_t i = 0; i < n; ++i) specs.push_back({"l" + std::to_string(i), {}});
  Manifest m = make_manifest(specs);
  Graph g(m);
  Schedule s(g, all(m), Direction::Apply, {});
  std::size_t in_order = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t next = *s.next_ready();
    if (next == i) ++in_order;
    s.start(next);
  }
  EXPECT_EQ(in_order, n);
  EXPECT_EQ(s.running(), n);
  EXPECT_FALSE(s.idle());
}

}  // namespace
}  // namespace stackctl
