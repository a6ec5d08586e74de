// End to end: what a child prints cannot make stackctl's memory grow without bound. The
// output of `show -json` is parsed whole, so it is captured up to a limit; past it the layer
// fails clearly and nothing more is kept (docs/reliability.md).
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>

#include "support/scenario.h"

using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
using Calls = std::vector<std::string>;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// vpc <- app, with a terragrunt whose `show -json` in vpc prints `mib` MiB of output.
struct Project : Scenario {
  explicit Project(int mib) {
    manifest("version: 1\nlayers:\n  - name: vpc\n  - name: app\n    depends_on: [vpc]\n");
    env("dev", "name: dev\nparallelism: 1\n");
    layer_hcl("dev", "vpc", {});
    layer_hcl("dev", "app", {"vpc"});
    write("bin/terragrunt",
          "#!/bin/sh\n"
          "if [ \"$1\" = show ] && [ \"$(basename \"$PWD\")\" = vpc ]; then\n"
          "  printf '{\"format_version\":\"1.2\",\"resource_changes\":[],\"pad\":\"'\n"
          "  head -c " +
              std::to_string(mib) +
              "M /dev/zero | tr '\\0' a\n"
              "  printf '\"}\\n'; exit 0\nfi\n"
              "exec " +
              std::string(TERRAGRUNT_SIM_BIN) + " \"$@\"\n");
    ::chmod((root() / "bin/terragrunt").c_str(), 0755);
  }
  std::map<std::string, std::string> env_with(const std::string& limit) const {
    return {{"STACKCTL_TERRAGRUNT", (root() / "bin/terragrunt").string()},
            {"STACKCTL_MAX_CAPTURE_MIB", limit}};
  }
};

long peak_rss_of_children_mb() {
  struct rusage usage {};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  return usage.ru_maxrss / 1024;
}

}  // namespace

TEST(Costs, PlanJsonPastTheCaptureLimitFailsTheLayerWithBoundedMemory) {
  Project p(300);
  Outcome r = p.run({"apply", "--env", "dev", "--yes"}, p.env_with("8"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "    cannot read the plan of vpc: plan JSON larger than 8 MiB "
                       "(STACKCTL_MAX_CAPTURE_MIB raises the limit)\n"))
      << r.err;
  EXPECT_EQ(p.call_sequence(), (Calls{"vpc plan"})) << "vpc is not applied, app never starts";
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer's shadow memory and its quarantine of freed blocks make RSS meaningless.
#else
  EXPECT_LT(peak_rss_of_children_mb(), 120) << "300 MiB of output were never held";
#endif
  EXPECT_FALSE(p.exists(".stackctl/dev/lock"));
}

TEST(Costs, PlanJsonWithinTheLimitIsReadWholeAndTheLimitIsConfigurable) {
  Project p(3);  // 3 MiB of padding inside a valid plan document
  Outcome within = p.run({"apply", "--env", "dev", "--yes"}, p.env_with("8"));
  EXPECT_EQ(within.exit_code, 0) << within.err;
  Project q(3);
  Outcome past = q.run({"apply", "--env", "dev", "--yes"}, q.env_with("2"));
  EXPECT_EQ(past.exit_code, 1) << past.err;
  EXPECT_TRUE(contains(past.err, "plan JSON larger than 2 MiB")) << past.err;
}
