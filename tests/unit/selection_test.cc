// Scenarios for the selection flags: each flag alone, their combinations, and the usage errors.
#include "stackctl/plan/selection.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "stackctl/util/error.h"

namespace stackctl {
namespace {

using Names = std::vector<std::string>;

struct Spec {
  std::string name;
  std::string tier;
  std::vector<std::string> depends_on;
  bool enabled = true;
};

/// A manifest and the dev env's view of it, built without files.
class SelectionTest : public ::testing::Test {
 protected:
  SelectionTest() {
    use({{"route53-public", "dns", {}},
         {"kms", "encryption", {}},
         {"s3-app", "data", {"kms"}},
         {"vpc", "network", {}},
         {"nat", "network", {"vpc"}, false},
         {"sg-app", "sg", {"vpc"}},
         {"sg-db", "sg", {"vpc", "sg-app"}},
         {"rds-app", "database", {"sg-db", "vpc"}},
         {"lb-public", "lb", {"route53-public", "vpc"}},
         {"asg-app", "app", {"vpc", "lb-public", "sg-app", "s3-app"}},
         {"worker", "app", {"vpc", "nat"}, false},
         {"cdn", "app", {"s3-app", "route53-public"}}},
        {"dns", "encryption", "data", "network", "sg", "database", "lb", "app"});
  }

  void use(const std::vector<Spec>& specs, const std::vector<std::string>& tiers) {
    manifest_ = Manifest{};
    manifest_.tiers = tiers;
    stack_ = Stack{};
    stack_.manifest = &manifest_;
    stack_.env.name = "dev";
    for (const Spec& s : specs) {
      Layer l;
      l.name = s.name;
      l.tier = s.tier;
      l.depends_on = s.depends_on;
      manifest_.index.emplace(l.name, manifest_.layers.size());
      manifest_.layers.push_back(l);
      stack_.enabled.push_back(s.enabled);
      stack_.protect.push_back(Protect::None);
    }
  }

  Names select(const SelectionOptions& opts, Direction dir = Direction::Apply) {
    Graph g(manifest_);
    Names out;
    for (std::size_t i : select_layers(stack_, g, opts, dir)) {
      out.push_back(manifest_.layers[i].name);
    }
    return out;
  }

  /// The message of the usage error select() throws; fails the test when there is none.
  std::string usage_error_of(const SelectionOptions& opts, Direction dir = Direction::Apply) {
    try {
      select(opts, dir);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::Usage);
      return e.what();
    }
    ADD_FAILURE() << "no usage error";
    return "";
  }

