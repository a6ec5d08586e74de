#pragma once
/// The processes of one process group, read from /proc: how the runner finds the processes a
/// child started (terraform under terragrunt) so it can interrupt them and wait for them.
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

/// "1234 (tofu), 1240 (sh)".
std::string describe_members(const std::vector<GroupMember>& members);

}  // namespace stackctl
