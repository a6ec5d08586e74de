// Journal compaction: every reader answers the same from the compacted journal as from the whole
// one (random histories), the archive holds the rest, and no crash or damage loses a line.
#include "stackctl/commands/journal_compaction.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "stackctl/commands/gates.h"
#include "stackctl/commands/run_folders.h"
#include "stackctl/executor/skip_unchanged.h"
#include "stackctl/plan/policy.h"
#include "stackctl/plan/resume.h"
#include "stackctl/plan/saved_plans.h"
#include "stackctl/report/progress.h"
#include "support/scenario.h"

namespace stackctl {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Two gates: approve (after db) and check (after app and net).
const char* kManifest = R"(version: 1
layers:
  - name: net
  - name: db
    depends_on: [net]
  - name: approve
    kind: manual
    depends_on: [db]
    instructions: "Approve the database."
  - name: app
    depends_on: [approve, net]
  - name: check
    kind: manual
    depends_on: [app, net]
    instructions: "Check the app."
)";

const std::vector<std::string> kLayers{"net", "db", "approve", "app", "check"};
const char* const kHeader =
    R"({"type":"header","format":"stackctl-journal","version":1,"created":"2026-01-01T00:00:00Z"})";

// ---- random histories ------------------------------------------------------------------------

/// Writes journal lines for a random history: runs of every command, results, replaces,
/// confirmations and withdrawals, unfinished runs, and the odd damaged or unusual line.
class History {
 public:
  explicit History(unsigned seed) : rng_(seed) {}

