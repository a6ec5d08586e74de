#pragma once
/// Terragrunt-style output: its own log lines on stderr (`HH:MM:SS.mmm INFO   ...`), terraform's
/// stdout re-emitted as `HH:MM:SS.mmm STDOUT [unit] terraform: <line>`, raw where terragrunt
/// forwards raw (`output`, `-json`, `--tf-forward-stdout`, `--log-disable`).
#include <string>

namespace tgsim {

/// Where and how each kind of line is written; one per process (per unit in --all runs).
class Logger {
 public:
  /// disabled: --log-disable (no terragrunt log lines, raw terraform output).
  /// forward_stdout: --tf-forward-stdout (terraform output raw, logs kept).
  Logger(bool disabled, bool forward_stdout) : disabled_(disabled), raw_(forward_stdout) {}

  /// Sets the `[unit] ` part used in --all runs ("" for a single module).
  void set_unit(const std::string& unit) { unit_ = unit; }
  /// The `[unit]` name ("" for a single module).
  const std::string& unit() const { return unit_; }
  /// --log-disable.
  bool disabled() const { return disabled_; }
  /// --tf-forward-stdout.
  bool forwards_raw() const { return raw_; }

  /// Terragrunt log lines on stderr; a multi-line message continues unprefixed.
  void info(const std::string& message) const { log("INFO", message); }
  /// See info().
  void warn(const std::string& message) const { log("WARN", message); }
  /// See info(); still printed (unprefixed) under --log-disable.
  void error(const std::string& message) const { log("ERROR", message); }

  /// Terraform's stdout: each line decorated (or raw), on stdout.
  void tf_stdout(const std::string& text) const;
  /// Terraform's stderr: each line decorated (or raw), on stderr.
  void tf_stderr(const std::string& text) const;
  /// Forwarded untouched on stdout (output, show -json).
  void raw_stdout(const std::string& text) const;

 private:
  void log(const char* level, const std::string& message) const;
  void forward(const char* stream_name, const std::string& text, bool to_stderr) const;

  bool disabled_ = false;
  bool raw_ = false;
  std::string unit_;
};

/// The local time as `HH:MM:SS.mmm`.
std::string clock_stamp();

}  // namespace tgsim
