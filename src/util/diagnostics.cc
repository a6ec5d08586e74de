// Validation findings and their one-line rendering.
#include "stackctl/util/diagnostics.h"

namespace stackctl {

std::string Diagnostic::str() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (severity == Severity::Warning) out += "warning: ";
  return out + message;
}

void Diagnostics::error(const std::string& file, int line, const std::string& message) {
  items_.push_back(Diagnostic{Severity::Error, file, line, message});
}

void Diagnostics::warning(const std::string& file, int line, const std::string& message) {
  items_.push_back(Diagnostic{Severity::Warning, file, line, message});
}

bool Diagnostics::has_errors() const {
  for (const Diagnostic& d : items_) {
    if (d.severity == Severity::Error) return true;
  }
  return false;
}

std::string Diagnostics::str() const {
  std::string out;
  for (const Diagnostic& d : items_) {
    if (!out.empty()) out += "\n";
    out += d.str();
  }
  return out;
}

void Diagnostics::merge(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

}  // namespace stackctl
