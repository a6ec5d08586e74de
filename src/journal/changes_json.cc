#include "stackctl/journal/changes_json.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include <nlohmann/json.hpp>

namespace stackctl {

namespace {

struct Key {
  const char* name;
  int ChangeCounts::*field;
  bool always;
};

constexpr Key kKeys[] = {
    {"add", &ChangeCounts::add, true},         {"change", &ChangeCounts::change, true},
    {"destroy", &ChangeCounts::destroy, true}, {"replace", &ChangeCounts::replace, false},
    {"import", &ChangeCounts::imports, false}, {"move", &ChangeCounts::moves, false},
    {"forget", &ChangeCounts::forgets, false}, {"outputs", &ChangeCounts::outputs, false},
    {"read", &ChangeCounts::reads, false},
};

}  // namespace

nlohmann::ordered_json changes_json(const ChangeCounts& c) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const Key& k : kKeys)
    if (k.always || c.*k.field != 0) out[k.name] = c.*k.field;
  return out;
}

ChangeCounts changes_from_json(const nlohmann::json& j) {
  ChangeCounts c;
  if (!j.is_object()) return c;
  for (const Key& k : kKeys) {
    auto it = j.find(k.name);
    if (it == j.end() || !it->is_number()) continue;
    const double v = it->get<double>();
    c.*k.field = std::isnan(v) ? 0 : static_cast<int>(std::clamp(v, 0.0, double{INT_MAX}));
  }
  return c;
}

}  // namespace stackctl
