// Scenarios for saved plans: what summary.json records, how a plan is found stale from the
// journal, and which layers `apply --plan-dir` takes (or refuses) before anything runs.
#include "stackctl/plan/saved_plans.h"
#include "stackctl/report/plan_summary.h"

#include <gtest/gtest.h>

#include <functional>

#include "stackctl/util/error.h"
#include "support/scenario.h"

namespace stackctl {
namespace {

namespace fs = std::filesystem;

const char* kManifest = R"(version: 1
layers:
  - name: kms
    protect: data
  - name: vpc
  - name: sg-db
    depends_on: [vpc]
  - name: rds-app
    depends_on: [sg-db, kms]
    protect: data
  - name: app
    depends_on: [vpc]
)";

// A project with the layers above, env dev, and helpers to journal applies and save plans.
struct Project {
  testing::Scenario s;
  std::unique_ptr<Workspace> ws;

  Project() {
    s.manifest(kManifest);
    s.env("dev", "name: dev\n");
    s.env("prod", "name: prod\n");
    ws = Workspace::open(Locations{(s.root() / "layers/manifest.yaml").string(), "", ""});
    ws->select_env("dev");
  }
  // A layer_end record; an apply adds one resource unless added says otherwise.
  void journal(const std::string& layer, const std::string& action, const std::string& result,
               const std::string& run_id, const std::string& time, int added = 1) {
    JournalWriter w(ws->journal_file());
    JournalRecord r;
    r.type = "layer_end";
    r.layer = layer;
    r.action = action;
    r.result = result;
    r.run_id = run_id;
    r.time = time;
    if (action == "apply") r.changes.add = added;
    w.append(r);
  }
  // Saves plans for the named layers in <root>/plans as a `plan --out-dir plans` run would.
  fs::path save(const std::vector<std::string>& layers, const std::string& env = "dev") {
    PlanReport report;
    report.command = Command::Plan;
    report.env = env;
    report.run_id = "P1";
    for (const auto& name : layers) {
      LayerPlan l;
      l.name = name;
      l.result = "ok";
      l.counts.add = 1;
      report.layers.push_back(l);
      s.write("plans/" + name + ".tfplan", "{}");
    }
    s.write("plans/summary.json",
            to_json(saved_plans_of(*ws, report, "2026-11-30T10:00:00Z")).dump());
    return s.root() / "plans";
  }
  RunRequest apply_request(SelectionOptions sel = {}) const {
    RunRequest req;
    req.command = Command::Apply;
    req.env = "dev";
    req.plan_dir = (s.root() / "plans").string();
    req.selection = std::move(sel);
    return req;
  }
  std::vector<std::string> names(const Phase& p) const {
    std::vector<std::string> out;
    for (std::size_t i : p.layers) out.push_back(ws->stack().layer(i).name);
    return out;
  }
};

// The exit code and message a failing call throws.
std::pair<int, std::string> error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return {static_cast<int>(e.code()), e.what()};
  }
  return {0, ""};
}

using Names = std::vector<std::string>;

TEST(SavedPlans, TheLastOkApplyOrDestroyOfEachLayerCounts) {
  Project p;
  p.journal("vpc", "apply", "ok", "R1", "T1");
  p.journal("vpc", "plan", "ok", "R2", "T2");
  p.journal("vpc", "apply", "failed", "R3", "T3");
  p.journal("vpc", "apply", "ok", "R5", "T5", 0);  // its plan had no changes: nothing ran
  p.journal("sg-db", "destroy", "ok", "R4", "T4");
  auto last = last_state_changes(read_journal(p.ws->journal_file()));
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last.at("vpc").run_id, "R1");
  EXPECT_EQ(last.at("sg-db").action, "destroy");
}

