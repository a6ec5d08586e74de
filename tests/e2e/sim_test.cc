// terragrunt-sim, the terragrunt test double, driven as stackctl drives terragrunt: one process
// per command, cwd = the module directory, in temporary stacks.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Env = std::vector<std::pair<std::string, std::string>>;
using Strings = std::vector<std::string>;

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct Child {
  pid_t pid = -1;
  fs::path out;
  fs::path err;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::size_t line_count(const fs::path& path) {
  std::string text = slurp(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

/// The caller's environment without anything that would change the simulator's behaviour.
std::vector<std::string> clean_environment(const Env& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    if (entry.rfind("TERRAGRUNT_", 0) == 0 || entry.rfind("TG_", 0) == 0 ||
        entry.rfind("TF_INPUT=", 0) == 0) {
      continue;
    }
    env.push_back(entry);
  }
  for (const auto& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

/// Polls pred every 20 ms for up to 20 s; a synchronisation aid, not a timing assertion.
bool eventually(const std::function<bool()>& pred) {
  for (int i = 0; i < 1000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

class SimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sim-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = fs::path(pattern);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  /// Creates <root>/<name>/terragrunt.hcl; returns the module directory.
  fs::path module(const std::string& name, const std::string& hcl = "") {
    write_text(root_ / name / "terragrunt.hcl", hcl);
    return root_ / name;
  }

  Child spawn(const fs::path& cwd, const Strings& args, const Env& env = {}) {
    Child c;
    c.out = root_ / ("out." + std::to_string(++runs_));
    c.err = root_ / ("err." + std::to_string(runs_));
    std::vector<std::string> envs = clean_environment(env);
    std::vector<std::string> argv = {TERRAGRUNT_SIM_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    c.pid = ::fork();
    if (c.pid == 0) {
      ::setpgid(0, 0);  // its own process group, as stackctl starts terragrunt
      int in = ::open("/dev/null", O_RDONLY);
      int out = ::open(c.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int err = ::open(c.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in < 0 || out < 0 || err < 0 || ::chdir(cwd.c_str()) != 0) ::_exit(127);
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      std::vector<char*> av, ev;
      for (auto& a : argv) av.push_back(a.data());
      for (auto& e : envs) ev.push_back(e.data());
      av.push_back(nullptr);
      ev.push_back(nullptr);
      ::execve(av[0], av.data(), ev.data());
      ::_exit(127);
    }
    ::setpgid(c.pid, c.pid);
    return c;
  }

  Result finish(const Child& c) {
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    Result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(c.out);
    r.err = slurp(c.err);
    return r;
  }

  Result run(const fs::path& cwd, const Strings& args, const Env& env = {}) {
    return finish(spawn(cwd, args, env));
  }

  /// Plans and applies with the argv of docs/contract.md (How terragrunt is called); asserts both
  /// succeed.
  void apply(const fs::path& dir, const Env& env = {}) {
    std::string plan_file = (dir / "stack.tfplan").string();
    Result p =
        run(dir,
            {"plan", "-input=false", "-lock-timeout=5m", "-detailed-exitcode", "-out=" + plan_file},
            env);
    ASSERT_TRUE(p.exit_code == 0 || p.exit_code == 2) << p.err;
    Result a = run(dir, {"apply", "-input=false", "-lock-timeout=5m", plan_file}, env);
    ASSERT_EQ(a.exit_code, 0) << a.err;
  }

  json state_of(const fs::path& dir) {
    return json::parse(slurp(dir / ".terragrunt-sim" / "state.json"));
  }

  fs::path root_;
  int runs_ = 0;
};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// The lines of text whose terragrunt prefix (`HH:MM:SS.mmm LEVEL  `) is removed.
Strings undecorated(const std::string& text) {
  static const std::regex prefix(R"(^\d\d:\d\d:\d\d\.\d{3} (INFO  |WARN  |ERROR |STDOUT|STDERR) )");
  Strings out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(std::regex_replace(line, prefix, ""));
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  Strings lines = undecorated(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// --- arguments and dialects --------------------------------------------------------------

TEST_F(SimTest, VersionComesFromTheEnvironment) {
  Result def = run(root_, {"--version"});
  EXPECT_EQ(def.exit_code, 0);
  EXPECT_EQ(def.out, "terragrunt version v0.77.0\n");
  Result old = run(root_, {"--version"}, {{"TERRAGRUNT_SIM_VERSION", "0.72.3"}});
  EXPECT_EQ(old.out, "terragrunt version v0.72.3\n");
  Result bad = run(root_, {"--version"}, {{"TERRAGRUNT_SIM_VERSION", "latest"}});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "terragrunt-sim: invalid TERRAGRUNT_SIM_VERSION 'latest': expected X.Y.Z\n");
}

TEST_F(SimTest, RunAllIsRejectedFromVersion090) {
  fs::path dir = module("vpc");
  Result r = run(dir, {"run-all", "plan"}, {{"TERRAGRUNT_SIM_VERSION", "0.90.0"}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(undecorated(r.err), (Strings{"unknown command: \"run-all\""}));
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(dir / ".terragrunt-sim" / "state.json"));
}

TEST_F(SimTest, RunAllWarnsBetween074And089) {
  module("vpc");
  const std::string warn =
      "The `run-all plan` command is deprecated and will be removed in a future version of "
      "Terragrunt. Use `terragrunt run --all plan` instead.";
  Result r = run(root_, {"run-all", "plan"}, {{"TERRAGRUNT_SIM_VERSION", "0.89.4"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_line(r.err, warn)) << r.err;
  EXPECT_TRUE(has_line(r.out, "[vpc] terraform: Plan: 1 to add, 0 to change, 0 to destroy."));
  Result early = run(root_, {"run-all", "plan"}, {{"TERRAGRUNT_SIM_VERSION", "0.73.0"}});
  EXPECT_EQ(early.exit_code, 0);
  EXPECT_FALSE(has_line(early.err, warn));
}

TEST_F(SimTest, PrefixedFlagsWarnUntil085AndFailAfter) {
  fs::path dir = module("vpc");
  Result warned =
      run(dir, {"plan", "--terragrunt-non-interactive"}, {{"TERRAGRUNT_SIM_VERSION", "0.84.1"}});
  EXPECT_EQ(warned.exit_code, 0);
  EXPECT_TRUE(has_line(warned.err,
                       "The `--terragrunt-non-interactive` flag is deprecated and will be removed "
                       "in a future version of Terragrunt. Use `--non-interactive` instead."));
  Result removed =
      run(dir, {"plan", "--terragrunt-non-interactive"}, {{"TERRAGRUNT_SIM_VERSION", "0.85.0"}});
  EXPECT_EQ(removed.exit_code, 1);
  EXPECT_EQ(undecorated(removed.err),
            (Strings{"flag provided but not defined: -terragrunt-non-interactive"}));
}

TEST_F(SimTest, NonInteractiveVariableDependsOnTheDialect) {
  fs::path dir = module("vpc");
  fs::path log = root_ / "calls.jsonl";
  auto non_interactive = [&](const Env& env) {
    Env with_log = env;
    with_log.emplace_back("TERRAGRUNT_SIM_LOG", log.string());
    Result r = run(dir, {"init"}, with_log);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string text = slurp(log);
    std::string last = text.substr(text.rfind('\n', text.size() - 2) + 1);
    return json::parse(last)["non_interactive"].get<bool>();
  };
  EXPECT_TRUE(non_interactive({{"TG_NON_INTERACTIVE", "true"}}));
  EXPECT_FALSE(
      non_interactive({{"TG_NON_INTERACTIVE", "true"}, {"TERRAGRUNT_SIM_VERSION", "0.72.0"}}));
  EXPECT_TRUE(non_interactive(
      {{"TERRAGRUNT_NON_INTERACTIVE", "true"}, {"TERRAGRUNT_SIM_VERSION", "0.72.0"}}));
  EXPECT_TRUE(non_interactive({{"TF_INPUT", "false"}}));
  EXPECT_FALSE(non_interactive({}));
}

TEST_F(SimTest, LegacyEnvironmentVariablesWarnFrom073) {
  fs::path dir = module("vpc");
  const std::string warn =
      "The `TERRAGRUNT_NON_INTERACTIVE` environment variable is deprecated and will be removed "
      "in a future version of Terragrunt. Use `TG_NON_INTERACTIVE=true` instead.";
  Result r = run(dir, {"init"}, {{"TERRAGRUNT_NON_INTERACTIVE", "true"}});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, warn)) << r.err;
  Result old = run(dir, {"init"},
                   {{"TERRAGRUNT_NON_INTERACTIVE", "true"}, {"TERRAGRUNT_SIM_VERSION", "0.72.0"}});
  EXPECT_FALSE(has_line(old.err, warn));
  Result strict = run(dir, {"init", "--strict-mode"}, {{"TERRAGRUNT_NON_INTERACTIVE", "true"}});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(undecorated(strict.err),
            (Strings{"The `TERRAGRUNT_NON_INTERACTIVE` environment variable is no longer "
                     "supported. Use `TG_NON_INTERACTIVE=true` instead."}));
}

TEST_F(SimTest, BothDialectsReachTheSameCommand) {
  fs::path dir = module("vpc");
  for (const Strings& args :
       {Strings{"run", "plan", "-detailed-exitcode"},
        Strings{"run", "--", "plan", "-detailed-exitcode"},
        Strings{"--working-dir", dir.string(), "plan", "-detailed-exitcode"},
        Strings{"plan", "--terragrunt-working-dir", dir.string(), "-detailed-exitcode"}}) {
    Result r = run(args[0] == "run" ? dir : root_, args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << "\n" << r.err;
  }
}

TEST_F(SimTest, UnknownTerraformFlagFailsLikeTerraform) {
  fs::path dir = module("vpc");
  Result r = run(dir, {"plan", "-no-such-flag"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_line(r.err, "terraform: \u2502 flag provided but not defined: -no-such-flag"))
      << r.err;
}

// --- plan, show, apply, output -----------------------------------------------------------

TEST_F(SimTest, PlanShowApplyOutputRoundTrip) {
  fs::path dir = module("vpc");
  std::string plan_file = (dir / "vpc.tfplan").string();
  Result plan = run(
      dir, {"plan", "-input=false", "-lock-timeout=5m", "-detailed-exitcode", "-out=" + plan_file});
  EXPECT_EQ(plan.exit_code, 2) << plan.err;
  EXPECT_TRUE(has_line(plan.out, "terraform: Plan: 1 to add, 0 to change, 0 to destroy."));
  EXPECT_TRUE(has_line(plan.err,
                       "Running command: terraform plan -input=false -lock-timeout=5m "
                       "-detailed-exitcode -out=" +
                           plan_file));

  Result show = run(dir, {"show", "-json", plan_file});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  json doc = json::parse(show.out);
  EXPECT_EQ(doc["format_version"], "1.2");
  EXPECT_EQ(doc["errored"], false);
  ASSERT_EQ(doc["resource_changes"].size(), 1u);
  EXPECT_EQ(doc["resource_changes"][0]["address"], "null_resource.vpc");
  EXPECT_EQ(doc["resource_changes"][0]["mode"], "managed");
  EXPECT_EQ(doc["resource_changes"][0]["type"], "null_resource");
  EXPECT_EQ(doc["resource_changes"][0]["name"], "vpc");
  EXPECT_EQ(doc["resource_changes"][0]["change"]["actions"], json({"create"}));
  EXPECT_EQ(doc["output_changes"]["id"]["actions"], json({"create"}));
  EXPECT_EQ(doc["output_changes"]["id"]["after"], "vpc-id");

  Result apply = run(dir, {"apply", "-input=false", "-lock-timeout=5m", plan_file});
  EXPECT_EQ(apply.exit_code, 0) << apply.err;
  EXPECT_TRUE(has_line(apply.out,
                       "terraform: Apply complete! Resources: 1 added, 0 changed, 0 destroyed."));

  Result output = run(dir, {"output", "-json"});
  EXPECT_EQ(output.exit_code, 0);
  EXPECT_EQ(output.out,
            "{\n  \"id\": {\n    \"sensitive\": false,\n    \"type\": \"string\",\n"
            "    \"value\": \"vpc-id\"\n  }\n}\n");

  Result again = run(dir, {"plan", "-input=false", "-detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_TRUE(
      has_line(again.out, "terraform: No changes. Your infrastructure matches the configuration."));
  EXPECT_FALSE(fs::exists(dir / ".terragrunt-sim" / "lock"));
}

TEST_F(SimTest, PlanWithoutDetailedExitcodeExitsZero) {
  fs::path dir = module("vpc");
  Result r = run(dir, {"plan", "-input=false"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.out, "terraform: Plan: 1 to add, 0 to change, 0 to destroy."));
}

TEST_F(SimTest, OutputJsonIsAnEmptyObjectBeforeApply) {
  fs::path dir = module("vpc");
  Result r = run(dir, {"output", "-json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "{}\n");
}

TEST_F(SimTest, ShowJsonOmitsResourceChangesWhenThereAreNoResources) {
  fs::path dir = module("empty");
  write_text(dir / "sim.json", R"({"resources": [], "outputs": {}})");
  Result plan = run(dir, {"plan", "-detailed-exitcode", "-out=p.tfplan"});
  EXPECT_EQ(plan.exit_code, 0);
  Result show = run(dir, {"show", "-json", "p.tfplan"});
  json doc = json::parse(show.out);
  EXPECT_FALSE(doc.contains("resource_changes"));
  EXPECT_EQ(doc["errored"], false);
}

TEST_F(SimTest, SimJsonDrivesUpdatesAndReplacements) {
  fs::path dir = module("rds");
  write_text(dir / "sim.json",
             R"({"resources": {"aws_db_instance.this": {"engine_version": "15"},
                               "aws_db_subnet_group.this": {}},
                 "outputs": {"endpoint": "db.example:5432"}})");
  apply(dir);
  write_text(dir / "sim.json",
             R"({"resources": {"aws_db_instance.this": {"engine_version": "16"},
                               "aws_db_subnet_group.this": {}},
                 "outputs": {"endpoint": "db.example:5432"}})");
  Result update = run(dir, {"plan", "-detailed-exitcode"});
  EXPECT_EQ(update.exit_code, 2);
  EXPECT_TRUE(has_line(update.out, "terraform: Plan: 0 to add, 1 to change, 0 to destroy."));
  write_text(dir / "sim.json",
             R"({"resources": {"aws_db_instance.this": {"engine_version": "15"},
                               "aws_db_subnet_group.this": {}},
                 "outputs": {"endpoint": "db.example:5432"},
                 "replace": ["aws_db_instance.this"]})");
  Result replace = run(dir, {"plan", "-detailed-exitcode", "-out=r.tfplan"});
  EXPECT_TRUE(has_line(replace.out, "terraform: Plan: 1 to add, 0 to change, 1 to destroy."));
  json doc = json::parse(run(dir, {"show", "-json", "r.tfplan"}).out);
  EXPECT_EQ(doc["resource_changes"][0]["address"], "aws_db_instance.this");
  EXPECT_EQ(doc["resource_changes"][0]["change"]["actions"], json({"delete", "create"}));
  EXPECT_EQ(doc["resource_changes"][1]["change"]["actions"], json({"no-op"}));
}

TEST_F(SimTest, StalePlanFailsLikeTerraform) {
  fs::path dir = module("vpc");
  ASSERT_EQ(run(dir, {"plan", "-out=first.tfplan"}).exit_code, 0);
  ASSERT_EQ(run(dir, {"plan", "-out=second.tfplan"}).exit_code, 0);
  ASSERT_EQ(run(dir, {"apply", "-input=false", "first.tfplan"}).exit_code, 0);
  json before = state_of(dir);
  Result stale = run(dir, {"apply", "-input=false", "second.tfplan"});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_TRUE(has_line(stale.err, "terraform: \u2502 Error: Saved plan is stale")) << stale.err;
  EXPECT_EQ(state_of(dir), before);
}

TEST_F(SimTest, ApplyWithoutApprovalIsCancelled) {
  fs::path dir = module("vpc");
  Result r = run(dir, {"apply", "-input=false"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_line(r.out, "terraform: Apply cancelled.")) << r.out;
  EXPECT_FALSE(fs::exists(dir / ".terragrunt-sim" / "state.json"));
  Result approved = run(dir, {"apply", "-input=false", "-auto-approve"});
  EXPECT_EQ(approved.exit_code, 0);
  EXPECT_TRUE(has_line(approved.out,
                       "terraform: Apply complete! Resources: 1 added, 0 changed, 0 destroyed."));
  Result destroy = run(dir, {"destroy", "-input=false"});
  EXPECT_EQ(destroy.exit_code, 1);
  EXPECT_TRUE(has_line(destroy.out, "terraform: Destroy cancelled."));
}

TEST_F(SimTest, DestroyEmptiesTheState) {
  fs::path dir = module("vpc");
  apply(dir);
  Result r = run(dir, {"destroy", "-input=false", "-auto-approve", "-lock-timeout=5m"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_line(r.out, "terraform: Destroy complete! Resources: 1 destroyed."));
  EXPECT_EQ(state_of(dir)["resources"], json::array());
  EXPECT_EQ(run(dir, {"output", "-json"}).out, "{}\n");
}

TEST_F(SimTest, LogDisableAndForwardStdoutEmitRawText) {
  fs::path dir = module("vpc");
  Result quiet = run(dir, {"--log-disable", "plan", "-input=false"});
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out.rfind("Terraform used the selected providers", 0), 0u) << quiet.out;
  Result forwarded = run(dir, {"plan", "--tf-forward-stdout"});
  EXPECT_EQ(forwarded.out.rfind("Terraform used the selected providers", 0), 0u);
  EXPECT_TRUE(std::regex_search(
      forwarded.err,
      std::regex(R"(^\d\d:\d\d:\d\d\.\d{3} INFO   Running command: terraform plan\n)")))
      << forwarded.err;
}

TEST_F(SimTest, MissingTerragruntHclIsATerragruntError) {
  fs::create_directories(root_ / "bare");
  Result r = run(root_ / "bare", {"plan"});
  EXPECT_EQ(r.exit_code, 1);
  std::string file = (fs::canonical(root_) / "bare" / "terragrunt.hcl").string();
  EXPECT_EQ(undecorated(r.err), (Strings{"Error reading file at path " + file + ": open " + file +
                                         ": no such file or directory"}));
}

TEST_F(SimTest, BrokenHclNamesFileAndLine) {
  fs::path dir = module("vpc", "dependency \"x\" {\n  config_path = \"../x\n}\n");
  Result r = run(dir, {"plan"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(undecorated(r.err), (Strings{(fs::canonical(dir) / "terragrunt.hcl").string() +
                                         ":2: unterminated string"}));
}

// --- dependencies and protection ----------------------------------------------------------

TEST_F(SimTest, DependencyWithoutOutputsStopsPlanUnlessMocked) {
  fs::path vpc = fs::canonical(module("vpc"));
  fs::path app =
      fs::canonical(module("app", "dependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n"));
  Result r = run(app, {"plan", "-input=false"});
  EXPECT_EQ(r.exit_code, 1);
  const std::string header = (vpc / "terragrunt.hcl").string() + " is a dependency of " +
                             (app / "terragrunt.hcl").string() +
                             " but detected no outputs. Either the target module has not been "
                             "applied yet, or the module has no outputs.";
  EXPECT_EQ(undecorated(r.err),
            (Strings{header, "",
                     "If this dependency is accessed before the outputs are ready (which can "
                     "happen during the planning phase of an unapplied stack), consider using "
                     "mock_outputs:",
                     "", "dependency \"vpc\" {", "    config_path = \"../vpc\"", "",
                     "    mock_outputs = {", "        vpc_output = \"mock-vpc-output\"", "    }",
                     "}", "", "For more info, see:",
                     "https://terragrunt.gruntwork.io/docs/features/stacks/"
                     "#unapplied-dependency-and-mock-outputs",
                     "",
                     "If you do not require outputs from your dependency, consider using the "
                     "dependencies block instead:",
                     "https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/"
                     "#dependencies",
                     ""}));
  Result v1 = run(app, {"plan"}, {{"TERRAGRUNT_SIM_VERSION", "1.0.0"}});
  EXPECT_TRUE(has_line(v1.err,
                       "https://docs.terragrunt.com/reference/config-blocks-and-attributes/"
                       "#dependencies"))
      << v1.err;
  write_text(app / "terragrunt.hcl",
             "dependency \"vpc\" {\n  config_path = \"../vpc\"\n"
             "  mock_outputs = { id = \"mock\" }\n"
             "  mock_outputs_allowed_terraform_commands = [\"validate\", \"plan\"]\n}\n");
  Result mocked = run(app, {"plan", "-detailed-exitcode"});
  EXPECT_EQ(mocked.exit_code, 2);
  EXPECT_EQ(undecorated(mocked.err)[0],
            "Config " + (vpc / "terragrunt.hcl").string() + " is a dependency of " +
                (app / "terragrunt.hcl").string() +
                " that has no outputs, but mock outputs provided and returning those in "
                "dependency output.");
  EXPECT_EQ(run(app, {"validate"}).exit_code, 0);
  Result applied = run(app, {"apply", "-input=false", "-auto-approve"});
  EXPECT_EQ(applied.exit_code, 1);
  EXPECT_EQ(undecorated(applied.err)[0], header);
  apply(vpc);
  EXPECT_EQ(run(app, {"apply", "-input=false", "-auto-approve"}).exit_code, 0);
}

TEST_F(SimTest, ShowAndOutputOfAMockedPlanFailUnlessTheCommandIsAllowed) {
  fs::path vpc = fs::canonical(module("vpc"));
  const std::string dependency =
      "dependency \"vpc\" {\n  config_path = \"../vpc\"\n"
      "  mock_outputs = { id = \"mock\" }\n"
      "  mock_outputs_allowed_terraform_commands = ";
  fs::path app = fs::canonical(module("app", dependency + "[\"validate\", \"plan\"]\n}\n"));
  fs::path plan_file = app / "mocked.tfplan";
  EXPECT_EQ(run(app, {"plan", "-input=false", "-detailed-exitcode", "-out=" + plan_file.string()})
                .exit_code,
            2);
  const std::string no_outputs = (vpc / "terragrunt.hcl").string() + " is a dependency of " +
                                 (app / "terragrunt.hcl").string() + " but detected no outputs. " +
                                 "Either the target module has not been applied yet, or the " +
                                 "module has no outputs.";
  for (const Strings& args :
       {Strings{"show", "-json", plan_file.string()}, Strings{"output", "-json"}}) {
    Result r = run(app, args);
    EXPECT_EQ(r.exit_code, 1) << args[0];
    EXPECT_EQ(r.out, "") << args[0];
    EXPECT_EQ(undecorated(r.err)[0], no_outputs) << args[0];
  }
  write_text(app / "terragrunt.hcl", dependency + "[\"plan\", \"show\"]\n}\n");
  Result shown = run(app, {"show", "-json", plan_file.string()});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["resource_changes"][0]["change"]["actions"], json({"create"}));
}

TEST_F(SimTest, OutputOnlyImportMoveAndForgetChangesAreChanges) {
  fs::path dir = module("data");
  write_text(dir / "sim.json", R"({"resources": [], "outputs": {}})");
  ASSERT_EQ(run(dir, {"plan", "-detailed-exitcode", "-out=empty.tfplan"}).exit_code, 0);
  json empty = json::parse(run(dir, {"show", "-json", "empty.tfplan"}).out);
  EXPECT_FALSE(empty.contains("resource_changes"));
  EXPECT_FALSE(empty.contains("output_changes"));
  write_text(dir / "sim.json", R"({"resources": ["aws_s3_bucket.data", "aws_iam_role.app"],
                                   "outputs": {"bucket": "data"}})");
  apply(dir);
  auto plan = [&](const std::string& sim_json, int want_exit, const std::string& summary) {
    write_text(dir / "sim.json", sim_json);
    Result r = run(dir, {"plan", "-input=false", "-detailed-exitcode", "-out=p.tfplan"});
    EXPECT_EQ(r.exit_code, want_exit) << sim_json << r.err;
    if (!summary.empty()) {
      EXPECT_TRUE(has_line(r.out, "terraform: " + summary)) << r.out;
    }
    return json::parse(run(dir, {"show", "-json", "p.tfplan"}).out);
  };
  auto applied = [&]() { return run(dir, {"apply", "-input=false", "p.tfplan"}); };
  auto change_of = [](const json& doc, const std::string& address) {
    for (const auto& rc : doc["resource_changes"]) {
      if (rc["address"] == address) return rc;
    }
    return json();
  };

  // an output-only change: no Plan line, exit 2, output_changes says update
  json doc = plan(
      R"({"resources": ["aws_s3_bucket.data", "aws_iam_role.app"], "outputs": {"bucket": "data-2"}})",
      2, "");
  EXPECT_EQ(doc["output_changes"]["bucket"]["actions"], json({"update"}));
  EXPECT_EQ(change_of(doc, "aws_s3_bucket.data")["change"]["actions"], json({"no-op"}));
  EXPECT_TRUE(has_line(applied().out,
                       "terraform: Apply complete! Resources: 0 added, 0 changed, 0 destroyed."));
  EXPECT_EQ(state_of(dir)["outputs"]["bucket"], "data-2");

  // import { to = aws_s3_bucket.logs, id = "logs-bucket" }
  doc = plan(R"({"resources": ["aws_s3_bucket.data", "aws_iam_role.app", "aws_s3_bucket.logs"],
                 "outputs": {"bucket": "data-2"}, "import": {"aws_s3_bucket.logs": "logs-bucket"}})",
             2, "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");
  json logs = change_of(doc, "aws_s3_bucket.logs");
  EXPECT_EQ(logs["change"]["actions"], json({"no-op"}));
  EXPECT_EQ(logs["change"]["importing"], json({{"id", "logs-bucket"}}));
  EXPECT_FALSE(change_of(doc, "aws_s3_bucket.data")["change"].contains("importing"));
  EXPECT_TRUE(has_line(
      applied().out,
      "terraform: Apply complete! Resources: 1 imported, 0 added, 0 changed, 0 destroyed."));

  // moved { from = aws_iam_role.app, to = aws_iam_role.service }
  doc = plan(R"({"resources": ["aws_s3_bucket.data", "aws_iam_role.service", "aws_s3_bucket.logs"],
                 "outputs": {"bucket": "data-2"}, "moved": {"aws_iam_role.app": "aws_iam_role.service"}})",
             2, "Plan: 0 to add, 0 to change, 0 to destroy.");
  json role = change_of(doc, "aws_iam_role.service");
  EXPECT_EQ(role["previous_address"], "aws_iam_role.app");
  EXPECT_EQ(role["change"]["actions"], json({"no-op"}));
  EXPECT_TRUE(change_of(doc, "aws_iam_role.app").is_null());
  ASSERT_EQ(applied().exit_code, 0);

  // removed { from = aws_s3_bucket.logs, lifecycle { destroy = false } }
  doc = plan(R"({"resources": ["aws_s3_bucket.data", "aws_iam_role.service"],
                 "outputs": {"bucket": "data-2"}, "forget": ["aws_s3_bucket.logs"]})",
             2, "Plan: 0 to add, 0 to change, 0 to destroy, 1 to forget.");
  EXPECT_EQ(change_of(doc, "aws_s3_bucket.logs")["change"]["actions"], json({"forget"}));
  EXPECT_TRUE(has_line(
      applied().out,
      "terraform: Apply complete! Resources: 0 added, 0 changed, 0 destroyed, 1 forgotten."));

  // a replace of a resource with lifecycle { destroy = false }
  doc = plan(R"({"resources": ["aws_s3_bucket.data", "aws_iam_role.service"],
                 "outputs": {"bucket": "data-2"}, "forget_replace": ["aws_s3_bucket.data"]})",
             2, "Plan: 1 to add, 0 to change, 0 to destroy, 1 to forget.");
  EXPECT_EQ(change_of(doc, "aws_s3_bucket.data")["change"]["actions"], json({"forget", "create"}));
  ASSERT_EQ(applied().exit_code, 0);

  json state = state_of(dir);
  Strings addresses;
  for (const auto& r : state["resources"])
    addresses.push_back(r["address"].get<std::string>() + "=" + r["id"].get<std::string>());
  std::sort(addresses.begin(), addresses.end());
  EXPECT_EQ(addresses, (Strings{"aws_iam_role.service=app-1", "aws_s3_bucket.data=data-6"}));
  plan(
      R"({"resources": ["aws_s3_bucket.data", "aws_iam_role.service"], "outputs": {"bucket": "data-2"}})",
      0, "No changes. Your infrastructure matches the configuration.");
}

TEST_F(SimTest, TfInputIsADeprecatedTerragruntFlagFrom076) {
  fs::path dir = module("vpc");
  const std::string warn =
      "The `TF_INPUT` environment variable is deprecated and will be removed in a future version "
      "of Terragrunt. Use `TG_NON_INTERACTIVE=true` instead.";
  Result r = run(dir, {"plan"}, {{"TF_INPUT", "0"}, {"TERRAGRUNT_SIM_VERSION", "0.76.0"}});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(undecorated(r.err)[0], warn) << r.err;
  Result old = run(dir, {"plan"}, {{"TF_INPUT", "0"}, {"TERRAGRUNT_SIM_VERSION", "0.75.2"}});
  EXPECT_FALSE(contains(old.err, "TF_INPUT")) << old.err;
  Result strict =
      run(dir, {"plan"},
          {{"TF_INPUT", "false"}, {"TG_STRICT_MODE", "true"}, {"TERRAGRUNT_SIM_VERSION", "1.1.4"}});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(undecorated(strict.err),
            (Strings{"The `TF_INPUT` environment variable is no longer supported. Use "
                     "`TG_NON_INTERACTIVE=true` instead."}));
  EXPECT_EQ(strict.out, "");
}

TEST_F(SimTest, MockOutputsWithoutAnAllowListServeEveryCommand) {
  module("vpc");
  fs::path app = module("app",
                        "dependency \"vpc\" {\n  config_path = \"../vpc\"\n"
                        "  mock_outputs = { id = \"mock\" }\n}\n");
  EXPECT_EQ(run(app, {"apply", "-input=false", "-auto-approve"}).exit_code, 0);
  EXPECT_EQ(run(app, {"output", "-json"}).exit_code, 0);
}

TEST_F(SimTest, ItsOwnHclReaderSkipsCommentsHeredocsAndStrings) {
  fs::path vpc = fs::canonical(module("vpc"));
  fs::path app =
      fs::canonical(module("app",
                           "# dependency \"ghost\" { config_path = \"../ghost\" }\n"
                           "locals {\n"
                           "  note = <<-EOT\n"
                           "    dependency \"fake\" {\n"
                           "    }\n"
                           "  EOT\n"
                           "  braces = \"}{ ${upper(\"}\")}\"\n"
                           "}\n"
                           "/* prevent_destroy = true\n"
                           "   dependency \"hidden\" { config_path = \"../hidden\" } */\n"
                           "dependency \"vpc\" { // the network\n"
                           "  config_path = \"${get_terragrunt_dir()}/../vpc\"\n"
                           "  mock_outputs = {\n"
                           "    id = \"mock\"\n"
                           "  }\n"
                           "  mock_outputs_allowed_terraform_commands = [\"plan\"] # not apply\n"
                           "}\n"));
  EXPECT_EQ(run(app, {"plan", "-detailed-exitcode"}).exit_code, 2);
  Result applied = run(app, {"apply", "-input=false", "-auto-approve"});
  EXPECT_EQ(applied.exit_code, 1);
  EXPECT_EQ(undecorated(applied.err)[0],
            (vpc / "terragrunt.hcl").string() + " is a dependency of " +
                (app / "terragrunt.hcl").string() +
                " but detected no outputs. Either the target module has not been applied yet, or "
                "the module has no outputs.")
      << applied.err;
  apply(vpc);
  apply(app);
  Result destroyed = run(app, {"destroy", "-input=false", "-auto-approve"});
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.err;
}

TEST_F(SimTest, HclSyntaxErrorsNameTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"locals {\n  a = 1\n", ":1: unterminated block 'locals'"},
      {"x = <<EOT\nnever closed\n", ":1: unterminated heredoc EOT"},
      {"a = 1\n}\n", ":2: unexpected '}'"},
      {"inputs = [1, 2\n", ":1: unterminated '['"},
      {"/* open\n", ":1: unterminated comment"},
      {"prevent_destroy =\n", ":1: missing value for 'prevent_destroy'"},
  };
  for (const auto& [hcl, message] : cases) {
    fs::path dir = module("broken", hcl);
    Result r = run(dir, {"plan"});
    EXPECT_EQ(r.exit_code, 1) << hcl;
    EXPECT_EQ(undecorated(r.err),
              (Strings{(fs::canonical(dir) / "terragrunt.hcl").string() + message}))
        << hcl;
  }
}

