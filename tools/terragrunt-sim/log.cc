#include "log.h"

#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace tgsim {
namespace {

/// Writes the whole string with one write(2) where possible, so lines stay whole.
void write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::string clock_stamp() {
  timeval tv{};
  gettimeofday(&tv, nullptr);
  std::tm tm{};
  localtime_r(&tv.tv_sec, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(tv.tv_usec / 1000));
  return buf;
}

void Logger::log(const char* level, const std::string& message) const {
  if (disabled_) {
    if (std::string(level) == "ERROR") write_all(2, message + "\n");
    return;
  }
  std::string padded = level;
  padded.resize(6, ' ');
  std::string prefix =
      clock_stamp() + " " + padded + " " + (unit_.empty() ? "" : "[" + unit_ + "] ");
  std::string out;
  std::size_t start = 0;
  while (start <= message.size()) {
    std::size_t nl = message.find('\n', start);
    if (nl == std::string::npos) nl = message.size();
    out += (start == 0 ? prefix : std::string()) + message.substr(start, nl - start) + "\n";
    start = nl + 1;
  }
  write_all(2, out);
}

void Logger::forward(const char* stream_name, const std::string& text, bool to_stderr) const {
  int fd = to_stderr ? 2 : 1;
  if (disabled_ || raw_) {
    write_all(fd, text);
    return;
  }
  std::string prefix = clock_stamp() + " " + stream_name + " " +
                       (unit_.empty() ? "" : "[" + unit_ + "] ") + "terraform: ";
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out += prefix + text.substr(start, nl - start) + "\n";
    start = nl + 1;
  }
  write_all(fd, out);
}

void Logger::tf_stdout(const std::string& text) const { forward("STDOUT", text, false); }
void Logger::tf_stderr(const std::string& text) const { forward("STDERR", text, true); }
void Logger::raw_stdout(const std::string& text) const { write_all(1, text); }

}  // namespace tgsim
