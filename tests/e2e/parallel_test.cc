// End to end, in parallel: the built stackctl runs terragrunt-sim, which sleeps in every command
// and records each call's start and end. The calls' intervals show that independent layers
// overlap, that no more layers run at once than --parallelism allows, and that no layer starts
// before what it depends on has finished (destroy: before its dependents are gone). No timing
// threshold: only the order of recorded instants is compared.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/scenario.h"

using stackctl::testing::Scenario;

namespace {

// Two independent roots, a branch under each, and a layer joining both branches.
//   net ── sg ──┐
//               ├── app
//   kms ── s3 ──┘
const char* kManifest = R"(version: 1
layers:
  - name: net
  - name: kms
  - name: sg
    depends_on: [net]
  - name: s3
    depends_on: [kms]
  - name: app
    depends_on: [sg, s3]
)";

const std::map<std::string, std::vector<std::string>> kDeps = {
    {"net", {}}, {"kms", {}}, {"sg", {"net"}}, {"s3", {"kms"}}, {"app", {"sg", "s3"}}};

struct Project : Scenario {
  Project() {
    manifest(kManifest);
    env("dev", "name: dev\n");
    for (const auto& [layer, deps] : kDeps) layer_hcl("dev", layer, deps);
  }
  /// Each simulated terraform command works this long, so overlapping layers are visible.
  std::map<std::string, std::string> sleeping(const std::string& seconds = "0.3") const {
    return {{"TERRAGRUNT_SIM_SLEEP", seconds}};
  }
};

/// One layer's activity: from the start of its first call to the end of its last.
struct Span {
  double start = 0, end = 0;
};

std::map<std::string, Span> spans(const Scenario& p) {
  std::map<std::string, Span> out;
  for (const auto& c : p.calls()) {
    const auto& argv = c.at("argv");
    if (std::find(argv.begin(), argv.end(), "--version") != argv.end()) continue;
    std::string layer = std::filesystem::path(c.at("cwd").get<std::string>()).filename().string();
    double start = c.at("start").get<double>(), end = c.at("end").get<double>();
    auto [it, fresh] = out.emplace(layer, Span{start, end});
    if (!fresh) {
      it->second.start = std::min(it->second.start, start);
      it->second.end = std::max(it->second.end, end);
    }
  }
  return out;
}

bool overlap(const Span& a, const Span& b) { return a.start < b.end && b.start < a.end; }

/// The most layers active at one instant (a span ending at t is over before one starting at t).
std::size_t most_at_once(const std::map<std::string, Span>& s) {
  std::vector<std::pair<double, int>> edges;
  for (const auto& [layer, span] : s) {
    edges.emplace_back(span.start, +1);
    edges.emplace_back(span.end, -1);
  }
  std::sort(edges.begin(), edges.end());
  int now = 0, most = 0;
  for (const auto& e : edges) most = std::max(most, now += e.second);
  return static_cast<std::size_t>(most);
}

/// "sg after net" for each dependency edge broken: `first` must end before `second` starts.
std::vector<std::string> order_violations(const std::map<std::string, Span>& s, bool destroy) {
  std::vector<std::string> broken;
  for (const auto& [layer, deps] : kDeps) {
    for (const auto& dep : deps) {
      const std::string& first = destroy ? layer : dep;
      const std::string& second = destroy ? dep : layer;
      if (!s.count(first) || !s.count(second)) continue;
      if (s.at(second).start < s.at(first).end)
        broken.push_back(second + " before " + first + " ended");
    }
  }
  return broken;
}

}  // namespace

TEST(EndToEndParallel, ApplyAtParallelismTwoOverlapsIndependentLayersAndKeepsDependencyOrder) {
  Project p;
  auto r = p.run({"apply", "--env", "dev", "--parallelism", "2", "--yes"}, p.sleeping());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = spans(p);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_TRUE(overlap(s["net"], s["kms"])) << "the two roots should run together";
  EXPECT_TRUE(overlap(s["sg"], s["s3"])) << "the two branches should run together";
  EXPECT_EQ(most_at_once(s), 2u);
  EXPECT_EQ(order_violations(s, false), std::vector<std::string>{});
}

