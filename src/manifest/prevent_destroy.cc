#include "stackctl/manifest/prevent_destroy.h"

#include "stackctl/manifest/hcl.h"
#include "stackctl/util/file_text.h"

namespace stackctl {

std::vector<std::string> prevent_destroy_refusals(const Stack& stack,
                                                  const std::vector<std::size_t>& selected) {
  std::vector<std::string> out;
  for (std::size_t i : selected) {
    const Layer& l = stack.layer(i);
    if (l.kind != LayerKind::Terragrunt) continue;
    const auto file = stack.dirs[i] / "terragrunt.hcl";
    auto text = read_text_file(file);
    if (!text) continue;
    HclModule unit;
    std::string error;
    parse_hcl(*text, unit, error);  // a syntax error is terragrunt's to report when it runs
    if (!unit.prevent_destroy) continue;
    out.push_back(l.name + ": " + file.string() +
                  " sets prevent_destroy = true, so terragrunt would refuse to destroy it; "
                  "remove that line, or leave " +
                  l.name + " out with --exclude " + l.name);
  }
  return out;
}

}  // namespace stackctl
