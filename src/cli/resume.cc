#include "cli.h"

namespace stackctl::cli {

void setup_resume(CLI::App& app, Invocation& inv) {
  auto req = std::make_shared<RunRequest>();
  req->command = "resume";
  add_run_command(app, inv, req, "Continue the last unfinished or failed run");
}

}  // namespace stackctl::cli
