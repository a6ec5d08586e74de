#pragma once
/// Exit codes and the one exception type that carries an exit code up to main().
#include <stdexcept>
#include <string>

namespace stackctl {

/// Process exit codes (docs/contract.md, Exit codes).
enum class ExitCode : int {
  Ok = 0,
  ChildFailed = 1,
  Changes = 2,
  Refused = 3,
  Locked = 4,
  GatePending = 5,
  Usage = 64,
  Invalid = 65,
  Software = 70,
  Interrupted = 130,
};

/// An expected failure that ends the command: a human message and the exit code it maps to.
/// Library code throws it only at the boundary of a command; inner code returns values.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  /// The exit code main() must return for this failure.
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

/// Shorthand constructors, so call sites read as the kind of failure.
inline Error usage_error(const std::string& m) { return Error(ExitCode::Usage, m); }
inline Error invalid_error(const std::string& m) { return Error(ExitCode::Invalid, m); }
inline Error refused_error(const std::string& m) { return Error(ExitCode::Refused, m); }

}  // namespace stackctl
