#include "stackctl/journal/plan_json.h"

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
// "delete" is a deletion; with "create" too (in either order) it is a replacement, and so is
// "forget" with "create" (OpenTofu's lifecycle destroy = false, Terraform's create-then-forget):
// the resource that holds the data leaves terraform's hands either way.
void count(ResourceChange rc, const std::vector<std::string>& actions, PlanSummary& s) {
  const bool creates = has(actions, "create");
  const bool deletes = has(actions, "delete"), forgets = has(actions, "forget");
  if (deletes || forgets) {
    ++(deletes ? s.counts.destroy : s.counts.forgets);
    if (creates) {
      ++s.counts.add;
      ++s.counts.replace;
    }
    if (deletes || creates)
      s.deletions.push_back({rc.address, creates ? "replace" : "delete", actions});
    rc.action = creates ? "replace" : deletes ? "delete" : "forget";
  } else if (creates) {
    ++s.counts.add;
    rc.action = "create";
  } else if (has(actions, "update")) {
    ++s.counts.change;
    rc.action = "update";
  }
  if (has(actions, "read")) ++s.counts.reads;
  // no-op changes nothing; an import or a move still does.
  if (rc.importing) ++s.counts.imports;
  if (!rc.previous_address.empty()) ++s.counts.moves;
  if (rc.action.empty() && rc.importing) rc.action = "import";
  if (rc.action.empty() && !rc.previous_address.empty()) rc.action = "move";
  if (!rc.action.empty()) s.changes.push_back(std::move(rc));
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
  const bool managed = mode == entry.end() || mode->get<std::string>() == "managed";
  auto address = entry.find("address");
  if (address == entry.end() || !address->is_string()) {
    error = where + " has no address";
    return false;
  }
  std::vector<std::string> actions;
  if (!read_actions(entry, i, actions, error)) return false;
  // A data source changes nothing that exists; only its read deferred to apply is a change.
  if (!managed) {
    if (has(actions, "read")) ++s.counts.reads;
    return true;
  }
  ResourceChange rc;
  rc.address = address->get<std::string>();
  const json& change = entry.at("change");    // read_actions checked it is an object
  auto importing = change.find("importing");  // null or absent: no import
  rc.importing = importing != change.end() && !importing->is_null();
  auto previous = entry.find("previous_address");
  if (previous != entry.end() && !previous->is_null()) {
    if (!previous->is_string()) {
      error = where + " has a previous_address that is not a string";
      return false;
    }
    if (previous->get<std::string>() != rc.address)
      rc.previous_address = previous->get<std::string>();
  }
  count(std::move(rc), actions, s);
  return true;
}

// Reads output_changes (an object by output name; omitted when empty): an output whose actions
// are not ["no-op"] is a change.
bool read_outputs(const json& doc, PlanSummary& s, std::string& error) {
  auto outputs = doc.find("output_changes");
  if (outputs == doc.end() || outputs->is_null()) return true;
  if (!outputs->is_object()) {
    error = "plan JSON output_changes is not an object";
    return false;
  }
  for (const auto& [name, entry] : outputs->items()) {
    const std::string where = "plan JSON output_changes." + name;
    auto list = entry.is_object() ? entry.find("actions") : entry.end();
    if (!entry.is_object() || list == entry.end() || !list->is_array()) {
      error = where + " has no actions list";
      return false;
    }
    std::vector<std::string> actions;
    for (const auto& a : *list) {
      if (!a.is_string()) {
        error = where + " has an actions entry that is not a string";
        return false;
      }
      actions.push_back(a.get<std::string>());
    }
    if (actions == std::vector<std::string>{"no-op"}) continue;
    ++s.counts.outputs;
    std::string action = has(actions, "delete") && has(actions, "create") ? "update"
                         : has(actions, "delete")                         ? "delete"
                         : has(actions, "create")                         ? "create"
                                                                          : "update";
    s.outputs.push_back({"output." + name, action, "", false});
  }
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
  if (!read_outputs(doc, s, error)) return std::nullopt;
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

// terraform prints its warnings on stdout before the document (an unreadable CLI config
// file, a deprecated setting): the document is the first line that starts with '{'.
std::string_view skip_leading_warnings(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    if (text[at] == '{') return text.substr(at);
    std::size_t eol = text.find('\n', at);
    if (eol == std::string_view::npos) break;
    at = eol + 1;
  }
  return text;
}

}  // namespace

std::optional<PlanSummary> parse_plan_json(std::string_view text, std::string& error) {
  error.clear();
  text = skip_leading_warnings(text);
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

std::string changes_text(const ChangeCounts& c, const char* minus) {
  std::string text = "+" + std::to_string(c.add) + " ~" + std::to_string(c.change) + " " + minus +
                     std::to_string(c.destroy);
  auto extra = [&text](const char* what, int n) {
    if (n != 0) text += std::string(" ") + what + " " + std::to_string(n);
  };
  extra("import", c.imports);
  extra("move", c.moves);
  extra("forget", c.forgets);
  extra("outputs", c.outputs);
  extra("read", c.reads);
  return text;
}

std::optional<int> destroyed_count(std::string_view output) {
  constexpr std::string_view marker = "Destroy complete! Resources: ";
  const std::size_t at = output.rfind(marker);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t pos = at + marker.size();
  long n = 0;
  const std::size_t digits = pos;
  while (pos < output.size() && output[pos] >= '0' && output[pos] <= '9' && n < 100000000)
    n = n * 10 + (output[pos++] - '0');
  if (pos == digits || output.substr(pos, 11) != " destroyed.") return std::nullopt;
  return static_cast<int>(n);
}

}  // namespace stackctl
