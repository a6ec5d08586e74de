// End to end: faults injected into a real run against terragrunt-sim — a child or stackctl itself
// killed mid-run, a child that hangs, a state folder that cannot be written, a full disk, a
// missing terragrunt, a damaged journal — and what stackctl guarantees after each
// (docs/reliability.md).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Calls = std::vector<std::string>;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// vpc <- db <- app, one layer at a time.
struct Project : Scenario {
  Project() { chain_of_three(); }
  std::vector<json> journal() const {
    std::vector<json> out;
    std::istringstream in(read(".stackctl/dev/journal.jsonl"));
    for (std::string line; std::getline(in, line);)
      out.push_back(json::parse(line, nullptr, false));
    return out;
  }
  /// `status --output json`: layer name -> last result ("-" when none).
  std::map<std::string, std::string> status_results(std::string* last_run = nullptr) const {
    Outcome r = run({"status", "--env", "dev", "--output", "json"});
    json doc = json::parse(r.out);
    std::map<std::string, std::string> out;
    for (const auto& l : doc["layers"])
      out[l["name"]] = l.contains("last") ? l["last"]["result"].get<std::string>() : "-";
    if (last_run) *last_run = doc["last_run"]["result"];
    return out;
  }
};

/// Makes a file or folder unwritable for stackctl: chmod where that is enough, else (as root)
/// the immutable attribute. works() is false when neither holds on this machine.
class Unwritable {
 public:
  explicit Unwritable(fs::path path) : path_(std::move(path)) {
    dir_ = fs::is_directory(path_);
    ::chmod(path_.c_str(), dir_ ? 0555 : 0444);
    if (writable()) immutable_ = set_immutable(true);
  }
  ~Unwritable() {
    if (immutable_) set_immutable(false);
    ::chmod(path_.c_str(), dir_ ? 0755 : 0644);
  }
  bool works() const { return !writable(); }

 private:
  bool writable() const {
    if (!dir_) {
      int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
      if (fd >= 0) ::close(fd);
      return fd >= 0;
    }
    const fs::path probe = path_ / ".probe";
    int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    ::close(fd);
    ::unlink(probe.c_str());
    return true;
  }
  bool set_immutable(bool on) const {
    int fd = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return false;
    int flags = 0;
    bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    if (ok) {
      flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
      ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    }
    ::close(fd);
    return ok;
  }

  fs::path path_;
  bool dir_ = false;
  bool immutable_ = false;
};

}  // namespace

// ---- processes killed and hanging ----------------------------------------------------------

