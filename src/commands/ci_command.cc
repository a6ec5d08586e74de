// `stackctl ci github|gitlab|matrix`: the selected layers of an env, as the pipeline asked for.
#include <iostream>

#include <nlohmann/json.hpp>

#include "stackctl/commands/changed.h"
#include "stackctl/commands/ci_pipeline.h"
#include "stackctl/journal/journal.h"
#include "stackctl/util/error.h"

namespace stackctl {

std::string ci_command_line(const CiRequest& req, const std::vector<std::string>& argv) {
  if (argv.empty()) return "stackctl ci " + req.format + " --env " + req.env;
  std::string out = "stackctl";
  for (std::size_t i = 1; i < argv.size(); ++i) out += " " + argv[i];
  return out;
}

std::string ci_document(const std::string& format, const PipelineInput& in,
                        const PipelineOptions& options) {
  if (format == "matrix") return ci_matrix(in).dump() + "\n";
  if (in.selected.empty())
    throw usage_error("the selection is empty: a pipeline needs at least one layer");
  if (options.stackctl_git.empty())
    throw usage_error(
        "stackctl ci " + format +
        " needs --stackctl-git URL: the git repository its setup step builds stackctl from");
  return format == "github" ? github_workflow(in, options) : gitlab_pipeline(in, options);
}

int ci_command(const Context& ctx, const CiRequest& request) {
  CiRequest req = request;
  auto changed = resolve_changed(ctx, req.env, req.selection);
  auto ws = changed ? std::move(changed->workspace) : open_workspace(ctx, req.env);
  PipelineInput in{ws->stack(),
                   ws->graph(),
                   ws->pins(),
                   select_layers(ws->stack(), ws->graph(), req.selection, Direction::Apply),
                   {}};
  for (const auto& [name, rec] : confirmations(read_journal(ws->journal_file())))
    in.confirmed.insert(name);
  req.options.generated_by = ci_command_line(req, ctx.argv);
  std::cout << ci_document(req.format, in, req.options) << std::flush;
  return 0;
}

}  // namespace stackctl
