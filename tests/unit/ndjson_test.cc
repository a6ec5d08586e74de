// The --output ndjson event stream: exact lines for each event, driven by a fake clock.
#include "stackctl/report/ndjson.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <string>

#include "support/memory_stream.h"
#include "support/stack_fixture.h"

using namespace stackctl;
using stackctl::testing::StackFixture;

namespace {

const char* kManifest = R"(version: 1
layers:
  - name: vpc
  - name: sg-db
    depends_on: [vpc]
  - name: app
    depends_on: [vpc]
)";

using Stream = stackctl::testing::MemoryStream;

struct Events {
  Events() : events(fx.stack, 3, stream.file, [this] { return now; }) {}
  LayerResult result(const std::string& name, Outcome outcome, double duration) {
    LayerResult r;
    r.layer = fx.at(name);
    r.action = Action::Apply;
    r.outcome = outcome;
    r.duration_s = duration;
    return r;
  }
  StackFixture fx{kManifest};
  Stream stream;
  double now = 100.0;
  NdjsonEvents events;
};

}  // namespace

TEST(NdjsonEvents, RunStartedNamesTheCommandEnvRunAndSize) {
  Events e;
  e.events.run_started("apply", "dev", "20261130T101500Z-3f9a", 2);
  EXPECT_EQ(
      e.stream.text(),
      R"({"event":"run_started","command":"apply","env":"dev","run_id":"20261130T101500Z-3f9a","layers":3,"parallelism":2})"
      "\n");
}

TEST(NdjsonEvents, PhaseStartedListsItsLayersInOrder) {
  Events e;
  e.events.phase_started(Phase{Action::Destroy, {e.fx.at("vpc"), e.fx.at("app")}});
  EXPECT_EQ(e.stream.text(),
            R"({"event":"phase_started","action":"destroy","layers":["vpc","app"]})"
            "\n");
}

TEST(NdjsonEvents, LayerEventsCarryTheTimeSinceTheRunBegan) {
  Events e;
  e.now = 101.25;
  e.events.layer_started(e.fx.at("vpc"), Action::Apply);
  EXPECT_EQ(e.stream.text(),
            R"({"event":"layer_started","layer":"vpc","action":"apply","elapsed_s":1.25})"
            "\n");
}

TEST(NdjsonEvents, LayerFinishedCarriesResultCountsAndProgress) {
  Events e;
  LayerResult r = e.result("vpc", Outcome::Ok, 45.2);
  r.changes = ChangeCounts{12, 0, 1, 0};
  r.changes_known = true;
  r.log_file = "/state/runs/R/vpc.apply.log";
  e.now = 145.5004;
  e.events.layer_finished(r);
  EXPECT_EQ(
      e.stream.text(),
      R"({"event":"layer_finished","layer":"vpc","action":"apply","result":"ok","exit_code":0,)"
      R"("duration_s":45.2,"changes":{"add":12,"change":0,"destroy":1},"done":1,"total":3,)"
      R"("log":"/state/runs/R/vpc.apply.log","elapsed_s":45.5})"
      "\n");
}

TEST(NdjsonEvents, AFailureHasNullChangesItsExitCodeAndMessage) {
  Events e;
  e.events.layer_finished(e.result("vpc", Outcome::Ok, 1));
  LayerResult r = e.result("sg-db", Outcome::Failed, 0.25);
  r.exit_code = 1;
  r.message = "plan failed: exit 1";
  e.events.layer_finished(r);
  std::string text = e.stream.text();
  std::string second = text.substr(text.find('\n') + 1);
  EXPECT_EQ(
      second,
      R"({"event":"layer_finished","layer":"sg-db","action":"apply","result":"failed","exit_code":1,)"
      R"("duration_s":0.25,"changes":null,"done":2,"total":3,"message":"plan failed: exit 1",)"
      R"("elapsed_s":0.0})"
      "\n");
}

TEST(NdjsonEvents, InterruptNamesTheSignalAndHowManyCame) {
  Events e;
  e.now = 102;
  e.events.interrupted(SIGTERM, 2);
  EXPECT_EQ(e.stream.text(),
            R"({"event":"interrupted","signal":"SIGTERM","count":2,"elapsed_s":2.0})"
            "\n");
}

TEST(NdjsonEvents, RunFinishedCountsEveryResultIncludingLayersThatNeverStarted) {
  Events e;
  RunResult run;
  run.layers = {e.result("vpc", Outcome::Ok, 1), e.result("sg-db", Outcome::Failed, 1),
                e.result("app", Outcome::NotRun, 0)};
  e.now = 160;
  e.events.run_finished(1, false, run, "/state/runs/R");
  EXPECT_EQ(e.stream.text(),
            R"({"event":"run_finished","success":false,"exit_code":1,)"
            R"("results":{"failed":1,"not-run":1,"ok":1},"logs":"/state/runs/R","elapsed_s":60.0})"
            "\n");
}

TEST(NdjsonEvents, EveryLineIsOneJsonObjectEvenWithNewlinesInMessages) {
  Events e;
  LayerResult r = e.result("app", Outcome::Refused, 2);
  r.message = "refusing to apply app\n  - aws_db_instance.this (replace)";
  e.events.layer_finished(r);
  std::string text = e.stream.text();
  ASSERT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1);
  auto doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc["message"], "refusing to apply app\n  - aws_db_instance.this (replace)");
}
