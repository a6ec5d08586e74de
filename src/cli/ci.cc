// `stackctl ci github|gitlab|matrix --env E [selection]`: a pipeline with one job per layer.
#include <iostream>

#include "cli.h"
#include "stackctl/util/version.h"
#include "stackctl/commands/ci_pipeline.h"
#include "stackctl/util/error.h"
#include "stackctl/journal/journal.h"

namespace stackctl::cli {

namespace {

struct CiRequest {
  std::string format;  ///< github, gitlab or matrix
  std::string env;
  SelectionOptions selection;
  PipelineOptions options;
};

std::string command_line(const CiRequest& req, const std::vector<std::string>& argv) {
  std::string out = "stackctl";
  for (std::size_t i = 1; i < argv.size(); ++i) out += " " + argv[i];
  return argv.empty() ? "stackctl ci " + req.format + " --env " + req.env : out;
}

int generate(const CLI::App& cmd, const Context& ctx, CiRequest req) {
  auto changed = resolve_changed(cmd, ctx, req.env, req.selection);
  auto ws = changed ? std::move(changed->workspace) : open_workspace(ctx, req.env);
  PipelineInput in{ws->stack(), ws->graph(), ws->pins(),
                   select_layers(ws->stack(), ws->graph(), req.selection, Direction::Apply), {}};
  for (const auto& [name, rec] : confirmations(read_journal(ws->journal_file()))) in.confirmed.insert(name);
  req.options.generated_by = command_line(req, ctx.argv);
  if (req.format == "matrix") {
    std::cout << ci_matrix(in).dump() << std::endl;
    return 0;
  }
  if (in.selected.empty()) throw usage_error("the selection is empty: a pipeline needs at least one layer");
  if (req.options.stackctl_git.empty())
    throw usage_error("stackctl ci " + req.format +
                      " needs --stackctl-git URL: the git repository its setup step builds stackctl from");
  std::cout << (req.format == "github" ? github_workflow(in, req.options) : gitlab_pipeline(in, req.options));
  return 0;
}

void add_format(CLI::App& ci, Invocation& inv, const std::string& format, const std::string& description) {
  auto req = std::make_shared<CiRequest>();
  req->format = format;
  auto* cmd = ci.add_subcommand(format, description);
  cmd->add_option("--env", req->env, "Environment (a folder under envs/)")->required();
  add_selection_flags(*cmd, req->selection);
  if (format != "matrix") {
    cmd->add_option("--setup", req->options.setup, "Shell command run before stackctl in every job (repeatable)")
        ->type_name("CMD");
    cmd->add_option("--working-directory", req->options.working_directory,
                    "The project root, relative to the repository (default: the repository root)")
        ->type_name("DIR");
    cmd->add_option("--stackctl-git", req->options.stackctl_git,
                    "The git repository the setup step builds stackctl from")
        ->type_name("URL");
    cmd->add_option("--stackctl-ref", req->options.stackctl_ref,
                    std::string("Its tag or branch (default: v") + stackctl::version() + ")")
        ->type_name("REF");
    cmd->add_option("--terragrunt-version", req->options.terragrunt_version,
                    std::string("terragrunt release the setup step installs (default: ") +
                        kDefaultTerragruntVersion + ")")
        ->type_name("VERSION");
    cmd->add_option("--tofu-version", req->options.tofu_version,
                    std::string("OpenTofu release the setup step installs (default: ") + kDefaultTofuVersion + ")")
        ->type_name("VERSION");
  }
  if (format == "github") {
    cmd->add_option("--branch", req->options.branch, "The default branch: pushes to it apply (default: main)");
    cmd->add_option("--runs-on", req->options.runs_on, "Runner label of every job (default: ubuntu-latest)");
  }
  if (format == "gitlab") cmd->add_option("--image", req->options.image, "Image of every job");
  cmd->callback([&inv, req, cmd] {
    inv.env = req->env;
    inv.action = [&inv, req, cmd] { return generate(*cmd, inv.ctx, *req); };
  });
}

}  // namespace

void setup_ci(CLI::App& app, Invocation& inv) {
  auto* ci = app.add_subcommand("ci", "CI pipelines with one job per layer");
  ci->require_subcommand(1);
  add_format(*ci, inv, "github", "A GitHub Actions workflow: plan on pull requests, apply on the default branch");
  add_format(*ci, inv, "gitlab", "A .gitlab-ci.yml: plan in merge requests, apply on the default branch");
  add_format(*ci, inv, "matrix", "JSON {\"include\": [{layer, needs, tier, protect, kind}]} for custom pipelines");
}

}  // namespace stackctl::cli