TEST(Faults, ChildKilledMidApplyFailsItsLayerStopsTheRunAndResumeFinishes) {
  Project p;
  p.fault("db", R"({"TERRAGRUNT_SIM_SLEEP": "apply:30"})");
  auto run = p.start({"apply", "--env", "dev", "--yes", "--output", "json"});
  ASSERT_TRUE(p.wait_for_call("db show"));  // the state lock seen next is the apply's
  int child = p.working_pid("db");
  ASSERT_GT(child, 0);
  ::kill(child, SIGKILL);
  Outcome r = run->wait();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["layers"].size(), 3u) << r.out;
  EXPECT_EQ(doc["layers"][1]["name"], "db");
  EXPECT_EQ(doc["layers"][1]["result"], "failed");
  // terraform died; terragrunt reports it with exit 1, as the real one does.
  EXPECT_EQ(doc["layers"][1]["exit_code"], 1);
  EXPECT_EQ(doc["layers"][1]["message"], "apply failed: exit 1");
  EXPECT_EQ(doc["layers"][2]["result"], "not-run");
  EXPECT_EQ(p.call_sequence(),
            (Calls{"vpc plan", "vpc show", "vpc apply", "db plan", "db show", "db apply"}))
      << "app never starts";
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  EXPECT_EQ(p.status_results(),
            (std::map<std::string, std::string>{{"vpc", "ok"}, {"db", "failed"}, {"app", "-"}}));

  // terraform killed with SIGKILL keeps its state lock: the operator's force-unlock.
  EXPECT_TRUE(p.exists(p.sim_lock("db")));
  fs::remove(p.root() / p.sim_lock("db"));
  p.fault("db", "{}");
  p.clear_calls();
  Outcome resumed = p.run({"resume", "--env", "dev", "--yes"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(p.call_sequence(),
            (Calls{"db plan", "db show", "db apply", "app plan", "app show", "app apply"}));
}

TEST(Faults, StackctlKilledMidRunLeavesAStaleLockThatResumeTakesOverWithoutRedoingFinishedLayers) {
  Project p;
  p.fault("db", R"({"TERRAGRUNT_SIM_SLEEP": "apply:30"})");
  auto run = p.start({"apply", "--env", "dev", "--yes"});
  ASSERT_TRUE(p.wait_for_call("db show"));
  const int child = p.working_pid("db");
  ASSERT_GT(child, 0);
  // The machine goes down: stackctl and its child die at once (an orphaned child would die of
  // SIGPIPE at its next line of output anyway, its output pipes having no reader).
  run->signal(SIGKILL);
  ::kill(child, SIGKILL);
  EXPECT_EQ(run->wait().exit_code, 128 + SIGKILL);

  // The lock names a process that is gone; the journal shows the run unfinished.
  json lock = json::parse(p.read(".stackctl/dev/lock"));
  EXPECT_EQ(lock["pid"], run->pid());
  std::vector<json> j = p.journal();
  ASSERT_GE(j.size(), 2u);
  const std::string id = j[1]["run_id"];
  EXPECT_EQ(j[1]["type"], "run_start");
  std::vector<std::string> events;
  for (const auto& rec : j)
    if (rec.value("run_id", "") == id)
      events.push_back(rec["type"].get<std::string>() + " " + rec.value("layer", "") + " " +
                       rec.value("result", ""));
  EXPECT_EQ(events,
            (Calls{"run_start  ", "layer_start vpc ", "layer_end vpc ok", "layer_start db "}));
  std::string last_run;
  EXPECT_EQ(p.status_results(&last_run),
            (std::map<std::string, std::string>{{"vpc", "ok"}, {"db", "-"}, {"app", "-"}}));
  EXPECT_EQ(last_run, "unfinished");

  // The killed terraform's state lock is the operator's to force-unlock; stackctl's own lock is
  // taken over by the next run.
  fs::remove(p.root() / p.sim_lock("db"));
  p.fault("db", "{}");
  p.clear_calls();
  Outcome resumed = p.run({"resume", "--env", "dev", "--yes"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "warning: took over a stale lock held by")) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "resuming run " + id)) << resumed.err;
  // vpc, finished before the crash, is not touched.
  EXPECT_EQ(p.call_sequence(),
            (Calls{"db plan", "db show", "db apply", "app plan", "app show", "app apply"}));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(Faults, LayerTimeoutInterruptsAHangingChildOnceAndFailsTheLayer) {
  Project p;
  p.fault("db", R"({"TERRAGRUNT_SIM_SLEEP": "apply:60"})");
  Outcome r = p.run({"apply", "--env", "dev", "--yes", "--layer-timeout", "2s"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "] db apply failed")) << r.err;
  EXPECT_TRUE(contains(r.err, "\n    timed out after 2s\n")) << r.err;
  EXPECT_TRUE(contains(r.err, "[db] ") && contains(r.err, "Gracefully shutting down...")) << r.err;
  EXPECT_EQ(p.signals_seen("db"), 1);
  EXPECT_FALSE(p.exists(p.sim_lock("db"))) << "a graceful stop releases terraform's lock";
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  Calls seq = p.call_sequence();
  EXPECT_EQ(std::count(seq.begin(), seq.end(), "app plan"), 0);

  // resume keeps the run's timeout: the still hanging layer times out again.
  p.clear_calls();
  Outcome again = p.run({"resume", "--env", "dev", "--yes"});
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_TRUE(contains(again.err, "\n    timed out after 2s\n")) << again.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"db plan", "db show", "db apply"}));
}

