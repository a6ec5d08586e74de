#pragma once
/// The processes of one process group, read from /proc: how the runner finds the processes a
/// child started (terraform under terragrunt) so it can interrupt them and wait for them.
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace stackctl {

/// A live process: its pid and its command name (/proc/<pid>/comm).
struct GroupMember {
  pid_t pid = 0;
  std::string name;
};

/// Every live process whose process group is pgid, in pid order. Zombies (exited, not yet
/// reaped by their parent) are left out: they hold no lock and do no work. Empty when /proc
/// cannot be read.
std::vector<GroupMember> process_group_members(pid_t pgid);

/// When the live process pid started, in seconds since the epoch (from /proc/<pid>/stat and
/// the boot time in /proc/stat; whole seconds, so within a second or two), or nullopt.
std::optional<std::time_t> process_start_time(pid_t pid);

/// "1234 (tofu), 1240 (sh)".
std::string describe_members(const std::vector<GroupMember>& members);

}  // namespace stackctl
