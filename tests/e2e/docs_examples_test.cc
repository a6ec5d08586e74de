// The examples of README.md and docs/*.md, checked against the built stackctl.
//
// What is checked, and how a page says so (an HTML comment on the line before a fence):
//   - every `stackctl ...` command in a sh/bash/yaml block must parse: it runs in an empty folder
//     and CLI11 must not reject it (variables and `${{ }}` expressions stand for a word);
//   - `<!-- test: run -->`: each line of the sh block runs with /bin/sh, in order, in a copy of
//     this repository's project (layers/, envs/, modules/) kept per page, made a git repository
//     with two commits, with build/stackctl and build/terragrunt-sim, stackctl and a stand-in
//     ansible-playbook (exits 0) on PATH; the exit code must be 0, or N when the line's comment
//     says `exit N`. A line `export NAME=VALUE ...` sets those variables for the page's later
//     lines, as in the reader's shell: the page itself says which terragrunt to run
//     (STACKCTL_TERRAGRUNT; the `terragrunt` on PATH only fails) and which secrets to export.
//     A setup step the page need not show is a hidden run block: the lines between a line
//     `<!-- test: run` and a line `-->`, which a rendered page does not show;
//   - `<!-- test: transcript -->`: a text block showing a terminal session. Each line starting
//     with `$ ` is a command, run like a run-block line (same project copy, same exit rule); the
//     lines after it, up to the next `$ ` line, must be exactly what it printed: its stdout, then
//     its stderr (no blank line between them unless the command printed one). In an expected
//     line, a word starting with `...` matches any word ending in the rest: `...` alone is any
//     one word (a run id, a duration), `.../layers/manifest.yaml` any path ending so. A block
//     whose first line starts with `$ ` must carry this marker, and a marked block must start
//     with `$ `;
//   - `<!-- test: output -->`: the block is exactly the stdout of the last line run (commit ids
//     in parentheses aside);
//   - `<!-- test: manifest -->`: the yaml block is a complete manifest that validates;
//   - `<!-- test: env NAME -->`: the yaml block, as envs/NAME/env.yaml of the project, validates;
//   - `<!-- test: yaml -->`: the yaml block parses.
// Other text blocks (layouts, sample messages) are not checked.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "support/scenario.h"

namespace fs = std::filesystem;
using stackctl::testing::Outcome;
using stackctl::testing::Scenario;

namespace {

struct Block {
  std::string page;
  int line = 0;        ///< line of the opening fence
  std::string marker;  ///< "run", "output", "manifest", "env NAME", "yaml" or ""
  std::string lang;
  std::string text;
  bool hidden = false;  ///< a hidden run block (inside an HTML comment)
  std::string where() const { return page + ":" + std::to_string(line); }
};

std::vector<Block> read_blocks(const fs::path& file) {
  std::ifstream in(file);
  std::vector<Block> out;
  std::string line, marker;
  static const std::regex marker_re(R"(^<!-- test: (.*) -->$)");
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::smatch m;
    if (line == "<!-- test: run") {
      Block b{file.filename().string(), n, "run", "sh", "", true};
      while (std::getline(in, line) && line != "-->") {
        ++n;
        b.text += line + "\n";
      }
      ++n;
      out.push_back(b);
      marker.clear();
      continue;
    }
    if (std::regex_match(line, m, marker_re)) {
      marker = m[1];
      continue;
    }
    if (line.rfind("```", 0) != 0) {
      if (!line.empty()) marker.clear();
      continue;
    }
    Block b{file.filename().string(), n, marker, line.substr(3), "", false};
    while (std::getline(in, line) && line.rfind("```", 0) != 0) {
      ++n;
      b.text += line + "\n";
    }
    ++n;
    out.push_back(b);
    marker.clear();
  }
  return out;
}

