// The version cache is one small text file in the env's state folder:
//
//   stackctl-terragrunt-version 1
//   /opt/terragrunt/1.1.3/terragrunt
//   DEVICE INODE SIZE MTIME_NS CTIME_NS
//   1.1.3
//
// It is only ever an optimisation: whatever is wrong with it means `terragrunt --version` runs.
#include "stackctl/runner/version_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <sstream>
#include <system_error>

#include "spawn.h"
#include "stackctl/util/state_file.h"

namespace stackctl {

namespace fs = std::filesystem;

namespace {

constexpr const char* kHeader = "stackctl-terragrunt-version 1";
constexpr std::size_t kMaxCacheBytes = 8192;

std::int64_t nanoseconds(const struct timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// A binary whose first two bytes are "#!" is a script.
bool is_script(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return true;  // unreadable: cannot tell, so do not cache
  char head[2] = {0, 0};
  const ssize_t n = ::read(fd, head, sizeof head);
  ::close(fd);
  return n != 2 || (head[0] == '#' && head[1] == '!');
}

std::string read_small_file(int fd) {
  std::string text;
  char buf[1024];
  while (text.size() <= kMaxCacheBytes) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

std::string cache_text(const BinaryIdentity& id, const TerragruntVersion& v) {
  std::ostringstream out;
  out << kHeader << '\n'
      << id.path << '\n'
      << id.device << ' ' << id.inode << ' ' << id.size << ' ' << id.mtime_ns << ' ' << id.ctime_ns
      << '\n'
      << v.major << '.' << v.minor << '.' << v.patch << '\n';
  return out.str();
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

bool BinaryIdentity::operator==(const BinaryIdentity& o) const {
  return path == o.path && device == o.device && inode == o.inode && size == o.size &&
         mtime_ns == o.mtime_ns && ctime_ns == o.ctime_ns;
}

std::optional<BinaryIdentity> identify_binary(const std::string& binary, const EnvVars& env,
                                              const fs::path& cwd) {
  std::string error;
  const auto program = resolve_program(binary, env, cwd, error);
  if (!program) return std::nullopt;
  std::error_code ec;
  const fs::path resolved = fs::canonical(*program, ec);
  if (ec) return std::nullopt;
  BinaryIdentity id;
  id.path = resolved.string();
  struct stat st {};
  if (id.path.find('\n') != std::string::npos || ::stat(id.path.c_str(), &st) != 0 ||
      !S_ISREG(st.st_mode) || is_script(id.path))
    return std::nullopt;
  id.device = static_cast<std::uint64_t>(st.st_dev);
  id.inode = static_cast<std::uint64_t>(st.st_ino);
  id.size = static_cast<std::uint64_t>(st.st_size);
  id.mtime_ns = nanoseconds(st.st_mtim);
  id.ctime_ns = nanoseconds(st.st_ctim);
  return id;
}

std::optional<TerragruntVersion> read_cached_version(const fs::path& file,
                                                     const BinaryIdentity& id) {
  std::string refusal;
  const int fd = open_state_file(file, O_RDONLY, 0, refusal);
  if (fd < 0) return std::nullopt;
  const std::string text = read_small_file(fd);
  ::close(fd);
  if (text.size() > kMaxCacheBytes) return std::nullopt;
  std::istringstream in(text);
  std::string header, path, stat_line, version_line, extra;
  if (!std::getline(in, header) || header != kHeader || !std::getline(in, path) ||
      !std::getline(in, stat_line) || !std::getline(in, version_line) || std::getline(in, extra))
    return std::nullopt;
  BinaryIdentity cached;
  cached.path = path;
  std::istringstream stats(stat_line);
  if (!(stats >> cached.device >> cached.inode >> cached.size >> cached.mtime_ns >>
        cached.ctime_ns) ||
      !(stats >> std::ws).eof() || !(cached == id))
    return std::nullopt;
  TerragruntVersion v;
  char dot1 = 0, dot2 = 0;
  std::istringstream version(version_line);
  if (!(version >> v.major >> dot1 >> v.minor >> dot2 >> v.patch) || dot1 != '.' || dot2 != '.' ||
      !(version >> std::ws).eof() || v.major < 0 || v.minor < 0 || v.patch < 0)
    return std::nullopt;
  return v;
}

bool write_cached_version(const fs::path& file, const BinaryIdentity& id,
                          const TerragruntVersion& v) {
  const fs::path temp = file.string() + "." + std::to_string(::getpid()) + ".tmp";
  std::string refusal;
  ::unlink(temp.c_str());  // a leftover of a killed command with this pid; never followed
  const int fd = open_state_file(temp, O_WRONLY | O_CREAT | O_EXCL, 0600, refusal);
  if (fd < 0) return false;
  const bool written = ::fchmod(fd, 0600) == 0 && write_all(fd, cache_text(id, v));
  const bool closed = ::close(fd) == 0;
  // rename() replaces a symbolic link or a FIFO at `file` itself rather than following it; a
  // directory there makes it fail.
  if (written && closed && ::rename(temp.c_str(), file.c_str()) == 0) return true;
  ::unlink(temp.c_str());
  return false;
}

}  // namespace stackctl
