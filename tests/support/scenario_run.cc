// The part of Scenario that runs the built binaries: stackctl, with terragrunt-sim as its
// terragrunt. Only the end-to-end tests link it (stackctl_e2e_support).
#include "support/scenario.h"

namespace stackctl::testing {

namespace {

std::map<std::string, std::string> scenario_env(const Scenario& s,
                                                const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> e = {{"STACKCTL_TERRAGRUNT", TERRAGRUNT_SIM_BIN},
                                          {"TERRAGRUNT_SIM_LOG", s.call_log().string()},
                                          {"NO_COLOR", "1"}};
  for (const auto& [k, v] : env) e[k] = v;
  return e;
}

}  // namespace

std::unique_ptr<Background> Scenario::start(const std::vector<std::string>& args,
                                            const std::map<std::string, std::string>& env) const {
  return std::make_unique<Background>(STACKCTL_BIN, args, root_, scenario_env(*this, env));
}

Outcome Scenario::run(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env) const {
  return run_program(STACKCTL_BIN, args, root_, scenario_env(*this, env));
}

}  // namespace stackctl::testing