TEST(SavedPlans, UpstreamIsEveryTransitiveDependencyInManifestOrder) {
  Project p;
  p.journal("vpc", "apply", "ok", "R1", "T1");
  p.journal("kms", "apply", "ok", "R2", "T2");
  auto last = last_state_changes(read_journal(p.ws->journal_file()));
  Upstream up = upstream_of(p.ws->stack(), p.ws->graph(), 3, last);  // rds-app
  ASSERT_EQ(up.applies.size(), 3u);
  EXPECT_EQ(up.applies[0], (UpstreamApply{"kms", "apply", "R2", "T2"}));
  EXPECT_EQ(up.applies[1], (UpstreamApply{"vpc", "apply", "R1", "T1"}));
  EXPECT_EQ(up.applies[2], (UpstreamApply{"sg-db", "", "", ""}));  // never applied
  EXPECT_EQ(up.fingerprint, fingerprint(up.applies));
  EXPECT_TRUE(upstream_of(p.ws->stack(), p.ws->graph(), 0, last).applies.empty());  // kms
}

TEST(SavedPlans, TheFingerprintIsStableAndFollowsEveryField) {
  EXPECT_EQ(fingerprint({}), "fnv1a64:cbf29ce484222325");
  std::vector<UpstreamApply> a = {{"vpc", "apply", "R1", "T1"}};
  EXPECT_EQ(fingerprint(a), fingerprint(a));
  EXPECT_EQ(fingerprint(a).size(), 24u);
  for (auto changed :
       {UpstreamApply{"vpd", "apply", "R1", "T1"}, UpstreamApply{"vpc", "destroy", "R1", "T1"},
        UpstreamApply{"vpc", "apply", "R2", "T1"}, UpstreamApply{"vpc", "apply", "R1", "T2"}})
    EXPECT_NE(fingerprint({changed}), fingerprint(a)) << changed.layer << changed.action;
  // Field boundaries count: "ab"+"c" is not "a"+"bc".
  EXPECT_NE(fingerprint({{"ab", "c", "", ""}}), fingerprint({{"a", "bc", "", ""}}));
}

SavedLayer saved_with(const std::vector<UpstreamApply>& applies) {
  SavedLayer s;
  s.name = "sg-db";
  s.upstream.applies = applies;
  s.upstream.fingerprint = fingerprint(applies);
  return s;
}

Upstream now_with(const std::vector<UpstreamApply>& applies) {
  return Upstream{applies, fingerprint(applies)};
}

TEST(SavedPlans, StaleReasonNamesTheDependencyAppliedSince) {
  SavedLayer saved = saved_with({{"vpc", "apply", "R1", "T1"}});
  EXPECT_EQ(stale_reason(saved, now_with({{"vpc", "apply", "R1", "T1"}})), std::nullopt);
  EXPECT_EQ(stale_reason(saved, now_with({{"vpc", "apply", "R9", "2026-11-30T11:00:00Z"}})),
            "plan for sg-db is stale: vpc was applied since (run R9 at 2026-11-30T11:00:00Z); "
            "plan again");
  EXPECT_EQ(stale_reason(saved, now_with({{"vpc", "destroy", "R9", "T9"}})),
            "plan for sg-db is stale: vpc was destroyed since (run R9 at T9); plan again");
  EXPECT_EQ(
      stale_reason(saved_with({{"vpc", "", "", ""}}), now_with({{"vpc", "apply", "R2", "T2"}})),
      "plan for sg-db is stale: vpc was applied since (run R2 at T2); plan again");
  EXPECT_EQ(stale_reason(saved, now_with({})),
            "plan for sg-db is stale: the layers it depends on changed since it was made; plan "
            "again");
}

TEST(SavedPlans, StaleReasonWithOnlyAFingerprintRecorded) {
  SavedLayer saved = saved_with({{"vpc", "apply", "R1", "T1"}});
  saved.upstream.applies.clear();  // a summary that kept the fingerprint alone
  EXPECT_EQ(stale_reason(saved, now_with({{"vpc", "apply", "R1", "T1"}})), std::nullopt);
  EXPECT_EQ(stale_reason(saved, now_with({{"vpc", "apply", "R2", "T2"}})),
            "plan for sg-db is stale: vpc was applied since (run R2 at T2); plan again");
}

