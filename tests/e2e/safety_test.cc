// End to end: the promises an operator relies on — rebuild keeps the data, the data guard, the
// lock, Ctrl-C, resume, manual gates, preflight and redaction — against terragrunt-sim.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <fstream>
#include <thread>

#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Calls = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

const char* kManifest = R"(version: 1
layers:
  - name: kms
    protect: data
  - name: vpc
  - name: sg-db
    depends_on: [vpc]
  - name: rds-password
    kind: manual
    instructions: Export TF_VAR_rds_master_pass (source secrets.sh).
  - name: rds-app
    depends_on: [sg-db, kms, rds-password]
    protect: data
    needs_env: [TF_VAR_rds_master_pass]
  - name: app
    depends_on: [vpc]
)";

struct Project : Scenario {
  explicit Project(const std::string& env_extra = "") {
    manifest(kManifest);
    env("dev", "name: dev\nparallelism: 1\n" + env_extra);
    layer_hcl("dev", "kms", {});
    layer_hcl("dev", "vpc", {});
    layer_hcl("dev", "sg-db", {"vpc"});
    layer_hcl("dev", "rds-app", {"sg-db", "kms"});
    layer_hcl("dev", "app", {"vpc"});
  }
  std::map<std::string, std::string> secrets() const {
    return {{"TF_VAR_rds_master_pass", "s3cr3t-pa55word"}};
  }
  Outcome up() const {
    run({"confirm", "--env", "dev", "rds-password"});
    return run({"apply", "--env", "dev", "--yes"}, secrets());
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST(Safety, RebuildDestroysBackToTheDataThenAppliesAgain) {
  Project p;
  ASSERT_EQ(p.up().exit_code, 0);
  p.clear_calls();
  auto r = p.run({"rebuild", "--env", "dev", "--yes"}, p.secrets());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy", "kms plan", "vpc plan", "sg-db plan",
                                      "rds-app plan", "app plan", "app show", "app apply"}));
  EXPECT_TRUE(contains(r.err, "phase 1: destroy 1 layer (dependents first)")) << r.err;
  EXPECT_TRUE(contains(r.err, "phase 2: apply 6 layers (in dependency order)")) << r.err;
  EXPECT_TRUE(contains(r.err, "keep     sg-db  pinned: rds-app (data) depends on it")) << r.err;
}

TEST(Safety, ConfirmTrueEnvNeedsTheEnvNameToDestroy) {
  Project p("confirm: true\n");
  ASSERT_EQ(p.up().exit_code, 0);
  p.clear_calls();
  auto refused = p.run({"destroy", "--env", "dev", "--yes"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_TRUE(contains(refused.err, "pass --yes --confirm-env dev")) << refused.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
  EXPECT_EQ(p.run({"destroy", "--env", "dev", "--yes", "--confirm-env", "dev"}).exit_code, 0);
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"}));
}

TEST(Safety, DataGuardRefusesAReplaceOfADataLayerUnlessAllowed) {
  Project p;
  ASSERT_EQ(p.up().exit_code, 0);
  p.fault("rds-app", R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.rds-app"})");
  p.clear_calls();
  auto r = p.run({"apply", "--env", "dev", "--only", "rds-app", "--yes"}, p.secrets());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"rds-app plan", "rds-app show"}));
  EXPECT_TRUE(contains(r.err, "refusing to apply rds-app (data): the plan deletes or replaces"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "  - null_resource.rds-app (replace)")) << r.err;
  p.clear_calls();
  auto allowed = p.run({"apply", "--env", "dev", "--only", "rds-app", "--yes", "--allow-replace",
                        "null_resource.rds-app"},
                       p.secrets());
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"rds-app plan", "rds-app show", "rds-app apply"}));
}

TEST(Safety, UnconfirmedManualStepStopsWithExit5AndConfirmLetsTheNextApplyPass) {
  Project p;
  auto r = p.run({"apply", "--env", "dev", "--yes"}, p.secrets());
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(contains(r.err, "manual step 'rds-password' is not confirmed yet:")) << r.err;
  EXPECT_TRUE(contains(r.err, "Export TF_VAR_rds_master_pass (source secrets.sh).")) << r.err;
  EXPECT_TRUE(contains(r.err, "stackctl confirm --env dev rds-password")) << r.err;
  Calls seq = p.call_sequence();
  EXPECT_EQ(std::count(seq.begin(), seq.end(), "app apply"), 1);  // independent work finished
  EXPECT_EQ(std::count(seq.begin(), seq.end(), "rds-app plan"), 0);
  ASSERT_EQ(p.run({"confirm", "--env", "dev", "rds-password"}).exit_code, 0);
  p.clear_calls();
  EXPECT_EQ(p.run({"resume", "--env", "dev", "--yes"}, p.secrets()).exit_code, 0);
  EXPECT_EQ(p.call_sequence(), (Calls{"rds-app plan", "rds-app show", "rds-app apply"}));
}

TEST(Safety, MissingNeedsEnvRefusesTheRunNamingVariableAndLayers) {
  Project p;
  p.run({"confirm", "--env", "dev", "rds-password"});
  auto r = p.run({"apply", "--env", "dev", "--yes"}, {{"TF_VAR_rds_master_pass", ""}});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(contains(r.err, "TF_VAR_rds_master_pass is not set; needed by rds-app")) << r.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
}