TEST_F(SimTest, MissingDependencyDirectory) {
  fs::path app =
      fs::canonical(module("app", "dependency \"vpc\" {\n  config_path = \"../nope\"\n}\n"));
  Result r = run(app, {"plan"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(undecorated(r.err),
            (Strings{(fs::canonical(root_) / "nope").string() + " does not exist"}));
}

TEST_F(SimTest, PreventDestroyRefusesBeforeDoingAnything) {
  fs::path dir = fs::canonical(module("rds"));
  apply(dir);
  write_text(dir / "terragrunt.hcl", "prevent_destroy = true\n");
  json before = state_of(dir);
  const Strings message = {"Unit is protected by the prevent_destroy flag in " +
                           (dir / "terragrunt.hcl").string() +
                           ". Set it to false or remove it to allow destruction of the unit."};
  for (const Strings& args : {Strings{"destroy", "-input=false", "-auto-approve"},
                              Strings{"plan", "-destroy", "-detailed-exitcode"},
                              Strings{"apply", "-destroy", "-auto-approve"}}) {
    Result r = run(dir, args);
    EXPECT_EQ(r.exit_code, 1) << args[0];
    EXPECT_EQ(undecorated(r.err), message) << args[0];
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(state_of(dir), before);
  EXPECT_EQ(run(dir, {"plan", "-detailed-exitcode"}).exit_code, 0);
}

TEST_F(SimTest, DestroyingADependencyWhileItsDependentExistsIsRefusedByTheCloud) {
  fs::path vpc = fs::canonical(module("vpc"));
  fs::path app =
      fs::canonical(module("app", "dependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n"));
  apply(vpc);
  apply(app);
  Result wrong =
      run(vpc, {"destroy", "-input=false", "-auto-approve"}, {{"TG_NON_INTERACTIVE", "true"}});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_TRUE(contains(wrong.err, "Detected dependent modules:\n" + app.string() + "\n"))
      << wrong.err;
  EXPECT_TRUE(has_line(wrong.err,
                       "terraform: \u2502 Error: deleting null_resource.vpc (vpc-1): api error "
                       "DependencyViolation: resource vpc-1 has a dependent object"))
      << wrong.err;
  EXPECT_EQ(state_of(vpc)["resources"].size(), 1u);
  EXPECT_EQ(run(app, {"destroy", "-input=false", "-auto-approve"}).exit_code, 0);
  Result right =
      run(vpc, {"destroy", "-input=false", "-auto-approve"}, {{"TG_NON_INTERACTIVE", "true"}});
  EXPECT_EQ(right.exit_code, 0) << right.err;
  EXPECT_TRUE(has_line(right.out, "terraform: Destroy complete! Resources: 1 destroyed."));
}

TEST_F(SimTest, DependentsPromptOfSingleUnitDestroyOnlyBelow096) {
  fs::path vpc = fs::canonical(module("vpc"));
  fs::path app =
      fs::canonical(module("app", "dependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n"));
  apply(vpc);
  json before = state_of(vpc);
  // Interactive, stdin at its end: the prompt's read fails, terragrunt exits 0 and destroys
  // nothing.
  Result asked = run(vpc, {"destroy", "-input=false", "-auto-approve"},
                     {{"TERRAGRUNT_SIM_VERSION", "0.95.1"}});
  EXPECT_EQ(asked.exit_code, 0);
  EXPECT_EQ(asked.out, "");
  EXPECT_EQ(asked.err.substr(0, asked.err.find("(y/n) ") + 6),
            "Detected dependent modules:\n" + app.string() +
                "\nWARNING: Are you sure you want to continue? (y/n) ");
  EXPECT_TRUE(has_line(asked.err.substr(asked.err.find("(y/n) ") + 6), "EOF")) << asked.err;
  EXPECT_EQ(state_of(vpc), before);
  Result opt_in =
      run(vpc, {"destroy", "-input=false", "-auto-approve", "--destroy-dependencies-check"},
          {{"TERRAGRUNT_SIM_VERSION", "0.96.0"}});
  EXPECT_EQ(opt_in.exit_code, 0);
  EXPECT_TRUE(contains(opt_in.err, "Detected dependent modules:\n"));
  EXPECT_EQ(state_of(vpc), before);
  Result unchecked = run(vpc, {"destroy", "-input=false", "-auto-approve"},
                         {{"TERRAGRUNT_SIM_VERSION", "0.96.0"}});
  EXPECT_EQ(unchecked.exit_code, 0) << unchecked.err;
  EXPECT_FALSE(contains(unchecked.err, "Detected dependent modules"));
  EXPECT_TRUE(has_line(unchecked.out, "terraform: Destroy complete! Resources: 1 destroyed."));
}

TEST_F(SimTest, DestroyingTheDependentAfterItsDependencyIsGoneFails) {
  fs::path vpc = fs::canonical(module("vpc"));
  fs::path app = fs::canonical(module("app",
                                      "dependencies {\n  paths = [\"../vpc\"]\n}\n"
                                      "dependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n"));
  apply(vpc);
  apply(app);
  fs::remove(vpc / ".terragrunt-sim" / "state.json");
  Result r = run(app, {"destroy", "-input=false", "-auto-approve"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, (vpc / "terragrunt.hcl").string() + " is a dependency of " +
                                  (app / "terragrunt.hcl").string() + " but detected no outputs."));
}

TEST_F(SimTest, RunAllDestroyLeavesProtectedUnitsAndTheirDependencies) {
  fs::path vpc = module("vpc");
  fs::path db =
      module("db", "prevent_destroy = true\ndependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n");
  fs::path app = module("app", "dependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n");
  apply(vpc);
  apply(db);
  apply(app);
  Result r = run(root_, {"run", "--all", "--non-interactive", "destroy"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_line(r.out, "[app] terraform: Destroy complete! Resources: 1 destroyed."));
  EXPECT_EQ(state_of(app)["resources"].size(), 0u);
  EXPECT_EQ(state_of(db)["resources"].size(), 1u);
  EXPECT_EQ(state_of(vpc)["resources"].size(), 1u);
}

// --- faults -------------------------------------------------------------------------------

TEST_F(SimTest, InjectedFailureHitsOnlyTheNamedCommand) {
  fs::path dir = module("vpc");
  Env fail = {{"TERRAGRUNT_SIM_FAIL", "apply"}};
  EXPECT_EQ(run(dir, {"plan", "-detailed-exitcode"}, fail).exit_code, 2);
  Result r = run(dir, {"apply", "-input=false", "-auto-approve"}, fail);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_line(r.err, "terraform: \u2502 Error: Simulated failure of terraform apply"));
  EXPECT_FALSE(fs::exists(dir / ".terragrunt-sim" / "state.json"));
  EXPECT_FALSE(fs::exists(dir / ".terragrunt-sim" / "lock"));
}

TEST_F(SimTest, FaultsFileTargetsOneModule) {
  fs::path vpc = module("vpc");
  fs::path sg = module("sg");
  write_text(sg / ".terragrunt-sim" / "faults.json",
             R"({"TERRAGRUNT_SIM_FAIL": "plan", "TERRAGRUNT_SIM_EXIT": "output:2"})");
  EXPECT_EQ(run(vpc, {"plan", "-detailed-exitcode"}).exit_code, 2);
  EXPECT_EQ(run(sg, {"plan", "-detailed-exitcode"}).exit_code, 1);
  Result out = run(sg, {"output", "-json"});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_EQ(out.out, "{}\n");
  EXPECT_EQ(run(vpc, {"output", "-json"}).exit_code, 0);
}

TEST_F(SimTest, RefusedPromptExitsZeroWithoutChange) {
  fs::path dir = module("vpc");
  Result r = run(dir, {"apply", "-input=false", "-auto-approve"}, {{"TERRAGRUNT_SIM_REFUSE", "1"}});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(contains(r.err, "Would you like Terragrunt to create it? (y/n) n"));
  EXPECT_FALSE(fs::exists(dir / ".terragrunt-sim" / "state.json"));
}

TEST_F(SimTest, TransientErrorPrintsARetryableMessage) {
  fs::path dir = module("vpc");
  Result r = run(dir, {"plan"}, {{"TERRAGRUNT_SIM_TRANSIENT", "plan:1"}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "Error installing provider \"aws\": read tcp")) << r.err;
  EXPECT_TRUE(contains(r.err, "connection reset by peer"));
  EXPECT_EQ(run(dir, {"init"}, {{"TERRAGRUNT_SIM_TRANSIENT", "plan:1"}}).exit_code, 0);
}

TEST_F(SimTest, TransientTimesFailsOnlyTheFirstCallsOfTheCommand) {
  fs::path dir = module("vpc");
  const Env faults = {{"TERRAGRUNT_SIM_TRANSIENT_TIMES", "plan:2"}};
  EXPECT_EQ(run(dir, {"plan"}, faults).exit_code, 1);
  EXPECT_EQ(run(dir, {"output", "-json"}, faults).exit_code, 0) << "another command is not counted";
  Result second = run(dir, {"plan"}, faults);
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_TRUE(contains(second.err, "connection reset by peer")) << second.err;
  EXPECT_EQ(run(dir, {"plan"}, faults).exit_code, 0);
}

TEST_F(SimTest, ReplaceFaultPlansAReplacementByRequest) {
  fs::path dir = module("vpc");
  apply(dir);
  Result plan = run(dir, {"plan", "-detailed-exitcode", "-out=r.tfplan"},
                    {{"TERRAGRUNT_SIM_REPLACE", "null_resource.vpc"}});
  EXPECT_EQ(plan.exit_code, 2);
  json doc = json::parse(run(dir, {"show", "-json", "r.tfplan"}).out);
  EXPECT_EQ(doc["resource_changes"][0]["change"]["actions"], json({"delete", "create"}));
  EXPECT_EQ(doc["resource_changes"][0]["action_reason"], "replace_by_request");
}

// --- locks and signals --------------------------------------------------------------------

TEST_F(SimTest, HeldLockFailsWithoutTimeoutAndIsIgnoredWithLockFalse) {
  fs::path dir = module("vpc");
  write_text(dir / ".terragrunt-sim" / "lock", "{}\n");
  Result r = run(dir, {"plan", "-lock-timeout=0s"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_line(r.err, "terraform: \u2502 Error: Error acquiring the state lock")) << r.err;
  EXPECT_EQ(run(dir, {"plan", "-lock=false"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir / ".terragrunt-sim" / "lock"));
}

TEST_F(SimTest, CallLogRecordsEveryInvocation) {
  fs::path dir = fs::canonical(module("vpc"));
  fs::path log = root_ / "calls.jsonl";
  Env env = {{"TERRAGRUNT_SIM_LOG", log.string()}};
  run(dir, {"--version"}, env);
  run(dir, {"plan", "-input=false", "-detailed-exitcode"}, env);
  std::istringstream lines(slurp(log));
  std::vector<json> calls;
  for (std::string line; std::getline(lines, line);) calls.push_back(json::parse(line));
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0]["argv"], json({TERRAGRUNT_SIM_BIN, "--version"}));
  EXPECT_EQ(calls[0]["exit"], 0);
  EXPECT_EQ(calls[1]["argv"],
            json({TERRAGRUNT_SIM_BIN, "plan", "-input=false", "-detailed-exitcode"}));
  EXPECT_EQ(calls[1]["cwd"], dir.string());
  EXPECT_EQ(calls[1]["exit"], 2);
  EXPECT_LE(calls[1]["start"].get<double>(), calls[1]["end"].get<double>());
  EXPECT_LE(calls[0]["end"].get<double>(), calls[1]["start"].get<double>());
}

/// The pid recorded in the module's state lock: the tofu child holds it.
pid_t lock_holder(const fs::path& dir) {
  json lock = json::parse(slurp(dir / ".terragrunt-sim" / "lock"), nullptr, false);
  return lock.is_object() ? lock.value("pid", -1) : -1;
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1)) ++n;
  return n;
}

TEST_F(SimTest, TerraformWorkRunsInATofuChildOfTheSameProcessGroup) {
  fs::path dir = module("vpc");
  Child c =
      spawn(dir, {"apply", "-input=false", "-auto-approve"}, {{"TERRAGRUNT_SIM_SLEEP", "60"}});
  ASSERT_TRUE(eventually([&] { return lock_holder(dir) > 0; }));
  pid_t tofu = lock_holder(dir);
  EXPECT_NE(tofu, c.pid);
  EXPECT_EQ(::getpgid(tofu), c.pid);
  std::string cmdline = slurp("/proc/" + std::to_string(tofu) + "/cmdline");
  EXPECT_EQ(cmdline, std::string("tofu\0apply\0-input=false\0-auto-approve\0", 38));
  ::kill(tofu, SIGINT);
  EXPECT_EQ(finish(c).exit_code, 1);
}

TEST_F(SimTest, OneInterruptToTofuStopsGracefullyAndReleasesTheLock) {
  fs::path dir = module("vpc");
  fs::path lock = dir / ".terragrunt-sim" / "lock";
  Child c =
      spawn(dir, {"apply", "-input=false", "-auto-approve"}, {{"TERRAGRUNT_SIM_SLEEP", "60"}});
  ASSERT_TRUE(eventually([&] { return lock_holder(dir) > 0; }));
  ::kill(lock_holder(dir), SIGINT);
  Result r = finish(c);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_line(r.out, "terraform: Interrupt received."));
  EXPECT_TRUE(
      has_line(r.out, "terraform: Please wait for Terraform to exit or data loss may occur."));
  EXPECT_TRUE(has_line(r.out, "terraform: Gracefully shutting down..."));
  EXPECT_EQ(count_of(r.out, "Interrupt received."), 1u);
  EXPECT_FALSE(contains(r.err, "signal received")) << "terragrunt itself got no signal";
  EXPECT_FALSE(contains(r.err, "Two interrupts received"));
  EXPECT_TRUE(contains(
      r.err,
      "Failed to execute \"terraform apply -input=false -auto-approve\" in .\nexit status 1"))
      << r.err;
  EXPECT_FALSE(fs::exists(lock));
  EXPECT_EQ(line_count(dir / ".terragrunt-sim" / "signals.log"), 1u);
  EXPECT_EQ(line_count(dir / ".terragrunt-sim" / "terragrunt-signals.log"), 0u);
  EXPECT_FALSE(fs::exists(dir / ".terragrunt-sim" / "state.json"));
}

