// End to end: secret values never leave stackctl unredacted, whatever the channel — the
// terminal (-v echo, progress, failure tails), per-layer logs, the journal, --output json,
// --output ndjson, the Markdown and JSON plan summaries, and generated CI pipelines, which name
// secrets and never hold their values (docs/reliability.md).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Lines = std::vector<std::string>;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const char* const kToken = "ghp_tokenvalue1234";           // GITHUB_TOKEN: a secret-looking name
const char* const kMaster = "hunter2-master-pass";         // TF_VAR_master: needs_env of db
const char* const kAccount = "123456789012";               // AWS_ACCOUNT_ID: require_env
const char* const kApiToken = "env-yaml-api-token-value";  // env.yaml env API_TOKEN
const char* const kLayerKey = "layer-env-key-value";       // the layer env LAYER_KEY

/// Every secret of the project; each must only ever appear as ***.
const Lines kSecrets = {kToken, kMaster, kAccount, kApiToken, kLayerKey};

/// A project whose terragrunt is a wrapper that prints every secret it was given on stderr (as
/// a careless module or TF_LOG would) before handing over to terragrunt-sim. db's plan creates
/// a resource whose address holds the master password, so plans and summaries show it.
struct Project : Scenario {
  Project() {
    manifest(R"(version: 1
layers:
  - name: vpc
    env: {LAYER_KEY: layer-env-key-value}
  - name: db
    depends_on: [vpc]
    needs_env: [TF_VAR_master]
  - name: app
    depends_on: [db]
)");
    env("dev",
        "name: dev\nparallelism: 1\nrequire_env: [AWS_ACCOUNT_ID]\n"
        "env: {API_TOKEN: env-yaml-api-token-value, REGION: eu-west-1}\n");
    for (const char* layer : {"vpc", "db", "app"}) layer_hcl("dev", layer, {});
    write("envs/dev/db/sim.json",
          json{{"resources",
                {std::string("aws_secretsmanager_secret_version.master[\"") + kMaster + "\"]"}}}
              .dump());
    write("bin/terragrunt",
          "#!/bin/sh\n"
          "echo \"module says token=$GITHUB_TOKEN master=$TF_VAR_master account=$AWS_ACCOUNT_ID "
          "api=$API_TOKEN key=$LAYER_KEY\" >&2\n"
          "if [ \"$1\" = show ] && [ -f .broken-show ]; then\n"
          "  printf '{\"format_version\": \"%s' \"$TF_VAR_master\"; exit 0\nfi\n"
          "exec " TERRAGRUNT_SIM_BIN " \"$@\"\n");
    fs::permissions(root() / "bin/terragrunt", fs::perms::owner_all);
  }
  std::map<std::string, std::string> secrets_env(
      std::map<std::string, std::string> extra = {}) const {
    std::map<std::string, std::string> e = {
        {"GITHUB_TOKEN", kToken},
        {"TF_VAR_master", kMaster},
        {"AWS_ACCOUNT_ID", kAccount},
        {"STACKCTL_TERRAGRUNT", (root() / "bin/terragrunt").string()}};
    for (const auto& [k, v] : extra) e[k] = v;
    return e;
  }
  /// Every file stackctl wrote under dir, with its text.
  std::map<std::string, std::string> files_under(const fs::path& dir) const {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      out[e.path().string()].assign(std::istreambuf_iterator<char>(in), {});
    }
    return out;
  }
};

/// Fails the test for every secret found in text, naming where.
void expect_no_secret(const std::string& text, const std::string& where) {
  for (const auto& secret : kSecrets)
    EXPECT_FALSE(contains(text, secret)) << "'" << secret << "' in " << where << ":\n" << text;
}

}  // namespace

