#pragma once
/// Where one child's output goes: the log file, the echo, the tail and captured stdout.
#include <cstddef>
#include <deque>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "stackctl/runner/redact.h"
#include "stackctl/runner/runner.h"

namespace stackctl {

/// Which pipe a chunk of output came from.
enum class OutputStream { Out = 0, Err = 1 };

/// Splits a child's stdout and stderr into lines and routes each line, with secrets redacted,
/// to the log file (appended, bytes kept exactly), the echo (`[label] line`) and the tail (last
/// kTailLines lines). Whole lines go to the log, so lines of the two streams never mix mid-line.
/// Raw stdout is kept for capture_stdout. A log that cannot be opened or written is remembered
/// in log_error(), never thrown.
class ChildOutput {
 public:
  static constexpr std::size_t kTailLines = 30;
  static constexpr std::size_t kMaxTailLine = 1000;          ///< longer tail lines are cut
  static constexpr std::size_t kMaxPartialLine = 64 * 1024;  ///< flushed even without '\n'
  /// Captured stdout is held whole (show -json is parsed whole): past this many MiB
  /// (STACKCTL_MAX_CAPTURE_MIB, default 256) it is dropped and ChildResult::capture_error says so.
  static constexpr std::size_t kDefaultCaptureMiB = 256;

  /// Opens spec.log_file (creating its folder) for appending. echo must be callable when
  /// spec.echo is set.
  ChildOutput(const ChildSpec& spec, EchoSink echo);
  ~ChildOutput();
  ChildOutput(const ChildOutput&) = delete;
  ChildOutput& operator=(const ChildOutput&) = delete;

  /// Adds bytes read from one of the child's pipes.
  void add(OutputStream stream, std::string_view bytes);
  /// Flushes unfinished last lines (at the child's end).
  void finish();
  /// Moves stdout_data, tail and log_error into result.
  void take_into(ChildResult& result);

 private:
  void route_line(std::string_view line, bool newline, std::string& log_chunk);
  void write_log(std::string_view text);
  void capture(std::string_view bytes);
  std::size_t safe_cut(std::string_view text) const;

  Redactor redactor_;
  std::size_t hold_ = 0;  ///< longest secret - 1: kept back when a long line is cut
  std::string label_;
  bool echo_ = false;
  bool capture_ = false;
  EchoSink sink_;
  std::filesystem::path log_path_;
  int log_fd_ = -1;
  std::string log_error_;
  std::string partial_[2];
  std::string stdout_data_;
  std::size_t capture_limit_;
  std::string capture_error_;
  std::deque<std::string> tail_;
  std::string mark_;
  std::string marked_line_;
};

}  // namespace stackctl
