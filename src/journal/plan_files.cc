#include "stackctl/journal/plan_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace stackctl {
namespace fs = std::filesystem;

bool DiskPlanFiles::exists(const fs::path& file) {
  std::error_code ec;
  return fs::exists(file, ec);
}

void DiskPlanFiles::keep_private(const fs::path& file) {
  std::error_code ec;
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                  ec);
}

std::string DiskPlanFiles::read_private(const fs::path& file) {
  keep_private(file);
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Created 0600 (and made so if it existed), so the text is never readable by others, not even
// for a moment; every write and the close are checked.
std::string DiskPlanFiles::write_private(const fs::path& file, const std::string& text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot write " + file.string() + ": " + std::strerror(errno);
  keep_private(file);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return "cannot write " + file.string() + ": " + std::strerror(err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return "cannot write " + file.string() + ": " + std::strerror(errno);
  return "";
}

PlanFiles& disk_plan_files() {
  static DiskPlanFiles files;
  return files;
}

}  // namespace stackctl
