#include "stackctl/plan_json.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

namespace stackctl {

using nlohmann::json;

namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] "; users need only the rest.
std::string without_exception_id(const std::string& what) {
  if (what.empty() || what[0] != '[') return what;
  std::size_t close = what.find("] ");
  return close == std::string::npos ? what : what.substr(close + 2);
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

// "1" or "1.<digits>": every 1.x format is backwards compatible with 1.0.
bool supported_format(const std::string& v) {
  if (v == "1") return true;
  if (v.size() < 3 || v.compare(0, 2, "1.") != 0) return false;
  return std::all_of(v.begin() + 2, v.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool has(const std::vector<std::string>& actions, const char* a) {
  return std::find(actions.begin(), actions.end(), a) != actions.end();
}

// Counts one managed resource change the way terraform's "Plan:" line does. Any list holding
// "delete" is a deletion; with "create" too (in either order) it is a replacement.
void count(const std::string& address, const std::vector<std::string>& actions, PlanSummary& s) {
  const bool creates = has(actions, "create");
  if (has(actions, "delete")) {
    ++s.counts.destroy;
    if (creates) {
      ++s.counts.add;
      ++s.counts.replace;
    }
    s.deletions.push_back({address, creates ? "replace" : "delete"});
    s.changes.push_back({address, creates ? "replace" : "delete"});
  } else if (creates) {
    ++s.counts.add;
    s.changes.push_back({address, "create"});
  } else if (has(actions, "update")) {
    ++s.counts.change;
    s.changes.push_back({address, "update"});
  }
  // no-op, read and forget change nothing terraform counts.
}

// Reads change.actions of resource_changes[i]; false with error set when it is not a string list.
bool read_actions(const json& entry, std::size_t i, std::vector<std::string>& actions,
                  std::string& error) {
  const std::string where = "plan JSON resource_changes[" + std::to_string(i) + "]";
  auto change = entry.find("change");
  if (change == entry.end() || !change->is_object()) {
    error = where + " has no change object";
    return false;
  }
  auto list = change->find("actions");
  if (list == change->end() || !list->is_array()) {
    error = where + " has no change.actions list";
    return false;
  }
  for (const auto& a : *list) {
    if (!a.is_string()) {
      error = where + " has a change.actions entry that is not a string";
      return false;
    }
    actions.push_back(a.get<std::string>());
  }
  return true;
}

// Adds resource_changes[i] to the summary; false with error set when the entry is malformed.
bool read_change(const json& entry, std::size_t i, PlanSummary& s, std::string& error) {
  const std::string where = "plan JSON resource_changes[" + std::to_string(i) + "]";
  if (!entry.is_object()) {
    error = where + " is not an object";
    return false;
  }
  // A missing mode counts as managed: the data guard would rather over-count than miss.
  auto mode = entry.find("mode");
  if (mode != entry.end() && !mode->is_string()) {
    error = where + " has a mode that is not a string";
    return false;
  }
  if (mode != entry.end() && mode->get<std::string>() != "managed") return true;
  auto address = entry.find("address");
  if (address == entry.end() || !address->is_string()) {
    error = where + " has no address";
    return false;
  }
  std::vector<std::string> actions;
  if (!read_actions(entry, i, actions, error)) return false;
  count(address->get<std::string>(), actions, s);
  return true;
}

// Checks format_version; false with error set when it is missing or not 1.x.
bool check_format(const json& doc, std::string& error) {
  auto version = doc.find("format_version");
  if (version == doc.end() || !version->is_string()) {
    error = "plan JSON has no format_version";
    return false;
  }
  if (!supported_format(version->get<std::string>())) {
    error = "plan JSON format_version \"" + version->get<std::string>() +
            "\" is not supported (expected 1.x)";
    return false;
  }
  return true;
}

std::optional<PlanSummary> summarize(const json& doc, std::string& error) {
  if (!doc.is_object()) {
    error = "plan JSON is not an object";
    return std::nullopt;
  }
  if (!check_format(doc, error)) return std::nullopt;
  PlanSummary s;
  auto errored = doc.find("errored");
  s.errored = errored != doc.end() && errored->is_boolean() && errored->get<bool>();
  auto changes = doc.find("resource_changes");  // omitted by terraform when empty
  if (changes == doc.end() || changes->is_null()) return s;
  if (!changes->is_array()) {
    error = "plan JSON resource_changes is not a list";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < changes->size(); ++i)
    if (!read_change((*changes)[i], i, s, error)) return std::nullopt;
  return s;
}

}  // namespace

std::optional<PlanSummary> parse_plan_json(std::string_view text, std::string& error) {
  error.clear();
  if (is_blank(text)) {
    error = "plan JSON is empty";
    return std::nullopt;
  }
  try {
    return summarize(json::parse(text.begin(), text.end()), error);
  } catch (const json::exception& e) {
    error = "plan JSON is not valid JSON: " + without_exception_id(e.what());
  } catch (const std::exception& e) {
    error = std::string("plan JSON could not be read: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace stackctl
