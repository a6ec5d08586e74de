#pragma once
/// Opening the files of the state folder (journal, lock) without being led astray: a symbolic
/// link is never followed out of it, a FIFO never waited on.
#include <filesystem>
#include <string>

namespace stackctl {

/// How every refusal of a symbolic link in the state folder ends: `F is a symbolic link, ...`.
inline constexpr const char* kLinkNotFollowed =
    "is a symbolic link, which stackctl does not follow";

/// Opens `file` with `flags` plus O_CLOEXEC, O_NOFOLLOW and O_NONBLOCK (cleared again once
/// open): a symbolic link is refused, a FIFO opens at once. Anything but a regular file is
/// closed again. Returns the fd, or -1 with errno set. When the path exists but is not a
/// regular file, `refusal` says what it is ("it is a FIFO, not a regular file", "it is a
/// symbolic link, which stackctl does not follow"); otherwise it is left empty.
/// The folder it is in must not be a symbolic link either (an env's folder leading out of the
/// state folder): `refusal` then says "its folder F is a symbolic link, which stackctl does not
/// follow".
int open_state_file(const std::filesystem::path& file, int flags, int mode, std::string& refusal);

/// The first of dir and its `parents` nearest parent folders that exists as a symbolic link, or
/// "" — for the folders stackctl makes inside its state folder (an env's folder, `runs/`, a run's
/// folder), which must not lead out of it.
std::string linked_folder(const std::filesystem::path& dir, int parents);

}  // namespace stackctl