TEST(Secrets, ApplyKeepsSecretsOutOfTheTerminalLogsJournalAndJson) {
  Project p;
  Outcome r = p.run({"-v", "apply", "--env", "dev", "--yes", "--output", "json"}, p.secrets_env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_no_secret(r.out, "stdout (--output json)");
  expect_no_secret(r.err, "stderr (-v)");
  EXPECT_TRUE(
      contains(r.err, "[vpc] module says token=*** master=*** account=*** api=*** key=***\n"))
      << r.err;
  EXPECT_TRUE(
      contains(r.err, "# aws_secretsmanager_secret_version.master[\"***\"] will be created\n"))
      << r.err;
  EXPECT_NO_THROW(json::parse(r.out));
  const auto files = p.files_under(p.root() / ".stackctl");
  ASSERT_GE(files.size(), 4u);  // journal, three logs (and plans)
  for (const auto& [file, text] : files) {
    if (file.find(".tfplan") == std::string::npos) expect_no_secret(text, file);
  }
  for (const auto& [file, text] : files) {
    if (file.size() > 13 && file.substr(file.size() - 13) == "/db.apply.log") {
      EXPECT_TRUE(contains(text, "module says token=*** master=***")) << text;
    }
  }

  Outcome status = p.run({"status", "--env", "dev", "--output", "json"}, p.secrets_env());
  Outcome list = p.run({"list", "--env", "dev"}, p.secrets_env());
  expect_no_secret(status.out + status.err + list.out + list.err, "status and list");
}

TEST(Secrets, FailureTailsAndMessagesQuotingChildOutputAreRedacted) {
  Project p;
  p.write("envs/dev/vpc/.terragrunt-sim/faults.json", R"({"TERRAGRUNT_SIM_FAIL": "apply"})");
  Outcome failed = p.run({"apply", "--env", "dev", "--yes", "--output", "json"}, p.secrets_env());
  EXPECT_EQ(failed.exit_code, 1);
  expect_no_secret(failed.out + failed.err, "a failed run's output");
  EXPECT_TRUE(contains(failed.err, "    [vpc] ") && contains(failed.err, "module says token=***"))
      << "the failure tail is shown, redacted\n"
      << failed.err;

  // A plan JSON that does not parse: the parser's message quotes what it read last.
  fs::remove(p.root() / "envs/dev/vpc/.terragrunt-sim/faults.json");
  p.write("envs/dev/vpc/.broken-show", "");
  Outcome broken = p.run({"apply", "--env", "dev", "--yes", "--output", "json"}, p.secrets_env());
  EXPECT_EQ(broken.exit_code, 1);
  expect_no_secret(broken.out + broken.err, "a plan parse error");
  json doc = json::parse(broken.out);
  const std::string message = doc["layers"][0]["message"];
  EXPECT_TRUE(contains(message, "cannot read the plan of vpc: ")) << message;
  EXPECT_TRUE(contains(message, "last read: '\"***'")) << message;
  EXPECT_EQ(doc["errors"][0], "vpc: " + message);
}

TEST(Secrets, NdjsonEventsCarryNoSecret) {
  Project p;
  p.write("envs/dev/vpc/.broken-show", "");
  Outcome r =
      p.run({"-v", "apply", "--env", "dev", "--yes", "--output", "ndjson"}, p.secrets_env());
  EXPECT_EQ(r.exit_code, 1);
  expect_no_secret(r.out, "stdout (--output ndjson)");
  expect_no_secret(r.err, "stderr");
  std::istringstream lines(r.out);
  std::vector<std::string> events;
  for (std::string line; std::getline(lines, line);) events.push_back(json::parse(line)["event"]);
  EXPECT_EQ(events, (Lines{"run_started", "phase_started", "layer_started", "layer_finished",
                           "run_finished"}));
  EXPECT_TRUE(contains(r.out, "last read: '\\\"***'")) << r.out;
}

TEST(Secrets, PlanSummariesAndTheStepSummaryAreRedacted) {
  Project p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes", "--only", "vpc"}, p.secrets_env()).exit_code,
            0);
  const fs::path step = p.root() / "step-summary.md";
  Outcome r = p.run({"plan", "--env", "dev", "--out-dir", "plans", "--summary-md", "summary.md"},
                    p.secrets_env({{"GITHUB_STEP_SUMMARY", step.string()}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string file :
       {"plans/summary.md", "plans/summary.json", "summary.md", "step-summary.md"}) {
    ASSERT_TRUE(p.exists(file)) << file;
    const std::string text = p.read(file);
    expect_no_secret(text, file);
    if (file.substr(file.size() - 3) == ".md") {
      EXPECT_TRUE(contains(text, "aws_secretsmanager_secret_version.master[\"***\"]")) << text;
    }
  }
  expect_no_secret(r.out + r.err, "plan output");
}

TEST(Secrets, ASecretCutByTheLongLineSplitIsStillRedacted) {
  Project p;
  p.manifest(R"(version: 1
layers:
  - name: dump
    kind: command
    command: [sh, -c, 'yes "$TF_VAR_master" | head -n 20000 | tr -d "\n"; echo']
    needs_env: [TF_VAR_master]
)");
  Outcome r = p.run({"apply", "--env", "dev", "--yes"}, p.secrets_env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string log;
  for (const auto& [file, text] : p.files_under(p.root() / ".stackctl/dev/runs")) log += text;
  EXPECT_FALSE(contains(log, kMaster)) << "a secret spanning a 64 KiB piece of a line leaked";
  std::string want;
  for (int i = 0; i < 20000; ++i) want += "***";
  EXPECT_EQ(log, want + "\n");
}

TEST(Secrets, CiPipelinesNameSecretsAndNeverHoldTheirValues) {
  Project p;
  p.manifest(R"(version: 1
layers:
  - name: vpc
    env: {LAYER_KEY: layer-env-key-value}
  - name: db
    depends_on: [vpc]
    needs_env: [TF_VAR_master, GITHUB_TOKEN]
)");
  Outcome github = p.run({"ci", "github", "--env", "dev", "--stackctl-git",
                          "https://git.example.com/tools/stackctl.git"},
                         p.secrets_env());
  ASSERT_EQ(github.exit_code, 0) << github.err;
  expect_no_secret(github.out + github.err, "the GitHub workflow");
  EXPECT_TRUE(contains(github.out, "      AWS_ACCOUNT_ID: \"${{ secrets.AWS_ACCOUNT_ID }}\"\n"))
      << github.out;
  EXPECT_TRUE(contains(github.out, "      TF_VAR_master: \"${{ secrets.TF_VAR_master }}\"\n"))
      << github.out;
  EXPECT_TRUE(
      contains(github.out, "      GITHUB_TOKEN: \"${{ secrets.STACKCTL_GITHUB_TOKEN }}\"\n"))
      << "GitHub reserves GITHUB_* secret names\n"
      << github.out;
  Outcome gitlab = p.run({"ci", "gitlab", "--env", "dev", "--stackctl-git",
                          "https://git.example.com/tools/stackctl.git"},
                         p.secrets_env());
  ASSERT_EQ(gitlab.exit_code, 0) << gitlab.err;
  expect_no_secret(gitlab.out + gitlab.err, "the GitLab pipeline");
  EXPECT_TRUE(contains(gitlab.out,
                       "# Reads the CI/CD variables AWS_ACCOUNT_ID, TF_VAR_master, "
                       "GITHUB_TOKEN (masked).\n"))
      << gitlab.out;
  Outcome matrix = p.run({"ci", "matrix", "--env", "dev"}, p.secrets_env());
  ASSERT_EQ(matrix.exit_code, 0) << matrix.err;
  expect_no_secret(matrix.out + matrix.err, "the CI matrix");
}
