// Scenarios for the dependency graph: edges, closures, cycle paths and pinned layers.
#include "stackctl/manifest/graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace stackctl {
namespace {

struct Spec {
  std::string name;
  std::vector<std::string> depends_on;
  Protect protect = Protect::None;
};

Manifest make_manifest(const std::vector<Spec>& specs) {
  Manifest m;
  for (const Spec& s : specs) {
    Layer l;
    l.name = s.name;
    l.depends_on = s.depends_on;
    l.protect = s.protect;
    m.index.emplace(l.name, m.layers.size());
    m.layers.push_back(l);
  }
  return m;
}

/// Positions rendered as layer names, for exact and readable assertions.
std::vector<std::string> names(const Manifest& m, const std::vector<std::size_t>& positions) {
  std::vector<std::string> out;
  for (std::size_t p : positions) out.push_back(m.layers[p].name);
  return out;
}

std::vector<std::string> marked(const Manifest& m, const std::vector<bool>& mask) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    if (mask[i]) out.push_back(m.layers[i].name);
  }
  return out;
}

using Names = std::vector<std::string>;

TEST(GraphTest, EdgesFollowDependsOnAndSkipUnknownOrRepeatedNames) {
  Manifest m = make_manifest(
      {{"vpc", {}}, {"sg-db", {"vpc", "vpc"}}, {"rds-app", {"sg-db", "no-such-layer", "vpc"}}});
  Graph g(m);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(names(m, g.deps(0)), Names{});
  EXPECT_EQ(names(m, g.deps(1)), (Names{"vpc"}));
  EXPECT_EQ(names(m, g.deps(2)), (Names{"sg-db", "vpc"}));
  EXPECT_EQ(names(m, g.dependents(0)), (Names{"sg-db", "rds-app"}));
  EXPECT_EQ(names(m, g.dependents(1)), (Names{"rds-app"}));
  EXPECT_EQ(names(m, g.dependents(2)), Names{});
}

TEST(GraphTest, AncestorsAndDescendantsAreTransitiveAndInManifestOrder) {
  // app needs lb and asg; both need vpc; asg also needs the launch template.
  Manifest m = make_manifest({{"vpc", {}},
                              {"launch-template", {}},
                              {"lb", {"vpc"}},
                              {"asg", {"launch-template", "vpc"}},
                              {"app", {"asg", "lb"}},
                              {"dns", {}}});
  Graph g(m);
  EXPECT_EQ(names(m, g.ancestors(4)), (Names{"vpc", "launch-template", "lb", "asg"}));
  EXPECT_EQ(names(m, g.ancestors(0)), Names{});
  EXPECT_EQ(names(m, g.descendants(0)), (Names{"lb", "asg", "app"}));
  EXPECT_EQ(names(m, g.descendants(5)), Names{});
  EXPECT_EQ(names(m, g.ancestors(99)), Names{});
}

TEST(GraphTest, ClosureMarksRootsAndEverythingAboveOrBelow) {
  Manifest m = make_manifest({{"vpc", {}},
                              {"kms", {}},
                              {"sg", {"vpc"}},
                              {"s3", {"kms"}},
                              {"app", {"sg", "s3"}},
                              {"cdn", {"s3"}}});
  Graph g(m);
  EXPECT_EQ(marked(m, g.closure({2}, /*down=*/false)), (Names{"vpc", "sg"}));
  EXPECT_EQ(marked(m, g.closure({2, 5}, /*down=*/false)), (Names{"vpc", "kms", "sg", "s3", "cdn"}));
  EXPECT_EQ(marked(m, g.closure({1}, /*down=*/true)), (Names{"kms", "s3", "app", "cdn"}));
  EXPECT_EQ(marked(m, g.closure({}, /*down=*/true)), Names{});
}

TEST(GraphTest, NoCycleInAValidManifest) {
  Manifest m = make_manifest({{"a", {}}, {"b", {"a"}}, {"c", {"a", "b"}}});
  EXPECT_EQ(Graph(m).find_cycle(), std::vector<std::size_t>{});
  EXPECT_EQ(Graph(Manifest{}).find_cycle(), std::vector<std::size_t>{});
}

