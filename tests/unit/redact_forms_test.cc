// Redaction against every form a secret value takes in output: each secret of a table of hard
// values, written by independent encoders (nlohmann's JSON, Go's HTML-safe JSON, ASCII-only
// JSON, JSON inside JSON, URL and form encoding, base64 at every offset, line by line), must
// never survive Redactor::apply().
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <regex>

#include "stackctl/runner/redact.h"

namespace stackctl {
namespace {

const char* const kPem =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACBx7Bq2ydq0gnO5D1pyGkFQJ9dnRvT3DmXvA1RzpcOEhwAAAJgqv0T5Kr9E\n"
    "-----END OPENSSH PRIVATE KEY-----\n";

/// Hard secrets: JSON- and HTML-special characters, backslashes, control characters, non-ASCII
/// and astral characters, spaces and URL-reserved characters, a PEM key with CRLF and LF.
const std::vector<std::string> kSecrets = {
    "p&ss<w>rd\"q'uo\\te",
    "a/b\\c\"d",
    "tab\there\x01\x1f\x7f",
    "Zürich-Gehéimnis-🔑-秘密",
    "with space+plus=eq?q&a#h%25",
    "\xe2\x80\xa8line-sep\xe2\x80\xa9",
    "short<&>",
    kPem,
    "crlf-line-one-xxxx\r\ncrlf-line-two-yyyy",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
};

std::string nlohmann_json(const std::string& s) { return nlohmann::json(s).dump(); }
std::string ascii_json(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', true);  // every non-ASCII character as \uXXXX
}
/// Go's encoding/json: < > & and U+2028/9 escaped, lower-case hex.
std::string go_json(const std::string& s) {
  std::string j = nlohmann_json(s), out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const char c = j[i];
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else if (j.compare(i, 3, "\xe2\x80\xa8") == 0)
      out += "\\u2028", i += 2;
    else if (j.compare(i, 3, "\xe2\x80\xa9") == 0)
      out += "\\u2029", i += 2;
    else if (j.compare(i, 2, "\\b") == 0)
      out += "\\u0008", ++i;  // Go before 1.22
    else if (j.compare(i, 2, "\\f") == 0)
      out += "\\u000c", ++i;
    else
      out += c;
  }
  return out;
}
std::string upper_hex(std::string j) {
  static const std::regex u("\\\\u([0-9a-f]{4})");
  std::string out;
  std::sregex_iterator it(j.begin(), j.end(), u), end;
  std::size_t last = 0;
  for (; it != end; ++it) {
    out += j.substr(last, it->position() - last);
    std::string hex = (*it)[1];
    for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += "\\u" + hex;
    last = it->position() + it->length();
  }
  return out + j.substr(last);
}
std::string slashes(std::string j) {
  std::string out;
  for (char c : j) out += c == '/' ? std::string("\\/") : std::string(1, c);
  return out;
}
std::string url(const std::string& s, bool plus) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || std::string("-_.~").find(static_cast<char>(c)) != std::string::npos)
      out += static_cast<char>(c);
    else if (plus && c == ' ')
      out += '+';
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}
std::string b64(const std::string& s, bool url_safe) {
  const char* a = url_safe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                           : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (unsigned char c : s) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) out += a[(bits >> (count -= 6)) & 63];
  }
  if (count > 0) out += a[(bits << (6 - count)) & 63];
  while (out.size() % 4 != 0) out += '=';
  return out;
}

struct Encoding {
  const char* name;
  std::function<std::string(const std::string&)> encode;
};

const std::vector<Encoding> kEncodings = {
    {"raw", [](const std::string& s) { return s; }},
    {"JSON", nlohmann_json},
    {"JSON, ASCII only", ascii_json},
    {"Go JSON (terraform's plan JSON)", go_json},
    {"Go JSON, upper-case hex", [](const std::string& s) { return upper_hex(go_json(s)); }},
    {"ASCII JSON, upper-case hex", [](const std::string& s) { return upper_hex(ascii_json(s)); }},
    {"JSON with \\/", [](const std::string& s) { return slashes(nlohmann_json(s)); }},
    {"JSON in a JSON string", [](const std::string& s) { return nlohmann_json(nlohmann_json(s)); }},
    {"Go JSON in a JSON string", [](const std::string& s) { return go_json(go_json(s)); }},
    {"URL-encoded", [](const std::string& s) { return url(s, false); }},
    {"form-encoded", [](const std::string& s) { return url(s, true); }},
};

