#include "stackctl/util/state_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace stackctl {

namespace {

// What a file of this mode is, when it is not a regular file.
const char* kind_of(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

std::string refusal_for(mode_t mode) {
  if (S_ISLNK(mode)) return std::string("it ") + kLinkNotFollowed;
  return std::string("it is ") + kind_of(mode) + ", not a regular file";
}

}  // namespace

std::string linked_folder(const std::filesystem::path& dir, int parents) {
  std::filesystem::path d = dir;
  for (int i = 0; i <= parents && !d.empty(); ++i, d = d.parent_path()) {
    struct stat st {};
    if (::lstat(d.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) return d.string();
  }
  return "";
}

int open_state_file(const std::filesystem::path& file, int flags, int mode, std::string& refusal) {
  refusal.clear();
  if (const std::string folder = linked_folder(file.parent_path(), 0); !folder.empty()) {
    refusal = "its folder " + folder + " " + kLinkNotFollowed;
    errno = ELOOP;
    return -1;
  }
  const int fd = ::open(file.c_str(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, mode);
  struct stat st {};
  if (fd < 0) {
    // O_NOFOLLOW fails with ELOOP on a symbolic link, and opening a directory for writing with
    // EISDIR: say what the path is rather than strerror's words.
    const int err = errno;
    if (::lstat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) refusal = refusal_for(st.st_mode);
    errno = err;
    return -1;
  }
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    refusal = refusal_for(st.st_mode);
    ::close(fd);
    errno = EINVAL;
    return -1;
  }
  // O_NONBLOCK only served to open a FIFO without waiting; a regular file is read normally.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

}  // namespace stackctl
