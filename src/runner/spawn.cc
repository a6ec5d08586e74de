#include "spawn.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>

namespace stackctl {

namespace bp = boost::process;
namespace fs = std::filesystem;

namespace {

// A Boost.Process extension for what it does not do itself: the child's whole environment
// (nothing inherited), its own process group, a checked chdir, and reaping a child that failed
// before exec (Boost leaves it a zombie otherwise).
struct ChildSetup : bp::extend::handler {
  char** envp = nullptr;
  const char* cwd = nullptr;  ///< nullptr: stay in stackctl's directory

  template <class Executor>
  void on_setup(Executor& e) const {
    e.env = envp;
  }

  // Runs in the child between fork and exec: async-signal-safe calls only.
  template <class Executor>
  void on_exec_setup(Executor& e) const {
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);  // an ignored SIGPIPE would otherwise be inherited
    if (cwd != nullptr && ::chdir(cwd) != 0) {
      e.set_error(bp::extend::get_last_error(), "chdir failed");
      ::_exit(127);
    }
  }

  template <class Executor>
  void on_error(Executor& e, const std::error_code&) const {
    if (e.pid <= 0) return;
    int status = 0;
    while (::waitpid(e.pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
};

std::string errno_text(int err) { return std::strerror(err); }

// Why path cannot be executed, or "" when it can.
std::string check_executable(const std::string& path) {
  struct stat st = {};
  if (::stat(path.c_str(), &st) != 0) return path + ": " + errno_text(errno);
  if (S_ISDIR(st.st_mode)) return path + ": is a directory";
  if (!S_ISREG(st.st_mode)) return path + ": not a regular file";
  if (::access(path.c_str(), X_OK) != 0) return path + ": not executable";
  return "";
}

std::string search_path(const EnvVars& env) {
  for (auto it = env.rbegin(); it != env.rend(); ++it)
    if (it->first == "PATH") return it->second;
  const char* own = std::getenv("PATH");
  return own != nullptr ? own : "/usr/local/bin:/usr/bin:/bin";
}

// "" when cwd can be entered, else the reason.
std::string check_cwd(const fs::path& cwd) {
  if (cwd.empty()) return "";
  struct stat st = {};
  if (::stat(cwd.c_str(), &st) != 0)
    return "cannot change directory to " + cwd.string() + ": " + errno_text(errno);
  if (!S_ISDIR(st.st_mode))
    return "cannot change directory to " + cwd.string() + ": " + errno_text(ENOTDIR);
  return "";
}

// Two pipes whose read ends stay with stackctl (non-blocking) and write ends go to the child.
// Every end is close-on-exec, so no other child inherits them; dup2() onto 1 and 2 clears the
// flag for the child's own copies.
bool make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return true;
}

}  // namespace

std::optional<std::string> resolve_program(const std::string& name, const EnvVars& env,
                                           const fs::path& cwd, std::string& error) {
  if (name.empty()) {
    error = "empty command";
    return std::nullopt;
  }
  if (name.find('/') != std::string::npos) {
    const fs::path p = fs::path(name).is_absolute() || cwd.empty() ? fs::path(name) : cwd / name;
    error = check_executable(p.string());
    if (!error.empty()) return std::nullopt;
    return p.string();
  }
  const std::string path = search_path(env);
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = path.find(':', begin);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(begin, end - begin);
    begin = end + 1;
    if (dir.empty()) continue;  // an empty entry would mean "the current directory": never
    fs::path candidate = fs::path(dir) / name;
    if (candidate.is_relative() && !cwd.empty()) candidate = cwd / candidate;
    if (check_executable(candidate.string()).empty()) return candidate.string();
  }
  error = name + ": not found on PATH";
  return std::nullopt;
}

namespace {

// The fork/exec itself, once the program and the directory are known to be usable.
Spawned launch(const ChildSpec& spec, const std::string& program) {
  Spawned out;
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : spec.env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  envp.reserve(env_strings.size() + 1);
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  int out_fds[2], err_fds[2];
  if (!make_pipe(out_fds)) return {-1, -1, -1, "cannot create a pipe: " + errno_text(errno)};
  if (!make_pipe(err_fds)) {
    ::close(out_fds[0]);
    ::close(out_fds[1]);
    return {-1, -1, -1, "cannot create a pipe: " + errno_text(errno)};
  }
  bp::pipe out_pipe(out_fds[0], out_fds[1]), err_pipe(err_fds[0], err_fds[1]);
  ChildSetup setup;
  setup.envp = envp.data();
  setup.cwd = spec.cwd.empty() ? nullptr : spec.cwd.c_str();
  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());

  std::error_code ec;
  bp::child child(bp::exe = program, bp::args = args, bp::std_in<bp::null, bp::std_out> out_pipe,
                  bp::std_err > err_pipe, setup, ec);
  if (ec || !child.valid()) {
    out.error = program + ": " + (ec ? ec.message() : std::string("could not be started"));
    return out;  // the pipes close with out_pipe and err_pipe
  }
  out.pid = child.id();
  child.detach();  // the runner waits for it with waitpid()
  out.out_fd = out_pipe.native_source();
  out.err_fd = err_pipe.native_source();
  out_pipe.assign_source(-1);
  err_pipe.assign_source(-1);
  return out;
}

}  // namespace

Spawned spawn_child(const ChildSpec& spec) {
  Spawned out;
  if (spec.argv.empty()) {
    out.error = "empty command";
    return out;
  }
  auto program = resolve_program(spec.argv[0], spec.env, spec.cwd, out.error);
  if (!program) return out;
  out.error = check_cwd(spec.cwd);
  if (!out.error.empty()) return out;
  try {
    return launch(spec, *program);
  } catch (const std::exception& e) {
    out.error = *program + ": " + e.what();
  }
  return out;
}

}  // namespace stackctl
