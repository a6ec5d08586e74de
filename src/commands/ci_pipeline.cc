// What every generated pipeline shares: which layers become jobs, what each waits for, which
// secrets it reads, and the matrix for custom pipelines.
#include "stackctl/commands/ci_pipeline.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "ci_common.h"
#include "stackctl/util/version.h"

namespace stackctl {

namespace {

bool has_kind(const std::vector<LayerKind>& kinds, LayerKind k) {
  return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

// The nearest layers in `jobs` that i depends on, looking through every other layer.
std::vector<std::size_t> nearest_needs(const Graph& g, const std::vector<bool>& jobs,
                                       std::size_t i) {
  std::vector<bool> seen(g.size(), false), need(g.size(), false);
  std::vector<std::size_t> stack(g.deps(i).begin(), g.deps(i).end());
  while (!stack.empty()) {
    std::size_t d = stack.back();
    stack.pop_back();
    if (seen[d]) continue;
    seen[d] = true;
    if (jobs[d]) {
      need[d] = true;
      continue;
    }
    stack.insert(stack.end(), g.deps(d).begin(), g.deps(d).end());
  }
  std::vector<std::size_t> out;
  for (std::size_t d = 0; d < g.size(); ++d)
    if (need[d]) out.push_back(d);
  return out;
}

}  // namespace

std::vector<PipelineJob> pipeline_jobs(const PipelineInput& in,
                                       const std::vector<LayerKind>& kinds) {
  std::vector<bool> jobs(in.stack.size(), false);
  for (std::size_t i : in.selected)
    if (has_kind(kinds, in.stack.layer(i).kind) &&
        (in.stack.layer(i).kind != LayerKind::Manual || pending_gate(in, i)))
      jobs[i] = true;
  std::vector<PipelineJob> out;
  for (std::size_t i = 0; i < jobs.size(); ++i)
    if (jobs[i]) out.push_back({i, nearest_needs(in.graph, jobs, i)});
  return out;
}

std::vector<std::string> secret_names(const Stack& stack, std::size_t layer) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  };
  for (const auto& v : stack.env.require_env) add(v);
  for (const auto& v : stack.layer(layer).needs_env) add(v);
  return out;
}

bool pending_gate(const PipelineInput& in, std::size_t layer) {
  return in.stack.layer(layer).kind == LayerKind::Manual &&
         !in.confirmed.count(in.stack.layer(layer).name);
}

std::string setup_script(const std::string& add_path) {
  return R"SH(set -euo pipefail
# stackctl, terragrunt and OpenTofu, each installed only when missing from $STACKCTL_TOOLS; jq for
# the jobs that read the CI system's API.
bin=${STACKCTL_TOOLS:-$HOME/.stackctl-tools}/bin
mkdir -p "$bin"
sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
if ! "$bin/stackctl" --version >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates curl unzip jq git cmake g++ make \
    libcli11-dev libyaml-cpp-dev nlohmann-json3-dev libspdlog-dev libboost-dev libboost-filesystem-dev
fi
if ! "$bin/stackctl" --version >/dev/null 2>&1; then
  src=$(mktemp -d)
  git clone -q --depth 1 --branch "$STACKCTL_REF" "$STACKCTL_GIT" "$src"
  cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$src/build" -j"$(nproc)" --target stackctl
  cp "$src/build/stackctl" "$bin/stackctl"
fi
if [ ! -x "$bin/terragrunt" ]; then
  url=https://github.com/gruntwork-io/terragrunt/releases/download/$TERRAGRUNT_VERSION
  curl -fsSL -o "$bin/terragrunt_linux_amd64" "$url/terragrunt_linux_amd64"
  curl -fsSL "$url/SHA256SUMS" | grep ' terragrunt_linux_amd64$' | (cd "$bin" && sha256sum -c -)
  chmod +x "$bin/terragrunt_linux_amd64" && mv "$bin/terragrunt_linux_amd64" "$bin/terragrunt"
fi
if [ ! -x "$bin/tofu" ]; then
  v=${TOFU_VERSION#v}
  url=https://github.com/opentofu/opentofu/releases/download/$TOFU_VERSION
  curl -fsSL -o "$bin/tofu_${v}_linux_amd64.zip" "$url/tofu_${v}_linux_amd64.zip"
  curl -fsSL "$url/tofu_${v}_SHA256SUMS" | grep " tofu_${v}_linux_amd64.zip\$" | (cd "$bin" && sha256sum -c -)
  unzip -q -o "$bin/tofu_${v}_linux_amd64.zip" tofu -d "$bin" && rm "$bin/tofu_${v}_linux_amd64.zip"
fi
)SH" + add_path +
         R"SH(
"$bin/stackctl" --version && "$bin/terragrunt" --version && "$bin/tofu" version
)SH";
}

