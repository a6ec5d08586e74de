// End to end: the operator's commands around a run — runbook gates that re-open when what they
// approved is destroyed or replaced, `gates`, `confirm` of several steps and `--withdraw`,
// `output LAYER NAME`, `logs`, `exec`, and the retention of run folders — against terragrunt-sim.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include <regex>
#include <sstream>

#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Calls = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Times and run ids vary from run to run: `T` and `R` stand for them.
std::string stable(const std::string& text) {
  static const std::regex run_id(R"(\d{8}T\d{6}Z-[0-9a-f]{4})");
  static const std::regex time(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  return std::regex_replace(std::regex_replace(text, run_id, "R"), time, "T");
}

std::string login_name() {
  const passwd* pw = getpwuid(geteuid());
  return pw ? pw->pw_name : "";
}

// A connection created PENDING and approved by hand, a delegation set the registrar points
// at (keep), and an app behind both gates.
struct GateProject : Scenario {
  GateProject() {
    manifest(R"(version: 1
layers:
  - name: delegation
    protect: keep
  - name: registrar-ns
    kind: manual
    depends_on: [delegation]
    instructions: Point the registrar at the name servers.
  - name: conn
  - name: approve-conn
    kind: manual
    depends_on: [conn]
    instructions: Approve the connection in the console.
  - name: app
    depends_on: [conn, approve-conn, registrar-ns]
)");
    env("dev", "name: dev\nparallelism: 1\n");
    layer_hcl("dev", "delegation", {});
    layer_hcl("dev", "conn", {});
    layer_hcl("dev", "app", {"conn"});
  }
  /// The journal's records of one type, in order.
  std::vector<nlohmann::json> records(const std::string& type) const {
    std::vector<nlohmann::json> out;
    std::istringstream lines(read(".stackctl/dev/journal.jsonl"));
    for (std::string line; std::getline(lines, line);) {
      auto j = nlohmann::json::parse(line);
      if (j.value("type", "") == type) out.push_back(j);
    }
    return out;
  }
  Outcome up() const {
    EXPECT_EQ(run({"confirm", "--env", "dev", "registrar-ns", "approve-conn"}).exit_code, 0);
    return run({"apply", "--env", "dev", "--yes"});
  }
};

}  // namespace

TEST(Gates, ARebuildReopensTheGateOfTheDestroyedConnectionAndStopsThere) {
  GateProject p;
  ASSERT_EQ(p.up().exit_code, 0);
  const std::string u = login_name();
  p.clear_calls();
  auto r = p.run({"rebuild", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(contains(stable(r.err),
                       "gates:\n"
                       "  gate     registrar-ns  confirmed by " +
                           u +
                           " at T\n"
                           "  gate     approve-conn  confirmed by " +
                           u +
                           " at T, but this run "
                           "destroys conn first: it will be pending again\n"))
      << r.err;
  // The new connection is created, then the run stops at its gate: app is not applied.
  EXPECT_EQ(p.call_sequence(), (Calls{"app destroy", "conn destroy", "delegation plan", "conn plan",
                                      "conn show", "conn apply"}));
  EXPECT_TRUE(contains(stable(r.err),
                       "manual step 'approve-conn' is not confirmed yet:\n"
                       "  Approve the connection in the console.\n"
                       "(re-opened: conn destroyed at T (run R); it was confirmed by " +
                           u +
                           " at T)\n"
                           "when it is done, run: stackctl confirm --env dev approve-conn\n"))
      << r.err;

  auto gates = p.run({"gates", "--env", "dev"});
  ASSERT_EQ(gates.exit_code, 0) << gates.err;
  EXPECT_EQ(
      stable(gates.out),
      "GATE          STATE      DETAIL\n"
      "registrar-ns  confirmed  confirmed by " +
          u +
          " at T\n"
          "approve-conn  pending    re-opened: conn destroyed at T (run R); it was confirmed by " +
          u +
          " at T\n"
          "\nwhen the pending steps are done: stackctl confirm --env dev approve-conn\n");

  // The next apply's preview says why before anything starts.
  auto again = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(again.exit_code, 5);
  EXPECT_TRUE(contains(stable(again.err),
                       "  gate     approve-conn  pending: re-opened: conn destroyed at T (run R)"))
      << again.err;

  ASSERT_EQ(p.run({"confirm", "--env", "dev", "approve-conn"}).exit_code, 0);
  p.clear_calls();
  auto resumed = p.run({"resume", "--env", "dev", "--yes"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"app plan", "app show", "app apply"}));
}

TEST(Gates, AnApplyThatReplacesTheDependencyReopensItsGateAndANoChangeApplyDoesNot) {
  GateProject p;
  ASSERT_EQ(p.up().exit_code, 0);
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "conn", "--yes"}).exit_code,
            0);  // no changes
  EXPECT_TRUE(contains(p.run({"gates", "--env", "dev"}).out, "approve-conn  confirmed"));

  p.fault("conn", R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.conn"})");
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "conn", "--yes"}).exit_code, 0);
  auto gates = p.run({"gates", "--env", "dev"});
  EXPECT_TRUE(contains(stable(gates.out),
                       "approve-conn  pending    re-opened: conn replaced 1 resource at T (run R)"))
      << gates.out;
  EXPECT_TRUE(contains(gates.out, "registrar-ns  confirmed")) << gates.out;
}