  Manifest manifest_;
  Stack stack_;
};

const Names kAllEnabled = {"route53-public", "kms",     "s3-app",    "vpc",     "sg-app",
                           "sg-db",          "rds-app", "lb-public", "asg-app", "cdn"};

TEST_F(SelectionTest, NoFlagSelectsEveryEnabledLayerInManifestOrder) {
  EXPECT_TRUE(SelectionOptions{}.empty());
  EXPECT_EQ(select({}), kAllEnabled);
  EXPECT_EQ(select({}, Direction::Destroy), kAllEnabled);
}

TEST_F(SelectionTest, UpToIsTheEnabledPrefixThroughTheLayer) {
  SelectionOptions o;
  o.up_to = "sg-db";
  EXPECT_FALSE(o.empty());
  EXPECT_EQ(select(o), (Names{"route53-public", "kms", "s3-app", "vpc", "sg-app", "sg-db"}));
}

TEST_F(SelectionTest, UpToADisabledLayerStopsWhereItWouldBe) {
  SelectionOptions o;
  o.up_to = "nat";
  EXPECT_EQ(select(o), (Names{"route53-public", "kms", "s3-app", "vpc"}));
}

TEST_F(SelectionTest, FromIsTheLayerAndEveryEnabledLayerAfterIt) {
  SelectionOptions o;
  o.from = "sg-db";
  EXPECT_EQ(select(o), (Names{"sg-db", "rds-app", "lb-public", "asg-app", "cdn"}));
  o.from = "nat";
  EXPECT_EQ(select(o), (Names{"sg-app", "sg-db", "rds-app", "lb-public", "asg-app", "cdn"}));
}

TEST_F(SelectionTest, FromAndUpToTogetherAreAWindow) {
  SelectionOptions o;
  o.from = "vpc";
  o.up_to = "rds-app";
  EXPECT_EQ(select(o), (Names{"vpc", "sg-app", "sg-db", "rds-app"}));
}

TEST_F(SelectionTest, OnlyIsExactlyTheNamedLayersInManifestOrder) {
  SelectionOptions o;
  o.only = {"lb-public", "kms"};
  EXPECT_EQ(select(o), (Names{"kms", "lb-public"}));
  o.only = {"vpc"};
  EXPECT_EQ(select(o), (Names{"vpc"}));
}

TEST_F(SelectionTest, OnlyForDestroyAddsTheEnabledLayersThatDependOnThem) {
  // nat and worker also sit on vpc, but this env does not enable them.
  SelectionOptions o;
  o.only = {"vpc"};
  EXPECT_EQ(select(o, Direction::Destroy),
            (Names{"vpc", "sg-app", "sg-db", "rds-app", "lb-public", "asg-app"}));
  o.only = {"cdn", "sg-db"};
  EXPECT_EQ(select(o, Direction::Destroy), (Names{"sg-db", "rds-app", "cdn"}));
}

TEST_F(SelectionTest, TargetIsTheLayerAndEverythingItDependsOn) {
  SelectionOptions o;
  o.target = {"asg-app"};
  EXPECT_EQ(select(o),
            (Names{"route53-public", "kms", "s3-app", "vpc", "sg-app", "lb-public", "asg-app"}));
  o.target = {"rds-app", "cdn"};
  EXPECT_EQ(select(o),
            (Names{"route53-public", "kms", "s3-app", "vpc", "sg-app", "sg-db", "rds-app", "cdn"}));
}

TEST_F(SelectionTest, ExcludeRemovesTheNamedLayers) {
  SelectionOptions o;
  o.exclude = {"cdn", "kms"};
  EXPECT_EQ(select(o), (Names{"route53-public", "s3-app", "vpc", "sg-app", "sg-db", "rds-app",
                              "lb-public", "asg-app"}));
}

TEST_F(SelectionTest, ExcludeForDestroyAlsoKeepsWhatTheExcludedLayerNeeds) {
  // Keeping lb-public up means keeping route53-public and vpc under it.
  SelectionOptions o;
  o.exclude = {"lb-public"};
  EXPECT_EQ(select(o, Direction::Destroy),
            (Names{"kms", "s3-app", "sg-app", "sg-db", "rds-app", "asg-app", "cdn"}));
}

TEST_F(SelectionTest, ExcludingADisabledLayerChangesNothing) {
  SelectionOptions o;
  o.exclude = {"nat"};
  EXPECT_EQ(select(o), kAllEnabled);
  EXPECT_EQ(select(o, Direction::Destroy), kAllEnabled);
}

TEST_F(SelectionTest, TierKeepsTheLayersOfTheNamedTiers) {
  SelectionOptions o;
  o.tiers = {"sg"};
  EXPECT_EQ(select(o), (Names{"sg-app", "sg-db"}));
  o.tiers = {"database", "sg"};
  EXPECT_EQ(select(o), (Names{"sg-app", "sg-db", "rds-app"}));
  o.tiers = {"network"};
  EXPECT_EQ(select(o), (Names{"vpc"}));
}

TEST_F(SelectionTest, ChangedKeepsTheChangedEnabledLayers) {
  SelectionOptions o;
  o.use_changed = true;
  o.changed = {"asg-app", "worker", "s3-app"};
  EXPECT_EQ(select(o), (Names{"s3-app", "asg-app"}));
  o.changed = {};
  EXPECT_FALSE(o.empty());
  EXPECT_EQ(select(o), Names{});
}

TEST_F(SelectionTest, FlagsCombineByIntersection) {
  SelectionOptions o;
  o.from = "vpc";
  o.tiers = {"sg"};
  EXPECT_EQ(select(o), (Names{"sg-app", "sg-db"}));

  SelectionOptions t;
  t.target = {"asg-app"};
  t.exclude = {"s3-app"};
  EXPECT_EQ(select(t), (Names{"route53-public", "kms", "vpc", "sg-app", "lb-public", "asg-app"}));

  SelectionOptions c;
  c.use_changed = true;
  c.changed = {"kms", "sg-db", "cdn"};
  c.up_to = "rds-app";
  c.tiers = {"sg", "encryption"};
  EXPECT_EQ(select(c), (Names{"kms", "sg-db"}));
}

TEST_F(SelectionTest, DisjointFlagsSelectNothing) {
  SelectionOptions o;
  o.only = {"rds-app"};
  o.from = "lb-public";
  EXPECT_EQ(select(o), Names{});
}

TEST_F(SelectionTest, DestroyOnlyWithExcludeKeepsTheExcludedLayersFoundation) {
  // sg-app's dependents are sg-db, rds-app and asg-app; keeping asg-app keeps sg-app itself.
  SelectionOptions o;
  o.only = {"sg-app"};
  o.exclude = {"asg-app"};
  EXPECT_EQ(select(o, Direction::Destroy), (Names{"sg-db", "rds-app"}));
}

TEST_F(SelectionTest, UnknownLayerIsAUsageErrorWithASuggestion) {
  SelectionOptions o;
  o.only = {"kms", "sg-bd"};
  EXPECT_EQ(usage_error_of(o), "unknown layer 'sg-bd' (did you mean 'sg-db'?)");

  SelectionOptions u;
  u.up_to = "vcp";
  EXPECT_EQ(usage_error_of(u), "unknown layer 'vcp' (did you mean 'vpc'?)");

  SelectionOptions t;
  t.target = {"frobnicate"};
  EXPECT_EQ(usage_error_of(t), "unknown layer 'frobnicate'");

  SelectionOptions c;
  c.use_changed = true;
  c.changed = {"asg-ap"};
  EXPECT_EQ(usage_error_of(c), "unknown layer 'asg-ap' (did you mean 'asg-app'?)");
}

TEST_F(SelectionTest, UnknownLayerIsReportedEvenWhenTheResultIsAlreadyEmpty) {
  SelectionOptions o;
  o.only = {"rds-app"};
  o.from = "lb-public";
  o.exclude = {"lb-pubic"};
  EXPECT_EQ(usage_error_of(o, Direction::Destroy),
            "unknown layer 'lb-pubic' (did you mean 'lb-public'?)");
  SelectionOptions f;
  f.from = "";
  f.exclude = {"nats"};
  EXPECT_EQ(usage_error_of(f), "unknown layer 'nats' (did you mean 'nat'?)");
}

TEST_F(SelectionTest, NamingADisabledLayerInOnlyOrTargetIsAUsageError) {
  SelectionOptions o;
  o.only = {"vpc", "nat"};
  EXPECT_EQ(usage_error_of(o), "layer 'nat' is not enabled in env 'dev'");
  EXPECT_EQ(usage_error_of(o, Direction::Destroy), "layer 'nat' is not enabled in env 'dev'");
  SelectionOptions t;
  t.target = {"worker"};
  EXPECT_EQ(usage_error_of(t), "layer 'worker' is not enabled in env 'dev'");
}

TEST_F(SelectionTest, UnknownTierIsAUsageErrorListingTheTiers) {
  SelectionOptions o;
  o.tiers = {"sg", "netwrk"};
  EXPECT_EQ(usage_error_of(o),
            "unknown tier 'netwrk' (did you mean 'network'?); "
            "tiers: dns, encryption, data, network, sg, database, lb, app");
  o.tiers = {"storage"};
  EXPECT_EQ(usage_error_of(o),
            "unknown tier 'storage'; tiers: dns, encryption, data, network, sg, database, lb, app");
}

TEST_F(SelectionTest, WithoutATiersListTheTiersInUseCount) {
  use({{"vpc", "network", {}}, {"sg", "sg", {"vpc"}}, {"sg2", "sg", {"vpc"}}, {"app", "", {}}}, {});
  SelectionOptions o;
  o.tiers = {"sg"};
  EXPECT_EQ(select(o), (Names{"sg", "sg2"}));
  o.tiers = {"lb"};
  EXPECT_EQ(usage_error_of(o), "unknown tier 'lb'; tiers: network, sg");

  use({{"vpc", "", {}}}, {});
  EXPECT_EQ(usage_error_of(o), "unknown tier 'lb'; the manifest declares no tiers");
}

TEST(SelectionOptionsTest, EveryFlagMakesTheSelectionNonEmpty) {
  std::vector<std::function<void(SelectionOptions&)>> flags = {
      [](SelectionOptions& o) { o.up_to = "a"; },
      [](SelectionOptions& o) { o.from = "a"; },
      [](SelectionOptions& o) { o.only = {"a"}; },
      [](SelectionOptions& o) { o.target = {"a"}; },
      [](SelectionOptions& o) { o.exclude = {"a"}; },
      [](SelectionOptions& o) { o.tiers = {"a"}; },
      [](SelectionOptions& o) { o.use_changed = true; },
  };
  for (std::size_t i = 0; i < flags.size(); ++i) {
    SelectionOptions o;
    flags[i](o);
    EXPECT_FALSE(o.empty()) << "flag " << i;
  }
}

}  // namespace
}  // namespace stackctl
