#pragma once
/// Keeping secret values out of logs: which variables hold secrets, and a fast replacer.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "stackctl/manifest/manifest.h"

namespace stackctl {

/// What a secret value is replaced with.
inline constexpr std::string_view kRedacted = "***";

/// Values shorter than this are never redacted. A secret of one to three characters ("1",
/// "no", "eu") would turn every occurrence of that text in a log into `***`, making logs
/// unreadable while protecting almost nothing, so such values are skipped.
inline constexpr std::size_t kMinSecretLength = 4;

/// True when a variable name looks like it holds a secret: it contains PASS, SECRET, TOKEN or
/// KEY, in any case (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, db_password).
bool is_secret_name(std::string_view var);

/// The values of env whose name is_secret_name() or is listed in extra_names, without empty or
/// too short values (see kMinSecretLength) and without duplicates, in env order.
std::vector<std::string> secret_values(const EnvVars& env,
                                       const std::vector<std::string>& extra_names);

/// Base64 forms shorter than this are not redacted (a short run of base64 characters matches
/// unrelated text too often).
inline constexpr std::size_t kMinBase64Form = 8;

/// Every form in which `secret` can show up in output, `secret` itself first among them:
/// JSON-escaped the way common encoders do it (quotes, backslash and control characters; `<`,
/// `>`, `&` as `\u003c`..., as Go and so terraform write them; non-ASCII as `\uXXXX`,
/// surrogate pairs included; `\/`; upper- or lower-case hex), escaped twice (JSON inside a JSON
/// string), each line of a multi-line value (a PEM key), percent-encoded (`%2F` or `%2f`, a space
/// as `+` or `%20`), and base64 (standard and URL alphabets) at each of the three alignments it
/// can have inside a longer encoding, without the characters its neighbours change. Nothing for
/// values shorter than kMinSecretLength; no base64 form shorter than kMinBase64Form.
std::vector<std::string> secret_forms(const std::string& secret);

/// Replaces every occurrence of a set of secret values, in every form of secret_forms(), with
/// `***`. Where two secrets overlap at one position, the longer one wins.
class Redactor {
 public:
  /// Empty and too short values (see kMinSecretLength) and duplicates are ignored.
  explicit Redactor(const std::vector<std::string>& secrets = {});

  /// text with every secret replaced by `***`.
  std::string apply(std::string_view text) const;

  /// True when there is nothing to redact (apply() returns its input unchanged).
  bool empty() const { return secrets_.empty(); }

  /// Every text replaced (each secret's forms), longest first.
  const std::vector<std::string>& patterns() const { return secrets_; }

 private:
  std::vector<std::string> secrets_;  ///< every form of every secret, longest first
};

}  // namespace stackctl
