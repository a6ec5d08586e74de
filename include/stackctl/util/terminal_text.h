#pragma once
/// Text from outside stackctl (child output, manifest and env text, journal and lock contents)
/// made harmless for a terminal.
#include <string>
#include <string_view>

namespace stackctl {

/// `text` with every byte or character a terminal could act on shown visibly instead: C0
/// control characters other than '\n' and '\t' (ESC, '\r', BEL, backspace, ...) and DEL as
/// `\x1b`, `\x0d`, `\x7f`; C1 controls written as UTF-8 (U+0080..U+009F) and the Unicode
/// direction overrides and isolates (U+202A..U+202E, U+2066..U+2069) as `\u009b`, `\u202e`;
/// bytes that are not part of valid UTF-8 (an 8-bit CSI 0x9b) as `\x9b`. Everything else,
/// valid UTF-8 included, is kept, so the result of plain text is the text itself and calling
/// it again changes nothing. Logs keep the raw bytes; this is for what reaches a terminal (or
/// stdout/stderr, which may be one), whether colours are on or not.
std::string terminal_safe(std::string_view text);

}  // namespace stackctl