TEST(Faults, LayerTimeoutKillsAChildThatIgnoresSigintAfterTheGracePeriod) {
  Project p;
  p.fault("db", R"({"TERRAGRUNT_SIM_SLEEP": "apply:60", "TERRAGRUNT_SIM_GRACE": 60})");
  Outcome r = p.run({"apply", "--env", "dev", "--yes", "--layer-timeout", "2s"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(
      contains(r.err, "\n    timed out after 2s; killed with SIGKILL after a 1s grace period\n"))
      << r.err;
  EXPECT_EQ(p.signals_seen("db"), 1) << "one SIGINT, then SIGKILL";
  EXPECT_TRUE(p.exists(p.sim_lock("db"))) << "a killed terraform leaves its state lock";
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

// What SIGKILL ended is said in the JSON document, the ndjson stream and the journal alike.
TEST(Faults, TheProcessesSigkillEndedAreNamedInJsonNdjsonAndTheJournal) {
  Project p;
  p.fault("db", R"({"TERRAGRUNT_SIM_SLEEP": "apply:60", "TERRAGRUNT_SIM_GRACE": 60})");
  Outcome r =
      p.run({"--output", "json", "apply", "--env", "dev", "--yes", "--layer-timeout", "2s"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out;
  std::string warning;
  for (const auto& l : doc["layers"])
    if (l["name"] == "db") warning = l.value("warning", "");
  EXPECT_EQ(warning.rfind("SIGKILL ended ", 0), 0u) << doc.dump(2);
  EXPECT_NE(warning.find("(terragrunt-sim)"), std::string::npos) << warning;
  std::string journaled;
  std::istringstream in(p.read(".stackctl/dev/journal.jsonl"));
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.value("type", "") == "layer_end" && j.value("layer", "") == "db")
      journaled = j.value("warning", "");
  }
  EXPECT_EQ(journaled, warning);
  Outcome nd =
      p.run({"--output", "ndjson", "apply", "--env", "dev", "--yes", "--layer-timeout", "2s"});
  EXPECT_NE(nd.out.find("\"warning\":\"SIGKILL ended "), std::string::npos) << nd.out;
}

TEST(Faults, LayerTimeoutMustBeADuration) {
  Project p;
  Outcome r = p.run({"apply", "--env", "dev", "--yes", "--layer-timeout", "soon"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_TRUE(
      contains(r.err, "--layer-timeout 'soon' is not a duration (e.g. 30m, 2h; 0 = no limit)"))
      << r.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
}

// ---- state that cannot be written -----------------------------------------------------------

TEST(Faults, StateDirThatIsAFileIsAnErrorNamingItAndNothingStarts) {
  Project p;
  p.write("state", "not a folder\n");
  Outcome r = p.run({"--state-dir", "state", "apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 70) << r.err;
  EXPECT_TRUE(contains(r.err, "stackctl: cannot create lock folder " +
                                  (p.root() / "state/dev").string() + ": Not a directory"))
      << r.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
}

TEST(Faults, UnwritableStateDirIsAnErrorNamingItAndNothingStarts) {
  Project p;
  fs::create_directories(p.root() / "state");
  Unwritable guard(p.root() / "state");
  if (!guard.works()) GTEST_SKIP() << "cannot make a folder unwritable here";
  Outcome r = p.run({"--state-dir", "state", "apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 70) << r.err;
  EXPECT_TRUE(contains(
      r.err, "stackctl: cannot create lock folder " + (p.root() / "state/dev").string() + ": "))
      << r.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
}

TEST(Faults, UnwritableJournalIsAnErrorNamingItNothingStartsAndTheLockIsReleased) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes", "--only", "vpc"}).exit_code, 0);
  p.clear_calls();
  Unwritable guard(p.root() / ".stackctl/dev/journal.jsonl");
  if (!guard.works()) GTEST_SKIP() << "cannot make a file unwritable here";
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 70) << r.err;
  EXPECT_TRUE(contains(r.err, "stackctl: cannot open journal " +
                                  (p.root() / ".stackctl/dev/journal.jsonl").string() + ": "))
      << r.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(Faults, LogFolderThatCannotBeMadeIsAnErrorNamingItAndNothingStarts) {
  Project p;
  p.write(".stackctl/dev/runs", "a file where the run logs go\n");
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 70) << r.err;
  EXPECT_TRUE(contains(
      r.err, "stackctl: cannot create log folder " + (p.root() / ".stackctl/dev/runs/").string()))
      << r.err;
  EXPECT_TRUE(contains(r.err, ": Not a directory")) << r.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(Faults, AJournalThatIsNotARegularFileIsAnErrorNamingItAndNothingStarts) {
  Project p;
  fs::create_directories(p.root() / ".stackctl/dev");
  fs::create_symlink("/dev/full", p.root() / ".stackctl/dev/journal.jsonl");
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 70) << r.err;
  EXPECT_TRUE(
      contains(r.err, "stackctl: cannot read journal " +
                          (p.root() / ".stackctl/dev/journal.jsonl").string() +
                          ": it is a symbolic link, which stackctl does not follow; move it aside"))
      << r.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(Faults, LayerLogOnAFullDiskFailsThatLayerAndStopsTheRun) {
  // A command step between vpc and db makes db's log file of this run a "full" device (the
  // /dev/full node, 1:7): every write to it fails with ENOSPC, as on a full disk.
  if (::geteuid() != 0) GTEST_SKIP() << "making a device node needs root";
  Project p;
  const std::string runs = (p.root() / ".stackctl/dev/runs").string();
  p.manifest(
      "version: 1\nlayers:\n  - name: vpc\n  - name: fill-disk\n    kind: command\n"
      "    depends_on: [vpc]\n    command: [sh, -c, 'for d in " +
      runs +
      "/*/; do mknod \"$d\"db.apply.log c 1 7; done']\n  - name: db\n    depends_on: [fill-disk]\n"
      "  - name: app\n    depends_on: [db]\n");
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "] db apply failed")) << r.err;
  EXPECT_TRUE(contains(
      r.err, "    plan exit 2, but its output was not logged: cannot write log file " + runs + "/"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "/db.apply.log: No space left on device\n")) << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "vpc show", "vpc apply", "db plan"}))
      << "db is not applied while its output cannot be kept; app never starts";
  EXPECT_EQ(p.status_results(),
            (std::map<std::string, std::string>{
                {"vpc", "ok"}, {"fill-disk", "ok"}, {"db", "failed"}, {"app", "-"}}));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(Faults, ALayerLogPlantedAsASymlinkIsNotFollowedAndFailsThatLayer) {
  Project p;
  // A command step plants db's log of this run as a symlink to a file outside the state folder.
  const std::string runs = (p.root() / ".stackctl/dev/runs").string();
  const std::string target = (p.root() / "stolen.log").string();
  p.manifest(
      "version: 1\nlayers:\n  - name: vpc\n  - name: plant\n    kind: command\n"
      "    depends_on: [vpc]\n    command: [sh, -c, 'for d in " +
      runs + "/*/; do ln -s " + target +
      " \"$d\"db.apply.log; done']\n  - name: db\n    depends_on: [plant]\n"
      "  - name: app\n    depends_on: [db]\n");
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "] db apply failed")) << r.err;
  EXPECT_TRUE(contains(r.err, "but its output was not logged: cannot open log file " + runs + "/"))
      << r.err;
  EXPECT_FALSE(p.exists("stolen.log")) << "nothing was written through the link";
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "vpc show", "vpc apply", "db plan"}));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

