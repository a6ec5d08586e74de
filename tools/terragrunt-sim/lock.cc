#include "lock.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <nlohmann/json.hpp>

#include "plan.h"
#include "signals.h"
#include "state.h"

namespace tgsim {
namespace {

using nlohmann::json;

std::string who() {
  char host[256] = "localhost";
  ::gethostname(host, sizeof host - 1);
  const passwd* pw = ::getpwuid(::getuid());
  return std::string(pw ? pw->pw_name : "user") + "@" + host;
}

std::string lock_info(const json& j) {
  auto field = [&](const char* key) { return j.is_object() ? j.value(key, "") : std::string(); };
  return "Lock Info:\n  ID:        " + field("ID") + "\n  Path:      " + field("Path") +
         "\n  Operation: " + field("Operation") + "\n  Who:       " + field("Who") +
         "\n  Version:   " + field("Version") + "\n  Created:   " + field("Created") +
         "\n  Info:      " + field("Info");
}

/// Creates the lock file exclusively; false when it already exists (errno set).
bool try_create(const std::filesystem::path& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  ssize_t n = ::write(fd, content.data(), content.size());
  (void)n;
  ::close(fd);
  return true;
}

}  // namespace

StateLock::Result StateLock::acquire(const std::filesystem::path& module_dir,
                                     const std::string& operation, double timeout_s,
                                     std::string& holder, const std::function<void()>& slow) {
  std::error_code ec;
  std::filesystem::create_directories(sim_dir(module_dir), ec);
  path_ = sim_dir(module_dir) / "lock";
  json info = {{"ID", std::to_string(::getpid()) + "-" + std::to_string(std::time(nullptr))},
               {"Path", (sim_dir(module_dir) / "state.json").string()},
               {"Operation", operation},
               {"Who", who()},
               {"Version", "1.9.8"},
               {"Created", utc_timestamp()},
               {"Info", ""},
               {"pid", ::getpid()}};
  const auto start = std::chrono::steady_clock::now();
  auto deadline = start + std::chrono::duration<double>(timeout_s);
  auto slow_at = start + std::chrono::duration<double>(kSlowLock);
  bool told = false;
  for (;;) {
    if (try_create(path_, info.dump() + "\n")) {
      held_ = true;
      return Result::Acquired;
    }
    if (errno != EEXIST) {
      holder = path_.string() + ": " + std::strerror(errno);
      return Result::Failed;
    }
    if (!told && std::chrono::steady_clock::now() >= slow_at) {
      told = true;
      if (slow) slow();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string text;
      read_file(path_, text);
      holder = lock_info(json::parse(text, nullptr, false));
      return Result::Busy;
    }
    if (!sleep_unless_signalled(0.1)) return Result::Interrupted;
  }
}

void StateLock::release() {
  if (!held_) return;
  std::error_code ec;
  std::filesystem::remove(path_, ec);
  held_ = false;
}

StateLock::~StateLock() {
  if (signals_received() < 2) release();
}

}  // namespace tgsim