TEST(Gates, ConfirmTakesSeveralStepsChecksThemAllFirstAndRecordsTheUserWithoutUSER) {
  GateProject p;
  auto typo = p.run({"confirm", "--env", "dev", "registrar-ns", "aprove-conn"});
  EXPECT_EQ(typo.exit_code, 64);
  EXPECT_EQ(typo.err,
            "stackctl: unknown manual step 'aprove-conn' (did you mean 'approve-conn'?)\n");
  auto not_manual = p.run({"confirm", "--env", "dev", "conn"});
  EXPECT_EQ(not_manual.exit_code, 64);
  EXPECT_EQ(not_manual.err, "stackctl: 'conn' is a terragrunt layer, not a manual step\n");
  EXPECT_TRUE(p.records("confirm").empty()) << "nothing is recorded when one name is wrong";

  auto r = p.run({"confirm", "--env", "dev", "registrar-ns", "approve-conn"}, {{"USER", ""}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string u = login_name();
  ASSERT_FALSE(u.empty());
  EXPECT_EQ(r.err, "recorded manual step 'registrar-ns' as done in env dev (" + u +
                       ")\n"
                       "recorded manual step 'approve-conn' as done in env dev (" +
                       u + ")\n");
  auto confirms = p.records("confirm");
  ASSERT_EQ(confirms.size(), 2u);
  EXPECT_EQ(confirms[0]["layer"], "registrar-ns");
  EXPECT_EQ(confirms[1]["user"], u);
}

TEST(Gates, AWithdrawnConfirmationIsPendingAgainAndTheNextApplyStopsThere) {
  GateProject p;
  ASSERT_EQ(p.up().exit_code, 0);
  const std::string u = login_name();
  auto w = p.run({"confirm", "--env", "dev", "--withdraw", "registrar-ns"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  EXPECT_EQ(w.err,
            "withdrew the confirmation of manual step 'registrar-ns' in env dev (" + u + ")\n");
  auto twice = p.run({"confirm", "--env", "dev", "--withdraw", "registrar-ns"});
  EXPECT_EQ(twice.exit_code, 0);
  EXPECT_EQ(twice.err,
            "manual step 'registrar-ns' is not confirmed in env dev: nothing to withdraw\n");
  EXPECT_EQ(p.records("withdraw").size(), 1u);

  auto json = p.run({"--output", "json", "gates", "--env", "dev"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["gates"].size(), 2u);
  EXPECT_EQ(doc["gates"][0]["name"], "registrar-ns");
  EXPECT_EQ(doc["gates"][0]["state"], "pending");
  EXPECT_EQ(doc["gates"][0]["withdrawn_by"], u);
  EXPECT_EQ(doc["gates"][0]["depends_on"], nlohmann::json::array({"delegation"}));
  EXPECT_EQ(doc["gates"][1]["state"], "confirmed");
  EXPECT_EQ(doc["gates"][1]["confirmed_by"], u);

  p.clear_calls();
  auto r = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_TRUE(contains(stable(r.err), "  gate     registrar-ns  pending: withdrawn by " + u +
                                          " at T; it was confirmed by " + u + " at T\n"))
      << r.err;
  Calls seq = p.call_sequence();
  EXPECT_EQ(std::count(seq.begin(), seq.end(), "app plan"), 0);
}

TEST(Output, NamePrintsOneValueLikeTerraformOutputAndAMissingNameListsTheLayersOutputs) {
  GateProject p;
  p.write("envs/dev/delegation/sim.json",
          R"({"resources": ["aws_route53_delegation_set.this"],
              "outputs": {"name_servers": ["ns-1.example", "ns-2.example"], "id": "N123"}})");
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "delegation", "--yes"}).exit_code, 0);

  auto text = p.run({"output", "--env", "dev", "delegation", "id"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out, "N123\n");
  EXPECT_EQ(p.run({"output", "--env", "dev", "delegation", "name_servers"}).out,
            "[\n  \"ns-1.example\",\n  \"ns-2.example\"\n]\n");
  EXPECT_EQ(p.run({"output", "--env", "dev", "delegation", "id", "--json"}).out, "\"N123\"\n");
  EXPECT_EQ(p.run({"--output", "json", "output", "--env", "dev", "delegation", "name_servers"}).out,
            "[\"ns-1.example\",\"ns-2.example\"]\n");

  auto typo = p.run({"output", "--env", "dev", "delegation", "name_server"});
  EXPECT_EQ(typo.exit_code, 64);
  EXPECT_EQ(typo.err,
            "stackctl: layer 'delegation' has no output 'name_server' (did you mean "
            "'name_servers'?); its outputs: id, name_servers\n");
  EXPECT_EQ(typo.out, "");
  auto none = p.run({"output", "--env", "dev", "conn", "arn"});
  EXPECT_EQ(none.exit_code, 64);
  EXPECT_EQ(none.err, "stackctl: layer 'conn' has no outputs (is it applied?)\n");

  auto whole = p.run({"output", "--env", "dev", "delegation"});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(nlohmann::json::parse(whole.out)["id"]["value"], "N123");
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

namespace {

/// The run folders of env dev, oldest first.
std::vector<std::string> run_dirs(const Scenario& s) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(s.root() / ".stackctl/dev/runs"))
    out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

/// The run ids of the journal's run_start records, in order.
std::vector<std::string> started_runs(const GateProject& p) {
  std::vector<std::string> out;
  for (const auto& r : p.records("run_start")) out.push_back(r["run_id"]);
  return out;
}

}  // namespace

TEST(Logs, ShowTheLastLogOfALayerOrSayThereIsNone) {
  GateProject p;
  auto none = p.run({"logs", "--env", "dev", "conn"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(none.err, "no log of layer 'conn' in env dev (" +
                          (p.root() / ".stackctl/dev/runs").string() +
                          "): it has not run, or the run folders that held its logs were pruned\n");

  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "conn", "--yes"}).exit_code, 0);
  ASSERT_EQ(p.run({"plan", "--env", "dev", "--only", "conn"}).exit_code, 0);
  const std::string plan_run = started_runs(p).back();
  const fs::path log = p.root() / ".stackctl/dev/runs" / plan_run / "conn.plan.log";
  auto r = p.run({"logs", "--env", "dev", "conn"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "log of conn: " + log.string() + "\n");
  EXPECT_EQ(r.out, p.read(".stackctl/dev/runs/" + plan_run + "/conn.plan.log"));
  EXPECT_TRUE(contains(r.out, "No changes.")) << r.out;

  auto gate = p.run({"logs", "--env", "dev", "approve-conn"});
  EXPECT_EQ(gate.exit_code, 0);
  EXPECT_EQ(gate.err,
            "'approve-conn' is a manual step: it runs no process and has no log; "
            "stackctl gates --env dev shows its state\n");
  auto typo = p.run({"logs", "--env", "dev", "con"});
  EXPECT_EQ(typo.exit_code, 64);
  EXPECT_EQ(typo.err, "stackctl: unknown layer 'con' (did you mean 'conn'?)\n");
}

TEST(Prune, KeepRunsPrunesAfterEachRunButNeverTheResumableRun) {
  GateProject p;
  p.env("dev", "name: dev\nparallelism: 1\nkeep_runs: 2\n");
  p.fault("conn", R"({"TERRAGRUNT_SIM_FAIL": "apply"})");
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "conn", "--yes"}).exit_code, 1);
  fs::remove(p.root() / "envs/dev/conn/.terragrunt-sim/faults.json");
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(p.run({"plan", "--env", "dev", "--only", "delegation"}).exit_code, 0);
  auto runs = started_runs(p);
  ASSERT_EQ(runs.size(), 4u);
  // The failed apply is what `resume` continues: its folder stays; of the rest, the 2 newest.
  std::vector<std::string> expected{runs[0], runs[2], runs[3]};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(run_dirs(p), expected);

  auto pruned = p.run({"prune", "--env", "dev", "--keep", "1"});
  ASSERT_EQ(pruned.exit_code, 0) << pruned.err;
  EXPECT_TRUE(std::regex_match(
      pruned.out,
      std::regex(R"(env dev: removed 1 run folder \([0-9.]+ (B|KiB)\), kept 2 \(keep 1\)\n)")))
      << pruned.out;
  expected = {runs[0], runs[3]};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(run_dirs(p), expected);
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));

  // Once the apply is resumed and ends ok, its folder is an old run like any other.
  ASSERT_EQ(p.run({"resume", "--env", "dev", "--yes"}).exit_code, 0);
  auto json = p.run({"--output", "json", "prune", "--env", "dev", "--keep", "1"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["removed"].size(), 1u);
  EXPECT_EQ(run_dirs(p).size(), 1u);
  EXPECT_EQ(run_dirs(p)[0], started_runs(p).back());
}

