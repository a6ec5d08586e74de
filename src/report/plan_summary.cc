#include "stackctl/report/plan_summary.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace stackctl {
namespace fs = std::filesystem;

namespace {

const char* const kMinus = "\u2212";  // terraform's plans print "-"; Markdown reads better with −
const char* const kWarn = "\u26a0";

std::string protection_of(const Workspace& ws, std::size_t i) {
  Protect p = ws.stack().protect[i];
  if (p != Protect::None) return to_string(p);
  return ws.pins()[i].pinned ? "pinned" : "";
}

LayerPlan layer_plan(const Workspace& ws, const LayerResult& r) {
  LayerPlan l;
  l.name = ws.stack().layer(r.layer).name;
  l.protection = protection_of(ws, r.layer);
  l.is_protected = ws.stack().protect[r.layer] != Protect::None;
  l.result = to_string(r.outcome);
  if (r.outcome != Outcome::Ok) l.message = r.message;
  l.would_refuse = r.would_refuse;
  l.counts = r.changes;
  if (r.outcome == Outcome::Ok) l.changes = r.resource_changes;
  return l;
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// An address as a Markdown code span (addresses may hold backticks in string keys).
std::string code_span(const std::string& text) {
  if (text.find('`') == std::string::npos) return "`" + text + "`";
  return "`` " + text + " ``";
}

std::string totals_line(const PlanReport& report) {
  ChangeCounts total;
  std::size_t planned = 0, changed = 0;
  for (const auto& l : report.layers) {
    if (!l.planned()) continue;
    ++planned;
    if (l.counts.any()) ++changed;
    total.add += l.counts.add;
    total.change += l.counts.change;
    total.destroy += l.counts.destroy;
    total.replace += l.counts.replace;
  }
  const bool drift = report.command == Command::Drift;
  if (changed == 0)
    return std::string(drift ? "No drift in " : "No changes in ") + plural(planned, "layer") + ".";
  std::string verb = drift ? " drifted" : changed == 1 ? " has changes" : " have changes";
  std::string line = std::to_string(changed) + " of " + plural(planned, "layer") + verb + ": **+" +
                     std::to_string(total.add) + " to add, ~" + std::to_string(total.change) +
                     " to change, " + kMinus + std::to_string(total.destroy) + " to destroy**";
  if (total.replace > 0) line += " (" + std::to_string(total.replace) + " replaced)";
  return line;
}

void table(std::ostringstream& out, const PlanReport& report) {
  out << "| Layer | +add | ~change | " << kMinus << "destroy | replace | protected |\n"
      << "| :--- | ---: | ---: | ---: | ---: | :--- |\n";
  for (const auto& l : report.layers) {
    if (!l.planned()) continue;
    out << "| " << l.name << (l.warns() ? std::string(" ") + kWarn : "") << " | " << l.counts.add
        << " | " << l.counts.change << " | " << l.counts.destroy << " | " << l.counts.replace
        << " | " << l.protection << " |\n";
  }
}

void warnings_and_failures(std::ostringstream& out, const PlanReport& report) {
  std::string warned, missing;
  for (const auto& l : report.layers) {
    if (l.planned() && l.warns())
      warned += (warned.empty() ? "" : ", ") + l.name + " (" + l.protection + ")" +
                (l.would_refuse.empty() ? "" : ": apply would refuse it");
    if (!l.planned()) missing += (missing.empty() ? "" : ", ") + l.name + " (" + l.result + ")";
  }
  if (!warned.empty())
    out << "\n"
        << kWarn << " destroys or replaces resources in a protected layer: " << warned << "\n";
  if (!missing.empty())
    out << "\n"
        << (report.command == Command::Drift ? "Not checked: " : "Not planned: ") << missing
        << "\n";
}

void details(std::ostringstream& out, const LayerPlan& l, std::size_t max_listed) {
  out << "\n<details><summary>" << l.name << ": " << changes_text(l.counts, kMinus)
      << (l.warns() ? std::string(" ") + kWarn : "") << "</summary>\n\n";
  std::size_t shown = std::min(max_listed, l.changes.size());
  for (std::size_t i = 0; i < shown; ++i)
    out << "- " << l.changes[i].action << " " << code_span(l.changes[i].address) << "\n";
  if (l.changes.size() > shown) out << "- \u2026 and " << l.changes.size() - shown << " more\n";
  if (l.changes.empty()) out << "- (the resource list was not read)\n";
  if (!l.would_refuse.empty()) {
    out << "\n" << kWarn << " **apply would refuse this plan**: ";
    std::istringstream lines(l.would_refuse);
    for (std::string line; std::getline(lines, line);) out << line << "  \n";
  }
  out << "\n</details>\n";
}

}  // namespace

PlanReport plan_report(const Workspace& ws, Command command, const std::string& run_id,
                       const RunResult& run) {
  PlanReport report;
  report.command = command;
  report.env = ws.stack().env.name;
  report.run_id = run_id;
  std::vector<const LayerResult*> results;
  for (const auto& r : run.layers)
    if (ws.stack().layer(r.layer).kind == LayerKind::Terragrunt) results.push_back(&r);
  std::stable_sort(results.begin(), results.end(),
                   [](const LayerResult* a, const LayerResult* b) { return a->layer < b->layer; });
  for (const LayerResult* r : results) report.layers.push_back(layer_plan(ws, *r));
  return report;
}

SavedPlans saved_plans_of(const Workspace& ws, const PlanReport& report,
                          const std::string& created) {
  SavedPlans out;
  out.env = report.env;
  out.run_id = report.run_id;
  out.created = created;
  auto last = last_state_changes(read_journal(ws.journal_file()));
  for (const auto& l : report.layers) {
    auto pos = ws.manifest().position(l.name);
    if (!pos) continue;
    if (!l.planned()) {
      out.not_saved.emplace_back(l.name, l.result);
      continue;
    }
    SavedLayer s;
    s.name = l.name;
    s.counts = l.counts;
    s.protection = l.protection.empty() ? "none" : l.protection;
    s.plan_file = l.name + ".tfplan";
    s.upstream = upstream_of(ws.stack(), ws.graph(), *pos, last);
    out.layers.push_back(std::move(s));
  }
  return out;
}

std::string plan_markdown(const PlanReport& report, std::size_t max_listed) {
  std::ostringstream out;
  out << "## stackctl " << to_string(report.command) << ": env " << report.env << "\n\n"
      << totals_line(report) << "\n\n";
  table(out, report);
  warnings_and_failures(out, report);
  for (const auto& l : report.layers)
    if (l.planned() && l.counts.any()) details(out, l, max_listed);
  return out.str();
}

std::string drift_table(const PlanReport& report) {
  std::size_t width = 5, checked = 0, drifted = 0;
  std::string failed;
  for (const auto& l : report.layers) {
    if (!l.planned()) {
      failed += (failed.empty() ? "" : ", ") + l.name + " (" + l.result + ")";
      continue;
    }
    ++checked;
    if (l.counts.any()) {
      ++drifted;
      width = std::max(width, l.name.size());
    }
  }
  std::ostringstream out;
  if (drifted > 0) {
    out << std::left << std::setw(static_cast<int>(width)) << "LAYER"
        << "  CHANGES\n";
    for (const auto& l : report.layers)
      if (l.planned() && l.counts.any())
        out << std::setw(static_cast<int>(width)) << l.name << "  " << changes_text(l.counts, "-")
            << "\n";
    out << drifted << " of " << plural(checked, "layer") << " drifted in env '" << report.env
        << "'\n";
  } else {
    out << "no drift in env '" << report.env << "': " << plural(checked, "layer")
        << (checked == 1 ? " matches its" : " match their") << " configuration\n";
  }
  if (!failed.empty()) out << "could not check: " << failed << "\n";
  return out.str();
}

bool write_text_file(const fs::path& file, const std::string& text, bool append,
                     std::string& error) {
  errno = 0;
  std::ofstream out(file, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  if (out) out << text;
  if (out && out.flush()) return true;
  error = "cannot write " + file.string() + ": " + (errno ? std::strerror(errno) : "write failed");
  return false;
}

}  // namespace stackctl
