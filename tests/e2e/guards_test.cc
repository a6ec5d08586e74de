// End to end: guards an operator never sees fire on a good day — a `keep` layer's replacement
// under --yes, an env that lowers a layer's protection, a plan that "succeeds" without a plan
// file — with the built stackctl against terragrunt-sim.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/data_stack.h"
#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Calls = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A delegation set and a certificate (keep: costly to recreate, not data) under the app.
struct KeepStack : Scenario {
  KeepStack() {
    manifest(
        "version: 1\nlayers:\n  - name: dns\n    protect: keep\n  - name: acm\n    protect: keep\n"
        "    depends_on: [dns]\n  - name: app\n    depends_on: [acm]\n");
    env("dev", "name: dev\nparallelism: 1\n");
    layer_hcl("dev", "dns", {});
    layer_hcl("dev", "acm", {"dns"});
    layer_hcl("dev", "app", {"acm"});
  }
};

}  // namespace

TEST(KeepGuard, YesNeverAcceptsTheReplacementOfAKeepLayersResourceOnlyAllowReplaceByNameDoes) {
  KeepStack p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
  p.fault("acm", R"({"TERRAGRUNT_SIM_REPLACE": "null_resource.acm"})");
  p.clear_calls();
  Outcome refused = p.run({"apply", "--env", "dev", "--yes"});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_TRUE(contains(refused.err, "[2/3] acm apply refused +1 ~0 -1 ")) << refused.err;
  EXPECT_TRUE(contains(refused.err,
                       "s\n"
                       "    refusing to apply acm (keep): the plan deletes or replaces\n"
                       "      - null_resource.acm (replace)\n"
                       "    name each address with --allow-replace ADDR to allow it\n"))
      << refused.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"dns plan", "acm plan", "acm show"})) << "app never started";
  // Another address named does not allow this one.
  p.clear_calls();
  Outcome other = p.run({"apply", "--env", "dev", "--yes", "--allow-replace", "null_resource.dns"});
  EXPECT_EQ(other.exit_code, 3) << other.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"dns plan", "acm plan", "acm show"}));
  p.clear_calls();
  Outcome allowed =
      p.run({"apply", "--env", "dev", "--yes", "--allow-replace", "null_resource.acm"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_EQ(p.call_sequence(),
            (Calls{"dns plan", "acm plan", "acm show", "acm apply", "app plan"}));
}

TEST(LoweredProtection, ValidateEveryPreviewAndExecPrintTheWarningWithTheEnvFilesLine) {
  stackctl::testing::DataStack p;
  ASSERT_EQ(p.run({"apply", "--env", "dev", "--yes"}).exit_code, 0);
  p.env("dev", "name: dev\nparallelism: 1\nprotect: {rds-app: none}\n");
  const std::string warning =
      (p.root() / "envs/dev/env.yaml").string() +
      ":3: warning: protect: {rds-app: none} lowers rds-app's protection from data "
      "(manifest) to none in env 'dev'\n";
  Outcome validate = p.run({"validate", "--env", "dev"});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_EQ(validate.err, warning);

  Outcome plan = p.run({"plan", "--env", "dev", "--only", "rds-app"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_TRUE(contains(plan.err, warning)) << plan.err;
  Outcome quiet = p.run({"-q", "plan", "--env", "dev", "--only", "rds-app"});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, warning) << "-q silences progress, not this";
  // What the env says holds: the destroy preview takes rds-app, and nothing is pinned under it.
  Outcome destroy = p.run({"destroy", "--env", "dev", "--dry-run"});
  EXPECT_EQ(destroy.exit_code, 0) << destroy.err;
  EXPECT_TRUE(contains(destroy.err, "destroy 4 layers (dependents first)\n")) << destroy.err;
  EXPECT_TRUE(contains(destroy.err, "  destroy  rds-app")) << destroy.err;
  EXPECT_TRUE(contains(destroy.err, warning)) << destroy.err;

  Outcome exec = p.run({"exec", "--env", "dev", "--only", "rds-app", "--", "validate"});
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_TRUE(contains(exec.err, "in 1 layer (in dependency order)\n" + warning)) << exec.err;
  Outcome exec_quiet = p.run({"-q", "exec", "--env", "dev", "--only", "rds-app", "--", "validate"});
  EXPECT_EQ(exec_quiet.exit_code, 0) << exec_quiet.err;
  EXPECT_TRUE(contains(exec_quiet.err, warning)) << exec_quiet.err;
  // A run whose layers do not include rds-app says nothing of it.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"plan", "--env", "dev", "--only", "vpc"},
        std::vector<std::string>{"exec", "--env", "dev", "--only", "vpc", "--", "validate"}}) {
    Outcome r = p.run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(contains(r.err, "lowers")) << args[0] << "\n" << r.err;
  }
}

TEST(PlanFileMissing, APlanThatExitsZeroWithoutWritingItsPlanFileFailsTheLayerNeverNoChanges) {
  stackctl::testing::DataStack p;
  // terragrunt answers its own question "no" and exits 0 before terraform runs: no plan file.
  p.fault("vpc", R"({"TERRAGRUNT_SIM_REFUSE": "plan:1"})");
  const std::string plans = (p.root() / "plans").string();
  Outcome plan =
      p.run({"plan", "--env", "dev", "--only", "vpc", "--out-dir", "plans", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 1) << plan.err;
  EXPECT_TRUE(contains(plan.err, "[1/1] vpc plan failed - ")) << plan.err;
  EXPECT_TRUE(
      contains(plan.err, "s\n    plan exited 0 but wrote no plan file " + plans + "/vpc.tfplan\n"))
      << plan.err;
  EXPECT_FALSE(contains(plan.out, "no changes")) << plan.out;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan"})) << "no show of a plan that is not there";

  p.clear_calls();
  Outcome apply =
      p.run({"--output", "json", "apply", "--env", "dev", "--only", "vpc,app", "--yes"});
  EXPECT_EQ(apply.exit_code, 1) << apply.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan"})) << "nothing applied, app never started";
  const auto doc = nlohmann::json::parse(apply.out);
  ASSERT_EQ(doc["layers"].size(), 2u) << doc.dump(2);
  EXPECT_EQ(doc["layers"][0]["name"], "vpc");
  EXPECT_EQ(doc["layers"][0]["result"], "failed");
  EXPECT_EQ(doc["layers"][1]["result"], "not-run");
  ASSERT_EQ(doc["errors"].size(), 1u) << doc.dump(2);
  const std::string error = doc["errors"][0];
  EXPECT_EQ(error.rfind("vpc: plan exited 0 but wrote no plan file " +
                            (p.root() / ".stackctl/dev/runs").string() + "/" +
                            doc["run_id"].get<std::string>() + "/vpc.tfplan",
                        0),
            0u)
      << error;
}
