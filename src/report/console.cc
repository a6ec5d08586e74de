// The console a command writes to, decided once from the global flags and the terminal, and what
// a failed command leaves on stdout.
#include <cstring>

#include <nlohmann/json.hpp>

#include "stackctl/report/report.h"

namespace stackctl {

Console make_console(const ConsoleFlags& flags, const Terminal& terminal) {
  Console c;
  const bool tty =
      terminal.stderr_is_terminal && !(terminal.term && std::strcmp(terminal.term, "dumb") == 0);
  const bool forced = terminal.clicolor_force && *terminal.clicolor_force &&
                      std::strcmp(terminal.clicolor_force, "0") != 0;
  c.live = tty;
  c.color = (tty || forced) && !flags.no_color && !(terminal.no_color && *terminal.no_color);
  c.verbose = flags.verbose;
  c.quiet = flags.quiet;
  c.format = output_format(flags.output);
  return c;
}

OutputFormat output_format(const std::string& name) {
  return name == "json"     ? OutputFormat::Json
         : name == "ndjson" ? OutputFormat::Ndjson
                            : OutputFormat::Text;
}

std::string error_output(OutputFormat format, const std::string& command, const std::string& env,
                         int exit_code, const std::string& message) {
  if (format == OutputFormat::Text) return "";
  auto doc = result_document(command, env, "", exit_code, nullptr, {}, {message});
  if (format == OutputFormat::Json) return doc.dump(2) + "\n";
  doc["event"] = "run_finished";  // the stream ends as a run's would, with the error
  return doc.dump() + "\n";
}

}  // namespace stackctl