TEST_F(SimTest, TwoInterruptsToTofuExitAtOnceAndLeaveTheLock) {
  fs::path dir = module("vpc");
  fs::path lock = dir / ".terragrunt-sim" / "lock";
  fs::path signals = dir / ".terragrunt-sim" / "signals.log";
  Child c = spawn(dir, {"destroy", "-input=false", "-auto-approve"},
                  {{"TERRAGRUNT_SIM_SLEEP", "60"}, {"TERRAGRUNT_SIM_GRACE", "60"}});
  ASSERT_TRUE(eventually([&] { return lock_holder(dir) > 0; }));
  pid_t tofu = lock_holder(dir);
  ::kill(tofu, SIGINT);
  ASSERT_TRUE(eventually([&] { return contains(slurp(c.out), "Gracefully shutting down..."); }));
  ::kill(tofu, SIGTERM);
  Result r = finish(c);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_line(r.err,
                       "terraform: Two interrupts received. Exiting immediately. Note that "
                       "data loss may have occurred."))
      << r.err;
  EXPECT_TRUE(fs::exists(lock));
  EXPECT_EQ(line_count(signals), 2u);
  Result next = run(dir, {"plan", "-lock-timeout=0s"});
  EXPECT_EQ(next.exit_code, 1);
  EXPECT_TRUE(has_line(next.err, "terraform: \u2502 Error: Error acquiring the state lock"));
}