TEST(SavedPlans, SummaryJsonDocumentAndRoundTrip) {
  SavedPlans plans;
  plans.env = "dev";
  plans.run_id = "P1";
  plans.created = "2026-11-30T10:00:00Z";
  SavedLayer l = saved_with({{"vpc", "apply", "R1", "T1"}});
  l.counts = {2, 1, 1, 1};
  l.protection = "pinned";
  l.plan_file = "sg-db.tfplan";
  plans.layers = {l};
  nlohmann::json doc = to_json(plans);
  EXPECT_EQ(doc, nlohmann::json::parse(R"({
    "format": "stackctl-saved-plans", "version": 1, "env": "dev", "run_id": "P1",
    "created": "2026-11-30T10:00:00Z",
    "layers": [{"name": "sg-db", "changes": {"add": 2, "change": 1, "destroy": 1}, "replace": 1,
                "protection": "pinned", "plan_file": "sg-db.tfplan",
                "upstream": {"fingerprint": ")" +
                                       l.upstream.fingerprint + R"(",
                             "dependencies": [{"layer": "vpc", "action": "apply",
                                               "run_id": "R1", "time": "T1"}]}}]})"));
  std::string error;
  auto back = parse_saved_plans(doc.dump(), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(to_json(*back), doc);
}

TEST(SavedPlans, ASummaryThatIsNotOneIsAnError) {
  std::string error;
  EXPECT_FALSE(parse_saved_plans("{", error));
  EXPECT_EQ(error, "not valid JSON");
  EXPECT_FALSE(parse_saved_plans(R"({"version":2})", error));
  EXPECT_EQ(error, "version 2 is newer than this stackctl reads (1)");
  EXPECT_FALSE(parse_saved_plans(R"({"version":1,"env":"dev","run_id":"P","created":"C",
      "layers":[{"changes":{}}]})",
                                 error));
  EXPECT_EQ(error, "layers[0]: no name string");
  EXPECT_FALSE(parse_saved_plans(R"({"version":1,"env":"dev","run_id":"P","created":"C",
      "layers":[{"name":"vpc","changes":{"add":1,"change":0,"destroy":0},"replace":0,
                 "protection":"none","plan_file":"vpc.tfplan"}]})",
                                 error));
  EXPECT_EQ(error, "layers[0]: no upstream object");
}

TEST(SavedPlanPhase, WithoutASelectionEverySavedLayerInManifestOrder) {
  Project p;
  p.save({"sg-db", "vpc"});
  EXPECT_EQ(p.names(saved_plan_phase(*p.ws, p.apply_request())), (Names{"vpc", "sg-db"}));
}

TEST(SavedPlanPhase, ARangeSelectionCoveredBySavedPlansTakesThemInManifestOrder) {
  Project p;
  p.save({"app", "sg-db", "vpc", "kms"});
  SelectionOptions sel;
  sel.up_to = "sg-db";
  EXPECT_EQ(p.names(saved_plan_phase(*p.ws, p.apply_request(sel))), (Names{"kms", "vpc", "sg-db"}));
}

TEST(SavedPlanPhase, EverySelectedLayerWithoutASavedPlanIsListedAndNothingIsTaken) {
  Project p;
  fs::path dir = p.save({"vpc", "app"});
  SelectionOptions sel;
  sel.up_to = "sg-db";
  EXPECT_EQ(error_of([&] { saved_plan_phase(*p.ws, p.apply_request(sel)); }),
            std::make_pair(64, "2 layers to apply have no saved plan in " + dir.string() +
                                   " (it holds vpc, app):\n"
                                   "  - kms: not planned by run P1\n"
                                   "  - sg-db: not planned by run P1\n"
                                   "plan them with 'stackctl plan --env dev --out-dir " +
                                   dir.string() +
                                   "', or leave them out of the selection; nothing was started"));
}

TEST(SavedPlanPhase, ANamedLayerWithoutASavedPlanIsAnError) {
  Project p;
  fs::path dir = p.save({"vpc"});
  SelectionOptions sel;
  sel.only = {"vpc", "app"};
  EXPECT_EQ(error_of([&] { saved_plan_phase(*p.ws, p.apply_request(sel)); }),
            std::make_pair(64, "a layer to apply has no saved plan in " + dir.string() +
                                   " (it holds vpc):\n  - app: not planned by run P1\n"
                                   "plan them with 'stackctl plan --env dev --out-dir " +
                                   dir.string() +
                                   "', or leave them out of the selection; nothing was started"));
}

