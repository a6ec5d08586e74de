// The run folders of an env: a layer's last log (`logs`) and retention (`keep_runs`, `prune`).
#include "stackctl/commands/run_folders.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "stackctl/commands/journal_compaction.h"
#include "stackctl/journal/lock.h"
#include "stackctl/plan/resume.h"
#include "stackctl/report/layer_output.h"
#include "stackctl/runner/dry_run.h"
#include "stackctl/util/error.h"
#include "stackctl/util/state_file.h"

namespace stackctl {
namespace fs = std::filesystem;

void make_private_folder(const fs::path& dir, const char* what) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(ExitCode::Software,
                std::string("cannot create ") + what + " " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec)
    throw Error(ExitCode::Software,
                std::string("cannot restrict ") + what + " " + dir.string() + ": " + ec.message());
}

void make_log_folder(const fs::path& dir) {
  if (const std::string link = linked_folder(dir, 1); !link.empty())
    throw Error(ExitCode::Software, "cannot create log folder " + dir.string() + ": " + link + " " +
                                        kLinkNotFollowed + "; move it aside");
  make_private_folder(dir, "log folder");
}

namespace {

// `YYYYMMDDTHHMMSSZ-xxxx` as new_run_id() makes them (the suffix may be longer).
bool is_run_id(const std::string& name) {
  if (name.size() < 18 || name[8] != 'T' || name[15] != 'Z' || name[16] != '-') return false;
  for (std::size_t i = 0; i < 15; ++i)
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(name[i]))) return false;
  for (std::size_t i = 17; i < name.size(); ++i)
    if (!std::isxdigit(static_cast<unsigned char>(name[i]))) return false;
  return true;
}

std::uintmax_t folder_size(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  return total;
}

std::string human_bytes(std::uintmax_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  std::size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(units)) v /= 1024, ++u;
  std::ostringstream s;
  if (u == 0)
    s << n << " B";
  else
    s << std::fixed << std::setprecision(1) << v << " " << units[u];
  return s.str();
}

// The last folder name of a recorded --plan-dir/--out-dir: a run folder it names is kept.
void add_recorded_dir(const nlohmann::json& options, const char* key, std::set<std::string>& out) {
  auto it = options.find(key);
  if (it == options.end() || !it->is_string() || it->get<std::string>().empty()) return;
  fs::path dir = fs::path(it->get<std::string>()).lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  out.insert(dir.filename().string());
}

}  // namespace

std::vector<std::string> run_folders(const fs::path& runs_dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(runs_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (is_run_id(name) && !it->is_symlink(ec) && it->is_directory(ec)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());  // run ids start with their UTC time
  return out;
}

RunCatalog catalog_runs(const JournalContents& journal, const Workspace& ws) {
  RunCatalog c;
  std::set<std::string> kept;
  for (std::size_t i = 0; i < journal.records.size(); ++i) {
    const JournalRecord& r = journal.records[i];
    if (r.type == "run_end" && !r.run_id.empty()) c.prunable.insert(r.run_id);
    if (r.type != "run_start") continue;
    c.started.emplace(r.run_id, i);
    auto options = r.raw.find("options");
    if (options == r.raw.end() || !options->is_object()) continue;
    add_recorded_dir(*options, "plan_dir", kept);
    add_recorded_dir(*options, "out_dir", kept);
  }
  if (auto point = find_resume_point(journal, ws)) kept.insert(point->run_id);
  for (const auto& id : kept) c.prunable.erase(id);
  return c;
}

std::vector<std::string> runs_in_order(const fs::path& runs_dir, const RunCatalog& catalog) {
  std::vector<std::string> all = run_folders(runs_dir);
  auto key = [&](const std::string& id) {
    auto it = catalog.started.find(id);
    return std::make_pair(id.substr(0, 16), it == catalog.started.end() ? SIZE_MAX : it->second);
  };
  std::stable_sort(all.begin(), all.end(),
                   [&](const std::string& a, const std::string& b) { return key(a) < key(b); });
  return all;
}

std::optional<fs::path> last_log(const fs::path& runs_dir, const RunCatalog& catalog,
                                 const std::string& layer) {
  std::vector<std::string> runs = runs_in_order(runs_dir, catalog);
  for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
    std::optional<fs::path> best;
    fs::file_time_type best_time{};
    for (const char* action : {"plan", "apply", "destroy", "exec"}) {
      fs::path file = runs_dir / *run / (layer + "." + action + ".log");
      std::error_code ec;
      if (!fs::is_regular_file(fs::symlink_status(file, ec))) continue;
      auto t = fs::last_write_time(file, ec);
      if (!best || t > best_time) best = file, best_time = t;
    }
    if (best) return best;
  }
  return std::nullopt;
}

