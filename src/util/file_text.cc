#include "stackctl/util/file_text.h"

#include <fstream>
#include <sstream>

namespace stackctl {

std::optional<std::string> read_text_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace stackctl
