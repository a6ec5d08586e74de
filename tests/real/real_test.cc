// End to end against the REAL terragrunt and OpenTofu: every scenario builds a temporary project
// of real terragrunt units over terraform_data and checks real state files and real tofu output,
// not stackctl's own words. ctest runs this program once per pinned terragrunt version (label
// `real`); without the tools every scenario is skipped with a loud message.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "real/real_project.h"

using namespace stackctl::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// kms and rds hold data; rds pins sg-db and vpc; app and cdn are the rebuildable top.
std::vector<RealLayer> stack_layers() {
  return {
      {"kms", {}, "data"},       {"vpc", {}},
      {"sg-db", {"vpc"}},        {"rds", {"sg-db", "kms"}, "data"},
      {"app", {"vpc", "sg-db"}}, {"cdn", {"app"}},
  };
}

class Real : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto t = real_tools(why);
    if (!t) {
      std::cerr << "\n*** REAL TOOLS MISSING: SKIPPING THE REAL-TOOLS SCENARIO ***\n*** " << why
                << " ***\n\n";
      GTEST_SKIP() << why;
    }
    tools = *t;
  }
  RealTools tools;
};

std::string id_of(const json& state) {
  if (!state.is_object()) return "";
  for (const auto& r : state.value("resources", json::array()))
    for (const auto& i : r.value("instances", json::array()))
      return i["attributes"].value("id", "");
  return "";
}

std::string output_of(const json& state, const std::string& name) {
  if (!state.is_object() || !state.contains("outputs") || !state["outputs"].contains(name))
    return "";
  return state["outputs"][name].value("value", "");
}

// A wrapper in front of the real terragrunt that notes each start's arguments in calls.log;
// the env that points stackctl at it.
std::map<std::string, std::string> counting_starts(const RealProject& p, const RealTools& tools) {
  const std::string log = (p.root() / "calls.log").string();
  p.write("count-starts",
          "#!/bin/sh\necho \"$*\" >> '" + log + "'\nexec '" + tools.terragrunt + "' \"$@\"\n");
  std::filesystem::permissions(p.root() / "count-starts", std::filesystem::perms::owner_all);
  return {{"STACKCTL_TERRAGRUNT", (p.root() / "count-starts").string()}};
}

// The terragrunt commands started since the last call (the word after the binary), in order.
std::vector<std::string> started(const RealProject& p) {
  std::vector<std::string> words;
  std::istringstream lines(p.read("calls.log"));
  for (std::string line; std::getline(lines, line);)
    words.push_back(line.substr(0, line.find(' ')));
  std::filesystem::remove(p.root() / "calls.log");
  return words;
}

}  // namespace

