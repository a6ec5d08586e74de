// `stackctl ci github|gitlab|matrix --env E [selection]`: a pipeline with one job per layer.
#include "cli.h"
#include "stackctl/commands/ci_pipeline.h"
#include "stackctl/util/version.h"

namespace stackctl::cli {

namespace {

void add_format(CLI::App& ci, Invocation& inv, const std::string& format,
                const std::string& description) {
  auto req = std::make_shared<CiRequest>();
  req->format = format;
  auto* cmd = ci.add_subcommand(format, description);
  cmd->add_option("--env", req->env, "Environment (a folder under envs/)")->required();
  add_selection_flags(*cmd, req->selection);
  if (format != "matrix") {
    cmd->add_option("--setup", req->options.setup,
                    "Shell command run before stackctl in every job (repeatable)")
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
                    std::string("OpenTofu release the setup step installs (default: ") +
                        kDefaultTofuVersion + ")")
        ->type_name("VERSION");
  }
  if (format == "github") {
    cmd->add_option("--branch", req->options.branch,
                    "The default branch: pushes to it apply (default: main)");
    cmd->add_option("--runs-on", req->options.runs_on,
                    "Runner label of every job (default: ubuntu-latest)");
  }
  if (format == "gitlab") cmd->add_option("--image", req->options.image, "Image of every job");
  cmd->callback([&inv, req] {
    inv.env = req->env;
    inv.action = [&inv, req] { return ci_command(inv.ctx, *req); };
  });
}

}  // namespace

void setup_ci(CLI::App& app, Invocation& inv) {
  auto* ci = app.add_subcommand("ci", "CI pipelines with one job per layer");
  ci->require_subcommand(1);
  add_format(*ci, inv, "github",
             "A GitHub Actions workflow: plan on pull requests, apply on the default branch");
  add_format(*ci, inv, "gitlab",
             "A .gitlab-ci.yml: plan in merge requests, apply on the default branch");
  add_format(*ci, inv, "matrix",
             "JSON {\"include\": [{layer, needs, tier, protect, kind}]} for custom pipelines");
}

}  // namespace stackctl::cli
