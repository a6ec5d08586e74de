#pragma once
/// SIGINT/SIGTERM as terraform sees them: counted, each one recorded as a line in
/// `.terragrunt-sim/signals.log`, and able to cut a simulated sleep short.
#include <string>

namespace tgsim {

/// Installs the handlers. Each signal received from now on appends `SIGINT pid=N` (or SIGTERM)
/// to log_path (when not empty). False with error when the log or the wake-up pipe cannot be
/// opened.
bool install_signal_handlers(const std::string& log_path, std::string& error);

/// Switches the log to another module's file (used by --all runs).
bool set_signal_log(const std::string& log_path, std::string& error);

/// How many SIGINT/SIGTERM arrived since install.
int signals_received();

/// The most recent of them (SIGINT when none arrived yet).
int last_signal();

/// Sleeps for seconds, or until a signal arrives after the call started. True when the whole
/// time passed.
bool sleep_unless_signalled(double seconds);

}  // namespace tgsim
