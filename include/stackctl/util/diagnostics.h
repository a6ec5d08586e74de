#pragma once
/// Collected validation findings, each rendered as `FILE:LINE: message`.
#include <string>
#include <vector>

namespace stackctl {

enum class Severity { Error, Warning };

/// One finding about an input file. line is 1-based; 0 means "the whole file".
struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;
  int line = 0;
  std::string message;

  /// `FILE:LINE: message` (or `FILE: message` when line is 0); warnings get `warning: `.
  std::string str() const;
};

/// An ordered list of findings; loaders append every problem they find, never only the first.
class Diagnostics {
 public:
  void error(const std::string& file, int line, const std::string& message);
  void warning(const std::string& file, int line, const std::string& message);
  bool has_errors() const;
  const std::vector<Diagnostic>& all() const { return items_; }
  /// Every finding, one per line, in the order found.
  std::string str() const;
  /// Append another list's findings.
  void merge(const Diagnostics& other);

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace stackctl
