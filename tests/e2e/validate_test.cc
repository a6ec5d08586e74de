// End to end: validate checks what a run would trip over later, before anything runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/data_stack.h"
#include "support/scenario.h"

using stackctl::testing::Scenario;
using Project = stackctl::testing::DataStack;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST(Validate, ValidateFailsWhenAnEnabledLayerHasNoTree) {
  Project p;
  auto ok = p.run({"validate", "--env", "dev"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(contains(ok.out, "env dev: ok (5 of 5 layers enabled)\n")) << ok.out;

  fs::remove(p.root() / "envs/dev/app/terragrunt.hcl");
  fs::remove_all(p.root() / "envs/dev/sg-db");
  auto r = p.run({"validate", "--env", "dev"});
  EXPECT_EQ(r.exit_code, 65);
  const std::string dev = (p.root() / "envs/dev").string();
  EXPECT_EQ(
      r.err,
      "stackctl: " + dev +
          "/sg-db: no folder for layer 'sg-db' (stackctl scaffold --env dev writes a skeleton)\n" +
          dev +
          "/app/terragrunt.hcl: missing: layer 'app' has no terragrunt.hcl (stackctl scaffold "
          "--env dev writes a skeleton)\n");
  EXPECT_FALSE(contains(r.out, "env dev: ok")) << r.out;

  ASSERT_EQ(p.run({"scaffold", "--env", "dev"}).exit_code, 0);
  EXPECT_EQ(p.run({"validate", "--env", "dev"}).exit_code, 0);
}

TEST(Validate, ValidateLeavesDisabledAndNonTerragruntLayersAlone) {
  Scenario s;
  s.manifest(
      "version: 1\nlayers:\n  - name: vpc\n  - name: nat\n    optional: true\n"
      "  - name: gate\n    kind: manual\n    instructions: Flip the switch.\n  - name: seed\n    "
      "kind: command\n    command: [true]\n");
  s.env("dev", "name: dev\n");
  s.layer_hcl("dev", "vpc", {});
  auto r = s.run({"validate", "--env", "dev"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}