TEST(Safety, SecondRunOnALockedEnvExits4NamingTheHolder) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "plan:3"})");
  auto first = p.start({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  ASSERT_TRUE(p.wait_working("vpc"));
  auto second = p.run({"plan", "--env", "dev", "--only", "app"});
  EXPECT_EQ(second.exit_code, 4) << second.err;
  EXPECT_TRUE(contains(second.err, "env 'dev' is locked")) << second.err;
  EXPECT_TRUE(contains(second.err, "(pid " + std::to_string(first->pid()) + ")")) << second.err;
  EXPECT_EQ(first->wait().exit_code, 0);
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(Safety, StaleLockOfADeadProcessIsTakenOverWithAWarning) {
  Project p;
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  p.write(".stackctl/dev/lock", nlohmann::json{{"pid", dead},
                                               {"host", host},
                                               {"user", "ci"},
                                               {"command", "stackctl apply"},
                                               {"since", "2026-01-01T00:00:00Z"}}
                                    .dump());
  auto r = p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "warning: took over a stale lock")) << r.err;
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(Safety, CtrlCForwardsExactlyOneSigintExits130AndResumeFinishes) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "apply:30"})");
  p.run({"confirm", "--env", "dev", "rds-password"});
  auto run = p.start({"apply", "--env", "dev", "--yes"}, p.secrets());
  ASSERT_TRUE(p.wait_for_call("vpc show"));
  ASSERT_TRUE(p.wait_working("vpc"));
  run->signal(SIGINT, /*group=*/true);  // as a terminal's Ctrl-C: the whole foreground group
  Outcome r = run->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(p.signals_seen("vpc"), 1);
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  EXPECT_TRUE(contains(r.err, "terragrunt force-unlock")) << r.err;
  auto status = p.run({"status", "--env", "dev"});
  EXPECT_TRUE(contains(status.out, "interrupted")) << status.out;

  p.fault("vpc", "{}");
  p.clear_calls();
  auto resumed = p.run({"resume", "--env", "dev", "--yes"}, p.secrets());
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  Calls seq = p.call_sequence();
  EXPECT_EQ(std::count(seq.begin(), seq.end(), "kms plan"), 0)
      << "kms finished before the interrupt";
  EXPECT_EQ(seq.front(), "vpc plan");
  EXPECT_EQ(seq.back(), "app apply");
}

TEST(Safety, SecondCtrlCReachesTheChildOnceMoreAndItsStateLockIsLeft) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "plan:30", "TERRAGRUNT_SIM_GRACE": "30"})");
  auto run = p.start({"plan", "--env", "dev", "--only", "vpc"});
  ASSERT_TRUE(p.wait_working("vpc"));
  run->signal(SIGINT, true);
  for (int i = 0; i < 3000 && p.signals_seen("vpc") < 1; ++i) usleep(10000);
  run->signal(SIGINT, true);
  Outcome r = run->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(p.signals_seen("vpc"), 2);
  EXPECT_TRUE(p.exists("envs/dev/vpc/.terragrunt-sim/lock")) << "terraform leaves its lock";
  EXPECT_FALSE(p.exists(".stackctl/dev/lock")) << "stackctl always releases its own";
}

TEST(Safety, SigtermByPidIsTreatedLikeCtrlC) {
  Project p;
  p.fault("vpc", R"({"TERRAGRUNT_SIM_SLEEP": "30"})");
  auto run = p.start({"plan", "--env", "dev", "--only", "vpc"});
  ASSERT_TRUE(p.wait_working("vpc"));
  run->signal(SIGTERM);
  Outcome r = run->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(p.signals_seen("vpc"), 1);
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(Safety, SecretsAreRedactedInLogsAndOnTheTerminal) {
  Project p;
  p.manifest(R"(version: 1
layers:
  - name: show-secret
    kind: command
    command: [printenv, GITHUB_TOKEN]
)");
  auto r =
      p.run({"-v", "apply", "--env", "dev", "--yes"}, {{"GITHUB_TOKEN", "ghp_supersecretvalue"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err + r.out, "ghp_supersecretvalue")) << r.err;
  EXPECT_TRUE(contains(r.err, "[show-secret] ***")) << r.err;
  for (const auto& entry : fs::recursive_directory_iterator(p.root() / ".stackctl")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_FALSE(contains(text, "ghp_supersecretvalue")) << entry.path();
  }
}

TEST(Safety, TornJournalLineIsSkippedWithAWarning) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);
  {
    std::ofstream j(p.root() / ".stackctl/dev/journal.jsonl", std::ios::app);
    j << R"({"type":"layer_end","run_id":"x","lay)";
  }
  auto status = p.run({"status", "--env", "dev"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(contains(status.err, "skipped torn last line")) << status.err;
  EXPECT_TRUE(contains(status.out, "vpc")) << status.out;
  EXPECT_EQ(p.run({"apply", "--env", "dev", "--only", "app", "--yes"}).exit_code, 0);
}

TEST(Safety, DestroySkipsLayersTheJournalShowsWereNeverAppliedOnceTheirStateSaysSo) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--up-to", "sg-db", "--yes"}).exit_code, 0);
  p.clear_calls();
  auto r = p.run({"destroy", "--env", "dev", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "  skip     app  not applied (its state is empty)\n")) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"app show"}))
      << "vpc and sg-db are pinned, app holds nothing";
  // Naming the layer runs it anyway: the user may know better than the journal.
  p.clear_calls();
  auto named = p.run({"destroy", "--env", "dev", "--only", "app", "--yes"});
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy"})) << named.err;
}
