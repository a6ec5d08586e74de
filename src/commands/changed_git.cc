// What git says changed: the base commit (given, or the merge base with the default branch, or
// HEAD^), the changed and untracked files, and the base version of a few inputs. Every git call
// is a child of the ProcessRunner, without a shell.
#include <algorithm>

#include "stackctl/commands/changed.h"
#include "stackctl/runner/interrupts.h"
#include "stackctl/runner/terragrunt.h"
#include "stackctl/util/error.h"

namespace stackctl {
namespace fs = std::filesystem;

namespace {

/// One git child at a time, in the repository's folder.
class Git {
 public:
  Git(ProcessRunner& runner, fs::path cwd) : runner_(runner), cwd_(std::move(cwd)) {}

  ChildResult run(const std::vector<std::string>& args) const {
    ChildSpec spec;
    spec.argv = {"git"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.cwd = cwd_;
    spec.env = current_environment();
    spec.label = "git";
    spec.capture_stdout = true;
    ChildResult r = run_to_completion(runner_, spec);
    // Ctrl-C while git answers (or before the next git call: the runner then starts nothing)
    // stops the command: what changed is unknown, so nothing may run.
    if (r.interrupt != 0 || r.spawn_error == kNotStartedAfterInterrupt)
      throw Error(ExitCode::Interrupted,
                  "interrupted (" + signal_name(r.interrupt ? r.interrupt : r.signal) +
                      ") while asking git what changed; nothing was started");
    if (!r.spawn_error.empty()) throw usage_error("--changed needs git: " + r.describe());
    return r;
  }

  /// The first line of stdout of a successful call; nullopt when git failed.
  std::optional<std::string> line(const std::vector<std::string>& args) const {
    ChildResult r = run(args);
    if (!r.ok()) return std::nullopt;
    std::string out = r.stdout_data.substr(0, r.stdout_data.find('\n'));
    return out;
  }

  void set_cwd(fs::path cwd) { cwd_ = std::move(cwd); }

 private:
  ProcessRunner& runner_;
  fs::path cwd_;
};

std::string short_id(const std::string& commit) { return commit.substr(0, 7); }

std::optional<std::string> commit_of(const Git& git, const std::string& rev) {
  return git.line({"rev-parse", "--verify", "--quiet", rev + "^{commit}"});
}

std::string empty_tree(const Git& git) {
  auto id = git.line({"hash-object", "-t", "tree", "--stdin"});
  if (!id) throw usage_error("--changed: git could not name the empty tree");
  return *id;
}

/// origin/HEAD, else main, master, origin/main, origin/master: the first that exists.
std::optional<std::string> default_branch(const Git& git) {
  if (auto ref = git.line({"symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"})) {
    const std::string prefix = "refs/remotes/";
    if (ref->rfind(prefix, 0) == 0) return ref->substr(prefix.size());
  }
  for (const char* name : {"main", "master", "origin/main", "origin/master"})
    if (commit_of(git, name)) return std::string(name);
  return std::nullopt;
}

/// The default base: the merge base with the default branch; HEAD^ on that branch itself (or
/// without one); the empty tree without commits or parents.
void choose_default_base(const Git& git, GitChanges& out) {
  auto head = commit_of(git, "HEAD");
  if (!head) {
    out.base_commit = empty_tree(git);
    out.base_label = "the empty tree (no commits yet)";
    return;
  }
  if (auto branch = default_branch(git)) {
    auto mb = git.line({"merge-base", "HEAD", *branch});
    if (mb && *mb != *head) {
      out.base_commit = *mb;
      out.base_label = "the merge base with " + *branch + " (" + short_id(*mb) + ")";
      return;
    }
  }
  if (auto parent = commit_of(git, "HEAD^")) {
    out.base_commit = *parent;
    out.base_label = "HEAD^ (" + short_id(*parent) + ")";
    return;
  }
  out.base_commit = empty_tree(git);
  out.base_label = "the empty tree (HEAD has no parent)";
}

void split_nul(const std::string& data, std::vector<std::string>& into) {
  std::size_t start = 0;
  while (start < data.size()) {
    std::size_t end = data.find('\0', start);
    if (end == std::string::npos) end = data.size();
    if (end > start) into.push_back(data.substr(start, end - start));
    start = end + 1;
  }
}

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  auto pos = t.rfind('\n');
  return pos == std::string::npos ? t : t.substr(pos + 1);
}

void read_files(const Git& git, GitChanges& out) {
  ChildResult diff = git.run({"diff", "--name-only", "--no-renames", "-z", out.base_commit, "--"});
  if (!diff.ok())
    throw usage_error("--changed: git diff against " + out.base_label +
                      " failed: " + last_line(diff.tail));
  split_nul(diff.stdout_data, out.files);
  ChildResult others = git.run({"ls-files", "--others", "--exclude-standard", "-z"});
  if (!others.ok()) throw usage_error("--changed: git ls-files failed: " + last_line(others.tail));
  split_nul(others.stdout_data, out.files);
  std::sort(out.files.begin(), out.files.end());
  out.files.erase(std::unique(out.files.begin(), out.files.end()), out.files.end());
}

// The base version of each changed input; `git show` of a path the base lacks (or of anything
// in the empty tree) fails, which means the file is new.
void read_old_versions(const Git& git, const std::vector<fs::path>& inputs, GitChanges& out) {
  for (const fs::path& input : inputs) {
    fs::path rel = fs::weakly_canonical(fs::absolute(input)).lexically_relative(out.toplevel);
    std::string r = rel.generic_string();
    if (rel.empty() || r.rfind("..", 0) == 0) continue;
    if (!std::binary_search(out.files.begin(), out.files.end(), r)) continue;
    ChildResult show = git.run({"show", out.base_commit + ":" + r});
    out.old_files[r] = show.ok() ? std::optional<std::string>(show.stdout_data) : std::nullopt;
  }
}

}  // namespace

GitChanges read_git_changes(ProcessRunner& runner, const fs::path& project_root,
                            const std::string& base, const std::vector<fs::path>& inputs) {
  Git git(runner, project_root);
  GitChanges out;
  auto top = git.line({"rev-parse", "--show-toplevel"});
  if (!top)
    throw usage_error("--changed needs a git repository: " + project_root.string() +
                      " is not inside one");
  out.toplevel = fs::weakly_canonical(*top);
  git.set_cwd(out.toplevel);
  if (!base.empty()) {
    auto commit = base[0] == '-' ? std::nullopt : commit_of(git, base);
    if (!commit)
      throw usage_error("--base '" + base + "' is not a commit of the repository at " +
                        out.toplevel.string());
    out.base_commit = *commit;
    out.base_label = base + " (" + short_id(*commit) + ")";
  } else {
    choose_default_base(git, out);
  }
  read_files(git, out);
  read_old_versions(git, inputs, out);
  return out;
}

}  // namespace stackctl