/// What one Ctrl-C to terragrunt's whole process group (terragrunt and tofu both get it) ends
/// in, per version: terragrunt's own reaction turns it into a second interrupt or a SIGKILL.
struct GroupInterrupt {
  const char* version;
  const char* terragrunt_line;  ///< terragrunt's INFO line
  std::size_t tofu_signals;     ///< lines in signals.log
  bool two_interrupts;          ///< tofu printed "Two interrupts received"
  bool killed;                  ///< tofu was SIGKILLed
};

TEST_F(SimTest, InterruptToTheWholeGroupIsDoubledOrKilledPerVersion) {
  const GroupInterrupt cases[] = {
      {"0.67.16", "Interrupt signal received. Gracefully shutting down... (it can take up to 30s)",
       2, true, false},
      {"0.77.0", "Interrupt signal received. Gracefully shutting down...", 2, true, false},
      {"0.93.12", "Interrupt signal received. Gracefully shutting down...", 1, false, true},
      {"0.98.0", "Interrupt signal received. Gracefully shutting down...", 2, true, false},
      {"1.1.4", "Interrupt signal received. Gracefully shutting down...", 2, true, false},
  };
  for (const GroupInterrupt& want : cases) {
    fs::path dir = module(std::string("vpc-") + want.version);
    Child c = spawn(dir, {"apply", "-input=false", "-auto-approve"},
                    {{"TERRAGRUNT_SIM_VERSION", want.version},
                     {"TERRAGRUNT_SIM_SLEEP", "60"},
                     {"TERRAGRUNT_SIM_GRACE", "20"},
                     {"TERRAGRUNT_SIM_SIGNAL_SCALE", "0.01"}});
    ASSERT_TRUE(eventually([&] { return lock_holder(dir) > 0; })) << want.version;
    ::kill(-c.pid, SIGINT);
    Result r = finish(c);
    EXPECT_EQ(r.exit_code, 1) << want.version;
    EXPECT_TRUE(has_line(r.err, want.terragrunt_line)) << want.version << "\n" << r.err;
    // Where terragrunt SIGKILLs tofu at once, tofu may die before it prints anything: a race
    // the real pair has too.
    if (want.killed)
      EXPECT_LE(count_of(r.out, "Interrupt received."), 1u) << want.version;
    else
      EXPECT_EQ(count_of(r.out, "Interrupt received."), 1u) << want.version;
    if (want.killed)
      EXPECT_LE(line_count(dir / ".terragrunt-sim" / "signals.log"), want.tofu_signals)
          << want.version;
    else
      EXPECT_EQ(line_count(dir / ".terragrunt-sim" / "signals.log"), want.tofu_signals)
          << want.version;
    EXPECT_EQ(line_count(dir / ".terragrunt-sim" / "terragrunt-signals.log"), 1u) << want.version;
    EXPECT_EQ(contains(r.err, "Two interrupts received."), want.two_interrupts) << want.version;
    EXPECT_EQ(contains(r.err, "signal: killed"), want.killed) << want.version << "\n" << r.err;
    EXPECT_TRUE(fs::exists(dir / ".terragrunt-sim" / "lock"))
        << want.version << ": a forced stop keeps the lock";
  }
}