  std::string journal(int runs) {
    std::string text = std::string(kHeader) + "\n";
    for (int i = 0; i < runs; ++i) {
      if (chance(15)) text += gate_record();
      if (chance(2)) text += odd_line();
      // Now and then a night of plans only: older runs must stay for what they alone decide.
      const int plans = chance(4) ? 12 : 0;
      text += run(i);
      for (int k = 0; k < plans && i + 1 < runs; ++k) text += run(++i, "plan");
    }
    // Often the history ends so: a run to resume, then only plans since.
    if (chance(40)) {
      text += run(runs, one(std::vector<std::string>{"apply", "destroy", "rebuild"}));
      for (int k = 1; k <= 15; ++k) text += run(runs + k, "plan");
    }
    return text;
  }
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  bool chance(int percent) { return std::uniform_int_distribution<int>(0, 99)(rng_) < percent; }
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <typename T>
  const T& one(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))];
  }

  std::string time(int i) const {
    char t[32];
    std::snprintf(t, sizeof t, "2026-%02d-%02dT%02d:%02d:00Z", 1 + i / 2000 % 12, 1 + i / 80 % 28,
                  i / 4 % 24, i % 60);
    return t;
  }
  std::string new_id(int i) {
    if (!ids_.empty() && chance(1)) return one(ids_);  // a hand-edited journal reuses a run id
    char id[40];
    std::snprintf(id, sizeof id, "2026%02d%02dT%02d%02d%02dZ-%04x", 1 + i / 2000 % 12,
                  1 + i / 80 % 28, i / 4 % 24, i % 60, pick(60), pick(0x10000));
    ids_.push_back(id);
    return id;
  }
  static std::string line(json j) { return j.dump() + "\n"; }

  std::string gate_record() {
    const char* type = chance(70) ? "confirm" : "withdraw";
    return line({{"type", type},
                 {"time", time(static_cast<int>(ids_.size()))},
                 {"layer", chance(50) ? "approve" : "check"},
                 {"user", one(std::vector<std::string>{"ann", "bob"})}});
  }
  std::string odd_line() {
    switch (pick(4)) {
      case 0:
        return "{not json\n";
      case 1:
        return line({{"type", "layer_end"},
                     {"layer", "net"},
                     {"action", "apply"},
                     {"result", "ok"},
                     {"duration_s", 1.5}});  // no run id
      case 2:
        return line({{"type", "note"},
                     {"run_id", ids_.empty() ? "x" : ids_.back()},
                     {"text", "from a newer version"}});
      default:
        return "\n";
    }
  }
  json changes() {
    int replace = chance(15) ? 1 + pick(2) : 0;
    return {{"add", pick(3)},
            {"change", pick(3)},
            {"destroy", chance(15) ? 1 : replace},
            {"replace", replace}};
  }
  std::string layer_records(const std::string& id, const std::string& layer,
                            const std::string& action, int i, bool& stop) {
    std::string out = line({{"type", "layer_start"},
                            {"run_id", id},
                            {"time", time(i)},
                            {"layer", layer},
                            {"action", action}});
    if (chance(3)) return stop = true, out;  // stackctl was killed here
    if (chance(3))
      out += line({{"type", "layer_retry"},
                   {"run_id", id},
                   {"layer", layer},
                   {"action", action},
                   {"attempt", 2}});
    static const std::vector<std::string> results{
        "ok", "ok", "ok", "ok", "failed", "interrupted", "skipped", "not-run", "pending"};
    const std::string result = one(results);
    json end = {{"type", "layer_end"},
                {"run_id", id},
                {"time", time(i)},
                {"layer", layer},
                {"action", action},
                {"result", result},
                {"exit_code", result == "failed" ? 1 : 0},
                {"duration_s", pick(400) / 8.0},
                {"changes", changes()}};
    if (action == "apply" && chance(60))
      end["inputs"] = {{"files", "f" + std::to_string(pick(3))},
                       {"variables", "v"},
                       {"tools", "t"},
                       {"upstream", json::object()},
                       {"generation", "g" + std::to_string(pick(5))}};
    out += line(end);
    stop = result == "failed" || result == "interrupted";
    return out;
  }
  std::vector<std::string> some_layers() {
    std::vector<std::string> out;
    for (const auto& l : kLayers)
      if (chance(70)) out.push_back(l);
    return out;
  }
  std::string run(int i, const std::string& only = "") {
    static const std::vector<std::string> commands{"apply",   "apply",   "plan",  "plan",
                                                   "destroy", "rebuild", "drift", "exec"};
    const std::string command = only.empty() ? one(commands) : only;
    const std::string id = new_id(i);
    std::vector<std::pair<std::string, std::vector<std::string>>> phases;
    if (command == "rebuild")
      phases = {{"destroy", some_layers()}, {"apply", some_layers()}};
    else if (command == "drift" || command == "plan")
      phases = {{"plan", some_layers()}};
    else if (command == "exec")
      phases = {{"apply", {one(kLayers)}}};
    else
      phases = {{command, some_layers()}};
    json ph = json::array(), options = json::object();
    for (const auto& [action, layers] : phases)
      ph.push_back({{"action", action}, {"layers", layers}});
    if (chance(5) && !ids_.empty())
      options[chance(50) ? "plan_dir" : "out_dir"] = ".stackctl/dev/runs/" + one(ids_);
    if (chance(10)) options["keep_going"] = true;
    std::string out = line({{"type", "run_start"},
                            {"run_id", id},
                            {"time", time(i)},
                            {"command", command},
                            {"argv", {"stackctl", command}},
                            {"env", "dev"},
                            {"phases", ph},
                            {"options", options}});
    if (chance(3)) return out;  // killed before its first layer started
    bool stop = false;
    for (const auto& [action, layers] : phases)
      for (std::size_t k = 0; k < layers.size() && !stop; ++k)
        out += layer_records(id, layers[k], action, i, stop);
    if (chance(6)) return out;  // never ended
    static const std::vector<std::string> ends{"ok",     "ok",          "ok",
                                               "failed", "interrupted", "pending"};
    return out + line({{"type", "run_end"},
                       {"run_id", id},
                       {"time", time(i)},
                       {"result", one(ends)},
                       {"exit_code", 0},
                       {"duration_s", 1}});
  }

  std::mt19937 rng_;
  std::vector<std::string> ids_;
};

// ---- what every reader answers -----------------------------------------------------------------

json raw_of(const JournalRecord* r) { return r ? r->raw : json(nullptr); }

template <typename Map>
json raws(const Map& m) {
  json out = json::object();
  for (const auto& [k, r] : m) out[k] = r.raw;
  return out;
}

json phases_json(const std::vector<Phase>& phases) {
  json out = json::array();
  for (const auto& p : phases)
    out.push_back({{"action", to_string(p.action)}, {"layers", p.layers}});
  return out;
}

