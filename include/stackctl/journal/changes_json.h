#pragma once
/// The one JSON shape of a layer's change counts, wherever stackctl writes them (journal,
/// reports, ndjson events, status, saved-plan manifests) and reads them back.
#include <nlohmann/json_fwd.hpp>

#include "stackctl/journal/plan_json.h"

namespace stackctl {

/// {"add": A, "change": C, "destroy": D} and, when not zero, "replace", "import", "move",
/// "forget", "outputs" and "read".
nlohmann::ordered_json changes_json(const ChangeCounts& c);

/// Reads what changes_json wrote; a key that is missing or not a number reads as 0 (journals
/// written before a key existed, or edited by hand).
ChangeCounts changes_from_json(const nlohmann::json& j);

}  // namespace stackctl
