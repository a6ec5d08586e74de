// The forms in which a secret value can appear in what children print and stackctl writes:
// JSON string escapes of every common encoder, the lines of a multi-line value, URL encoding
// and base64 at each of its three alignments.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include "stackctl/runner/redact.h"

namespace stackctl {

namespace {

/// How one JSON encoder escapes a string.
struct JsonStyle {
  bool html = false;       ///< < > & as \u003c \u003e \u0026 (Go's encoding/json, terraform)
  bool ascii = false;      ///< DEL and every non-ASCII character as \uXXXX (Python's json, jq -a)
  bool upper_hex = false;  ///< \u001B rather than \u001b
  bool slash = false;      ///< / as \/ (PHP, some Java encoders)
  bool short_bf = true;    ///< \b and \f rather than \u0008 and \u000c
};

void put_u(std::string& out, unsigned code, bool upper) {
  char buf[8];
  std::snprintf(buf, sizeof buf, upper ? "\\u%04X" : "\\u%04x", code);
  out += buf;
}

/// The code point of the UTF-8 sequence at s[i] (advancing i); a stray byte stands for itself.
unsigned next_code_point(const std::string& s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  const std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (len == 1 || i + len > s.size()) return byte(i++);
  unsigned code = lead & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) code = (code << 6) | (byte(i + k) & 0x3F);
  i += len;
  return code;
}

std::string json_escaped(const std::string& s, const JsonStyle& style) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const unsigned c = next_code_point(s, i);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        if (style.short_bf) {
          out += "\\b";
          continue;
        }
        break;
      case '\f':
        if (style.short_bf) {
          out += "\\f";
          continue;
        }
        break;
      case '/':
        if (style.slash) {
          out += "\\/";
          continue;
        }
        break;
      case '<':
      case '>':
      case '&':
        if (style.html) {
          put_u(out, c, style.upper_hex);
          continue;
        }
        break;
      default:
        break;
    }
    if (c < 0x20 || (style.ascii && c == 0x7f) || (style.html && (c == 0x2028 || c == 0x2029))) {
      put_u(out, c, style.upper_hex);
    } else if (c >= 0x80 && style.ascii) {
      if (c >= 0x10000) {  // a surrogate pair
        put_u(out, 0xD800 + ((c - 0x10000) >> 10), style.upper_hex);
        put_u(out, 0xDC00 + ((c - 0x10000) & 0x3FF), style.upper_hex);
      } else {
        put_u(out, c, style.upper_hex);
      }
    } else {
      out.append(s, start, i - start);
    }
  }
  return out;
}

/// Every JSON-escaped form of s (s itself when nothing needs escaping).
std::vector<std::string> json_forms(const std::string& s) {
  std::vector<std::string> out;
  for (int bits = 0; bits < 32; ++bits) {
    JsonStyle style{(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0,
                    (bits & 16) == 0};
    out.push_back(json_escaped(s, style));
  }
  return out;
}

/// Percent-encoding: unreserved characters kept, the others as %XX (upper and lower hex),
/// spaces also as '+' (HTML forms).
std::vector<std::string> url_forms(const std::string& s) {
  std::vector<std::string> out;
  for (int form = 0; form < 4; ++form) {
    std::string e;
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        e += static_cast<char>(c);
      } else if (c == ' ' && form >= 2) {
        e += '+';
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, form % 2 == 0 ? "%%%02X" : "%%%02x", c);
        e += buf;
      }
    }
    out.push_back(e);
  }
  return out;
}

std::string base64(const std::string& bytes, const char* alphabet) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += alphabet[(v >> k) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    for (std::size_t k = 0; k <= rest; ++k) out += alphabet[(v >> (18 - 6 * k)) & 63];
  }
  return out;
}

/// The base64 text that any base64 encoding containing s shows, whatever s's offset in the
/// encoded data: for each of the three alignments, the characters that depend on s alone.
std::vector<std::string> base64_forms(const std::string& s) {
  static const char* const kAlphabets[] = {
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"};
  std::vector<std::string> out;
  for (const char* alphabet : kAlphabets) {
    for (std::size_t k = 0; k < 3; ++k) {
      const std::string encoded = base64(std::string(k, '\0') + s, alphabet);
      const std::size_t first = (8 * k + 5) / 6, end = 8 * (k + s.size()) / 6;
      if (end > first) out.push_back(encoded.substr(first, end - first));
    }
  }
  return out;
}

/// The lines of a multi-line value, without a trailing '\r'.
std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  if (s.find('\n') == std::string::npos) return out;
  for (std::size_t pos = 0; pos <= s.size();) {
    std::size_t end = s.find('\n', pos);
    if (end == std::string::npos) end = s.size();
    std::string line = s.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string> secret_forms(const std::string& secret) {
  std::vector<std::string> out;
  if (secret.size() < kMinSecretLength) return out;
  const auto add = [&](const std::string& form, std::size_t min_length) {
    if (form.size() >= min_length) out.push_back(form);
  };
  out.push_back(secret);
  std::vector<std::string> once = json_forms(secret);
  std::sort(once.begin(), once.end());
  once.erase(std::unique(once.begin(), once.end()), once.end());
  for (const std::string& form : once) {
    out.push_back(form);
    for (const std::string& twice : json_forms(form))
      out.push_back(twice);  // JSON in a JSON string
  }
  for (const std::string& line : lines_of(secret)) add(line, kMinSecretLength);
  for (const std::string& url : url_forms(secret)) add(url, kMinSecretLength);
  // A short base64 run matches unrelated data too often: only from 8 characters on.
  for (const std::string& b64 : base64_forms(secret)) add(b64, kMinBase64Form);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace stackctl
