// End to end: a secret reaches no channel in any of the forms children print it in — JSON
// escaped the way terraform's plan JSON does (`&` as `\u0026`), ASCII-only JSON, JSON inside
// JSON, URL and form encoding, base64, and a multi-line PEM key line by line and whole.
// Channels: the terminal (-v echo and failure tail), the layer logs, the journal, --output
// json (docs/reliability.md).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "support/scenario.h"

using nlohmann::json;
using stackctl::testing::Outcome;
using stackctl::testing::Scenario;
namespace fs = std::filesystem;

namespace {

const char* const kPassword = "p&ss<w>rd\"q\\uo'te/Zürich";
const char* const kPem =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
    "-----END RSA PRIVATE KEY-----";

std::string go_json(const std::string& s) {
  std::string j = json(s).dump(), out;
  for (char c : j)
    out += c == '<' ? "\\u003c" : c == '>' ? "\\u003e" : c == '&' ? "\\u0026" : std::string(1, c);
  return out;
}
std::string url(const std::string& s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
      continue;
    }
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", c);
    out += buf;
  }
  return out;
}
std::string b64(const std::string& s) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int n = 0;
  for (char ch : s) {
    bits = (bits << 8) | static_cast<unsigned char>(ch);
    for (n += 8; n >= 6;) out += a[(bits >> (n -= 6)) & 63];
  }
  if (n > 0) out += a[(bits << (6 - n)) & 63];
  while (out.size() % 4) out += '=';
  return out;
}

/// Each form a careless module prints, by name.
std::vector<std::pair<std::string, std::string>> forms() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& secret : {std::string(kPassword), std::string(kPem)}) {
    const std::string tag = secret == kPem ? "pem " : "password ";
    out.push_back({tag + "raw", secret});
    out.push_back({tag + "terraform JSON", go_json(secret)});
    out.push_back({tag + "ASCII JSON", json(secret).dump(-1, ' ', true)});
    out.push_back({tag + "JSON in JSON", json(json(secret).dump()).dump()});
    out.push_back({tag + "URL", url(secret)});
    out.push_back({tag + "base64", b64("user_data:" + secret)});
  }
  return out;
}

/// Parts of a form that must never show: the whole form without JSON quotes, and for base64
/// the part that encodes the secret.
std::string telltale(const std::string& name, const std::string& form) {
  std::string t = form;
  if (t.size() > 2 && t.front() == '"') t = t.substr(1, t.size() - 2);
  if (name.find("base64") != std::string::npos)
    t = t.substr(16, t.size() - 24);  // well inside the secret
  if (name.find("pem raw") != std::string::npos)
    t = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun";
  return t;
}

}  // namespace

TEST(SecretForms, NoFormOfASecretReachesTheTerminalTheLogsTheJournalOrTheJsonDocument) {
  Scenario p;
  std::string printed;
  for (const auto& [name, form] : forms()) printed += name + ": " + form + "\n";
  p.write("leak.txt", printed);
  p.manifest(
      "version: 1\nlayers:\n  - name: leak\n    kind: command\n    needs_env: [DB_PASSWORD, "
      "TLS_KEY]\n"
      "    command: [sh, -c, 'cat " +
      (p.root() / "leak.txt").string() + "; cat " + (p.root() / "leak.txt").string() +
      " >&2; exit 1']\n");
  p.env("dev", "name: dev\n");
  Outcome r = p.run({"-v", "apply", "--env", "dev", "--yes", "--output", "json"},
                    {{"DB_PASSWORD", kPassword}, {"TLS_KEY", kPem}});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  std::string state;
  for (const auto& e : fs::recursive_directory_iterator(p.root() / ".stackctl"))
    if (e.is_regular_file()) state += p.read(fs::relative(e.path(), p.root()).string());
  ASSERT_NE(state.find("password raw: ***"), std::string::npos) << "the log is there";
  for (const auto& [name, form] : forms()) {
    const std::string t = telltale(name, form);
    EXPECT_EQ(r.err.find(t), std::string::npos) << name << " on the terminal\n" << r.err;
    EXPECT_EQ(r.out.find(t), std::string::npos) << name << " in the JSON document";
    EXPECT_EQ(state.find(t), std::string::npos) << name << " in the state folder";
    EXPECT_NE(r.err.find(name + ": "), std::string::npos) << name << " was printed at all";
  }
}
