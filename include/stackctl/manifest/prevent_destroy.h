#pragma once
/// terragrunt's own destroy guard, seen before anything runs: a unit whose terragrunt.hcl sets
/// `prevent_destroy = true` makes `terragrunt destroy` fail, but only once its destroy starts,
/// after its dependents were already destroyed. stackctl refuses such a destroy up front.
#include <cstddef>
#include <string>
#include <vector>

#include "stackctl/manifest/env.h"

namespace stackctl {

/// One refusal per selected terragrunt layer whose terragrunt.hcl sets prevent_destroy = true:
/// "app: envs/dev/app/terragrunt.hcl sets prevent_destroy = true; ...".
std::vector<std::string> prevent_destroy_refusals(const Stack& stack,
                                                  const std::vector<std::size_t>& selected);

}  // namespace stackctl
