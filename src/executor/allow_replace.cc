#include "stackctl/executor/allow_replace.h"

#include <algorithm>

#include "stackctl/util/error.h"
#include "stackctl/util/suggest.h"

namespace stackctl {

AllowedReplace split_allow_replace(const std::string& entry) {
  const auto colon = entry.find(':');
  if (colon == std::string::npos || colon > entry.find('[')) return {"", entry};
  return {entry.substr(0, colon), entry.substr(colon + 1)};
}

void check_allow_replace(const std::set<std::string>& entries, const Manifest& manifest) {
  std::vector<std::string> known;
  for (const Layer& l : manifest.layers) known.push_back(l.name);
  for (const auto& entry : entries) {
    const AllowedReplace a = split_allow_replace(entry);
    if (a.layer.empty()) continue;
    if (!manifest.position(a.layer))
      throw usage_error("--allow-replace " + entry + ": unknown layer '" + a.layer + "'" +
                        did_you_mean(a.layer, known));
    if (a.address.empty())
      throw usage_error("--allow-replace " + entry + ": no address after '" + a.layer +
                        ":' (e.g. " + a.layer + ":aws_db_instance.this)");
  }
}

bool replace_allowed(const std::set<std::string>& entries, const std::string& layer,
                     const std::string& address) {
  return std::any_of(entries.begin(), entries.end(), [&](const std::string& entry) {
    const AllowedReplace a = split_allow_replace(entry);
    return a.address == address && (a.layer.empty() || a.layer == layer);
  });
}

namespace {
bool deletes(const std::vector<Deletion>& deletions, const std::string& address) {
  return std::any_of(deletions.begin(), deletions.end(),
                     [&](const Deletion& d) { return d.address == address; });
}
}  // namespace

std::vector<std::string> unmatched_in_layer(const std::set<std::string>& entries,
                                            const std::string& layer,
                                            const std::vector<Deletion>& deletions) {
  std::vector<std::string> out;
  for (const auto& entry : entries) {
    const AllowedReplace a = split_allow_replace(entry);
    if (a.layer == layer && !deletes(deletions, a.address)) out.push_back(entry);
  }
  return out;
}

std::vector<std::string> unmatched_anywhere(const std::set<std::string>& entries,
                                            const std::vector<LayerResult>& layers) {
  std::vector<std::string> out;
  for (const auto& entry : entries) {
    const AllowedReplace a = split_allow_replace(entry);
    if (!a.layer.empty()) continue;
    if (std::none_of(layers.begin(), layers.end(),
                     [&](const LayerResult& r) { return deletes(r.deletions, a.address); }))
      out.push_back(entry);
  }
  return out;
}

}  // namespace stackctl