TEST(GraphTest, SelfDependencyIsACycleOfOne) {
  Manifest m = make_manifest({{"vpc", {}}, {"sg", {"sg"}}});
  EXPECT_EQ(names(m, Graph(m).find_cycle()), (Names{"sg", "sg"}));
}

TEST(GraphTest, CycleThroughALaterLayerIsShownWhole) {
  // vpc depends on sg, which comes later and depends on vpc.
  Manifest m = make_manifest({{"vpc", {"sg"}}, {"sg", {"vpc"}}});
  EXPECT_EQ(names(m, Graph(m).find_cycle()), (Names{"vpc", "sg", "vpc"}));
}

TEST(GraphTest, CycleStartsAtItsEarliestLayerAndLeavesOutTheWayIn) {
  // app -> lb -> tg -> asg -> lb: app only leads into the cycle.
  Manifest m = make_manifest(
      {{"vpc", {}}, {"asg", {"vpc", "lb"}}, {"lb", {"tg"}}, {"tg", {"asg"}}, {"app", {"lb"}}});
  EXPECT_EQ(names(m, Graph(m).find_cycle()), (Names{"asg", "lb", "tg", "asg"}));
}

TEST(GraphTest, DiamondIsNotACycle) {
  Manifest m = make_manifest(
      {{"top", {"left", "right"}}, {"left", {"bottom"}}, {"right", {"bottom"}}, {"bottom", {}}});
  EXPECT_EQ(Graph(m).find_cycle(), std::vector<std::size_t>{});
}

Manifest chain(std::size_t n, bool close_loop) {
  std::vector<Spec> specs;
  for (std::size_t i = 0; i < n; ++i) {
    Spec s{"l" + std::to_string(i), {}};
    if (i > 0) s.depends_on.push_back("l" + std::to_string(i - 1));
    specs.push_back(s);
  }
  if (close_loop) specs[0].depends_on.push_back("l" + std::to_string(n - 1));
  return make_manifest(specs);
}

TEST(GraphTest, TwentyThousandLayerChainIsWalkedWithoutRecursion) {
  const std::size_t n = 20000;
  Manifest m = chain(n, false);
  Graph g(m);
  EXPECT_EQ(g.find_cycle(), std::vector<std::size_t>{});
  std::vector<std::size_t> up = g.ancestors(n - 1);
  ASSERT_EQ(up.size(), n - 1);
  EXPECT_EQ(up.front(), 0u);
  EXPECT_EQ(up.back(), n - 2);
  EXPECT_EQ(g.descendants(0).size(), n - 1);
  std::vector<bool> below = g.closure({0}, /*down=*/true);
  EXPECT_EQ(std::count(below.begin(), below.end(), true), static_cast<long>(n));
}

TEST(GraphTest, TwentyThousandLayerLoopIsReportedWhole) {
  const std::size_t n = 20000;
  Manifest m = chain(n, true);
  std::vector<std::size_t> cycle = Graph(m).find_cycle();
  ASSERT_EQ(cycle.size(), n + 1);
  // l0 depends on the last layer, which depends on the one before it, and so on back to l0.
  EXPECT_EQ(cycle[0], 0u);
  EXPECT_EQ(cycle[1], n - 1);
  EXPECT_EQ(cycle[n - 1], 1u);
  EXPECT_EQ(cycle[n], 0u);
}

// A small slice of the reference stack.
Manifest realistic_stack() {
  return make_manifest({
      {"route53-delegation-set", {}, Protect::Keep},
      {"route53-public", {"route53-delegation-set"}},
      {"kms", {}, Protect::Data},
      {"s3-app", {"kms"}, Protect::Data},
      {"iam-instance-profile-app", {"kms", "s3-app"}},
      {"vpc", {}},
      {"efs-shared", {"vpc"}, Protect::Data},
      {"sg-app-private", {"vpc"}},
      {"sg-build-app", {"vpc"}},
      {"sg-db", {"vpc", "sg-app-private", "sg-build-app"}},
      {"rds-app", {"sg-db", "vpc"}, Protect::Data},
      {"sg-elasticsearch-app", {"vpc", "sg-app-private"}},
      {"elasticsearch-app", {"vpc", "sg-elasticsearch-app"}, Protect::Data},
      {"lb-public", {"route53-public", "vpc"}},
      {"asg-app", {"vpc", "lb-public", "sg-app-private", "iam-instance-profile-app"}},
  });
}

