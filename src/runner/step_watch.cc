#include "stackctl/runner/step_watch.h"

#include <fstream>
#include <system_error>

namespace stackctl {

namespace {

constexpr std::uintmax_t kMaxRead = 64 * 1024;

/// The line without ANSI escape sequences and with surrounding blanks and box-drawing
/// characters (`│`, `╷`, `╵`, UTF-8 E2 94/95 xx) removed.
std::string plain(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\033') {
      if (i + 1 < text.size() && text[i + 1] == '[') {
        i += 2;
        while (i < text.size() && !(text[i] >= '@' && text[i] <= '~')) ++i;
      }
      continue;
    }
    out += text[i];
  }
  auto boxy = [&](std::size_t at) {
    return at + 2 < out.size() && static_cast<unsigned char>(out[at]) == 0xE2 &&
           (static_cast<unsigned char>(out[at + 1]) == 0x94 ||
            static_cast<unsigned char>(out[at + 1]) == 0x95);
  };
  std::size_t start = 0;
  for (;;) {
    while (start < out.size() && (out[start] == ' ' || out[start] == '\t')) ++start;
    if (!boxy(start)) break;
    start += 3;
  }
  std::size_t end = out.size();
  while (end > start && (out[end - 1] == ' ' || out[end - 1] == '\t')) --end;
  return out.substr(start, end - start);
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace

void OutputScanner::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (c == '\n' || c == '\r') {
      line(partial_);
      partial_.clear();
    } else if (partial_.size() < 4096) {
      partial_ += c;
    }
  }
}

void OutputScanner::next_child() {
  partial_.clear();
  initializing_ = false;
  waiting_ = false;
}

void OutputScanner::line(std::string_view raw) {
  const std::string text = plain(raw);
  if (text.empty()) return;
  if (contains(text, "Acquiring state lock. This may take a few moments...")) {
    waiting_ = true;
    return;
  }
  waiting_ = false;
  if (auto at = text.find("Who:"); at != std::string::npos) {
    std::string who = plain(std::string_view(text).substr(at + 4));
    if (!who.empty()) holder_ = who;
  }
  if (contains(text, "Initializing the backend...") ||
      contains(text, "Initializing provider plugins...") ||
      contains(text, "Initializing modules..."))
    initializing_ = true;
  else if (contains(text, "has been successfully initialized!"))
    initializing_ = false;
}

void LogFollower::poll() {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file_, ec);
  if (ec || size <= offset_) {
    if (!ec && size < offset_) offset_ = size;  // truncated: start again at its end
    return;
  }
  std::uintmax_t from = offset_;
  if (size - from > kMaxRead) {
    from = size - kMaxRead;
    scanner_.feed("\n");  // the skipped part ends whatever line was open
  }
  std::ifstream in(file_, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(from));
  std::string chunk(static_cast<std::size_t>(size - from), '\0');
  in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  chunk.resize(static_cast<std::size_t>(in.gcount()));
  offset_ = from + chunk.size();
  scanner_.feed(chunk);
}

}  // namespace stackctl