// ---- terragrunt missing ---------------------------------------------------------------------

TEST(Faults, MissingOrNonExecutableTerragruntIsAnErrorNamingThePathAndNothingStarts) {
  Project p;
  const std::string missing = (p.root() / "bin/terragrunt").string();
  Outcome r = p.run({"--terragrunt", missing, "apply", "--env", "dev", "--yes"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err, "stackctl: cannot run terragrunt '" + missing + "': " + missing +
                                  ": No such file or directory\n"))
      << r.err;
  p.write("bin/terragrunt", "#!/bin/sh\necho never\n");  // not executable
  Outcome plain = p.run({"apply", "--env", "dev", "--yes"}, {{"STACKCTL_TERRAGRUNT", missing}});
  EXPECT_EQ(plain.exit_code, 1) << plain.err;
  EXPECT_TRUE(contains(plain.err, "': " + missing + ": not executable\n")) << plain.err;
  EXPECT_FALSE(fs::exists(p.call_log()));
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
  EXPECT_EQ(p.status_results(),
            (std::map<std::string, std::string>{{"vpc", "-"}, {"db", "-"}, {"app", "-"}}));
}

TEST(Faults, TerragruntVanishingMidRunFailsTheNextLayerAndReportsEveryLayer) {
  Project p;
  const fs::path binary = p.root() / "bin/terragrunt";
  fs::create_directories(binary.parent_path());
  fs::copy_file(TERRAGRUNT_SIM_BIN, binary);
  p.manifest(
      "version: 1\nlayers:\n  - name: vpc\n  - name: uninstall\n    kind: command\n"
      "    depends_on: [vpc]\n    command: [rm, " +
      binary.string() +
      "]\n"
      "  - name: db\n    depends_on: [uninstall]\n  - name: app\n    depends_on: [db]\n");
  Outcome r = p.run({"apply", "--env", "dev", "--yes", "--output", "json"},
                    {{"STACKCTL_TERRAGRUNT", binary.string()}});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json doc = json::parse(r.out);
  std::vector<std::string> results;
  for (const auto& l : doc["layers"])
    results.push_back(l["name"].get<std::string>() + " " + l["result"].get<std::string>());
  EXPECT_EQ(results, (Calls{"vpc ok", "uninstall ok", "db failed", "app not-run"}));
  EXPECT_EQ(doc["layers"][2]["message"],
            "plan failed: could not start: " + binary.string() + ": No such file or directory");
  EXPECT_EQ(doc["layers"][2]["exit_code"], 127);
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

// ---- a damaged journal ----------------------------------------------------------------------

TEST(Faults, DamagedJournalLoadsWhatItCanWarnsAndEveryCommandKeepsWorking) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes", "--only", "vpc"}).exit_code, 0);
  {
    std::ofstream j(p.root() / ".stackctl/dev/journal.jsonl", std::ios::app | std::ios::binary);
    j << "not json at all\n";
    const char with_nul[] = "{\"type\":\"layer_end\",\0\"layer\":\"db\"}\n";
    j.write(with_nul, sizeof with_nul - 1);
    j << "\xFF\xFE\x80garbage\n";
    j << "[1, 2, 3]\n";
    j << R"({"type":"run_start","run_id":"bad","command":7,"options":"yes","phases":"all"})"
         "\n";
    j << R"({"type":"layer_end","run_id":"bad","layer":"db","result":"ok","exit_code":"zero","duration_s":"long","changes":[1]})"
         "\n";
    j << "{\"type\":\"layer_end\"," << std::string(1 << 20, ' ') << "\n";
    j << R"({"type":"layer_end","run_id":"x","lay)";
  }
  Outcome status = p.run({"status", "--env", "dev"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  const std::string file = (p.root() / ".stackctl/dev/journal.jsonl").string();
  for (const char* warning :
       {":6: skipped unreadable journal line", ":7: skipped unreadable journal line",
        ":8: skipped unreadable journal line", ":9: skipped unreadable journal line",
        ":10: ignored run_start field 'command' (not a string)",
        ":10: ignored run_start field 'options' (not an object)",
        ":10: ignored run_start field 'phases' (not a list of {action, layers})",
        ":12: skipped unreadable journal line", ":13: skipped torn last line"})
    EXPECT_TRUE(contains(status.err, "warning: " + file + warning)) << warning << "\n"
                                                                    << status.err;
  EXPECT_TRUE(contains(status.out, "vpc")) << status.out;
  EXPECT_EQ(p.run({"list", "--env", "dev"}).exit_code, 0);
  Outcome resume = p.run({"resume", "--env", "dev", "--yes"});
  EXPECT_EQ(resume.exit_code, 64) << "a run_start without a command is not resumable\n"
                                  << resume.err;
  EXPECT_TRUE(contains(resume.err, "nothing to resume in env 'dev'")) << resume.err;
  p.clear_calls();
  Outcome apply = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(apply.exit_code, 0) << apply.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan", "db plan", "db show", "db apply", "app plan",
                                      "app show", "app apply"}));
  EXPECT_EQ(p.status_results(),
            (std::map<std::string, std::string>{{"vpc", "ok"}, {"db", "ok"}, {"app", "ok"}}));
}

