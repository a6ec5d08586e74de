#pragma once
/// `--allow-replace` entries: `ADDR` allows a protected layer's plan to delete or replace the
/// resource ADDR in any layer of the run, `LAYER:ADDR` only in LAYER. An entry that names an
/// unknown layer is a usage error before anything runs; one that matches nothing the plan deletes
/// or replaces is an error too (a typo or a stale flag would otherwise pass unnoticed).
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stackctl/executor/layer_task.h"
#include "stackctl/manifest/manifest.h"

namespace stackctl {

/// One entry split at its scope: layer is "" when unscoped.
struct AllowedReplace {
  std::string layer;
  std::string address;
};

/// Splits `LAYER:ADDR` (a ':' before any '[' of the address: `aws_x.y["a:b"]` is unscoped).
AllowedReplace split_allow_replace(const std::string& entry);

/// Throws Error(Usage) naming the first entry whose layer the manifest does not have, with the
/// closest layer name: `--allow-replace rds-ap:aws_db_instance.this: unknown layer 'rds-ap'
/// (did you mean 'rds-app'?)`.
void check_allow_replace(const std::set<std::string>& entries, const Manifest& manifest);

/// Whether the entries allow `address` to be deleted or replaced in `layer`.
bool replace_allowed(const std::set<std::string>& entries, const std::string& layer,
                     const std::string& address);

/// The entries scoped to `layer` that match none of its plan's deletions and replacements.
std::vector<std::string> unmatched_in_layer(const std::set<std::string>& entries,
                                            const std::string& layer,
                                            const std::vector<Deletion>& deletions);

/// The unscoped entries that match no deletion or replacement of any plan in `layers`.
std::vector<std::string> unmatched_anywhere(const std::set<std::string>& entries,
                                            const std::vector<LayerResult>& layers);

}  // namespace stackctl