std::vector<fs::path> pages() {
  std::vector<fs::path> out{fs::path(STACKCTL_SOURCE_DIR) / "README.md"};
  for (const auto& e : fs::directory_iterator(fs::path(STACKCTL_SOURCE_DIR) / "docs"))
    if (e.path().extension() == ".md") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Shell words of a command line, with `${{ }}`, `$(...)` and `$VAR` standing for one word.
std::vector<std::string> words(std::string text) {
  text = std::regex_replace(text, std::regex(R"(\$\{\{[^}]*\}\})"), "x");
  std::vector<std::string> out;
  std::string word;
  char quote = 0;
  bool any = false;
  for (char c : text) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      any = true;
    } else if (c == ' ' || c == '\t') {
      if (any || !word.empty()) out.push_back(word);
      word.clear();
      any = false;
    } else if (c == '|' || c == '>' || c == ')' || c == ';' || c == '&' || c == '#') {
      break;
    } else {
      word += c;
    }
  }
  if (any || !word.empty()) out.push_back(word);
  for (auto& w : out)
    if (w.find('$') != std::string::npos) w = "x";
  return out;
}

// Every `stackctl ...` invocation in a block, as the words after `stackctl`.
std::vector<std::vector<std::string>> commands(const Block& b) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(b.text);
  // A line that is a command, a YAML `run:` or script item, or a `$(stackctl ...)`.
  static const std::regex call(R"((^\s*(- )?(run: )?|\$\()stackctl ([^\n]*))");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    std::string rest = line;
    if (rest.rfind("#", 0) == 0 || rest.find("# Generated by") != std::string::npos) continue;
    if (std::regex_search(rest, m, call)) out.push_back(words(m[4]));
  }
  return out;
}

// The copy of the project the run blocks of one page work in. A page's own `export` lines set
// terragrunt and the secrets: nothing else does.
class Project : public Scenario {
 public:
  Project() {
    for (const char* dir : {"layers", "envs", "modules"}) {
      fs::path from = fs::path(STACKCTL_SOURCE_DIR) / dir;
      if (fs::exists(from)) fs::copy(from, root() / dir, fs::copy_options::recursive);
    }
    write(".gitignore", ".stackctl/\nsim-calls.jsonl\nbin/\nbuild/\n");
    write("bin/ansible-playbook", "#!/bin/sh\nexit 0\n");
    // A terragrunt that is not there, so a page that does not say which one to use fails
    // (and a real one on PATH is never run).
    write("bin/terragrunt",
          "#!/bin/sh\necho 'terragrunt: the page must export STACKCTL_TERRAGRUNT' >&2\nexit 127\n");
    for (const char* tool : {"bin/ansible-playbook", "bin/terragrunt"})
      fs::permissions(root() / tool, fs::perms::owner_all);
    fs::create_symlink(STACKCTL_BIN, root() / "bin/stackctl");
    fs::create_directories(root() / "build");
    fs::create_symlink(STACKCTL_BIN, root() / "build/stackctl");
    fs::create_symlink(TERRAGRUNT_SIM_BIN, root() / "build/terragrunt-sim");
    for (const auto& cmd : {"git init -q -b main", "git add -A", "git commit -q -m project",
                            "git commit -q --allow-empty -m next"})
      EXPECT_EQ(shell(cmd).exit_code, 0) << cmd;
  }

  /// Runs one line with /bin/sh in the project root. A line `export NAME=VALUE ...` also sets
  /// those variables for the lines after it, as in the reader's shell.
  Outcome shell(const std::string& line) {
    static const std::regex export_line(R"(^export\s+(.*))");
    std::smatch m;
    if (!std::regex_match(line, m, export_line)) return run_sh(line);
    static const std::string mark = std::string("\0exported\0", 10);
    Outcome r = run_sh(line + "\nstatus=$?; printf '\\0exported\\0'; env -0; exit $status");
    std::size_t at_mark = r.out.find(mark);
    if (at_mark == std::string::npos) return r;  // the line ended the shell
    std::string vars = r.out.substr(at_mark + mark.size());
    r.out.resize(at_mark);
    static const std::regex name(R"(\b([A-Za-z_][A-Za-z0-9_]*)=)");
    std::set<std::string> names;
    std::string assignments = m[1];
    for (std::sregex_iterator it(assignments.begin(), assignments.end(), name), e; it != e; ++it)
      names.insert((*it)[1]);
    for (std::size_t at = 0, end; at < vars.size(); at = end + 1) {
      end = vars.find('\0', at);
      std::string var = vars.substr(at, end - at);
      std::size_t eq = var.find('=');
      if (eq != std::string::npos && names.count(var.substr(0, eq)))
        exported_[var.substr(0, eq)] = var.substr(eq + 1);
    }
    return r;
  }