PruneResult prune_runs(const fs::path& runs_dir, std::size_t keep, const RunCatalog& catalog) {
  PruneResult r;
  std::vector<std::string> all = runs_in_order(runs_dir, catalog);
  const std::size_t older = all.size() > keep ? all.size() - keep : 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i >= older || !catalog.prunable.count(all[i])) {
      r.kept.push_back(all[i]);
      continue;
    }
    fs::path dir = runs_dir / all[i];
    std::uintmax_t size = folder_size(dir);
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec) {
      r.errors.push_back("cannot remove " + dir.string() + ": " + ec.message());
      r.kept.push_back(all[i]);
      continue;
    }
    r.removed.push_back(all[i]);
    r.bytes_freed += size;
  }
  return r;
}

std::size_t keep_runs_of(const EnvConfig& env) {
  return env.keep_runs ? static_cast<std::size_t>(*env.keep_runs) : kDefaultKeepRuns;
}

void prune_after_run(const Workspace& ws, const std::string& run_id) {
  const fs::path runs = ws.env_state_dir() / "runs";
  if (run_folders(runs).size() <= keep_runs_of(ws.stack().env)) return;  // the journal stays unread
  RunCatalog catalog = catalog_runs(read_journal(ws.journal_file()), ws);
  catalog.prunable.erase(run_id);  // the logs the summary points at
  PruneResult r = prune_runs(runs, keep_runs_of(ws.stack().env), catalog);
  for (const auto& e : r.errors) spdlog::warn("keep_runs: {}", e);
}

int show_logs(const Context& ctx, const std::string& env, const std::string& layer) {
  auto ws = open_workspace(ctx, env);
  const Layer& l = ws->manifest().named(layer);
  if (l.kind == LayerKind::Manual) {
    std::cerr << "'" << layer << "' is a manual step: it runs no process and has no log; "
              << "stackctl gates --env " << env << " shows its state\n";
    return 0;
  }
  const fs::path runs = ws->env_state_dir() / "runs";
  auto file = last_log(runs, catalog_runs(read_journal(ws->journal_file()), *ws), layer);
  if (!file) {
    std::cerr << "no log of layer '" << layer << "' in env " << env << " (" << runs.string()
              << "): it has not run, or the run folders that held its logs were pruned\n";
    return 0;
  }
  std::ifstream in(*file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw Error(ExitCode::Software, "cannot read " + file->string());
  if (!ctx.console.quiet) std::cerr << "log of " << layer << ": " << file->string() << "\n";
  std::cout << for_stdout(text.str()) << std::flush;
  return 0;
}

int prune_command(const Context& ctx, const std::string& env, std::size_t keep) {
  auto ws = open_workspace(ctx, env);
  if (keep == 0) keep = keep_runs_of(ws->stack().env);
  EnvLock lock(ws->lock_file(), env, shell_join(ctx.argv), std::chrono::milliseconds(0));
  const fs::path runs = ws->env_state_dir() / "runs";
  PruneResult r = prune_runs(runs, keep, catalog_runs(read_journal(ws->journal_file()), *ws));
  // The journal too: runs older than the `keep` newest that no reader needs move to the archive.
  CompactionResult c;
  try {
    c = compact_env_journal(*ws, keep);
  } catch (const Error& e) {
    r.errors.push_back(std::string("journal not compacted: ") + e.what());
  }
  lock.release();
  for (const auto& w : c.warnings) std::cerr << "warning: " << w << "\n";
  for (const auto& e : r.errors) std::cerr << "stackctl: " << e << "\n";
  const std::string archive = archive_file(ws->journal_file()).string();
  if (ctx.console.format == OutputFormat::Json) {
    const int code = r.errors.empty() ? 0 : static_cast<int>(ExitCode::Software);
    std::cout << nlohmann::json{{"command", "prune"},
                                {"env", env},
                                {"success", code == 0},
                                {"exit_code", code},
                                {"keep", keep},
                                {"removed", r.removed},
                                {"kept", r.kept},
                                {"bytes_freed", r.bytes_freed},
                                {"journal",
                                 {{"archived_runs", c.runs_archived},
                                  {"kept_runs", c.runs_kept},
                                  {"archive", archive}}},
                                {"errors", r.errors}}
                     .dump(2)
              << std::endl;
  } else {
    if (ctx.console.verbose)
      for (const auto& id : r.removed) std::cerr << "removed " << (runs / id).string() << "\n";
    std::cout << "env " << env << ": removed " << r.removed.size() << " run folder"
              << (r.removed.size() == 1 ? "" : "s") << " (" << human_bytes(r.bytes_freed)
              << "), kept " << r.kept.size() << " (keep " << keep << ")\n";
    if (c.runs_archived > 0)
      std::cout << "journal: moved " << c.runs_archived << " old run"
                << (c.runs_archived == 1 ? "" : "s") << " to " << archive << ", kept "
                << c.runs_kept << "\n";
  }
  return r.errors.empty() ? 0 : static_cast<int>(ExitCode::Software);
}

}  // namespace stackctl