json durations_json(const DurationHistory& h) {
  json out = json::object();
  for (const auto& [a, v] : h.median_s) out["median"][to_string(a)] = v;
  for (const auto& [a, v] : h.changed_s) out["changed"][to_string(a)] = v;
  for (const auto& [a, v] : h.unchanged_s) out["unchanged"][to_string(a)] = v;
  for (const auto& [a, v] : h.last_changed) out["last_changed"][to_string(a)] = v;
  return out;
}

/// Every reader's answer from journal j, as one JSON document (so a difference shows where).
json readers(const Workspace& ws, const JournalContents& j, const fs::path& runs_dir) {
  json out;
  out["last_results"] = raws(last_results(j));
  out["confirmations"] = raws(confirmations(j));
  for (const char* a : {"plan", "apply", "destroy"})
    out["median_durations"][a] = median_durations(j, a);
  out["duration_history"] = durations_json(duration_history(j, ws.manifest()));
  for (const GateState& g : gate_states(ws, j))
    out["gates"].push_back({g.layer, g.confirmed, g.describe(), g.withdrawn_by,
                            g.reopened ? g.reopened->run_id : "-"});
  out["confirmed_gates"] = confirmed_gates(ws, j);
  out["last_state_changes"] = raws(last_state_changes(j));
  for (const auto& l : kLayers) out["last_state_record"][l] = raw_of(last_state_record(j, l));
  if (auto point = find_resume_point(j, ws))
    out["resume"] = {point->run_id, point->command_word, point->options, phases_json(point->phases),
                     point->recorded_actions};
  auto [start, end] = last_run(j);
  out["last_run"] = {raw_of(start), raw_of(end)};
  const auto applied = applied_per_journal(ws.manifest(), j);
  out["applied"] = applied;
  out["not_applied"] = not_applied_per_journal(ws.manifest(), j, applied);
  const RunCatalog catalog = catalog_runs(j, ws);
  std::vector<std::string> prunable;
  for (const auto& id : run_folders(runs_dir))
    if (catalog.prunable.count(id)) prunable.push_back(id);
  out["catalog"] = {runs_in_order(runs_dir, catalog), prunable};
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

class CompactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    s.manifest(kManifest);
    s.env("dev", "name: dev\n");
    ws = Workspace::open(Locations{(s.root() / "layers/manifest.yaml").string(), "", ""});
    ws->select_env("dev");
    runs = ws->env_state_dir() / "runs";
  }
  /// Makes exactly these run folders.
  void folders(const std::set<std::string>& ids) const {
    fs::remove_all(runs);
    fs::create_directories(runs);
    for (const auto& id : ids) fs::create_directories(runs / id);
  }
  void write_journal(const std::string& text) const {
    fs::create_directories(ws->journal_file().parent_path());
    std::ofstream(ws->journal_file(), std::ios::binary | std::ios::trunc) << text;
  }
  std::string read(const fs::path& file) const {
    std::ifstream in(file, std::ios::binary);
    std::stringstream t;
    t << in.rdbuf();
    return t.str();
  }

  testing::Scenario s;
  std::unique_ptr<Workspace> ws;
  fs::path runs;
};

// ---- the property --------------------------------------------------------------------------

