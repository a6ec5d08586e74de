#include "child_output.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include "stackctl/util/terminal_text.h"

namespace stackctl {

namespace fs = std::filesystem;

namespace {

std::size_t capture_limit_bytes() {
  const char* mib = std::getenv("STACKCTL_MAX_CAPTURE_MIB");
  if (mib == nullptr || *mib == '\0') return ChildOutput::kDefaultCaptureMiB << 20;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(mib, &end, 10);
  if (*end != '\0' || value == 0 || value > (1ull << 20))
    return ChildOutput::kDefaultCaptureMiB << 20;
  return static_cast<std::size_t>(value) << 20;
}

}  // namespace

ChildOutput::ChildOutput(const ChildSpec& spec, EchoSink echo)
    : redactor_(spec.redact),
      label_(spec.label),
      echo_(spec.echo),
      capture_(spec.capture_stdout),
      sink_(std::move(echo)),
      log_path_(spec.log_file),
      capture_limit_(capture_limit_bytes()),
      mark_(spec.mark) {
  for (const std::string& secret : redactor_.patterns()) hold_ = std::max(hold_, secret.size() - 1);
  if (log_path_.empty()) return;
  std::error_code ec;
  if (log_path_.has_parent_path()) fs::create_directories(log_path_.parent_path(), ec);
  // A failure to create the folder shows up as the open() error below.
  // Logs hold what children print, secrets among it: only the user may read them.
  log_fd_ = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (log_fd_ < 0)
    log_error_ = "cannot open log file " + log_path_.string() + ": " + std::strerror(errno);
}

ChildOutput::~ChildOutput() {
  if (log_fd_ >= 0) ::close(log_fd_);
}

void ChildOutput::add(OutputStream stream, std::string_view bytes) {
  if (stream == OutputStream::Out && capture_) capture(bytes);
  std::string& partial = partial_[static_cast<int>(stream)];
  partial.append(bytes);

  std::string log_chunk;
  std::size_t begin = 0;
  for (std::size_t nl = partial.find('\n'); nl != std::string::npos;
       nl = partial.find('\n', begin)) {
    route_line(std::string_view(partial).substr(begin, nl - begin), true, log_chunk);
    begin = nl + 1;
  }
  partial.erase(0, begin);
  // A very long line without '\n' (a progress bar, a one-line JSON) is passed on in pieces
  // rather than held without bound.
  if (partial.size() >= kMaxPartialLine) {
    const std::size_t cut = safe_cut(partial);
    route_line(std::string_view(partial).substr(0, cut), false, log_chunk);
    partial.erase(0, cut);
  }
  write_log(log_chunk);
}

void ChildOutput::finish() {
  std::string log_chunk;
  for (std::string& partial : partial_) {
    if (!partial.empty()) route_line(partial, false, log_chunk);
    partial.clear();
  }
  write_log(log_chunk);
}

// Past the limit, what was captured is dropped and nothing more is kept, instead of growing
// without bound.
void ChildOutput::capture(std::string_view bytes) {
  if (!capture_error_.empty()) return;
  if (bytes.size() <= capture_limit_ - std::min(capture_limit_, stdout_data_.size())) {
    stdout_data_.append(bytes);
    return;
  }
  std::string().swap(stdout_data_);
  capture_error_ = "larger than " + std::to_string(capture_limit_ >> 20) + " MiB";
}

void ChildOutput::take_into(ChildResult& result) {
  result.capture_error = capture_error_;
  result.stdout_data = std::move(stdout_data_);
  result.tail.clear();
  for (const auto& line : tail_) result.tail.append(line).append("\n");
  result.log_error = log_error_;
  result.marked_line = std::move(marked_line_);
}

// The log keeps the child's bytes exactly (newline only where the child wrote one); echo and
// tail see each piece as one line, without a trailing '\r'.
void ChildOutput::route_line(std::string_view line, bool newline, std::string& log_chunk) {
  std::string clean = redactor_.apply(line);
  log_chunk.append(clean);
  if (newline) log_chunk.push_back('\n');
  if (!clean.empty() && clean.back() == '\r') clean.pop_back();
  clean =
      terminal_safe(clean);  // the echo and the tail may reach a terminal; the log keeps the bytes
  if (echo_ && sink_) sink_(label_.empty() ? clean + "\n" : "[" + label_ + "] " + clean + "\n");
  if (clean.size() > kMaxTailLine) clean = clean.substr(0, kMaxTailLine) + " [...]";
  if (!mark_.empty() && clean.find(mark_) != std::string::npos) marked_line_ = clean;
  tail_.push_back(std::move(clean));
  if (tail_.size() > kTailLines) tail_.pop_front();
}

// Where a long line without '\n' is cut before being passed on: each piece is redacted on its
// own, so the cut may not split a secret. It keeps back the last hold_ bytes (the start of a
// secret that continues in the next read) and moves before any secret spanning the cut.
std::size_t ChildOutput::safe_cut(std::string_view text) const {
  std::size_t cut = text.size() - std::min(text.size(), hold_);
  for (bool moved = true; moved && cut > text.size() / 2;) {
    moved = false;
    for (const std::string& secret : redactor_.patterns()) {
      const std::size_t from = cut >= secret.size() ? cut - secret.size() + 1 : 0;
      const std::size_t at = text.find(secret, from);
      if (at < cut) {  // it starts within a secret's length before the cut: it spans it
        cut = at;
        moved = true;
      }
    }
  }
  return cut;
}

void ChildOutput::write_log(std::string_view text) {
  while (log_fd_ >= 0 && !text.empty()) {
    ssize_t n = ::write(log_fd_, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      log_error_ =
          "cannot write log file " + log_path_.string() + ": " + std::strerror(n < 0 ? errno : EIO);
      ::close(log_fd_);
      log_fd_ = -1;  // the rest of this child's output is not logged
      return;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace stackctl
