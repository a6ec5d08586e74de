#include "stackctl/commands/context.h"

#include <cstdio>

namespace stackctl {

std::unique_ptr<ProcessRunner> make_runner(const Context& ctx,
                                           const ProcessRunnerOptions& options) {
  return ctx.make_runner ? ctx.make_runner(options) : make_process_runner(options);
}

std::unique_ptr<Workspace> open_workspace(const Context& ctx, const std::string& env) {
  auto ws = Workspace::open(ctx.where);
  ws->select_env(env);
  for (const auto& w : ws->warnings()) std::fprintf(stderr, "%s\n", w.c_str());
  return ws;
}

}  // namespace stackctl
