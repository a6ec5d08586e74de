// run --all: find the units below the working directory, order them by their dependencies,
// ask for confirmation unless non-interactive, and run the command in each.
#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include "dependencies.h"
#include "module_run.h"
#include "signals.h"

namespace tgsim {
namespace {

namespace fs = std::filesystem;

struct Unit {
  fs::path dir;
  ModuleConfig config;
  std::vector<fs::path> deps;  ///< units of the run this one depends on
};

void discover(const fs::path& dir, int depth, std::vector<fs::path>& out) {
  std::error_code ec;
  if (fs::exists(dir / "terragrunt.hcl", ec)) out.push_back(dir);
  if (depth == 0) return;
  std::vector<fs::path> children;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory(ec) && !name.empty() && name[0] != '.') children.push_back(entry.path());
  }
  std::sort(children.begin(), children.end());
  for (const auto& child : children) discover(child, depth - 1, out);
}

bool load_units(const Context& ctx, std::map<fs::path, Unit>& units, std::string& error) {
  std::vector<fs::path> dirs;
  discover(ctx.module_dir, 8, dirs);
  for (const auto& dir : dirs) {
    Unit u{dir, {}, {}};
    if (!load_module(dir, dir / "terragrunt.hcl", u.config, error)) return false;
    units[dir] = u;
  }
  for (auto& [dir, unit] : units) {
    std::vector<std::string> written = unit.config.hcl.dependency_paths;
    for (const auto& d : unit.config.hcl.dependencies) written.push_back(d.config_path);
    for (const auto& w : written) {
      auto p = resolve_dependency_path(dir, w);
      if (p && units.count(*p)) unit.deps.push_back(*p);
    }
  }
  return true;
}

/// Dependencies first; ties broken by path. False on a cycle.
bool order_units(const std::map<fs::path, Unit>& units, std::vector<fs::path>& order) {
  std::set<fs::path> done;
  while (order.size() < units.size()) {
    bool progressed = false;
    for (const auto& [dir, unit] : units) {
      if (done.count(dir)) continue;
      bool ready = std::all_of(unit.deps.begin(), unit.deps.end(),
                               [&](const fs::path& d) { return done.count(d) > 0; });
      if (!ready) continue;
      order.push_back(dir);
      done.insert(dir);
      progressed = true;
    }
    if (!progressed) return false;
  }
  return true;
}

/// For destroy: protected units and everything they depend on stay out of the queue.
void drop_protected(const std::map<fs::path, Unit>& units, std::vector<fs::path>& order) {
  std::set<fs::path> keep;
  std::vector<fs::path> todo;
  for (const auto& [dir, unit] : units) {
    if (unit.config.hcl.prevent_destroy) todo.push_back(dir);
  }
  while (!todo.empty()) {
    fs::path dir = todo.back();
    todo.pop_back();
    if (!keep.insert(dir).second) continue;
    for (const auto& d : units.at(dir).deps) todo.push_back(d);
  }
  order.erase(std::remove_if(order.begin(), order.end(),
                             [&](const fs::path& d) { return keep.count(d) > 0; }),
              order.end());
}

std::string relative_name(const Context& ctx, const fs::path& dir) {
  std::string rel = dir.lexically_relative(ctx.module_dir).string();
  return rel == "." ? "." : rel;
}

bool confirmed(const Context& ctx) {
  const std::string& cmd = ctx.inv.command;
  if (ctx.inv.non_interactive || (cmd != "apply" && cmd != "destroy")) return true;
  std::cerr << (cmd == "destroy"
                    ? "WARNING: Are you sure you want to run `terragrunt destroy` in each unit "
                      "of the run queue displayed above? There is no undo! (y/n) "
                    : "Are you sure you want to run 'terragrunt apply' in each unit of the run "
                      "queue displayed above? (y/n) ")
            << std::flush;
  std::string answer;
  return std::getline(std::cin, answer) && (answer == "y" || answer == "yes");
}

/// run --all apply/destroy pass -input=false -auto-approve to terraform.
void add_automation_flags(Invocation& inv) {
  if (inv.command != "apply" && inv.command != "destroy") return;
  for (const char* flag : {"-input=false", "-auto-approve"}) {
    if (std::find(inv.tf_args.begin(), inv.tf_args.end(), flag) == inv.tf_args.end()) {
      inv.tf_args.push_back(flag);
    }
  }
}

int run_queue(const Context& ctx, const std::map<fs::path, Unit>& units,
              const std::vector<fs::path>& order) {
  bool destroy = ctx.inv.command == "destroy";
  std::set<fs::path> failed;
  bool any_changes = false;
  for (const auto& dir : order) {
    if (signals_received() > 0) return 1;
    const Unit& unit = units.at(dir);
    bool blocked = std::any_of(failed.begin(), failed.end(), [&](const fs::path& f) {
      const auto& d = destroy ? units.at(f).deps : unit.deps;
      return std::find(d.begin(), d.end(), destroy ? dir : f) != d.end();
    });
    Context unit_ctx = ctx;
    unit_ctx.log.set_unit(relative_name(ctx, dir));
    if (blocked) {
      unit_ctx.log.error("Cannot process unit " + dir.string() +
                         " because one of its dependencies finished with an error");
      failed.insert(dir);
      continue;
    }
    int code = run_module(unit_ctx, dir);
    if (code == 2 &&
        ctx.inv.tf_args.end() !=
            std::find(ctx.inv.tf_args.begin(), ctx.inv.tf_args.end(), "-detailed-exitcode")) {
      any_changes = true;
    } else if (code != 0) {
      failed.insert(dir);
    }
  }
  if (!failed.empty()) return 1;
  return any_changes ? 2 : 0;
}

}  // namespace

int run_all(const Context& base) {
  Context ctx = base;
  add_automation_flags(ctx.inv);
  std::map<fs::path, Unit> units;
  std::vector<fs::path> order;
  std::string error;
  if (!load_units(ctx, units, error)) {
    ctx.log.error(error);
    return 1;
  }
  if (!order_units(units, order)) {
    ctx.log.error("Found a dependency cycle between units in " + ctx.module_dir.string());
    return 1;
  }
  if (ctx.inv.command == "destroy") {
    std::reverse(order.begin(), order.end());
    drop_protected(units, order);
  }
  std::string listing;
  for (const auto& dir : order) listing += "\n- Unit " + relative_name(ctx, dir);
  ctx.log.info("The runner at " + ctx.module_dir.string() +
               " will be processed in the following order for command " + ctx.inv.command + ":" +
               listing);
  if (!confirmed(ctx)) return 0;
  return run_queue(ctx, units, order);
}

}  // namespace tgsim
