// One place decides what of an outside text may reach the terminal as is.
#include "stackctl/util/terminal_text.h"

#include <cstdio>

namespace stackctl {

namespace {

void put_hex_byte(std::string& out, unsigned char byte) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", byte);
  out += buf;
}

void put_code_point(std::string& out, unsigned code) {
  char buf[12];
  std::snprintf(buf, sizeof buf, "\\u%04x", code);
  out += buf;
}

/// Length of the valid UTF-8 sequence starting at text[i] (with its code point), or 0.
std::size_t utf8_sequence(std::string_view text, std::size_t i, unsigned& code) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t len = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (lead >= 0xF5) len = 0;
  if (len == 0 || i + len > text.size()) return 0;
  code = lead & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  if ((len == 3 && code < 0x800) || (len == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
      (code >= 0xD800 && code <= 0xDFFF))
    return 0;
  return len;
}

bool is_unsafe_code_point(unsigned code) {
  return (code >= 0x80 && code <= 0x9F) || (code >= 0x202A && code <= 0x202E) ||
         (code >= 0x2066 && code <= 0x2069);
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
        put_hex_byte(out, c);
      else
        out += static_cast<char>(c);
      ++i;
      continue;
    }
    unsigned code = 0;
    const std::size_t len = utf8_sequence(text, i, code);
    if (len == 0) {
      put_hex_byte(out, c);
      ++i;
    } else {
      if (is_unsafe_code_point(code))
        put_code_point(out, code);
      else
        out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace stackctl
