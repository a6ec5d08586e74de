#pragma once
/// One output of a layer, like `terraform output NAME`, from `terragrunt output -json`.
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace stackctl {

/// The value of output `name` in `outputs` (the document of `terragrunt output -json`:
/// {name: {sensitive, type, value}}): with json, the value as one line of JSON; else a string
/// as is (like `terraform output -raw`), any other value as indented JSON; a newline ends it.
/// An unknown name throws a usage Error naming the layer and the outputs it has.
std::string render_output(const nlohmann::json& outputs, const std::string& layer,
                          const std::string& name, bool json);

/// Text for stdout: as is into a pipe or file, terminal_safe() when stdout is a terminal.
std::string for_stdout(const std::string& text);

}  // namespace stackctl