TEST(Prune, ABadKeepIsAUsageErrorAndABadKeepRunsAnEnvError) {
  GateProject p;
  EXPECT_EQ(p.run({"prune", "--env", "dev", "--keep", "0"}).exit_code, 64);
  p.env("dev", "name: dev\nkeep_runs: 0\n");
  auto r = p.run({"prune", "--env", "dev"});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err, "stackctl: " + (p.root() / "envs/dev/env.yaml").string() +
                       ":2: 'keep_runs' must be an integer from 1 to 100000, not '0'\n");
}

namespace {

/// Runs the built stackctl in cwd with its stdout on a terminal (a pty in raw mode) and
/// returns what reached that terminal.
std::string on_a_terminal(const fs::path& cwd, const std::vector<std::string>& args) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return "no pty";
  const std::string slave_name = ptsname(master);
  pid_t pid = fork();
  if (pid == 0) {
    int slave = open(slave_name.c_str(), O_RDWR);
    termios t{};
    tcgetattr(slave, &t);
    cfmakeraw(&t);
    tcsetattr(slave, TCSANOW, &t);
    int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, 0);
    dup2(slave, 1);
    dup2(null_fd, 2);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    setenv("NO_COLOR", "1", 1);
    std::vector<char*> argv{const_cast<char*>(STACKCTL_BIN)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(STACKCTL_BIN, argv.data());
    _exit(127);
  }
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = read(master, buffer, sizeof buffer)) > 0;)
    out.append(buffer, static_cast<std::size_t>(n));
  waitpid(pid, nullptr, 0);
  close(master);
  return out;
}

}  // namespace