 private:
  Outcome run_sh(const std::string& script) const {
    const char* path = std::getenv("PATH");
    std::map<std::string, std::string> env = {
        {"PATH", (root() / "bin").string() + ":" + (path ? path : "/usr/bin:/bin")},
        {"TERRAGRUNT_SIM_LOG", (root() / "sim-calls.jsonl").string()},
        {"NO_COLOR", "1"},
        {"GIT_CONFIG_GLOBAL", "/dev/null"},
        {"GIT_AUTHOR_NAME", "docs"},
        {"GIT_AUTHOR_EMAIL", "docs@example.com"},
        {"GIT_COMMITTER_NAME", "docs"},
        {"GIT_COMMITTER_EMAIL", "docs@example.com"}};
    for (const auto& [k, v] : exported_) env[k] = v;
    return stackctl::testing::run_program("/bin/sh", {"-c", script}, root(), env);
  }

  std::map<std::string, std::string> exported_;
};

int expected_exit(const std::string& line) {
  static const std::regex re(R"(#[^'"]*\bexit ([0-9]+)[^'"]*$)");
  std::smatch m;
  return std::regex_search(line, m, re) ? std::stoi(m[1]) : 0;
}

std::string without_commit_ids(const std::string& s) {
  return std::regex_replace(s, std::regex(R"(\([0-9a-f]{7}\))"), "(COMMIT)");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Whether a printed line is the expected one, where a word starting with `...` matches any word
// that ends in the rest of it.
bool line_matches(const std::string& expected, const std::string& actual) {
  std::string re;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (expected.compare(i, 3, "...") == 0 && (i == 0 || expected[i - 1] == ' ')) {
      re += "\\S*";
      i += 2;
    } else if (std::string("\\^$.|?*+()[]{}").find(expected[i]) != std::string::npos) {
      re += std::string("\\") + expected[i];
    } else {
      re += expected[i];
    }
  }
  return std::regex_match(actual, std::regex(re));
}

// One command of a transcript and the lines shown after it.
struct Step {
  std::string command;
  std::vector<std::string> shown;
};

std::vector<Step> transcript_steps(const Block& b) {
  std::vector<Step> out;
  for (const auto& line : lines_of(b.text)) {
    if (line.rfind("$ ", 0) == 0)
      out.push_back({line.substr(2), {}});
    else if (!out.empty())
      out.back().shown.push_back(line);
  }
  return out;
}

// The first difference between what a transcript shows and what the command printed, or "".
std::string transcript_difference(const std::vector<std::string>& shown,
                                  const std::vector<std::string>& printed) {
  for (std::size_t i = 0; i < std::max(shown.size(), printed.size()); ++i) {
    if (i < shown.size() && i < printed.size() && line_matches(shown[i], printed[i])) continue;
    return "line " + std::to_string(i + 1) + " of the output:\n  shown:   " +
           (i < shown.size() ? "'" + shown[i] + "'" : "(nothing)") +
           "\n  printed: " + (i < printed.size() ? "'" + printed[i] + "'" : "(nothing)");
  }
  return "";
}

}  // namespace