TEST_F(Real, ApplyUpToOnlyAndTargetPassRealOutputsDownTheGraph) {
  RealProject p(tools, stack_layers());
  Outcome up = p.stackctl({"apply", "--env", "real", "--up-to", "sg-db", "--yes"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(p.resources("kms"), std::vector<std::string>{"terraform_data.this"});
  EXPECT_EQ(p.resources("vpc"), std::vector<std::string>{"terraform_data.this"});
  EXPECT_EQ(p.resources("sg-db"), std::vector<std::string>{"terraform_data.this"});
  EXPECT_TRUE(p.resources("rds").empty());
  // sg-db was planned and applied with vpc's real id, not the mock.
  json sg = p.state("sg-db");
  std::string vpc_id = id_of(p.state("vpc"));
  ASSERT_FALSE(vpc_id.empty());
  EXPECT_EQ(sg["resources"][0]["instances"][0]["attributes"]["input"]["value"]["upstream"]["vpc"],
            vpc_id);

  Outcome only = p.stackctl({"apply", "--env", "real", "--only", "app", "--yes"});
  ASSERT_EQ(only.exit_code, 0) << only.err;
  EXPECT_EQ(p.resources("app"), std::vector<std::string>{"terraform_data.this"});
  EXPECT_TRUE(p.resources("rds").empty());
  EXPECT_TRUE(p.resources("cdn").empty());

  Outcome target = p.stackctl({"apply", "--env", "real", "--target", "cdn", "--yes"});
  ASSERT_EQ(target.exit_code, 0) << target.err;
  EXPECT_EQ(p.resources("cdn"), std::vector<std::string>{"terraform_data.this"});
  EXPECT_TRUE(p.resources("rds").empty()) << "rds is not under cdn";
  for (const auto& l : {"kms", "vpc", "sg-db", "app", "cdn"}) EXPECT_FALSE(p.lock_left(l)) << l;
}

// The show and apply after a plan skip the automatic init the plan already did, and from 1.1 on
// the show reads no dependency outputs; the apply still gets the real upstream ids.
TEST_F(Real, TheShowAfterAPlanSkipsWorkThePlanDid) {
  RealProject p(tools, {{"vpc", {}}, {"app", {"vpc"}}});
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--only", "vpc", "--yes"}).exit_code, 0);
  const char* level = tools.minor < 73 ? "TERRAGRUNT_LOG_LEVEL" : "TG_LOG_LEVEL";
  Outcome r = p.stackctl({"apply", "--env", "real", "--only", "app", "--yes"}, {{level, "debug"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string log = p.last_log("app.apply");
  // One `tofu output -json` in vpc per terragrunt start that reads dependency outputs: plan and
  // apply. OpenTofu 1.12's plan stream stands in for the show
  // (Real.AnApplyWithOpenTofu112StartsNoShow).
  EXPECT_EQ(count_of(log, " output -json"), 2) << log;
  EXPECT_EQ(count_of(log, "Auto-Init is disabled"), 1) << "apply: " << log;
  EXPECT_EQ(id_of(p.state("app")).empty(), false);
  EXPECT_EQ(
      p.state(
          "app")["resources"][0]["instances"][0]["attributes"]["input"]["value"]["upstream"]["vpc"],
      id_of(p.state("vpc")));
}

TEST_F(Real, AnOutputOnlyChangeIsAChangeAndPlanDirAppliesIt) {
  RealProject p(tools, stack_layers());
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--yes"}).exit_code, 0);
  Outcome same = p.stackctl({"plan", "--env", "real", "--detailed-exitcode"});
  EXPECT_EQ(same.exit_code, 0) << same.err;

  RealLayer vpc = p.layer("vpc");
  vpc.note = "second";
  p.update(vpc);
  // The real tool agrees that this is a change: plan -detailed-exitcode exits 2.
  Outcome tg = p.terragrunt("vpc", {"plan", "-input=false", "-detailed-exitcode"});
  ASSERT_EQ(tg.exit_code, 2) << tg.out << tg.err;

  Outcome plan = p.stackctl(
      {"plan", "--env", "real", "--only", "vpc", "--detailed-exitcode", "--out-dir", "plans"});
  EXPECT_EQ(plan.exit_code, 2) << plan.err;
  Outcome drift = p.stackctl({"drift", "--env", "real", "--only", "vpc"});
  EXPECT_EQ(drift.exit_code, 2) << drift.err;

  Outcome apply =
      p.stackctl({"apply", "--env", "real", "--only", "vpc", "--plan-dir", "plans", "--yes"});
  ASSERT_EQ(apply.exit_code, 0) << apply.err;
  EXPECT_EQ(output_of(p.state("vpc"), "note"), "second");
  EXPECT_EQ(p.stackctl({"plan", "--env", "real", "--only", "vpc", "--detailed-exitcode"}).exit_code,
            0);
}

// app's saved plan was made against vpc's old id; once the same run has replaced vpc, applying
// it would write the old id back: it is refused right before it would start, and app is left alone.
TEST_F(Real, ASavedPlanMadeStaleByAnApplyEarlierInTheSameRunIsNotApplied) {
  RealProject p(tools, {{"vpc", {}}, {"app", {"vpc"}}});
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--yes"}).exit_code, 0);
  const std::string app_before = p.read("state/app/terraform.tfstate");
  RealLayer vpc = p.layer("vpc"), app = p.layer("app");
  vpc.revision = "2";  // replaced: a new id
  app.note = "second";
  p.update(vpc);
  p.update(app);
  ASSERT_EQ(p.stackctl({"plan", "--env", "real", "--out-dir", "plans"}).exit_code, 0);
  Outcome r = p.stackctl({"apply", "--env", "real", "--plan-dir", "plans", "--yes"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("    plan for app is stale: vpc was applied since (run "), std::string::npos)
      << r.err;
  EXPECT_EQ(p.read("state/app/terraform.tfstate"), app_before)
      << "app's stale plan was not applied";
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--yes"}).exit_code, 0);
  EXPECT_EQ(
      p.state(
          "app")["resources"][0]["instances"][0]["attributes"]["input"]["value"]["upstream"]["vpc"],
      id_of(p.state("vpc")));
}

TEST_F(Real, TheGuardRefusesARealReplaceOfADataLayerAndLeavesItsStateAlone) {
  RealProject p(tools, stack_layers());
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--up-to", "kms", "--yes"}).exit_code, 0);
  const std::string before = p.read("state/kms/terraform.tfstate");
  RealLayer kms = p.layer("kms");
  kms.revision = "2";  // triggers_replace: tofu plans ["delete","create"]
  p.update(kms);
  Outcome refused = p.stackctl({"apply", "--env", "real", "--up-to", "kms", "--yes"});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("terraform_data.this"), std::string::npos) << refused.err;
  EXPECT_EQ(p.read("state/kms/terraform.tfstate"), before);
  EXPECT_EQ(count_of(p.last_log("kms.apply"), "Apply complete!"), 0) << "no apply step ran";

  Outcome allowed = p.stackctl({"apply", "--env", "real", "--up-to", "kms", "--yes",
                                "--allow-replace", "terraform_data.this"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_NE(id_of(p.state("kms")), id_of(json::parse(before)));
}

TEST_F(Real, TheGuardRefusesAForgetAndCreateReplace) {
  RealProject p(tools, {{"kms", {}, "data", 0, "1", "", false, true}});
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--yes"}).exit_code, 0);
  const std::string before = p.read("state/kms/terraform.tfstate");
  RealLayer kms = p.layer("kms");
  kms.revision = "2";
  p.update(kms);
  // What the real tool plans for it: ["forget","create"] where it supports destroy = false.
  Outcome show =
      p.terragrunt("kms", {"plan", "-input=false", "-out=" + (p.root() / "k.tfplan").string()});
  ASSERT_TRUE(show.exit_code == 0 || show.exit_code == 2) << show.err;
  Outcome js = p.terragrunt("kms", {"show", "-json", (p.root() / "k.tfplan").string()});
  json plan = json::parse(js.out.substr(js.out.find('{')), nullptr, false);
  ASSERT_FALSE(plan.is_discarded()) << js.out;
  const json actions = plan["resource_changes"][0]["change"]["actions"];
  if (actions != json::array({"forget", "create"}))
    GTEST_SKIP() << "this tofu plans " << actions.dump() << " for destroy = false";
  // OpenTofu 1.12.6 streams this replace as "noop": the plan stream cannot stand in, the show runs.
  Outcome refused = p.stackctl({"apply", "--env", "real", "--yes"}, counting_starts(p, tools));
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_EQ(p.read("state/kms/terraform.tfstate"), before);
  EXPECT_EQ(started(p), (std::vector<std::string>{"--version", "plan", "show"}));
}

// OpenTofu 1.12+: an apply's plan writes its own stream, which says what the show would: no
// show starts, for a create, an update of an output, and a layer without changes.
TEST_F(Real, AnApplyWithOpenTofu112StartsNoShow) {
  RealProject p(tools, {{"vpc", {}}, {"app", {"vpc"}}});
  Outcome first = p.stackctl({"apply", "--env", "real", "--yes"}, counting_starts(p, tools));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(started(p), (std::vector<std::string>{"--version", "plan", "apply", "plan", "apply"}));
  EXPECT_EQ(
      p.state(
          "app")["resources"][0]["instances"][0]["attributes"]["input"]["value"]["upstream"]["vpc"],
      id_of(p.state("vpc")));
  int streams = 0;  // in the run's private folder, for the user alone
  for (const auto& run : std::filesystem::directory_iterator(p.root() / ".stackctl/real/runs"))
    for (const char* layer : {"vpc", "app"})
      if (std::filesystem::exists(run.path() / (std::string(layer) + ".tfplan.stream.json"))) {
        ++streams;
        EXPECT_EQ(std::filesystem::status(run.path() / (std::string(layer) + ".tfplan.stream.json"))
                          .permissions() &
                      std::filesystem::perms::all,
                  std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
      }
  EXPECT_EQ(streams, 2);

  RealLayer app = p.layer("app");
  app.note = "second";  // an output only
  p.update(app);
  Outcome second = p.stackctl({"apply", "--env", "real", "--yes"}, counting_starts(p, tools));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(started(p), (std::vector<std::string>{"--version", "plan", "plan", "apply"}));
  EXPECT_EQ(output_of(p.state("app"), "note"), "second");
}

// The guard reads the replace of a protected resource from the plan's stream: refused, with
// no show and no apply started.
TEST_F(Real, ThePlanGuardRefusesAReplaceFoundThroughTheStream) {
  RealProject p(tools, {{"kms", {}, "data"}});
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--yes"}).exit_code, 0);
  const std::string before = p.read("state/kms/terraform.tfstate");
  RealLayer kms = p.layer("kms");
  kms.revision = "2";
  p.update(kms);
  Outcome refused = p.stackctl({"apply", "--env", "real", "--yes"}, counting_starts(p, tools));
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("refusing to apply kms (data): the plan deletes or replaces\n      - "
                             "terraform_data.this (replace)\n"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(started(p), (std::vector<std::string>{"--version", "plan"}));
  EXPECT_EQ(p.read("state/kms/terraform.tfstate"), before);
}

namespace {

// Starts a full apply whose app layer sleeps while it is created, waits until tofu is inside
// that provisioner, and sends sig the way it arrives: Ctrl-C to the whole foreground process
// group, SIGTERM and SIGHUP to stackctl alone.
Outcome interrupt_mid_apply(RealProject& p, int sig) {
  auto run = p.start_stackctl({"apply", "--env", "real", "--up-to", "app", "--yes"});
  EXPECT_TRUE(p.wait_for_log("app.apply", "Provisioning with 'local-exec'"))
      << "app never reached its provisioner";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  run->signal(sig, sig == SIGINT);
  return run->wait();
}

void expect_one_clean_interrupt(const RealProject& p, const Outcome& o) {
  EXPECT_EQ(o.exit_code, 130) << o.err;
  const std::string log = p.last_log("app.apply");
  EXPECT_EQ(count_of(log, "Interrupt received"), 1) << log;
  EXPECT_EQ(count_of(log, "Two interrupts received"), 0) << log;
  EXPECT_EQ(p.last_result("app"), "interrupted");
  EXPECT_FALSE(p.exists(".stackctl/real/lock")) << "the env lock is released";
}

}  // namespace

TEST_F(Real, CtrlCMidApplyReachesTofuOnceReleasesItsLockAndResumeFinishes) {
  auto layers = stack_layers();
  layers[4].sleep_s = 30;
  RealProject p(tools, layers);
  Outcome o = interrupt_mid_apply(p, SIGINT);
  expect_one_clean_interrupt(p, o);
  EXPECT_FALSE(p.lock_left("app")) << "tofu released its state lock";
  EXPECT_TRUE(p.state("app").is_object()) << "tofu saved its state";

  RealLayer app = p.layer("app");
  app.sleep_s = 0;
  p.update(app);
  Outcome resumed = p.stackctl({"resume", "--env", "real", "--yes"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(p.resources("app"), std::vector<std::string>{"terraform_data.this"});
  EXPECT_EQ(p.last_result("app"), "ok");
}

TEST_F(Real, SigtermAndSighupStopARealApplyLikeCtrlC) {
  for (int sig : {SIGTERM, SIGHUP}) {
    auto layers = stack_layers();
    layers[4].sleep_s = 30;
    RealProject p(tools, layers);
    Outcome o = interrupt_mid_apply(p, sig);
    SCOPED_TRACE(sig == SIGTERM ? "SIGTERM" : "SIGHUP");
    expect_one_clean_interrupt(p, o);
    EXPECT_FALSE(p.lock_left("app"));
  }
}

TEST_F(Real, CtrlCWhileASlowBackendSavesStateOutlastsTerragruntsOwnTimers) {
  auto layers = stack_layers();
  layers[4].sleep_s = 30;
  const std::string dir =
      (fs::temp_directory_path() / ("stackctl-http-" + std::to_string(getpid()))).string();
  HttpBackend backend(dir);
  RealProject p(tools, layers, backend.port());
  auto run = p.start_stackctl({"apply", "--env", "real", "--up-to", "app", "--yes"});
  ASSERT_TRUE(p.wait_for_log("app.apply", "Provisioning with 'local-exec'"));
  ASSERT_TRUE(backend.locked("app")) << "tofu holds the http lock while it applies";
  backend.delay_writes(40);  // longer than terragrunt's own 15 s and 30 s timers
  const auto sent = std::chrono::steady_clock::now();
  run->signal(SIGINT, true);
  Outcome o = run->wait();
  const auto waited = std::chrono::steady_clock::now() - sent;
  expect_one_clean_interrupt(p, o);
  EXPECT_GE(waited, std::chrono::seconds(40)) << "stackctl waited for tofu to save its state";
  EXPECT_TRUE(backend.state("app").is_object()) << "the state was saved";
  EXPECT_FALSE(backend.locked("app")) << "the http lock was released";
  backend.delay_writes(0);
  fs::remove_all(dir);
}

TEST_F(Real, DestroyBackToTheDataAndRebuildLeaveTheDataStatesUntouched) {
  RealProject p(tools, stack_layers());
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--yes"}).exit_code, 0);
  const std::string kms = p.read("state/kms/terraform.tfstate");
  const std::string rds = p.read("state/rds/terraform.tfstate");
  const std::string vpc_id = id_of(p.state("vpc"));

  Outcome destroyed = p.stackctl({"destroy", "--env", "real", "--yes"});
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.err;
  EXPECT_TRUE(p.resources("app").empty());
  EXPECT_TRUE(p.resources("cdn").empty());
  EXPECT_EQ(id_of(p.state("vpc")), vpc_id) << "vpc is pinned under rds";
  EXPECT_EQ(p.read("state/kms/terraform.tfstate"), kms);
  EXPECT_EQ(p.read("state/rds/terraform.tfstate"), rds);
  // The summary counts what tofu says it destroyed, as it counts the plans of an apply.
  EXPECT_NE(destroyed.out.find("app    destroy   ok           +0 ~0 -1 "), std::string::npos)
      << destroyed.out;
  EXPECT_NE(destroyed.out.find("cdn    destroy   ok           +0 ~0 -1 "), std::string::npos)
      << destroyed.out;

  Outcome rebuilt = p.stackctl({"rebuild", "--env", "real", "--yes"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(p.resources("app"), std::vector<std::string>{"terraform_data.this"});
  EXPECT_EQ(p.resources("cdn"), std::vector<std::string>{"terraform_data.this"});
  EXPECT_EQ(p.read("state/kms/terraform.tfstate"), kms);
  EXPECT_EQ(p.read("state/rds/terraform.tfstate"), rds);
}

// A second checkout (its own --state-dir) whose journal knows only vpc: before the destroy it
// reads the real state of app and rds, destroys app (applied by the other checkout) before vpc
// would go, and keeps vpc because rds, switched off here, still holds its data.
TEST_F(Real, ADestroyFromASecondCheckoutGoesByTheRealStateNotItsJournal) {
  RealProject p(tools, {{"vpc", {}}, {"app", {"vpc"}}, {"rds", {"vpc"}, "data"}});
  ASSERT_EQ(p.stackctl({"--state-dir", "ci-state", "apply", "--env", "real", "--yes"}).exit_code,
            0);
  ASSERT_EQ(
      p.stackctl({"--state-dir", "laptop", "apply", "--env", "real", "--only", "vpc", "--yes"})
          .exit_code,
      0);
  const std::string vpc = p.read("state/vpc/terraform.tfstate");
  const std::string rds = p.read("state/rds/terraform.tfstate");
  p.env("real", "name: real\nparallelism: 2\ndisable: [rds]\n");

  Outcome r = p.stackctl({"--state-dir", "laptop", "destroy", "--env", "real", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("stackctl destroy on env 'real':\n"
                       "destroy 1 layer (dependents first)\n"
                       "  destroy  app\n"
                       "kept 2 layers:\n"
                       "  keep     vpc  pinned by rds (disabled, still applied)\n"
                       "  keep     rds  protected (data; disabled, still applied)\n"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(p.resources("app").empty());
  EXPECT_EQ(p.read("state/vpc/terraform.tfstate"), vpc);
  EXPECT_EQ(p.read("state/rds/terraform.tfstate"), rds);

  // With rds gone by hand, nothing pins vpc; app's state is empty now, so it is skipped, as the
  // state says.
  ASSERT_EQ(p.terragrunt("rds", {"destroy", "-input=false", "-auto-approve"}).exit_code, 0);
  Outcome again =
      p.stackctl({"--state-dir", "fresh", "apply", "--env", "real", "--only", "vpc", "--yes"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  Outcome last = p.stackctl({"--state-dir", "fresh", "destroy", "--env", "real", "--yes"});
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_NE(last.err.find("  skip     app  not applied (its state is empty)\n"), std::string::npos)
      << last.err;
  EXPECT_TRUE(p.resources("vpc").empty());
}

TEST_F(Real, DestroyOfALayerNeverAppliedOrAlreadyDestroyedSucceedsAsAlreadyGone) {
  RealProject p(tools, {{"vpc", {}}, {"app", {"vpc"}}});
  const std::string empty_state = "already gone: its state holds nothing to destroy";
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--only", "vpc", "--yes"}).exit_code, 0);
  Outcome never = p.stackctl({"destroy", "--env", "real", "--only", "app", "--yes"});
  ASSERT_EQ(never.exit_code, 0) << never.err;
  EXPECT_EQ(count_of(never.err, empty_state), 1) << never.err;

  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--yes"}).exit_code, 0);
  Outcome first = p.stackctl({"destroy", "--env", "real", "--only", "app", "--yes"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(count_of(first.err, "already gone"), 0) << first.err;
  Outcome again = p.stackctl({"destroy", "--env", "real", "--only", "app", "--yes"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("app destroy ok"), std::string::npos) << again.err;
  EXPECT_EQ(count_of(again.err, empty_state), 1) << again.err;
  EXPECT_EQ(p.last_result("app"), "ok");
  EXPECT_EQ(p.resources("vpc"), std::vector<std::string>{"terraform_data.this"})
      << "vpc left alone";

  // Once vpc is gone too, terragrunt cannot even start app's destroy (no outputs to read); the
  // journal says app holds nothing, so it is already gone.
  ASSERT_EQ(p.stackctl({"destroy", "--env", "real", "--only", "vpc", "--yes"}).exit_code, 0);
  Outcome gone = p.stackctl({"destroy", "--env", "real", "--only", "app", "--yes"});
  ASSERT_EQ(gone.exit_code, 0) << gone.err;
  EXPECT_EQ(count_of(gone.err, "already gone: the journal shows it holds nothing"), 1) << gone.err;
}

// terragrunt up to 0.7x exits 0 from a destroy it skipped (`skip = true`, an attribute later
// versions reject with exit 1): either way the layer fails, its resource stays, and the journal
// does not count it as destroyed.
TEST_F(Real, ADestroyTerragruntSkippedFailsItsLayerInsteadOfPassingForDone) {
  RealProject p(tools, {{"vpc", {}}, {"app", {"vpc"}}});
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--yes"}).exit_code, 0);
  p.write("envs/real/app/terragrunt.hcl", "skip = true\n" + p.read("envs/real/app/terragrunt.hcl"));
  Outcome tg = p.terragrunt("app", {"destroy", "-input=false", "-auto-approve"});
  const bool skips_with_exit_0 = tools.minor < 80;
  EXPECT_EQ(tg.exit_code, skips_with_exit_0 ? 0 : 1) << tg.err;
  EXPECT_EQ((tg.out + tg.err).find("Destroy complete!"), std::string::npos) << tg.out << tg.err;
  Outcome r = p.stackctl({"destroy", "--env", "real", "--only", "app", "--yes"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(skips_with_exit_0
                           ? "    destroy exited 0, but terraform never printed 'Destroy complete!'"
                           : "    destroy failed: exit 1"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(p.last_result("app"), "failed");
  EXPECT_EQ(p.resources("app"), std::vector<std::string>{"terraform_data.this"})
      << "app is still there";
}

TEST_F(Real, PreventDestroyIsRefusedBeforeAnythingIsDestroyed) {
  auto layers = stack_layers();
  layers[4].prevent_destroy = true;  // app
  RealProject p(tools, layers);
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--yes"}).exit_code, 0);
  // The real terragrunt refuses it, but only when its destroy runs:
  Outcome tg = p.terragrunt("app", {"destroy", "-input=false", "-auto-approve"});
  EXPECT_NE(tg.exit_code, 0);
  EXPECT_NE((tg.out + tg.err).find("prevent_destroy"), std::string::npos) << tg.err;

  Outcome refused = p.stackctl({"destroy", "--env", "real", "--yes"});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("prevent_destroy"), std::string::npos) << refused.err;
  EXPECT_EQ(p.resources("cdn"), std::vector<std::string>{"terraform_data.this"})
      << "cdn, destroyed first, was not touched";
  EXPECT_EQ(p.last_log("cdn.destroy"), "");
}

TEST_F(Real, AFreshEnvIsPlannedEndToEnd) {
  RealProject p(tools, stack_layers());
  Outcome plan = p.stackctl({"plan", "--env", "real", "--output", "json"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  json doc = json::parse(plan.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << plan.out;
  std::map<std::string, std::string> result;
  for (const auto& l : doc["layers"]) result[l["name"]] = l["result"];
  EXPECT_EQ(result["kms"], "ok");
  EXPECT_EQ(result["vpc"], "ok");
  for (const auto& l : {"sg-db", "rds", "app", "cdn"}) EXPECT_EQ(result[l], "provisional") << l;
  for (const auto& l : {"kms", "vpc", "sg-db", "rds", "app", "cdn"})
    EXPECT_TRUE(p.resources(l).empty()) << "plan changed nothing: " << l;
}

TEST_F(Real, ImportAndCheckHclReadTheRealTree) {
  RealProject p(tools, stack_layers());
  Outcome imported = p.stackctl({"import", "--from", "envs/real"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  for (const auto& l : {"kms", "vpc", "sg-db", "rds", "app", "cdn"})
    EXPECT_NE(imported.out.find("name: " + std::string(l)), std::string::npos) << imported.out;
  EXPECT_NE(imported.out.find("depends_on: [kms, sg-db]"), std::string::npos) << imported.out;
  Outcome check = p.stackctl({"validate", "--env", "real", "--check-hcl"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(Real, ExecListsEveryLayersStateAndRefusesAStateRmOfAProtectedLayer) {
  RealProject p(tools, stack_layers());
  ASSERT_EQ(p.stackctl({"apply", "--env", "real", "--yes"}).exit_code, 0);
  Outcome listed = p.stackctl({"exec", "--env", "real", "--", "state", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::size_t found = 0;
  for (auto at = listed.out.find("terraform_data.this"); at != std::string::npos;
       at = listed.out.find("terraform_data.this", at + 1))
    ++found;
  EXPECT_EQ(found, 6u) << "one resource per layer:\n" << listed.out;

  const std::string kms = p.read("state/kms/terraform.tfstate");
  Outcome rm = p.stackctl({"exec", "--env", "real", "--", "state", "rm", "terraform_data.this"});
  EXPECT_EQ(rm.exit_code, 3) << rm.err;
  EXPECT_EQ(p.read("state/kms/terraform.tfstate"), kms);
  EXPECT_EQ(p.resources("cdn"), std::vector<std::string>{"terraform_data.this"})
      << "nothing started";
}
