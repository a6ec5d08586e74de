#include <iostream>

#include "stackctl/commands/commands.h"
#include "stackctl/manifest/check_hcl.h"
#include "stackctl/plan/policy.h"
#include "stackctl/util/error.h"

namespace stackctl {

namespace {

// Validates one env; returns its HCL findings (errors make the command fail).
Diagnostics validate_env(Workspace& ws, const std::string& env, bool check_hcl, std::ostream& out) {
  ws.select_env(env);
  const Stack& s = ws.stack();
  std::size_t enabled = 0;
  for (bool e : s.enabled) enabled += e;
  Diagnostics diags;
  for (const auto& low : protection_lowerings(s))
    diags.warning(low.warning.file, low.warning.line, low.warning.message);
  check_layer_folders(s, diags);
  if (check_hcl) check_hcl_edges(s, diags);
  if (diags.has_errors()) return diags;
  out << "env " << env << ": ok (" << enabled << " of " << s.size() << " layers enabled)"
      << (check_hcl && !diags.has_errors() ? ", terragrunt.hcl edges match" : "") << "\n";
  return diags;
}

}  // namespace

int validate_project(const Context& ctx, const std::string& env, bool check_hcl) {
  auto ws = Workspace::open(ctx.where);
  std::cout << ws->manifest().file.string() << ": ok (" << ws->manifest().layers.size()
            << " layers)\n";
  std::vector<std::string> envs =
      env.empty() ? list_envs(ws->envs_dir()) : std::vector<std::string>{env};
  Diagnostics all;
  for (const auto& e : envs) all.merge(validate_env(*ws, e, check_hcl, std::cout));
  for (const auto& w : ws->warnings()) std::cerr << w << "\n";
  for (const auto& d : all.all())
    if (d.severity == Severity::Warning) std::cerr << d.str() << "\n";
  if (all.has_errors()) {
    std::string text;
    for (const auto& d : all.all())
      if (d.severity == Severity::Error) text += (text.empty() ? "" : "\n") + d.str();
    throw invalid_error(text);
  }
  return 0;
}

}  // namespace stackctl
