#include "stackctl/util/process_group.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace stackctl {

namespace {

// Reads a small /proc file whole ("" when it is gone: the process exited meanwhile).
std::string read_proc_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string out;
  char buf[1024];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// Field `n` (counted from 1, as proc(5) does; n >= 3) of /proc/<pid>/stat: "pid (comm) state
// ppid pgrp ...". comm may hold spaces and ')', so the fields are counted after the last ')'.
// "" when the line is shorter.
std::string_view stat_field(std::string_view stat, int n) {
  auto close = stat.rfind(')');
  if (close == std::string_view::npos) return {};
  std::size_t at = close + 1;
  for (int field = 3;; ++field) {
    while (at < stat.size() && stat[at] == ' ') ++at;
    const std::size_t end = std::min(stat.find(' ', at), stat.size());
    if (at >= end) return {};
    if (field == n) return stat.substr(at, end - at);
    at = end;
  }
}

bool parse_stat(const std::string& stat, char& state, pid_t& pgrp) {
  const std::string_view s = stat_field(stat, 3), group = stat_field(stat, 5);
  if (s.empty() || group.empty()) return false;
  state = s.front();
  pgrp = static_cast<pid_t>(std::strtol(std::string(group).c_str(), nullptr, 10));
  return true;
}

}  // namespace

std::vector<GroupMember> process_group_members(pid_t pgid) {
  std::vector<GroupMember> members;
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr) return members;
  while (dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || end == nullptr || *end != '\0') continue;
    const std::string base = std::string("/proc/") + entry->d_name;
    char state = 0;
    pid_t group = 0;
    if (!parse_stat(read_proc_file(base + "/stat"), state, group)) continue;
    if (group != pgid || state == 'Z' || state == 'X') continue;
    std::string name = read_proc_file(base + "/comm");
    while (!name.empty() && name.back() == '\n') name.pop_back();
    for (char& c : name)  // a process names itself: nothing of it reaches a terminal raw
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    members.push_back({static_cast<pid_t>(pid), name});
  }
  ::closedir(dir);
  std::sort(members.begin(), members.end(),
            [](const GroupMember& a, const GroupMember& b) { return a.pid < b.pid; });
  return members;
}

std::optional<std::time_t> process_start_time(pid_t pid) {
  // starttime, field 22: clock ticks after boot.
  const std::string start(stat_field(read_proc_file("/proc/" + std::to_string(pid) + "/stat"), 22));
  char* end = nullptr;
  const unsigned long long ticks = std::strtoull(start.c_str(), &end, 10);
  if (start.empty() || *end != '\0') return std::nullopt;
  const std::string proc_stat = read_proc_file("/proc/stat");
  const auto at = proc_stat.find("\nbtime ");
  if (at == std::string::npos) return std::nullopt;
  const long long boot = std::strtoll(proc_stat.c_str() + at + 7, &end, 10);
  const long hz = ::sysconf(_SC_CLK_TCK);
  if (boot <= 0 || hz <= 0) return std::nullopt;
  return static_cast<std::time_t>(
      boot + static_cast<long long>(ticks / static_cast<unsigned long long>(hz)));
}

std::string describe_members(const std::vector<GroupMember>& members) {
  std::string out;
  for (const auto& m : members) {
    if (!out.empty()) out += ", ";
    out += std::to_string(m.pid) + " (" + m.name + ")";
  }
  return out;
}

}  // namespace stackctl
