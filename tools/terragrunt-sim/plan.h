#pragma once
/// Plans: desired configuration vs state, as terraform computes them; the plan JSON of
/// `terraform show -json`; applying a plan to the state.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "state.h"

namespace tgsim {

/// The parts of a resource address: `module.a.aws_subnet.b["x"]`, `data.aws_ami.ubuntu`.
struct Address {
  std::string module_address;  ///< "" at the root
  std::string mode = "managed";
  std::string type;
  std::string name;
  nlohmann::json index;  ///< null, a number or a string
};
/// Splits an address into its parts (never fails; odd input gives odd parts).
Address parse_address(const std::string& address);

/// One entry of resource_changes.
struct ResourceChange {
  std::string address;
  std::vector<std::string> actions;  ///< no-op, create, read, update, delete, or delete+create
  nlohmann::json before;             ///< null or {id, attributes...}
  nlohmann::json after;              ///< null or the planned attributes
  std::string reason;                ///< action_reason, e.g. replace_by_request
  std::string previous_address;      ///< a moved resource's old address ("" when not moved)
  nlohmann::json importing;          ///< null, or {"id": ...} when the plan imports it

  /// Moved, imported or forgotten, or its actions are not a no-op.
  bool changes() const;
};

/// One entry of output_changes.
struct OutputChange {
  std::string name;
  std::vector<std::string> actions;
  nlohmann::json before;
  nlohmann::json after;
  bool sensitive = false;
};

/// One plan, with the fingerprint of the state it was made against.
struct Plan {
  bool destroy = false;
  int state_serial = 0;
  std::string state_lineage;
  std::vector<ResourceChange> resources;
  std::vector<OutputChange> outputs;
};

/// "Plan: import, add, change, destroy, forget" counts (managed resources only; a replace
/// counts in add and destroy, ["forget","create"] in add and forget).
struct Counts {
  int import = 0, add = 0, change = 0, destroy = 0, forget = 0;
};
/// Counts the plan's managed resource changes.
Counts count_changes(const Plan& plan);

/// True when any resource is created, updated, deleted, replaced, imported, moved or forgotten,
/// or any output changes.
bool has_changes(const Plan& plan);

/// Compares desired with state. force_replace: addresses replaced by request
/// (-replace, TERRAGRUNT_SIM_REPLACE). destroy: every resource and output goes.
Plan make_plan(const State& state, const Desired& desired, bool destroy,
               const std::vector<std::string>& force_replace);

/// The document `terraform show -json <planfile>` prints (format_version 1.2).
nlohmann::json plan_json(const Plan& plan, const State& prior, const std::string& timestamp);

/// The document `terraform show -json` prints for the state itself.
nlohmann::json state_json(const State& state);

/// The plan file: the plan JSON plus the state fingerprint and the module it belongs to.
nlohmann::json plan_file_json(const Plan& plan, const State& prior, const std::string& module);

/// Reads a plan file back; false with error when it is not one.
bool read_plan_file(const nlohmann::json& file, Plan& plan, std::string& error);

/// Applies a plan to the state (new ids for created and replaced resources); bumps the serial
/// when anything changed.
void apply_plan(const Plan& plan, State& state);

/// Terraform's type of an output value: "string", "number", "bool", ["tuple", [...]], ...
nlohmann::json terraform_type(const nlohmann::json& value);

/// The current UTC time as RFC 3339 (`2024-05-01T12:00:00Z`).
std::string utc_timestamp();

}  // namespace tgsim