TEST(RedactForms, NoSecretSurvivesInAnyEncodingInsideOtherText) {
  Redactor r(kSecrets);
  for (const std::string& secret : kSecrets) {
    for (const Encoding& e : kEncodings) {
      const std::string form = e.encode(secret);
      const std::string text = "{\"sensitive\":false,\"value\":" + form + ",\"after\":1}";
      const std::string out = r.apply(text);
      SCOPED_TRACE(std::string(e.name) + " of " + ::testing::PrintToString(secret));
      // The form itself (without JSON's quotes) is gone, and with it every part of it that is
      // as long as a secret line.
      std::string inner = form;
      if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"')
        inner = inner.substr(1, inner.size() - 2);
      EXPECT_EQ(out.find(inner), std::string::npos) << out;
      EXPECT_NE(out.find("***"), std::string::npos) << out;
    }
  }
}

TEST(RedactForms, EachLineOfAMultiLineSecretIsRedactedOnItsOwn) {
  Redactor r({kPem});
  std::string pem_lines = kPem;
  std::size_t start = 0;
  for (std::size_t nl = pem_lines.find('\n'); nl != std::string::npos;
       nl = pem_lines.find('\n', start)) {
    const std::string line = pem_lines.substr(start, nl - start);
    EXPECT_EQ(r.apply("  + private_key = " + line + "\n"), "  + private_key = ***\n") << line;
    start = nl + 1;
  }
  // Printed as a child would print it, with its own newlines, the whole key goes.
  EXPECT_EQ(r.apply(std::string("key:\n") + kPem).find("PRIVATE KEY"), std::string::npos);
  Redactor crlf({"crlf-line-one-xxxx\r\ncrlf-line-two-yyyy"});
  EXPECT_EQ(crlf.apply("a crlf-line-one-xxxx\nb crlf-line-two-yyyy\n"), "a ***\nb ***\n");
}

TEST(RedactForms, Base64AtEveryOffsetInsideLongerDataIsRedacted) {
  Redactor r(kSecrets);
  for (const std::string& secret : kSecrets) {
    for (bool url_safe : {false, true}) {
      for (std::size_t before = 0; before < 6; ++before) {
        for (std::size_t after = 0; after < 3; ++after) {
          const std::string encoded =
              b64(std::string(before, 'x') + secret + std::string(after, 'y'), url_safe);
          const std::string out = r.apply("user_data = \"" + encoded + "\"");
          SCOPED_TRACE(::testing::PrintToString(secret) + " after " + std::to_string(before) +
                       " bytes");
          // What is left around *** encodes at most the surrounding bytes plus a character of
          // each boundary: nothing of the secret can be decoded from it.
          const std::size_t at = out.find("***");
          ASSERT_NE(at, std::string::npos) << out;
          const std::size_t kept = out.size() - std::string("user_data = \"\"").size() - 3;
          EXPECT_LE(kept, (before + after) * 4 / 3 + 6) << out;
        }
      }
    }
  }
}

TEST(RedactForms, FormsOfOrdinarySecretsAreFewAndShortValuesHaveNone) {
  EXPECT_TRUE(secret_forms("abc").empty());
  // A plain token has no JSON or URL form of its own: itself and its base64 forms only, one per
  // alignment (both alphabets agree where no '+', '/', '-' or '_' is involved).
  const auto forms = secret_forms("hunter22");
  EXPECT_EQ(forms.size(), 4u) << ::testing::PrintToString(forms);
  EXPECT_NE(std::find(forms.begin(), forms.end(), "hunter22"), forms.end());
  EXPECT_NE(std::find(forms.begin(), forms.end(), "aHVudGVyMj"), forms.end());  // base64, offset 0
}

TEST(RedactForms, TextWithoutSecretsIsUnchanged) {
  Redactor r(kSecrets);
  for (const std::string text : {"Plan: 1 to add, 0 to change, 0 to destroy.",
                                 "aGVsbG8gd29ybGQ=", "https://example.com/a%20b?x=1&y=2",
                                 "{\"a\":\"\\u003c\\u0026\\u003e\"}"})
    EXPECT_EQ(r.apply(text), text);
}

}  // namespace
}  // namespace stackctl