TEST(DocsExamples, EveryDocumentedCommandParses) {
  Scenario empty;
  int checked = 0;
  for (const auto& page : pages()) {
    for (const Block& b : read_blocks(page)) {
      if (b.lang != "sh" && b.lang != "bash" && b.lang != "yaml") continue;
      for (const auto& args : commands(b)) {
        Outcome r =
            stackctl::testing::run_program(STACKCTL_BIN, args, empty.root(), {{"NO_COLOR", "1"}});
        std::string shown;
        for (const auto& a : args) shown += " " + a;
        EXPECT_EQ(r.err.find("Run with --help for more information."), std::string::npos)
            << b.where() << ": stackctl" << shown << "\n"
            << r.err;
        EXPECT_NE(r.exit_code, 70) << b.where() << ": stackctl" << shown << "\n" << r.err;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 50);
}

// Run blocks and transcripts of a page run in page order, in one copy of the project.
TEST(DocsExamples, RunBlocksAndTranscriptsRunAsDocumented) {
  int ran = 0, transcripts = 0;
  for (const auto& page : pages()) {
    std::unique_ptr<Project> project;
    std::string last_out;
    for (const Block& b : read_blocks(page)) {
      bool starts_with_prompt = b.text.rfind("$ ", 0) == 0;
      if (b.marker == "output") {
        EXPECT_EQ(without_commit_ids(b.text), without_commit_ids(last_out)) << b.where();
        continue;
      }
      if (b.marker != "transcript") {
        EXPECT_FALSE(starts_with_prompt)
            << b.where() << ": a terminal transcript: mark it <!-- test: transcript -->";
      } else if (!starts_with_prompt) {
        ADD_FAILURE() << b.where() << ": a transcript must start with a `$ ` command line";
        continue;
      }
      if (b.marker != "run" && b.marker != "transcript") continue;
      if (!project) project = std::make_unique<Project>();
      if (b.marker == "transcript") {
        for (const Step& step : transcript_steps(b)) {
          Outcome r = project->shell(step.command);
          EXPECT_EQ(r.exit_code, expected_exit(step.command))
              << b.where() << ": $ " << step.command << "\n"
              << r.out << r.err;
          std::string difference = transcript_difference(step.shown, lines_of(r.out + r.err));
          EXPECT_EQ(difference, "")
              << b.where() << ": $ " << step.command << "\nprinted (stdout, then stderr):\n"
              << r.out << r.err;
          last_out = r.out;
          ++ran;
        }
        ++transcripts;
        continue;
      }
      std::istringstream in(b.text);
      for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        Outcome r = project->shell(line);
        EXPECT_EQ(r.exit_code, expected_exit(line)) << b.where() << ": " << line << "\n" << r.err;
        last_out = r.out;
        ++ran;
      }
    }
  }
  EXPECT_GT(ran, 20);
  EXPECT_GE(transcripts, 2);
}

TEST(DocsExamples, ManifestEnvAndYamlBlocksAreValid) {
  int checked = 0;
  for (const auto& page : pages()) {
    for (const Block& b : read_blocks(page)) {
      if (b.marker == "manifest") {
        Scenario s;
        s.manifest(b.text);
        s.env("dev", "name: dev\n");
        s.run({"scaffold", "--env", "dev"});  // validate wants each enabled layer's folder
        Outcome r = s.run({"validate"});
        EXPECT_EQ(r.exit_code, 0) << b.where() << "\n" << r.out << r.err;
        ++checked;
      } else if (b.marker.rfind("env ", 0) == 0) {
        Project p;
        std::string name = b.marker.substr(4);
        p.write("envs/" + name + "/env.yaml", b.text);
        Outcome r = p.shell("stackctl scaffold --env " + name +
                            " >/dev/null && stackctl validate --env " + name);
        EXPECT_EQ(r.exit_code, 0) << b.where() << "\n" << r.out << r.err;
        ++checked;
      } else if (b.marker == "yaml") {
        EXPECT_NO_THROW(YAML::Load(b.text)) << b.where();
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 3);
}

// The README, .ci/demo and bench/run call build/stackctl, and the demo env's terragrunt is
// ../../build/terragrunt-sim: both binaries sit at the top of the build folder.
TEST(DocsExamples, BothBinariesAreAtTheTopOfTheBuildFolderWhereTheReadmeCallsThem) {
  EXPECT_EQ(fs::path(STACKCTL_BIN).filename(), "stackctl");
  EXPECT_EQ(fs::path(TERRAGRUNT_SIM_BIN).filename(), "terragrunt-sim");
  EXPECT_EQ(fs::path(STACKCTL_BIN).parent_path(), fs::path(TERRAGRUNT_SIM_BIN).parent_path());
  EXPECT_TRUE(fs::exists(fs::path(STACKCTL_BIN).parent_path() / "CMakeCache.txt"))
      << STACKCTL_BIN << " is not at the top of its build folder";
}
