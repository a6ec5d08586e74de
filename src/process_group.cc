#include "process_group.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

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

// From /proc/<pid>/stat: "pid (comm) state ppid pgrp ...". comm may hold spaces and ')', so
// the fields are read after the last ')'.
bool parse_stat(const std::string& stat, char& state, pid_t& pgrp) {
  auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return false;
  const char* p = stat.c_str() + close + 2;
  state = *p;
  char* end = nullptr;
  std::strtol(p + 1, &end, 10);  // ppid
  if (end == nullptr) return false;
  long group = std::strtol(end, &end, 10);
  pgrp = static_cast<pid_t>(group);
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
  const std::string stat = read_proc_file("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  // Fields after "(comm)": state is field 3; starttime is field 22, in clock ticks after boot.
  const char* p = stat.c_str() + close + 1;
  char* end = nullptr;
  unsigned long long ticks = 0;
  for (int field = 3; field <= 22; ++field) {
    while (*p == ' ') ++p;
    if (*p == '\0') return std::nullopt;
    if (field == 22) {
      ticks = std::strtoull(p, &end, 10);
      if (end == p) return std::nullopt;
      break;
    }
    while (*p != ' ' && *p != '\0') ++p;
  }
  const std::string proc_stat = read_proc_file("/proc/stat");
  const auto at = proc_stat.find("\nbtime ");
  if (at == std::string::npos) return std::nullopt;
  const long long boot = std::strtoll(proc_stat.c_str() + at + 7, &end, 10);
  const long hz = ::sysconf(_SC_CLK_TCK);
  if (boot <= 0 || hz <= 0) return std::nullopt;
  return static_cast<std::time_t>(boot + static_cast<long long>(ticks / static_cast<unsigned long long>(hz)));
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