TEST(Faults, RunFoldersLogsAndPlanFilesAreForTheUserAloneWhateverTheUmask) {
  Project p;
  const mode_t old = ::umask(0);  // the most permissive umask a user could have
  Outcome r = p.run({"apply", "--env", "dev", "--yes"});
  Outcome saved = p.run({"plan", "--env", "dev", "--out-dir", "plans"});
  ::umask(old);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  int runs = 0, logs = 0, plans = 0;
  const fs::perms user_rw = fs::perms::owner_read | fs::perms::owner_write;
  auto check_files = [&](const fs::path& dir) {
    for (const auto& f : fs::directory_iterator(dir)) {
      const std::string ext = f.path().extension().string();
      if (ext == ".log") ++logs;
      if (ext == ".tfplan") ++plans;
      if (ext == ".log" || ext == ".tfplan" ||
          (ext == ".json" && dir.filename() == "plans" && f.path().filename() != "summary.json")) {
        EXPECT_EQ(fs::status(f.path()).permissions() & fs::perms::all, user_rw) << f.path();
      }
    }
  };
  for (const auto& run : fs::directory_iterator(p.root() / ".stackctl/dev/runs")) {
    ++runs;
    EXPECT_EQ(fs::status(run.path()).permissions() & fs::perms::all, fs::perms::owner_all)
        << run.path();
    check_files(run.path());
  }
  EXPECT_EQ(fs::status(p.root() / "plans").permissions() & fs::perms::all, fs::perms::owner_all);
  check_files(p.root() / "plans");
  EXPECT_EQ(runs, 2);
  EXPECT_GE(logs, 3);
  EXPECT_GE(plans, 2) << "the apply's plans in its run folder and the saved ones";
}

