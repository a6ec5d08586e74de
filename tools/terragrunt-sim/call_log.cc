#include "call_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

namespace tgsim {

double epoch_seconds() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  return static_cast<double>(ms) / 1000.0;
}

CallLog::CallLog(std::vector<std::string> argv) : argv_(std::move(argv)), start_(epoch_seconds()) {
  std::error_code ec;
  cwd_ = std::filesystem::current_path(ec).string();
}

void CallLog::write(int exit_code) const {
  const char* path = std::getenv("TERRAGRUNT_SIM_LOG");
  if (path == nullptr || *path == '\0') return;
  nlohmann::json line = {{"cwd", cwd_},
                         {"argv", argv_},
                         {"start", start_},
                         {"end", epoch_seconds()},
                         {"exit", exit_code},
                         {"pid", ::getpid()},
                         {"non_interactive", non_interactive_}};
  std::string text = line.dump() + "\n";
  int fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  ssize_t n = ::write(fd, text.data(), text.size());
  (void)n;
  ::close(fd);
}

}  // namespace tgsim
