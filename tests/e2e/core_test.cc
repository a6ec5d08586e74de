// End to end: the built stackctl against terragrunt-sim in a temporary project.
#include <gtest/gtest.h>

#include "support/data_stack.h"

using stackctl::testing::Scenario;
using Calls = std::vector<std::string>;

namespace {


using Project = stackctl::testing::DataStack;

}  // namespace

TEST(EndToEnd, ApplyUpToRunsPlanShowApplyPerLayerInOrder) {
  Project p;
  auto r = p.run({"apply", "--env", "dev", "--up-to", "sg-db", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"kms plan", "kms show", "kms apply", "vpc plan", "vpc show",
                                      "vpc apply", "sg-db plan", "sg-db show", "sg-db apply"}));
  EXPECT_NE(r.err.find("apply 3 layers (in dependency order)"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("sg-db  apply"), std::string::npos) << r.out;
}

TEST(EndToEnd, SecondApplyFindsNoChangesAndSkipsTheApplyStep) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);
  std::filesystem::remove(p.call_log());
  auto r = p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan"}));
}

TEST(EndToEnd, DryRunPrintsEveryChildAndRunsNothing) {
  Project p;
  auto r = p.run({"apply", "--env", "dev", "--only", "vpc", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(p.call_log()));
  std::string dir = (p.root() / "envs/dev/vpc").string();
  EXPECT_NE(r.out.find("vpc: cd " + dir + " && "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" plan -input=false -lock-timeout=5m -detailed-exitcode -out="), std::string::npos);
  EXPECT_NE(r.out.find(" apply -input=false -lock-timeout=5m "), std::string::npos);
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(EndToEnd, DestroyOfAPinnedLayerIsRefusedBeforeAnythingStarts) {
  Project p;
  auto r = p.run({"destroy", "--env", "dev", "--only", "vpc", "--yes"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("vpc is pinned: rds-app (data) depends on it"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rds-app is protected (data)"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(p.call_log()));
}

TEST(EndToEnd, DestroyWithoutSelectionDeletesBackToTheData) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
  std::filesystem::remove(p.call_log());
  auto r = p.run({"destroy", "--env", "dev", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"}));
  EXPECT_NE(r.err.find("keep     rds-app  protected (data)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("keep     vpc  pinned: rds-app (data) depends on it"), std::string::npos) << r.err;
}

TEST(EndToEnd, ApplyWithoutYesOffATerminalIsAUsageError) {
  Project p;
  auto r = p.run({"apply", "--env", "dev"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("pass --yes"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(p.call_log()));
}

TEST(EndToEnd, PlanDetailedExitcodeIsTwoWithChangesAndZeroWithout) {
  Project p;
  EXPECT_EQ(p.run({"plan", "--env", "dev", "--only", "vpc", "--detailed-exitcode"}).exit_code, 2);
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);
  EXPECT_EQ(p.run({"plan", "--env", "dev", "--only", "vpc", "--detailed-exitcode"}).exit_code, 0);
}

TEST(EndToEnd, JsonOutputIsOneDocumentOnStdout) {
  Project p;
  auto r = p.run({"--output", "json", "apply", "--env", "dev", "--only", "vpc", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["command"], "apply");
  EXPECT_EQ(doc["env"], "dev");
  EXPECT_EQ(doc["success"], true);
  EXPECT_EQ(doc["exit_code"], 0);
  ASSERT_EQ(doc["layers"].size(), 1u);
  EXPECT_EQ(doc["layers"][0]["name"], "vpc");
  EXPECT_EQ(doc["layers"][0]["result"], "ok");
  EXPECT_EQ(doc["layers"][0]["changes"]["add"], 1);
  EXPECT_TRUE(doc["errors"].empty());
}

TEST(EndToEnd, JsonOutputReportsErrorsBeforeAnythingRuns) {
  Project p;
  auto r = p.run({"--output", "json", "apply", "--env", "dev", "--only", "nope", "--yes"});
  EXPECT_EQ(r.exit_code, 64);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["success"], false);
  EXPECT_EQ(doc["exit_code"], 64);
  ASSERT_EQ(doc["errors"].size(), 1u);
  EXPECT_EQ(doc["errors"][0], "unknown layer 'nope'");
}

TEST(EndToEnd, AFailingLayerStopsItsDependentsAndExitsOne) {
  Project p;
  p.write("envs/dev/vpc/.terragrunt-sim/faults.json", R"({"TERRAGRUNT_SIM_FAIL": "apply"})");
  auto r = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"kms plan", "kms show", "kms apply", "vpc plan", "vpc show", "vpc apply"}));
  EXPECT_NE(r.err.find("vpc apply failed"), std::string::npos) << r.err;
}

TEST(EndToEnd, OutputPrintsTheLayersOutputsAsJson) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);
  auto r = p.run({"output", "--env", "dev", "vpc"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(doc.contains("id")) << r.out;
}

TEST(EndToEnd, InvalidManifestExits65WithFileAndLine) {
  Project p;
  p.manifest("version: 1\nlayers:\n  - name: vpc\n  - name: vpc\n");
  auto r = p.run({"list", "--env", "dev"});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_NE(r.err.find("layers/manifest.yaml:4: "), std::string::npos) << r.err;
}

TEST(EndToEnd, HostileLayerNamesAreRejectedAndNothingRuns) {
  for (const char* name : {"a;rm -rf x", "$(touch x)", "-rf", "../x"}) {
    Project p;
    p.manifest(std::string("version: 1\nlayers:\n  - name: \"") + name + "\"\n");
    auto r = p.run({"apply", "--env", "dev", "--yes"});
    EXPECT_EQ(r.exit_code, 65) << name;
    EXPECT_FALSE(std::filesystem::exists(p.call_log())) << name;
    EXPECT_FALSE(p.exists("x")) << name;
  }
}

TEST(EndToEnd, UnknownEnvIsAUsageError) {
  Project p;
  auto r = p.run({"plan", "--env", "nope"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("dev"), std::string::npos) << r.err;
}

TEST(EndToEnd, TheNonInteractiveVariableFollowsTheTerragruntDialect) {
  for (auto [version, var, other] : {std::tuple{"0.72.6", "TERRAGRUNT_NON_INTERACTIVE", "TG_NON_INTERACTIVE"},
                                     std::tuple{"0.73.0", "TG_NON_INTERACTIVE", "TERRAGRUNT_NON_INTERACTIVE"}}) {
    Project p;
    p.manifest("version: 1\nlayers:\n  - name: vpc\n  - name: probe\n    kind: command\n"
               "    depends_on: [vpc]\n    command: [env]\n");
    auto r = p.run({"apply", "--env", "dev", "--yes"}, {{"TERRAGRUNT_SIM_VERSION", version}});
    std::string log;
    for (const auto& e : std::filesystem::recursive_directory_iterator(p.root() / ".stackctl/dev/runs"))
      if (e.path().filename() == "probe.apply.log") log = p.read(std::filesystem::relative(e.path(), p.root()).string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(log.find(std::string("\n") + var + "=true\n"), std::string::npos) << version << log;
    EXPECT_EQ(log.find(std::string(other) + "="), std::string::npos) << version << log;
    EXPECT_NE(log.find("\nTF_IN_AUTOMATION=1\n"), std::string::npos) << log;
    EXPECT_NE(log.find("\nTF_INPUT=0\n"), std::string::npos) << log;
  }
}

TEST(EndToEnd, DryRunWithJsonOutputPutsEveryCallInTheDocument) {
  Project p;
  auto r = p.run({"plan", "--env", "dev", "--only", "vpc", "--dry-run", "--output", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["dry_run"], true);
  ASSERT_EQ(doc["calls"].size(), 2u);
  EXPECT_EQ(doc["calls"][0]["cwd"], (p.root() / "envs/dev/vpc").string());
  EXPECT_EQ(doc["calls"][0]["argv"][1], "plan");
  EXPECT_EQ(doc["calls"][0]["argv"][5], "-out=" + (p.root() / ".stackctl/dev/runs/dry-run/vpc.tfplan").string());
  EXPECT_FALSE(std::filesystem::exists(p.call_log()));
}

TEST(EndToEnd, NdjsonStreamEndsWithTheErrorWhenNothingCouldRun) {
  Project p;
  auto r = p.run({"--output", "ndjson", "plan", "--env", "dev", "--only", "nope"});
  EXPECT_EQ(r.exit_code, 64);
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  auto event = nlohmann::json::parse(r.out);
  EXPECT_EQ(event["event"], "run_finished");
  EXPECT_EQ(event["exit_code"], 64);
  EXPECT_EQ(event["errors"][0], "unknown layer 'nope'");
}

TEST(EndToEnd, TheWarningsOfTheManifestAndTheEnvShowOnceInEveryCommandOfAnEnv) {
  Scenario s;
  s.manifest("version: 1\nlayers:\n  - name: vpc\n  - name: db\n    depends_on: [vpc, vpc]\n");
  s.env("dev", "name: dev\nparallelism: 1\nenable: [vpc]\n");
  s.layer_hcl("dev", "vpc", {});
  s.layer_hcl("dev", "db", {"vpc"});
  const std::string warnings =
      (s.root() / "layers/manifest.yaml").string() + ":5: warning: layer 'db' lists 'vpc' twice in 'depends_on'\n" +
      (s.root() / "envs/dev/env.yaml").string() + ":3: warning: layer 'vpc' in 'enable' is not optional; it is always enabled\n";
  for (const char* command : {"list", "status", "graph", "gates"}) {
    SCOPED_TRACE(command);
    auto r = s.run({command, "--env", "dev"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.err, warnings);
  }
  auto plan = s.run({"plan", "--env", "dev", "--dry-run"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.err.substr(0, warnings.size()), warnings);
  EXPECT_EQ(plan.err.find(warnings, 1), std::string::npos) << plan.err;
}
