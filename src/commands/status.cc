#include <iomanip>
#include <iostream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "stackctl/commands/commands.h"
#include "stackctl/journal/changes_json.h"
#include "stackctl/journal/journal.h"
#include "stackctl/journal/lock.h"
#include "stackctl/util/terminal_text.h"

namespace stackctl {

namespace {

nlohmann::json status_json(const Stack& s, const std::map<std::string, JournalRecord>& last,
                           const JournalRecord* start, const JournalRecord* end) {
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto it = last.find(s.layer(i).name);
    nlohmann::json l = {{"name", s.layer(i).name}, {"enabled", bool(s.enabled[i])}};
    if (it != last.end())
      l["last"] = {{"action", it->second.action},
                   {"result", it->second.result},
                   {"time", it->second.time},
                   {"exit_code", it->second.exit_code},
                   {"changes", changes_json(it->second.changes)}};
    layers.push_back(l);
  }
  nlohmann::json run = nullptr;
  if (start)
    run = {{"run_id", start->run_id},
           {"command", start->raw.value("command", "")},
           {"started", start->time},
           {"result", end ? end->result : "unfinished"}};
  return {{"env", s.env.name}, {"last_run", run}, {"layers", layers}};
}

// Who holds the env lock now: the exclusive holder, or each shared holder (plan, drift).
std::string lock_lines(const std::filesystem::path& file) {
  std::string out;
  if (auto held = read_lock(file))
    out += "locked: " + held->describe() +
           (lock_is_stale(*held) ? " (gone: stackctl unlock removes it)" : "") + "\n";
  for (const auto& s : shared_holders(file))
    out += "shared lock: " + s.describe() +
           (lock_is_stale(s) ? " (gone: stackctl unlock removes it)" : "") + "\n";
  return out.empty() ? out : out + "\n";
}

nlohmann::json holder_json(const LockInfo& l) {
  return {{"pid", l.pid},         {"host", l.host},   {"user", l.user},
          {"command", l.command}, {"since", l.since}, {"gone", lock_is_stale(l)}};
}

// {"held_by": HOLDER or null, "shared": [HOLDER...]}
nlohmann::json lock_json(const std::filesystem::path& file) {
  nlohmann::json shared = nlohmann::json::array();
  for (const auto& l : shared_holders(file)) shared.push_back(holder_json(l));
  auto held = read_lock(file);
  return {{"held_by", held ? holder_json(*held) : nlohmann::json(nullptr)}, {"shared", shared}};
}

}  // namespace

int show_status(const Context& ctx, const std::string& env) {
  auto ws = open_workspace(ctx, env);
  const Stack& s = ws->stack();
  JournalContents j = read_journal(ws->journal_file());
  for (const auto& w : j.warnings) spdlog::warn("{}", w);
  auto last = last_results(j);
  auto [start, end] = last_run(j);
  if (ctx.console.format == OutputFormat::Json) {
    nlohmann::json doc = status_json(s, last, start, end);
    doc["lock"] = lock_json(ws->lock_file());
    std::cout << doc.dump(2) << std::endl;
    return 0;
  }
  if (start)
    // The journal is outside text (it may be edited by hand): shown, not obeyed.
    std::cout << terminal_safe("last run " + start->run_id + ": " +
                               start->raw.value("command", "?") + " started " + start->time + ", " +
                               (end ? end->result + " at " + end->time
                                    : "never finished (stackctl resume --env " + env + ")"))
              << "\n\n";
  else
    std::cout << "no runs recorded for env " << env << "\n\n";
  std::cout << lock_lines(ws->lock_file());
  std::size_t w = 5;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s.enabled[i]) w = std::max(w, s.layer(i).name.size());
  std::cout << std::left << std::setw(int(w) + 2) << "LAYER" << std::setw(9) << "ACTION"
            << std::setw(13) << "RESULT" << std::setw(22) << "WHEN"
            << "CHANGES\n";
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!s.enabled[i]) continue;
    auto it = last.find(s.layer(i).name);
    std::cout << std::setw(int(w) + 2) << s.layer(i).name;
    if (it == last.end())
      std::cout << "-\n";
    else
      std::cout << std::setw(9) << terminal_safe(it->second.action) << std::setw(13)
                << terminal_safe(it->second.result) << std::setw(22)
                << terminal_safe(it->second.time) << changes_text(it->second.changes) << "\n";
  }
  return 0;
}

}  // namespace stackctl