TEST(SavedPlanPhase, WithoutASelectionTheLayersThePlanRunLeftUnsavedAreListed) {
  Project p;
  SavedPlans plans;
  plans.env = "dev";
  plans.run_id = "P1";
  plans.created = "2026-11-30T10:00:00Z";
  plans.not_saved = {{"sg-db", "provisional"}, {"app", "failed"}};
  const std::string text = to_json(plans).dump();
  EXPECT_NE(
      text.find(
          R"("not_saved":[{"name":"sg-db","result":"provisional"},{"name":"app","result":"failed"}])"),
      std::string::npos)
      << text;
  std::string error;
  auto back = parse_saved_plans(text, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->not_saved, plans.not_saved);
  p.s.write("plans/summary.json", text);
  const fs::path dir = p.s.root() / "plans";
  EXPECT_EQ(error_of([&] { saved_plan_phase(*p.ws, p.apply_request()); }),
            std::make_pair(64, "2 layers to apply have no saved plan in " + dir.string() +
                                   " (it holds none):\n"
                                   "  - sg-db: the plan run P1 ended it provisional\n"
                                   "  - app: the plan run P1 ended it failed\n"
                                   "plan them with 'stackctl plan --env dev --out-dir " +
                                   dir.string() +
                                   "', or leave them out of the selection; nothing was started"));
}

TEST(SavedPlanPhase, PlansOfAnotherEnvAreRefused) {
  Project p;
  p.save({"vpc"}, "prod");
  RunRequest req = p.apply_request();
  EXPECT_EQ(error_of([&] { saved_plan_phase(*p.ws, req); }),
            std::make_pair(3, "--plan-dir " + req.plan_dir +
                                  " holds plans for env 'prod', not 'dev'; nothing was started"));
}

TEST(SavedPlanPhase, AFolderWithoutSummaryOrWithoutAPlanFileIsAnError) {
  Project p;
  fs::path dir = p.s.root() / "plans";
  fs::create_directories(dir);
  EXPECT_EQ(error_of([&] { saved_plan_phase(*p.ws, p.apply_request()); }),
            std::make_pair(64, "--plan-dir " + dir.string() +
                                   " has no summary.json: make the plans with stackctl plan "
                                   "--out-dir " +
                                   dir.string()));
  p.save({"vpc"});
  fs::remove(dir / "vpc.tfplan");
  EXPECT_EQ(error_of([&] { saved_plan_phase(*p.ws, p.apply_request()); }),
            std::make_pair(64, "the saved plan of vpc is missing: " +
                                   (dir / "vpc.tfplan").string() + "; plan again"));
}

TEST(SavedPlanPhase, APlanWhoseDependencyWasAppliedSinceIsRefused) {
  Project p;
  p.journal("vpc", "apply", "ok", "R1", "2026-11-30T09:00:00Z");
  p.save({"vpc", "sg-db", "app"});
  EXPECT_EQ(p.names(saved_plan_phase(*p.ws, p.apply_request())), (Names{"vpc", "sg-db", "app"}));
  p.journal("vpc", "apply", "ok", "R2", "2026-11-30T11:00:00Z");
  EXPECT_EQ(
      error_of([&] { saved_plan_phase(*p.ws, p.apply_request()); }),
      std::make_pair(
          3, std::string(
                 "plan for sg-db is stale: vpc was applied since (run R2 at 2026-11-30T11:00:00Z); "
                 "plan again\n"
                 "plan for app is stale: vpc was applied since (run R2 at 2026-11-30T11:00:00Z); "
                 "plan again")));
  SelectionOptions sel;
  sel.only = {"vpc"};  // vpc's own plan stands on nothing that changed
  EXPECT_EQ(p.names(saved_plan_phase(*p.ws, p.apply_request(sel))), (Names{"vpc"}));
}

}  // namespace
}  // namespace stackctl
