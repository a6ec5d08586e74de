#pragma once
/// Opening the files of the state folder (journal, snapshot, lock, logs) without being led
/// astray: a symbolic link is never followed out of it, a FIFO never waited on.
#include <filesystem>
#include <string>

namespace stackctl {

/// Opens `file` with `flags` plus O_CLOEXEC, O_NOFOLLOW and O_NONBLOCK (cleared again once
/// open): a symbolic link is refused, a FIFO opens at once. Anything but a regular file is
/// closed again. Returns the fd, or -1 with errno set (EINVAL: not a regular file).
int open_state_file(const std::filesystem::path& file, int flags, int mode = 0600);

/// What `file` is when it is not a regular file ("a symbolic link", "a FIFO", "a directory",
/// "a socket", "a character device", "a block device"), or "" (a regular file, or missing).
std::string non_regular_kind(const std::filesystem::path& file);

/// Why open_state_file(file) failed with err: "it is a FIFO, not a regular file", "it is a
/// symbolic link, which stackctl does not follow", or strerror(err).
std::string state_file_error(const std::filesystem::path& file, int err);

}  // namespace stackctl
