#pragma once
/// What a running layer is doing right now, read from its child's output as it grows: terraform
/// initialising (terragrunt's automatic `init`) or waiting for its state lock, and who holds the
/// lock when terraform has said so. The live board shows it next to the layer's step.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace stackctl {

/// The markers, as OpenTofu and Terraform print them (checked against the real tools by
/// tests/real): `init` prints `Initializing the backend...` / `Initializing provider plugins...`
/// / `Initializing modules...` and ends with `... has been successfully initialized!`; a
/// command that has waited about 400 ms for its state lock prints `Acquiring state lock. This may
/// take a few moments...` (nothing when the lock is free at once) and, when it gives up, the
/// holder's lock info with `Who: user@host`. Colours, terragrunt's log prefixes and the error box
/// (`│ `) around a line do not matter.
class OutputScanner {
 public:
  /// Reads more output; lines may be split across calls.
  void feed(std::string_view bytes);
  /// A new child (the layer's next step) starts: what the last one was doing is over. The lock
  /// holder is kept: a retry waits for the same lock.
  void next_child();

  bool initializing() const { return initializing_; }
  /// The child has printed that it is acquiring the state lock and nothing since.
  bool waiting_for_lock() const { return waiting_; }
  /// `user@host` from the last lock info printed, or "".
  const std::string& lock_holder() const { return holder_; }

 private:
  void line(std::string_view raw);
  std::string partial_;
  bool initializing_ = false;
  bool waiting_ = false;
  std::string holder_;
};

/// Feeds an OutputScanner from a log file that children append to, reading only what was added
/// since the last poll (at most the last 64 KiB of it: markers are in the latest lines).
class LogFollower {
 public:
  explicit LogFollower(std::filesystem::path file) : file_(std::move(file)) {}
  /// Reads what was appended since the last call; a missing file reads as nothing yet.
  void poll();
  OutputScanner& scanner() { return scanner_; }
  const OutputScanner& scanner() const { return scanner_; }

 private:
  std::filesystem::path file_;
  std::uintmax_t offset_ = 0;
  OutputScanner scanner_;
};

}  // namespace stackctl