TEST(Faults, AFifoInPlaceOfTheJournalStopsEveryCommandNamingItInsteadOfHanging) {
  Project p;
  fs::create_directories(p.root() / ".stackctl/dev");
  const fs::path journal = p.root() / ".stackctl/dev/journal.jsonl";
  ASSERT_EQ(::mkfifo(journal.c_str(), 0600), 0);
  for (const std::vector<std::string>& args : {std::vector<std::string>{"status", "--env", "dev"},
                                               {"list", "--env", "dev"},
                                               {"plan", "--env", "dev"},
                                               {"apply", "--env", "dev", "--yes"}}) {
    SCOPED_TRACE(args[0]);
    Outcome r = p.run(args);
    EXPECT_EQ(r.exit_code, 70) << r.err;
    EXPECT_TRUE(contains(r.err, "cannot read journal " + journal.string() +
                                    ": it is a FIFO, not a regular file; move it aside"))
        << r.err;
  }
  EXPECT_FALSE(fs::exists(p.call_log())) << "nothing ran";
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

// The folders stackctl makes inside its state folder never lead out of it: an env's folder or
// runs/ replaced by a symbolic link stops the command before anything starts, and nothing is
// written where the link points.
TEST(Faults, AStateFolderReplacedByASymbolicLinkIsNeverFollowed) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--only", "vpc", "--yes"}).exit_code, 0);
  const fs::path env_dir = p.root() / ".stackctl/dev";
  fs::create_directories(p.root() / "elsewhere/runs");
  fs::rename(env_dir / "runs", p.root() / "moved-runs");
  fs::create_directory_symlink(p.root() / "elsewhere/runs", env_dir / "runs");
  p.clear_calls();
  Outcome runs = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(runs.exit_code, 70) << runs.err;
  EXPECT_NE(runs.err.find("cannot create log folder " + (env_dir / "runs").string() + "/"),
            std::string::npos)
      << runs.err;
  EXPECT_NE(runs.err.find(": " + (env_dir / "runs").string() +
                          " is a symbolic link, which stackctl does not follow; move it aside"),
            std::string::npos)
      << runs.err;
  EXPECT_TRUE(fs::is_empty(p.root() / "elsewhere/runs"));
  EXPECT_FALSE(fs::exists(p.call_log())) << "nothing started";
  EXPECT_FALSE(fs::exists(env_dir / "lock")) << "the lock is released";
  fs::remove(env_dir / "runs");

  fs::rename(env_dir, p.root() / "elsewhere/dev");
  fs::create_directory_symlink(p.root() / "elsewhere/dev", env_dir);
  const std::string before = p.read("elsewhere/dev/journal.jsonl");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"status", "--env", "dev"}, {"apply", "--env", "dev", "--yes"}}) {
    SCOPED_TRACE(args[0]);
    Outcome r = p.run(args);
    EXPECT_EQ(r.exit_code, 70) << r.err;
    EXPECT_NE(r.err.find("its folder " + env_dir.string() +
                         " is a symbolic link, which stackctl does not follow"),
              std::string::npos)
        << r.err;
  }
  Outcome output = p.run({"output", "--env", "dev", "vpc"});  // takes the lock, reads no journal
  EXPECT_EQ(output.exit_code, 70) << output.err;
  EXPECT_NE(
      output.err.find("cannot create lock folder " + env_dir.string() +
                      ": it is a symbolic link, which stackctl does not follow; move it aside"),
      std::string::npos)
      << output.err;
  EXPECT_EQ(p.read("elsewhere/dev/journal.jsonl"), before)
      << "the journal it leads to is untouched";
  EXPECT_FALSE(fs::exists(p.root() / "elsewhere/dev/lock"));
  EXPECT_FALSE(fs::exists(p.call_log()));
}