TEST_F(SimTest, TerragruntAloneInterruptedForwardsLaterAndFromV0992KillsTofu) {
  // Only terragrunt gets the signal: 0.77 forwards one SIGINT after 15 s (scaled) and tofu stops
  // gracefully; 1.1.4 does the same, then SIGKILLs tofu 30 s after its own signal.
  for (const char* version : {"0.77.0", "1.1.4"}) {
    fs::path dir = module(std::string("vpc-") + version);
    Child c = spawn(dir, {"apply", "-input=false", "-auto-approve"},
                    {{"TERRAGRUNT_SIM_VERSION", version},
                     {"TERRAGRUNT_SIM_SLEEP", "60"},
                     {"TERRAGRUNT_SIM_GRACE", std::string(version) == "0.77.0" ? "0" : "20"},
                     {"TERRAGRUNT_SIM_SIGNAL_SCALE", "0.02"}});
    ASSERT_TRUE(eventually([&] { return lock_holder(dir) > 0; })) << version;
    ::kill(c.pid, SIGINT);
    Result r = finish(c);
    EXPECT_EQ(r.exit_code, 1) << version;
    EXPECT_EQ(line_count(dir / ".terragrunt-sim" / "signals.log"), 1u) << version;
    EXPECT_EQ(count_of(r.out, "Interrupt received."), 1u) << version;
    EXPECT_FALSE(contains(r.err, "Two interrupts received.")) << version;
    bool v1 = std::string(version) == "1.1.4";
    EXPECT_EQ(contains(r.err, "signal: killed"), v1) << version << "\n" << r.err;
    EXPECT_EQ(fs::exists(dir / ".terragrunt-sim" / "lock"), v1) << version;
  }
}

}  // namespace