TEST(Logs, OnATerminalEscapeSequencesInALogAreShownNotObeyedAndIntoAPipeTheLogIsAsWritten) {
  Scenario s;
  s.manifest(
      "version: 1\nlayers:\n  - name: seed\n    kind: command\n"
      "    command: [printf, '\\033[2Jcleared\\n']\n");
  s.env("dev", "name: dev\n");
  ASSERT_EQ(s.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
  auto piped = s.run({"logs", "--env", "dev", "seed"});
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_TRUE(contains(piped.out, "\x1b[2Jcleared\n")) << piped.out;
  const std::string shown = on_a_terminal(s.root(), {"logs", "--env", "dev", "seed"});
  EXPECT_TRUE(contains(shown, "\\x1b[2Jcleared\n")) << shown;
  EXPECT_FALSE(contains(shown, "\x1b")) << shown;
}

TEST(Exec, RunsATerragruntCommandInEachSelectedLayerInDependencyOrderJournaledAndUnlocked) {
  GateProject p;
  ASSERT_EQ(p.up().exit_code, 0);
  p.clear_calls();
  auto r = p.run({"exec", "--env", "dev", "--", "output", "-json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"delegation output", "conn output", "app output"}));
  EXPECT_TRUE(contains(r.err, "stackctl exec on env 'dev': " + std::string(TERRAGRUNT_SIM_BIN) +
                                  " output -json in 3 layers (in dependency order)\n"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "[2/3] conn exec ok (exit 0)")) << r.err;
  EXPECT_TRUE(contains(r.out, "\"conn-id\"")) << r.out;
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  auto ends = p.records("layer_end");
  ASSERT_GE(ends.size(), 3u);
  EXPECT_EQ(ends.back()["layer"], "app");
  EXPECT_EQ(ends.back()["action"], "exec");
  EXPECT_EQ(ends.back()["result"], "ok");
  EXPECT_EQ(p.records("run_start").back()["exec"], nlohmann::json::array({"output", "-json"}));

  p.clear_calls();
  ASSERT_EQ(p.run({"exec", "--env", "dev", "--only", "conn", "--", "output", "-json"}).exit_code,
            0);
  EXPECT_EQ(p.call_sequence(), (Calls{"conn output"}));
  auto json = p.run(
      {"--output", "json", "exec", "--env", "dev", "--only", "conn", "--", "output", "-json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["command"], "exec");
  EXPECT_EQ(doc["success"], true);
  ASSERT_EQ(doc["layers"].size(), 1u);
  EXPECT_EQ(doc["layers"][0]["result"], "ok");
  EXPECT_EQ(nlohmann::json::parse(doc["layers"][0]["stdout"].get<std::string>())["id"]["value"],
            "conn-id");
  // Its log is the layer's last log.
  EXPECT_TRUE(contains(p.run({"logs", "--env", "dev", "conn"}).err, "/conn.exec.log\n"));
}

// What exec's child prints on stdout is redacted like everything else stackctl shows.
TEST(Exec, SecretsInTheChildsStandardOutputAreRedactedOnTheTerminalAndInJson) {
  Scenario p;
  p.manifest("version: 1\nlayers:\n  - name: db\n    needs_env: [TF_VAR_db_pass]\n");
  p.env("dev", "name: dev\n");
  p.layer_hcl("dev", "db", {});
  const std::string secret = "s3cr3t-exec-pa55";
  p.write("envs/dev/db/sim.json",
          R"({"resources": ["null_resource.db"], "outputs": {"conn": "pg://app:)" + secret +
              R"(@db"}})");
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes"}, {{"TF_VAR_db_pass", secret}}).exit_code, 0);
  auto text =
      p.run({"exec", "--env", "dev", "--", "output", "-json"}, {{"TF_VAR_db_pass", secret}});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(contains(text.out, "pg://app:***@db")) << text.out;
  auto json = p.run({"--output", "json", "exec", "--env", "dev", "--", "output", "-json"},
                    {{"TF_VAR_db_pass", secret}});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_TRUE(contains(json.out, "pg://app:***@db")) << json.out;
  for (const auto& out : {text.out, text.err, json.out, json.err})
    EXPECT_FALSE(contains(out, secret)) << out;
}

TEST(Exec, RefusesWhatAppliesOrDestroysAndStateChangesOfProtectedOrPinnedLayers) {
  GateProject p;
  ASSERT_EQ(p.up().exit_code, 0);
  p.clear_calls();
  auto destroy = p.run({"exec", "--env", "dev", "--", "destroy", "-auto-approve"});
  EXPECT_EQ(destroy.exit_code, 3);
  EXPECT_EQ(destroy.err,
            "stackctl: exec refuses 'terragrunt destroy': it applies or destroys outside "
            "stackctl's order, journal and guards; use stackctl apply or stackctl destroy\n"
            "nothing was started\n");
  EXPECT_EQ(p.run({"exec", "--env", "dev", "--only", "app", "--", "apply", "-destroy"}).exit_code,
            3);
  EXPECT_EQ(p.run({"exec", "--env", "dev", "--", "--non-interactive", "run-all", "plan"}).exit_code,
            3);

  auto rm = p.run({"exec", "--env", "dev", "--", "state", "rm", "null_resource.delegation"});
  EXPECT_EQ(rm.exit_code, 3);
  EXPECT_EQ(rm.err,
            "stackctl: exec refuses 'terragrunt state rm' on protected and pinned layers (it may "
            "change their state):\n  - delegation: protected (keep)\n"
            "leave them out of the selection (--exclude, --only)\nnothing was started\n");
  EXPECT_EQ(p.run({"exec", "--env", "dev", "--", "force-unlock", "-force", "1234"}).exit_code, 3);
  EXPECT_FALSE(fs::exists(p.call_log())) << "nothing started";
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));

  // Without the protected layer it runs, and stops at the first failure (the double has no
  // `state` command).
  auto unprotected =
      p.run({"exec", "--env", "dev", "--exclude", "delegation", "--", "state", "rm", "x"});
  EXPECT_EQ(unprotected.exit_code, 1) << unprotected.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"conn state"}));
  // A failed exec is not a run that `resume` continues.
  auto resume = p.run({"resume", "--env", "dev", "--yes"});
  EXPECT_EQ(resume.exit_code, 64);
  EXPECT_EQ(resume.err, "stackctl: nothing to resume in env 'dev': the last run ended ok\n");
  EXPECT_EQ(p.run({"exec", "--env", "dev"}).exit_code, 64);
}

TEST(Exec, CtrlCReachesTerraformOnceAndStopsBeforeTheNextLayer) {
  GateProject p;
  ASSERT_EQ(p.up().exit_code, 0);
  p.fault("conn", R"({"TERRAGRUNT_SIM_SLEEP": "plan:30"})");
  p.clear_calls();
  auto bg = p.start({"exec", "--env", "dev", "--", "plan", "-input=false"});
  ASSERT_TRUE(p.wait_working("conn"));
  bg->signal(SIGINT, true);
  auto r = bg->wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"delegation plan", "conn plan"}));
  EXPECT_EQ(p.signals_seen("conn"), 1);
  EXPECT_EQ(p.records("layer_end").back()["result"], "interrupted");
  EXPECT_EQ(p.records("run_end").back()["exit_code"], 130);
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}
