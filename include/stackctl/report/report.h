#pragma once
/// What the user sees: the run preview, per-event progress lines, the summary, the JSON document.
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "stackctl/executor/executor.h"

namespace stackctl {

enum class OutputFormat { Text, Json, Ndjson };

/// Seconds on a monotonic clock; injected so tests can drive time without sleeping.
using Clock = std::function<double()>;
/// The real clock: std::chrono::steady_clock in seconds.
double monotonic_seconds();

/// Terminal capabilities, decided once in main (isatty, TERM, NO_COLOR, CLICOLOR_FORCE).
struct Console {
  bool color = false;  ///< ANSI colours on stderr
  bool live = false;   ///< stderr is a terminal that can redraw
  bool verbose = false;
  bool quiet = false;
  OutputFormat format = OutputFormat::Text;
  /// Wraps text in an ANSI colour code when colour is on (code like "31" for red).
  std::string paint(const std::string& text, const char* code) const;
};

/// The global flags that shape the console (precedence: the flag, then the environment).
struct ConsoleFlags {
  bool no_color = false;        ///< --no-color
  bool verbose = false;         ///< -v
  bool quiet = false;           ///< -q
  std::string output = "text";  ///< --output text|json|ndjson
};

/// What the process finds around it: whether stderr is a terminal, and the variables TERM,
/// NO_COLOR and CLICOLOR_FORCE (nullptr when unset).
struct Terminal {
  bool stderr_is_terminal = false;
  const char* term = nullptr;
  const char* no_color = nullptr;
  const char* clicolor_force = nullptr;
};

/// The console: live on a terminal whose TERM is not dumb; colour there, or anywhere with
/// CLICOLOR_FORCE set and not 0, but never with --no-color or a non-empty NO_COLOR.
Console make_console(const ConsoleFlags& flags, const Terminal& terminal);

/// The format `--output NAME` names: json, ndjson, else text.
OutputFormat output_format(const std::string& name);

/// What stdout gets when a command fails before or outside a run: nothing for text, the
/// --output json document with the error, or for ndjson that document as the run_finished event
/// that ends the stream (one line).
std::string error_output(OutputFormat format, const std::string& command, const std::string& env,
                         int exit_code, const std::string& message);

/// Prints one line per finished layer on stderr: `[ 3/41] vpc apply ok +12 ~0 -0 45.2s`,
/// the failing child's last lines, and interrupt notices.
class ProgressLines : public RunObserver {
 public:
  ProgressLines(const Stack& stack, const Console& console, std::size_t total, std::FILE* out);
  void layer_started(std::size_t layer, Action action) override;
  void layer_finished(const LayerResult& result) override;
  void interrupted(int signal, int count) override;
  void layer_retrying(const RetryNotice& notice) override;

 private:
  const Stack& stack_;
  const Console& console_;
  std::size_t total_, done_ = 0;
  std::FILE* out_;
};

/// `+12 ~0 -0`, or `-` when the counts are unknown.
std::string format_changes(const LayerResult& r);

/// The end-of-run table: layer, action, result, +/~/-, duration.
std::string summary_table(const Stack& stack, const std::vector<LayerResult>& results);

/// The JSON document of --output json (docs/contract.md, The --output json document). command
/// is the subcommand's word; `success` follows run_succeeded().
nlohmann::json result_document(const std::string& command, const std::string& env,
                               const std::string& run_id, int exit_code, const Stack* stack,
                               const std::vector<LayerResult>& results,
                               const std::vector<std::string>& errors);

}  // namespace stackctl
