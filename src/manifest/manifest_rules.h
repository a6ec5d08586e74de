#pragma once
// Private to the manifest loader: the rules that look at a layer's fields together, and those
// that look across layers (paths, dependencies), each reporting every violation it finds.
#include <cstddef>
#include <string>
#include <vector>

#include "stackctl/manifest/manifest.h"
#include "stackctl/util/diagnostics.h"
#include "yaml_util.h"

namespace stackctl::manifest_rules {

/// Lines of values the Manifest does not keep, per layer position.
struct Lines {
  std::vector<std::vector<int>> depends_on;  ///< line of each depends_on entry
  std::vector<int> path;                     ///< line of `path` (the layer's line without one)
};

/// "layer 'vpc'" for a valid name, else "layer #3" (1-based position), for messages.
std::string label(const Layer& layer, std::size_t pos);

/// Kind rules: manual needs instructions, command needs a command, and neither key on
/// another kind.
void check_kind(const yaml::Node& node, const Layer& layer, const yaml::Reader& r);

/// A layer path must be relative and must not leave the env folder; only a command may run in
/// the env folder itself.
void check_path(const Layer& layer, int line, const yaml::Reader& r);

/// Two terragrunt layers may not share a folder (they would share state).
void check_paths_unique(const Manifest& m, const Lines& lines, const std::string& file,
                        Diagnostics& diags);

/// depends_on rules: known names, no self-dependency, only earlier layers; forward edges that
/// close a cycle are reported as `dependency cycle: a -> b -> a`.
void check_dependencies(const Manifest& m, const Lines& lines, const std::string& file,
                        Diagnostics& diags);

}  // namespace stackctl::manifest_rules