/// "layer<-by" for every pinned layer, in manifest order.
std::vector<std::string> pins_of(const Manifest& m, const std::vector<PinReason>& pins) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < pins.size(); ++i) {
    if (pins[i].pinned) out.push_back(m.layers[i].name + "<-" + m.layers[pins[i].by].name);
  }
  return out;
}

std::vector<Protect> protections(const Manifest& m) {
  std::vector<Protect> p;
  for (const Layer& l : m.layers) p.push_back(l.protect);
  return p;
}

TEST(PinnedLayersTest, DependenciesOfEnabledProtectedLayersArePinnedByTheNearestOne) {
  Manifest m = realistic_stack();
  std::vector<bool> enabled(m.layers.size(), true);
  enabled[12] = false;  // elasticsearch-app is optional and off in this env
  std::vector<PinReason> pins = pinned_layers(Graph(m), enabled, protections(m));
  // kms and s3-app are protected themselves, not pinned; vpc is pinned by efs-shared, the first
  // protected layer after it that needs it; sg-db and its sources only by rds-app; nothing
  // pins sg-elasticsearch-app while elasticsearch-app is off; lb-public and asg-app are free.
  EXPECT_EQ(pins_of(m, pins), (Names{"vpc<-efs-shared", "sg-app-private<-rds-app",
                                     "sg-build-app<-rds-app", "sg-db<-rds-app"}));
}

TEST(PinnedLayersTest, EnablingAProtectedLayerPinsItsOwnDependencies) {
  Manifest m = realistic_stack();
  std::vector<bool> enabled(m.layers.size(), true);
  std::vector<PinReason> pins = pinned_layers(Graph(m), enabled, protections(m));
  EXPECT_EQ(pins_of(m, pins),
            (Names{"vpc<-efs-shared", "sg-app-private<-rds-app", "sg-build-app<-rds-app",
                   "sg-db<-rds-app", "sg-elasticsearch-app<-elasticsearch-app"}));
}

TEST(PinnedLayersTest, EnvOverridesDecideProtection) {
  // The env drops efs-shared's protection and makes lb-public `keep`.
  Manifest m = realistic_stack();
  std::vector<bool> enabled(m.layers.size(), true);
  std::vector<Protect> protect = protections(m);
  protect[6] = Protect::None;
  protect[13] = Protect::Keep;
  std::vector<PinReason> pins = pinned_layers(Graph(m), enabled, protect);
  EXPECT_EQ(pins_of(m, pins), (Names{"route53-public<-lb-public", "vpc<-rds-app",
                                     "sg-app-private<-rds-app", "sg-build-app<-rds-app",
                                     "sg-db<-rds-app", "sg-elasticsearch-app<-elasticsearch-app"}));
}

TEST(PinnedLayersTest, NothingIsPinnedWithoutProtectedLayers) {
  Manifest m = make_manifest({{"vpc", {}}, {"sg", {"vpc"}}, {"app", {"sg"}}});
  std::vector<PinReason> pins =
      pinned_layers(Graph(m), std::vector<bool>(3, true), std::vector<Protect>(3, Protect::None));
  EXPECT_EQ(pins_of(m, pins), Names{});
}

TEST(PinnedLayersTest, WholeChainUnderADataLayerIsPinnedWithoutRecursion) {
  const std::size_t n = 20000;
  Manifest m = chain(n, false);
  std::vector<Protect> protect(n, Protect::None);
  protect[n - 1] = Protect::Data;
  std::vector<PinReason> pins = pinned_layers(Graph(m), std::vector<bool>(n, true), protect);
  std::size_t pinned = 0;
  for (const PinReason& p : pins) {
    if (p.pinned && p.by == n - 1) ++pinned;
  }
  EXPECT_EQ(pinned, n - 1);
  EXPECT_FALSE(pins[n - 1].pinned);
}

}  // namespace
}  // namespace stackctl