TEST_F(CompactionTest, EveryReaderAnswersTheSameFromTheCompactedJournal) {
  const unsigned first_seed = 1000;
  std::size_t archived_total = 0;
  for (unsigned seed = first_seed; seed < first_seed + 300; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " (History(seed) in " __FILE__ ")");
    std::mt19937 rng(seed);
    History h(seed);
    const std::string text = h.journal(20 + static_cast<int>(rng() % 120));
    // Run folders: a few of the newest runs and the odd old one, as pruning leaves them.
    std::set<std::string> existing;
    const auto& ids = h.ids();
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (i + 4 >= ids.size() || rng() % 25 == 0) existing.insert(ids[i]);
    folders(existing);
    const std::size_t keep = std::vector<std::size_t>{1, 2, 5, 10}[rng() % 4];

    const CompactedText c =
        compact_text(text, "journal.jsonl", {keep, existing}, "2026-12-01T00:00:00Z");
    ASSERT_FALSE(c.refused) << c.warning;
    const JournalContents full = parse_journal(text, "journal.jsonl");
    const JournalContents compacted = parse_journal(c.kept, "journal.jsonl");
    ASSERT_EQ(readers(*ws, compacted, runs).dump(1), readers(*ws, full, runs).dump(1));

    // No line is lost: the kept lines (header aside) and the archived ones are the journal's, and
    // each file keeps the journal's order.
    std::vector<std::string> before = lines_of(text), kept = lines_of(c.kept),
                             archived = lines_of(c.archived);
    before.erase(before.begin());
    kept.erase(kept.begin());
    std::vector<std::string> merged;
    std::size_t k = 0, a = 0;
    for (const auto& l : before) {
      if (k < kept.size() && kept[k] == l)
        merged.push_back(kept[k++]);
      else if (a < archived.size() && archived[a] == l)
        merged.push_back(archived[a++]);
    }
    ASSERT_EQ(merged, before);
    ASSERT_EQ(k + a, kept.size() + archived.size());
    archived_total += c.runs_archived;
  }
  EXPECT_GT(archived_total, 3000u) << "the histories should give compaction something to drop";
}

// What stays is bounded by keep_runs and by the layers, actions, results and gates (each layer
// action's last kDurationSamples successful runs of either kind, its last end per result, its
// last start, a gate's first re-opening per layer), never by the number of runs.
TEST_F(CompactionTest, WhatStaysIsBoundedWhateverTheHistory) {
  History quarter(7), year(7);
  const CompactedText a = compact_text(quarter.journal(2000), "j", {10, {}}, "now");
  const CompactedText b = compact_text(year.journal(8000), "j", {10, {}}, "now");
  const std::size_t layers = kLayers.size(), actions = 3, results = 9, gates = 2;
  const std::size_t bound =
      10 + layers * actions * (2 * kDurationSamples + results + 1) + gates * layers + 2;
  EXPECT_LE(a.runs_kept, bound);
  EXPECT_LE(b.runs_kept, bound) << "2000 runs keep " << a.runs_kept << ", 8000 keep "
                                << b.runs_kept;
  EXPECT_GT(b.runs_archived, 7000u);
}

// ---- the file ------------------------------------------------------------------------------

