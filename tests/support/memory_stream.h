#pragma once
// A FILE* whose text a test reads back (observers write to FILE*, like stderr).
#include <cstdio>
#include <string>

namespace stackctl::testing {

struct MemoryStream {
  MemoryStream() : file(std::tmpfile()) {}
  ~MemoryStream() { std::fclose(file); }
  MemoryStream(const MemoryStream&) = delete;
  MemoryStream& operator=(const MemoryStream&) = delete;
  /// Everything written so far; writing may go on afterwards.
  std::string text() const {
    std::fflush(file);
    std::string out;
    std::rewind(file);
    for (int c; (c = std::fgetc(file)) != EOF;) out += static_cast<char>(c);
    std::fseek(file, 0, SEEK_END);
    return out;
  }
  std::FILE* file;
};

}  // namespace stackctl::testing
