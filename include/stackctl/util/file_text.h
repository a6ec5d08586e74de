#pragma once
/// Reading a whole file as bytes (HCL files, saved-plan summaries).
#include <filesystem>
#include <optional>
#include <string>

namespace stackctl {

/// The file's whole contents, or nullopt when it cannot be opened.
std::optional<std::string> read_text_file(const std::filesystem::path& file);

}  // namespace stackctl