std::string github_secret_name(const std::string& variable) {
  std::string upper;
  for (char c : variable) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return upper.rfind("GITHUB_", 0) == 0 ? "STACKCTL_" + variable : variable;
}

nlohmann::json ci_matrix(const PipelineInput& in) {
  nlohmann::json include = nlohmann::json::array();
  for (const auto& job : pipeline_jobs(in, {LayerKind::Terragrunt, LayerKind::Command})) {
    std::vector<std::string> needs;
    for (std::size_t d : job.needs) needs.push_back(in.stack.layer(d).name);
    const Layer& l = in.stack.layer(job.layer);
    include.push_back({{"layer", l.name},
                       {"needs", needs},
                       {"tier", l.tier},
                       {"protect", ci::protection(in, job.layer)},
                       {"kind", to_string(l.kind)}});
  }
  return {{"include", include}};
}

namespace ci {

std::string protection(const PipelineInput& in, std::size_t layer) {
  if (in.stack.protect[layer] != Protect::None) return to_string(in.stack.protect[layer]);
  return in.pins[layer].pinned ? "pinned" : "none";
}

std::vector<std::string> protection_comment(const PipelineInput& in, std::size_t layer) {
  const std::string& name = in.stack.layer(layer).name;
  if (in.stack.layer(layer).kind == LayerKind::Manual) return {};
  if (in.stack.protect[layer] == Protect::Data)
    return {name + " is protected (data): apply refuses a plan that deletes or replaces any of its",
            "resources, and this pipeline never destroys it."};
  if (in.stack.protect[layer] == Protect::Keep)
    return {name + " is protected (keep): this pipeline never destroys it."};
  if (in.pins[layer].pinned)
    return {name + " is pinned: " + in.stack.layer(in.pins[layer].by).name +
            " is protected and depends on it; this pipeline never destroys it."};
  return {};
}

std::string shell_word(const std::string& s) {
  bool safe = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '/' || c == '=' || c == ',';
  });
  if (safe) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string stackctl_command(const PipelineInput& in, const std::string& action,
                             std::size_t layer) {
  std::string cmd = "stackctl " + action + " --env " + shell_word(in.stack.env.name) + " --only " +
                    shell_word(in.stack.layer(layer).name);
  return action == "apply" ? cmd + " --yes" : cmd;
}

std::vector<std::pair<std::string, std::string>> tool_versions(const PipelineOptions& options) {
  return {{"STACKCTL_GIT", options.stackctl_git},
          {"STACKCTL_REF",
           options.stackctl_ref.empty() ? std::string("v") + version() : options.stackctl_ref},
          {"TERRAGRUNT_VERSION", options.terragrunt_version},
          {"TOFU_VERSION", options.tofu_version}};
}

std::string apply_reviewed(const PipelineInput& in, std::size_t layer) {
  const std::string& name = in.stack.layer(layer).name;
  return "code=0\n"
         "if [ -f reviewed/" +
         name +
         "/summary.json ]; then\n"
         "  stackctl apply --env " +
         shell_word(in.stack.env.name) + " --only " + shell_word(name) + " --plan-dir reviewed/" +
         name +
         " --yes 2>apply.err || code=$?\n"
         "  cat apply.err >&2\n"
         "  # Stale (exit 3), or not saved (exit 64: the plan was provisional): plan again below.\n"
         "  { [ \"$code\" -eq 3 ] && grep -q ' is stale: ' apply.err; } ||\n"
         "    { [ \"$code\" -eq 64 ] && grep -q ' has no saved plan in ' apply.err; } || exit "
         "\"$code\"\n"
         "fi\n";
}

std::vector<std::string> header(const PipelineOptions& options, const PipelineInput& in) {
  std::string by = options.generated_by.empty() ? "stackctl ci" : options.generated_by;
  std::vector<std::string> out{
      "Generated by `" + by + "`: one job per layer of env " + in.stack.env.name + ".",
      "Regenerate it after changing the layer manifest or the env's env.yaml, or confirming a "
      "gate.",
      "Pull/merge requests plan the layers; the default branch applies them. No job destroys."};
  std::string confirmed;
  for (std::size_t i : in.selected)
    if (in.stack.layer(i).kind == LayerKind::Manual && !pending_gate(in, i))
      confirmed += (confirmed.empty() ? "" : ", ") + in.stack.layer(i).name;
  if (!confirmed.empty())
    out.push_back("Confirmed manual steps, not in the pipeline: " + confirmed + ".");
  return out;
}

}  // namespace ci

}  // namespace stackctl