TEST(EndToEndParallel, ApplyAtParallelismOneNeverOverlapsAndFollowsTheManifest) {
  Project p;
  auto r = p.run({"apply", "--env", "dev", "--parallelism", "1", "--yes"}, p.sleeping("0.05"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = spans(p);
  EXPECT_EQ(most_at_once(s), 1u);
  std::vector<std::string> by_start;
  for (const auto& [layer, span] : s) by_start.push_back(layer);
  std::sort(by_start.begin(), by_start.end(),
            [&](const std::string& a, const std::string& b) { return s[a].start < s[b].start; });
  EXPECT_EQ(by_start, (std::vector<std::string>{"net", "kms", "sg", "s3", "app"}));
}

TEST(EndToEndParallel, DestroyAtParallelismTwoGoesDependentsFirstAndOverlaps) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--parallelism", "2", "--yes"}).exit_code, 0);
  std::filesystem::remove(p.call_log());
  auto r = p.run({"destroy", "--env", "dev", "--parallelism", "2", "--yes"}, p.sleeping());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = spans(p);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_TRUE(overlap(s["sg"], s["s3"]));
  EXPECT_TRUE(overlap(s["net"], s["kms"]));
  EXPECT_EQ(most_at_once(s), 2u);
  EXPECT_EQ(order_violations(s, true), std::vector<std::string>{});
}

TEST(EndToEndParallel, AFailureLetsTheRunningLayerFinishAndStartsNothingNew) {
  Project p;
  // kms fails at once; net is still working and finishes its apply; nothing else starts.
  p.write("envs/dev/kms/.terragrunt-sim/faults.json",
          R"({"TERRAGRUNT_SIM_FAIL": "plan", "TERRAGRUNT_SIM_SLEEP": "0"})");
  auto r = p.run({"apply", "--env", "dev", "--parallelism", "2", "--yes"}, p.sleeping());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<std::string> calls = p.call_sequence();
  std::sort(calls.begin(), calls.end());
  EXPECT_EQ(calls, (std::vector<std::string>{"kms plan", "net apply", "net plan", "net show"}));
  std::istringstream table(r.out);
  std::map<std::string, std::string> result;
  for (std::string layer, action, outcome; table >> layer >> action >> outcome;) {
    result[layer] = outcome;
    std::string rest;
    std::getline(table, rest);
  }
  EXPECT_EQ(result["net"], "ok");
  EXPECT_EQ(result["kms"], "failed");
  EXPECT_EQ(result["sg"], "not-run");
  EXPECT_EQ(result["s3"], "not-run");
  EXPECT_EQ(result["app"], "not-run");
}

TEST(EndToEndParallel, KeepGoingRunsTheOtherBranchButNeverADependentOfTheFailure) {
  Project p;
  p.write("envs/dev/kms/.terragrunt-sim/faults.json", R"({"TERRAGRUNT_SIM_FAIL": "plan"})");
  auto r = p.run({"apply", "--env", "dev", "--parallelism", "2", "--keep-going", "--yes"},
                 p.sleeping("0.05"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto s = spans(p);
  EXPECT_TRUE(s.count("net") && s.count("sg"));
  EXPECT_FALSE(s.count("s3"));
  EXPECT_FALSE(s.count("app"));
}

TEST(EndToEndParallel, NdjsonStreamsOneEventPerLineOnStdoutAndTheTableGoesToStderr) {
  Project p;
  auto r = p.run({"--output", "ndjson", "apply", "--env", "dev", "--parallelism", "2", "--only",
                  "net,kms", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> events;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    auto e = nlohmann::json::parse(line);
    std::string name = e.at("event");
    if (e.contains("layer")) name += " " + e.at("layer").get<std::string>();
    events.push_back(name);
  }
  ASSERT_EQ(events.size(), 7u) << r.out;
  EXPECT_EQ(events.front(), "run_started");
  EXPECT_EQ(events[1], "phase_started");
  EXPECT_EQ(events.back(), "run_finished");
  std::vector<std::string> middle(events.begin() + 2, events.end() - 1);
  std::sort(middle.begin(), middle.end());
  EXPECT_EQ(middle, (std::vector<std::string>{"layer_finished kms", "layer_finished net",
                                              "layer_started kms", "layer_started net"}));
  EXPECT_NE(r.err.find("LAYER"), std::string::npos) << "summary table on stderr";
}
