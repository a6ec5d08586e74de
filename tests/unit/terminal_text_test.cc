// What of an outside text may reach the terminal: every escape sequence, control character and
// direction override is shown, never obeyed; ordinary text, UTF-8 included, is left alone.
#include "stackctl/util/terminal_text.h"

#include <gtest/gtest.h>

#include <random>

namespace stackctl {
namespace {

struct Case {
  const char* what;
  std::string in, out;
};

TEST(TerminalSafe, ShowsEveryKnownAttackSequenceVisibly) {
  const std::vector<Case> cases = {
      {"clear screen", "\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"},
      {"window title (OSC 0, BEL)", "\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"},
      {"window title (OSC 2, ST)", "\x1b]2;pwned\x1b\\", "\\x1b]2;pwned\\x1b\\"},
      {"clipboard write (OSC 52)", "\x1b]52;c;cm0gLXJmIH4=\x07", "\\x1b]52;c;cm0gLXJmIH4=\\x07"},
      {"hyperlink (OSC 8)", "\x1b]8;;http://evil\x1b\\ok\x1b]8;;\x1b\\",
       "\\x1b]8;;http://evil\\x1b\\ok\\x1b]8;;\\x1b\\"},
      {"cursor up and erase line: a failure repainted as success",
       "failed\x1b[1A\x1b[2K[1/1] vpc apply ok", "failed\\x1b[1A\\x1b[2K[1/1] vpc apply ok"},
      {"carriage return overwrite", "Error: boom\rApply complete!     ",
       "Error: boom\\x0dApply complete!     "},
      {"backspaces", "rm -rf /\b\b\b\b\b\b\bls", "rm -rf /\\x08\\x08\\x08\\x08\\x08\\x08\\x08ls"},
      {"colour that hides text", "\x1b[8msecret\x1b[0m", "\\x1b[8msecret\\x1b[0m"},
      {"device status report (the terminal answers on stdin)", "\x1b[6n", "\\x1b[6n"},
      {"DCS", "\x1bP+q544e\x1b\\", "\\x1bP+q544e\\x1b\\"},
      {"NUL and DEL", std::string("a\0b\x7f", 4), "a\\x00b\\x7f"},
      {"8-bit CSI byte",
       "\x9b"
       "2J",
       "\\x9b2J"},
      {"C1 CSI as UTF-8",
       "\xc2\x9b"
       "2J",
       "\\u009b2J"},
      {"C1 OSC as UTF-8",
       "\xc2\x9d"
       "0;t\xc2\x9c",
       "\\u009d0;t\\u009c"},
      {"right-to-left override", "file\xe2\x80\xaetxt.exe", "file\\u202etxt.exe"},
      {"isolates", "\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069"},
      {"invalid UTF-8 lead", "\xff\xfe", "\\xff\\xfe"},
      {"overlong encoding of ESC", "\xc0\x9b", "\\xc0\\x9b"},
      {"truncated sequence at the end", "ok\xe2\x80", "ok\\xe2\\x80"},
      {"encoded surrogate", "\xed\xa0\x80", "\\xed\\xa0\\x80"},
      {"newline and tab are kept", "a\tb\nc", "a\tb\nc"},
      {"plain UTF-8 is kept", "Zürich ✓ 日本 😀", "Zürich ✓ 日本 😀"},
      {"plain ASCII is kept", "Plan: 1 to add, 0 to change, 0 to destroy.",
       "Plan: 1 to add, 0 to change, 0 to destroy."},
  };
  for (const Case& c : cases) EXPECT_EQ(terminal_safe(c.in), c.out) << c.what;
}

TEST(TerminalSafe, EveryControlByteAloneIsShownAsItsHexCode) {
  for (int b = 0; b < 0x20; ++b) {
    const std::string in(1, static_cast<char>(b));
    char want[8];
    std::snprintf(want, sizeof want, "\\x%02x", b);
    if (b == '\n' || b == '\t')
      EXPECT_EQ(terminal_safe(in), in);
    else
      EXPECT_EQ(terminal_safe(in), want) << b;
  }
  for (int b = 0x80; b < 0x100; ++b) {  // a lone high byte is never valid UTF-8
    char want[8];
    std::snprintf(want, sizeof want, "\\x%02x", b);
    EXPECT_EQ(terminal_safe(std::string(1, static_cast<char>(b))), want) << b;
  }
  for (unsigned c = 0x80; c <= 0x9f; ++c) {  // every C1 control, UTF-8 encoded
    const std::string in = {static_cast<char>(0xC0 | (c >> 6)),
                            static_cast<char>(0x80 | (c & 0x3F))};
    char want[8];
    std::snprintf(want, sizeof want, "\\u%04x", c);
    EXPECT_EQ(terminal_safe(in), want) << c;
  }
}

/// True when text holds nothing a terminal acts on: no C0 but \n and \t, no DEL, valid UTF-8
/// without C1 controls or direction overrides.
bool harmless(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
      ++i;
      continue;
    }
    const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || c > 0xF4 || i + len > text.size()) return false;
    unsigned code = c & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
      code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    if (code <= 0x9f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))
      return false;
    if ((len == 3 && code < 0x800) || (len == 4 && code < 0x10000) ||
        (code >= 0xD800 && code <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

TEST(TerminalSafe, RandomBytesAlwaysComeOutHarmlessAndAStableFixedPoint) {
  std::mt19937 random(20261203);
  // Mostly bytes that matter: ESC, C0, DEL, high bytes, UTF-8 leads, brackets, digits.
  const std::string alphabet =
      "\x1b\x07\r\b\x7f\x9b\xc2\xe2\x80\x81\xae\xa6\xed\xf0\x9f\x98\xff[]0;Pa\\\n\t";
  for (int round = 0; round < 20000; ++round) {
    std::string in;
    const std::size_t n = random() % 24;
    for (std::size_t i = 0; i < n; ++i)
      in += random() % 4 == 0 ? static_cast<char>(random() % 256)
                              : alphabet[random() % alphabet.size()];
    const std::string out = terminal_safe(in);
    ASSERT_TRUE(harmless(out)) << "seed round " << round << ": " << ::testing::PrintToString(in);
    ASSERT_EQ(terminal_safe(out), out) << "round " << round;
  }
}

}  // namespace
}  // namespace stackctl
