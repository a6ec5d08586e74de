#pragma once
// Checks of generated CI pipelines: actionlint over a GitHub workflow, GitLab's published CI
// schema and a structural check over a .gitlab-ci.yml.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/scenario.h"

namespace stackctl::testing {

/// The stack the generated pipelines are run on: kms (data) <- nothing, vpc <- sg <- db (data,
/// also on kms), vpc <- app.
inline const char* kCiManifest = R"(version: 1
layers:
  - name: kms
    protect: data
  - name: vpc
  - name: sg
    depends_on: [vpc]
  - name: db
    depends_on: [sg, kms]
    protect: data
  - name: app
    depends_on: [vpc]
)";

/// Runs git with args in the scenario's root (no global config, a fixed author) and returns the
/// first line it printed; a failing git fails the test.
std::string git_in(const Scenario& s, const std::vector<std::string>& args);

/// Writes kCiManifest, env dev with env_yaml, and a unit per layer with its dependency blocks.
inline void write_ci_stack(const Scenario& s, const std::string& env_yaml) {
  s.manifest(kCiManifest);
  s.env("dev", env_yaml);
  for (const char* l : {"kms", "vpc"}) s.layer_hcl("dev", l, {});
  s.layer_hcl("dev", "sg", {"vpc"});
  s.layer_hcl("dev", "db", {"sg", "kms"});
  s.layer_hcl("dev", "app", {"vpc"});
}

/// The actionlint .ci/real-tools builds (STACKCTL_ACTIONLINT overrides it); nullopt with why
/// set when it is not there.
std::optional<std::string> actionlint_binary(std::string& why);

/// actionlint's findings on a workflow ("" when it accepts it), run in a scratch repository.
std::string actionlint_findings(const std::string& actionlint, const std::string& workflow);

/// GitLab's CI schema (gitlab-ci.json, as vendored by the check-jsonschema package, put in the
/// tools cache by .ci/real-tools; STACKCTL_GITLAB_CI_SCHEMA overrides it); nullopt with why set
/// when it or python3's jsonschema is not there.
std::optional<std::string> gitlab_ci_schema(std::string& why);

/// The schema's findings on a pipeline ("" when it validates).
std::string gitlab_schema_findings(const std::string& schema, const std::string& pipeline);

/// The YAML document as JSON: plain true/false as booleans, plain integers as numbers, every
/// other scalar as a string.
nlohmann::json yaml_to_json(const YAML::Node& node);

/// What GitLab would reject in a .gitlab-ci.yml that the schema does not see: unknown top-level
/// keys or job keywords, stages that are not declared, a `needs:` naming no job or a job that
/// is not in the same pipelines, rules and `when:` values GitLab does not know, artifact paths
/// outside the project. One line per problem; empty when there is none.
std::vector<std::string> gitlab_structure_problems(const YAML::Node& pipeline);

}  // namespace stackctl::testing