// A journal of 300 plan-and-apply runs compacted to keep 5: the archive gets the old runs line
// for line, the journal the rest under a header that says so, with the journal's mode.
TEST_F(CompactionTest, CompactingAFileArchivesTheOldRunsAndReplacesTheJournal) {
  History h(42);
  const std::string text = h.journal(300);
  write_journal(text);
  ::chmod(ws->journal_file().c_str(), 0640);
  folders({h.ids().back()});
  const CompactionResult r = compact_env_journal(*ws, 5);
  ASSERT_TRUE(r.compacted);
  const CompactedText c = compact_text(text, "j", {5, {h.ids().back()}}, "now");
  EXPECT_EQ(r.runs_archived, c.runs_archived);
  EXPECT_GT(r.runs_archived, 100u);
  EXPECT_EQ(read(archive_file(ws->journal_file())), c.archived);
  const std::string now = read(ws->journal_file());
  const json header = json::parse(lines_of(now)[0]);
  EXPECT_EQ(header["created"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(header["compacted"]["archived_runs"], c.runs_archived);
  EXPECT_EQ(header["compacted"]["kept_bytes"], now.size() - lines_of(now)[0].size() - 1);
  EXPECT_EQ(now.substr(now.find('\n')), c.kept.substr(c.kept.find('\n')));
  struct stat st {};
  ASSERT_EQ(::stat(ws->journal_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_FALSE(fs::exists(ws->journal_file().string() + ".tmp"));
  // Again: nothing more to drop, the journal is left alone.
  const CompactionResult again = compact_env_journal(*ws, 5);
  EXPECT_FALSE(again.compacted);
  EXPECT_EQ(read(ws->journal_file()), now);
}

// A crash after the archive was written but before the rename: the journal still holds the runs
// and a half-written replacement lies beside it. Readers never see the tmp file; the next
// compaction replaces it and archives the runs again (the archive then holds them twice, the
// journal once, nothing is lost).
TEST_F(CompactionTest, ACrashMidwayLosesNothingAndALeftoverTmpFileIsIgnoredThenReplaced) {
  History h(5);
  const std::string text = h.journal(200);
  write_journal(text);
  folders({});
  const CompactedText c = compact_text(text, "j", {5, {}}, "now");
  { std::ofstream(archive_file(ws->journal_file()), std::ios::binary) << c.archived; }
  {
    std::ofstream(ws->journal_file().string() + ".tmp", std::ios::binary)
        << std::string(kHeader) << "\n{\"type\":\"run_st";
  }
  EXPECT_EQ(read_journal(ws->journal_file()).warnings, std::vector<std::string>{});
  EXPECT_EQ(read_journal(ws->journal_file()).records.size(),
            parse_journal(text, "j").records.size());

  const CompactionResult r = compact_env_journal(*ws, 5);
  ASSERT_TRUE(r.compacted);
  EXPECT_FALSE(fs::exists(ws->journal_file().string() + ".tmp"));
  EXPECT_EQ(read(archive_file(ws->journal_file())), c.archived + c.archived);
  EXPECT_EQ(read(ws->journal_file()).substr(read(ws->journal_file()).find('\n')),
            c.kept.substr(c.kept.find('\n')));
}

// A torn last line (a writer killed mid-line) and garbage in the middle are kept, each on a line
// of its own; the next append starts on a fresh line.
TEST_F(CompactionTest, DamagedLinesAreKeptAndATornLastLineIsEnded) {
  History h(9);
  std::string text = h.journal(100);
  text.insert(text.find('\n') + 1, "garbage in the middle\n");
  const std::string torn = R"({"type":"layer_end","run_id":"torn)";
  text += torn;
  write_journal(text);
  folders({});
  ASSERT_TRUE(compact_env_journal(*ws, 3).compacted);
  const std::string now = read(ws->journal_file());
  EXPECT_EQ(lines_of(now)[1], "garbage in the middle");
  EXPECT_EQ(now.substr(now.size() - torn.size() - 1), torn + "\n");
  const std::string archived = read(archive_file(ws->journal_file()));
  EXPECT_EQ(lines_of(now).size() + lines_of(archived).size(), lines_of(text).size());
}

// A journal whose first line is no header of this format (hand-edited, or written by a newer
// stackctl) is left exactly as it is, with a warning saying why.
TEST_F(CompactionTest, AJournalWithoutAKnownHeaderIsLeftAloneWithAWarning) {
  History h(3);
  std::string text = h.journal(100);
  const std::string body = text.substr(text.find('\n') + 1);
  const fs::path file = ws->journal_file();
  for (const std::string& first :
       {std::string(),
        std::string(R"({"type":"header","format":"stackctl-journal","version":2})") + "\n"}) {
    write_journal(first + body);
    const CompactionResult r = compact_env_journal(*ws, 3);
    EXPECT_FALSE(r.compacted);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0],
              file.string() + ": not compacted: " +
                  (first.empty() ? "line 1 is not a stackctl-journal header"
                                 : "its format version is not one this stackctl writes (1)") +
                  "; the journal is left as it is");
    EXPECT_EQ(read(file), first + body);
    EXPECT_FALSE(fs::exists(archive_file(file)));
  }
}

// A record appended through a writer opened before the compaction lands in the new journal.
TEST_F(CompactionTest, AWriterOpenedBeforeACompactionAppendsToTheNewJournal) {
  History h(11);
  write_journal(h.journal(200));
  folders({});
  JournalWriter writer(ws->journal_file());
  ASSERT_TRUE(compact_env_journal(*ws, 2).compacted);
  JournalRecord confirm;
  confirm.type = "confirm";
  confirm.layer = "approve";
  confirm.time = "2026-12-01T00:00:00Z";
  writer.append(confirm);
  EXPECT_EQ(lines_of(read(ws->journal_file())).back(),
            R"({"type":"confirm","time":"2026-12-01T00:00:00Z","layer":"approve"})");
}

// After a run, the journal is read whole only when it has doubled since it was last compacted.
TEST_F(CompactionTest, OnlyAJournalThatDoubledSinceItsLastCompactionNeedsOne) {
  const fs::path file = ws->journal_file();
  History h(13);
  std::string text = h.journal(50);
  write_journal(text);
  EXPECT_LT(text.size(), kCompactMinBytes);
  EXPECT_FALSE(journal_needs_compaction(file));
  text = h.journal(3000);
  write_journal(text);
  ASSERT_GT(text.size(), kCompactMinBytes);
  EXPECT_TRUE(journal_needs_compaction(file));
  folders({});
  ASSERT_TRUE(compact_env_journal(*ws, 400).compacted);
  const std::uintmax_t after = fs::file_size(file);
  ASSERT_GT(after, kCompactMinBytes / 2);
  EXPECT_FALSE(journal_needs_compaction(file));
  std::string more;
  while (fs::file_size(file) + more.size() <= 2 * after)
    more += h.journal(1).substr(std::strlen(kHeader) + 1);
  std::ofstream(file, std::ios::app | std::ios::binary) << more;
  EXPECT_TRUE(journal_needs_compaction(file));
}

// ---- end to end -----------------------------------------------------------------------------

// A project with a gate between db and app, keep_runs 5.
struct GatedProject : testing::Scenario {
  GatedProject() {
    manifest(R"(version: 1
layers:
  - name: vpc
  - name: db
    depends_on: [vpc]
  - name: approve
    kind: manual
    depends_on: [db]
    instructions: Approve the database.
  - name: app
    depends_on: [db, approve]
)");
    env("dev", "name: dev\nparallelism: 1\nkeep_runs: 5\n");
    layer_hcl("dev", "vpc", {});
    layer_hcl("dev", "db", {"vpc"});
    layer_hcl("dev", "app", {"db"});
  }
  std::string journal() const { return read(".stackctl/dev/journal.jsonl"); }
  /// Appends `runs` plan runs over every layer, the 100th of them an apply that replaced a
  /// resource of db (which re-opens the gate) in run `replacing`.
  void old_history(int runs, const std::string& replacing) const {
    std::string text;
    for (int i = 0; i < runs; ++i) {
      char id[40];
      std::snprintf(id, sizeof id, "20250101T%02d%02d%02dZ-%04x", i / 3600 % 24, i / 60 % 60,
                    i % 60, i);
      const std::string run = i == 100 ? replacing : id;
      const std::string action = i == 100 ? "apply" : "plan";
      text += json{{"type", "run_start"},
                   {"run_id", run},
                   {"time", "2025-01-01T00:00:00Z"},
                   {"command", action},
                   {"argv", {"stackctl", action}},
                   {"env", "dev"},
                   {"phases",
                    {{{"action", action},
                      {"layers", i == 100 ? json{"db"} : json{"vpc", "db", "app"}}}}},
                   {"options", json::object()}}
                  .dump() +
              "\n";
      for (const char* layer : {"vpc", "db", "app"}) {
        if (i == 100 && std::string(layer) != "db") continue;
        text += json{{"type", "layer_start"},
                     {"run_id", run},
                     {"time", "2025-01-01T00:00:01Z"},
                     {"layer", layer},
                     {"action", action}}
                    .dump() +
                "\n";
        text += json{{"type", "layer_end"},
                     {"run_id", run},
                     {"time", "2025-01-01T00:00:02Z"},
                     {"layer", layer},
                     {"action", action},
                     {"result", "ok"},
                     {"exit_code", 0},
                     {"duration_s", 0.5},
                     {"changes",
                      {{"add", 0},
                       {"change", 0},
                       {"destroy", i == 100 ? 1 : 0},
                       {"replace", i == 100 ? 1 : 0}}}}
                    .dump() +
                "\n";
      }
      text += json{{"type", "run_end"}, {"run_id", run},  {"time", "2025-01-01T00:00:03Z"},
                   {"result", "ok"},    {"exit_code", 0}, {"duration_s", 2}}
                  .dump() +
              "\n";
    }
    std::ofstream(root() / ".stackctl/dev/journal.jsonl", std::ios::app | std::ios::binary) << text;
  }
};

// A year of plan runs in the journal: the apply at its end compacts the journal (the old runs
// go to the archive, line for line), and status, gates and resume answer as before: the gate
// re-opened by a replace in an old run stays re-opened, the run stopped there resumes.
TEST(CompactionEndToEnd, AnApplyCompactsALongJournalAndStatusGatesAndResumeStillHold) {
  GatedProject p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 5);
  ASSERT_EQ(p.run({"confirm", "--env", "dev", "approve"}).exit_code, 0);
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
  const std::string replacing = "20250101T000140Z-beef";
  p.old_history(1500, replacing);
  const std::string before = p.journal();
  ASSERT_GT(before.size(), kCompactMinBytes);

  p.clear_calls();
  auto stopped = p.run({"apply", "--env", "dev", "--yes"});
  ASSERT_EQ(stopped.exit_code, 5) << stopped.err;
  EXPECT_NE(stopped.err.find("(re-opened: db replaced 1 resource at 2025-01-01T00:00:02Z (run " +
                             replacing + ")"),
            std::string::npos)
      << stopped.err;
  const std::string after = p.journal();
  const std::string archive = p.read(".stackctl/dev/journal.archive.jsonl");
  EXPECT_LT(after.size(), before.size() / 10);
  EXPECT_EQ(json::parse(lines_of(after)[0])["compacted"]["archived_runs"],
            lines_of(archive).size() / 8);
  // Every line of the journal before is in the archive or still in the journal.
  std::multiset<std::string> now;
  for (const auto& l : lines_of(after)) now.insert(l);
  for (const auto& l : lines_of(archive)) now.insert(l);
  auto old = lines_of(before);
  for (std::size_t i = 1; i < old.size(); ++i) ASSERT_TRUE(now.count(old[i])) << "lost: " << old[i];
  EXPECT_NE(after.find(replacing), std::string::npos);
  EXPECT_EQ(archive.find(replacing), std::string::npos);

  auto gates = p.run({"gates", "--env", "dev"});
  EXPECT_NE(
      gates.out.find(
          "approve  pending    re-opened: db replaced 1 resource at 2025-01-01T00:00:02Z (run " +
          replacing + ")"),
      std::string::npos)
      << gates.out;
  auto status = p.run({"--output", "json", "status", "--env", "dev"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  const json doc = json::parse(status.out);
  EXPECT_EQ(doc["last_run"]["result"], "pending");
  EXPECT_EQ(doc["layers"][2]["last"]["action"], "apply");
  EXPECT_EQ(doc["layers"][2]["last"]["result"], "pending");
  // app's last end is a plan of the old history: its run stayed.
  EXPECT_EQ(doc["layers"][3]["last"]["action"], "plan");
  EXPECT_EQ(doc["layers"][3]["last"]["time"], "2025-01-01T00:00:02Z");

  ASSERT_EQ(p.run({"confirm", "--env", "dev", "approve"}).exit_code, 0);
  p.clear_calls();
  auto resumed = p.run({"resume", "--env", "dev", "--yes"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(p.call_sequence(), (std::vector<std::string>{"app plan"}));  // no changes: no apply
}

// `prune` compacts at once, whatever the size, and says so.
TEST(CompactionEndToEnd, PruneCompactsTheJournalAtOnce) {
  GatedProject p;
  ASSERT_EQ(p.run({"confirm", "--env", "dev", "approve"}).exit_code, 0);
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
  p.old_history(60, "20250101T000140Z-beef");
  ASSERT_EQ(p.run({"plan", "--env", "dev"}).exit_code, 0);
  auto r = p.run({"prune", "--env", "dev"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string archive = (p.root() / ".stackctl/dev/journal.archive.jsonl").string();
  const std::size_t archived = lines_of(p.read(".stackctl/dev/journal.archive.jsonl")).size() / 8;
  EXPECT_GT(archived, 10u);
  EXPECT_EQ(r.out,
            "env dev: removed 0 run folders (0 B), kept 2 (keep 5)\n"
            "journal: moved " +
                std::to_string(archived) + " old runs to " + archive + ", kept " +
                std::to_string(62 - archived) + "\n");
  auto again = p.run({"--output", "json", "prune", "--env", "dev"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["journal"],
            (json{{"archived_runs", 0}, {"kept_runs", 62 - archived}, {"archive", archive}}));
}

}  // namespace
}  // namespace stackctl
