// End to end: the built stackctl against terragrunt-sim in a temporary project.
#include <gtest/gtest.h>

#include <string>

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
  EXPECT_EQ(p.masked(r.err),
            "stackctl apply on env 'dev':\n"
            "apply 3 layers (in dependency order)\n"
            "  apply  kms  [encryption]  protected (data)\n"
            "  apply  vpc  [network]  pinned: rds-app (data) depends on it\n"
            "  apply  sg-db  [sg]  pinned: rds-app (data) depends on it\n"
            "[1/3] kms apply ok +1 ~0 -0 <t>\n"
            "[2/3] vpc apply ok +1 ~0 -0 <t>\n"
            "[3/3] sg-db apply ok +1 ~0 -0 <t>\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
  EXPECT_EQ(p.masked(r.out),
            "\n"
            "LAYER  ACTION    RESULT       CHANGES           DURATION\n"
            "kms    apply     ok           +1 ~0 -0          <t>\n"
            "vpc    apply     ok           +1 ~0 -0          <t>\n"
            "sg-db  apply     ok           +1 ~0 -0          <t>\n"
            "total            3 layers     +3 ~0 -0          <t>\n"
            "3 ok\n");
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
  const std::string cd = "vpc: cd <root>/envs/dev/vpc && " + std::string(TERRAGRUNT_SIM_BIN);
  const std::string plan_file = "<root>/.stackctl/dev/runs/dry-run/vpc.tfplan";
  EXPECT_EQ(p.masked(r.out), cd + " plan -input=false -lock-timeout=5m -detailed-exitcode -out=" +
                                 plan_file + "\n" + cd + " show -json " + plan_file + "\n" + cd +
                                 " apply -input=false -lock-timeout=5m " + plan_file + "\n");
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(EndToEnd, DestroyOfAPinnedLayerIsRefusedBeforeAnythingStarts) {
  Project p;
  auto r = p.run({"destroy", "--env", "dev", "--only", "vpc", "--yes"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(
      r.err,
      "stackctl: refusing to destroy: the selection includes layers that must not be destroyed\n"
      "  - vpc is pinned: rds-app (data) depends on it\n"
      "  - sg-db is pinned: rds-app (data) depends on it\n"
      "  - rds-app is protected (data); name it with --allow-destroy rds-app to destroy it\n"
      "nothing was started\n");
  EXPECT_FALSE(std::filesystem::exists(p.call_log()));
}

TEST(EndToEnd, DestroyWithoutSelectionDeletesBackToTheData) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
  std::filesystem::remove(p.call_log());
  auto r = p.run({"destroy", "--env", "dev", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"}));
  EXPECT_EQ(p.masked(r.err),
            "stackctl destroy on env 'dev':\n"
            "destroy 1 layer (dependents first)\n"
            "  destroy  app  [app]\n"
            "kept 4 layers:\n"
            "  keep     kms  protected (data)\n"
            "  keep     vpc  pinned: rds-app (data) depends on it\n"
            "  keep     sg-db  pinned: rds-app (data) depends on it\n"
            "  keep     rds-app  protected (data)\n"
            "[1/1] app destroy ok +0 ~0 -1 <t>\n"
            "logs: <root>/.stackctl/dev/runs/<run>\n");
}

TEST(EndToEnd, ApplyWithoutYesOffATerminalIsAUsageError) {
  Project p;
  auto r = p.run({"apply", "--env", "dev"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(r.err,
            "stackctl apply on env 'dev':\n"
            "apply 5 layers (in dependency order)\n"
            "  apply  kms  [encryption]  protected (data)\n"
            "  apply  vpc  [network]  pinned: rds-app (data) depends on it\n"
            "  apply  sg-db  [sg]  pinned: rds-app (data) depends on it\n"
            "  apply  rds-app  [database]  protected (data)\n"
            "  apply  app  [app]\n"
            "stackctl: stdin is not a terminal: pass --yes to apply without a prompt\n");
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
  EXPECT_EQ(p.call_sequence(),
            (Calls{"kms plan", "kms show", "kms apply", "vpc plan", "vpc show", "vpc apply"}));
  const std::string plan_file = "<root>/.stackctl/dev/runs/<run>/vpc.tfplan";
  EXPECT_EQ(
      p.masked(r.err),
      "stackctl apply on env 'dev':\n"
      "apply 5 layers (in dependency order)\n"
      "  apply  kms  [encryption]  protected (data)\n"
      "  apply  vpc  [network]  pinned: rds-app (data) depends on it\n"
      "  apply  sg-db  [sg]  pinned: rds-app (data) depends on it\n"
      "  apply  rds-app  [database]  protected (data)\n"
      "  apply  app  [app]\n"
      "[1/5] kms apply ok +1 ~0 -0 <t>\n"
      "[2/5] vpc apply failed +1 ~0 -0 <t>\n"
      "    apply failed: exit 1\n"
      "    --- last lines of <root>/.stackctl/dev/runs/<run>/vpc.apply.log ---\n"
      "    [vpc] <clock> INFO   Running command: terraform apply -input=false -lock-timeout=5m " +
          plan_file +
          "\n"
          "    [vpc] <clock> STDERR terraform: \u2577\n"
          "    [vpc] <clock> STDERR terraform: \u2502 Error: Simulated failure of terraform apply\n"
          "    [vpc] <clock> STDERR terraform: \u2502 \n"
          "    [vpc] <clock> STDERR terraform: \u2502 TERRAGRUNT_SIM_FAIL made this command fail.\n"
          "    [vpc] <clock> STDERR terraform: \u2575\n"
          "    [vpc] <clock> ERROR  Failed to execute \"terraform apply -input=false "
          "-lock-timeout=5m " +
          plan_file +
          "\" in .\n"
          "    [vpc] exit status 1\n"
          "logs: <root>/.stackctl/dev/runs/<run>\n");
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
  EXPECT_EQ(
      p.masked(r.err),
      "stackctl: <root>/layers/manifest.yaml:4: duplicate layer 'vpc' (first defined at line 3)\n");
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
  EXPECT_EQ(p.masked(r.err), "stackctl: <root>/envs: unknown env 'nope'; envs: dev\n");
}

TEST(EndToEnd, TheNonInteractiveVariableFollowsTheTerragruntDialect) {
  for (auto [version, var, other] :
       {std::tuple{"0.72.6", "TERRAGRUNT_NON_INTERACTIVE", "TG_NON_INTERACTIVE"},
        std::tuple{"0.73.0", "TG_NON_INTERACTIVE", "TERRAGRUNT_NON_INTERACTIVE"}}) {
    Project p;
    p.manifest(
        "version: 1\nlayers:\n  - name: vpc\n  - name: probe\n    kind: command\n"
        "    depends_on: [vpc]\n    command: [env]\n");
    auto r = p.run({"apply", "--env", "dev", "--yes"}, {{"TERRAGRUNT_SIM_VERSION", version}});
    std::string log;
    for (const auto& e :
         std::filesystem::recursive_directory_iterator(p.root() / ".stackctl/dev/runs"))
      if (e.path().filename() == "probe.apply.log")
        log = p.read(std::filesystem::relative(e.path(), p.root()).string());
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
  EXPECT_EQ(doc["calls"][0]["argv"][5],
            "-out=" + (p.root() / ".stackctl/dev/runs/dry-run/vpc.tfplan").string());
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
      (s.root() / "layers/manifest.yaml").string() +
      ":5: warning: layer 'db' lists 'vpc' twice in 'depends_on'\n" +
      (s.root() / "envs/dev/env.yaml").string() +
      ":3: warning: layer 'vpc' in 'enable' is not optional; it is always enabled\n";
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
