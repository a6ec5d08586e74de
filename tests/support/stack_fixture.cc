#include "support/stack_fixture.h"

#include <cstdlib>
#include <stdexcept>

namespace stackctl::testing {
namespace fs = std::filesystem;

StackFixture::StackFixture(const std::string& manifest_yaml, const std::string& env_yaml) {
  std::string tmpl = (fs::temp_directory_path() / "stackctl-unit-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  dir = fs::canonical(tmpl);
  fs::create_directories(dir / "envs" / "test");
  Diagnostics diags;
  manifest = parse_manifest(manifest_yaml, "layers/manifest.yaml", diags);
  manifest.root = dir;
  EnvConfig env = parse_env(env_yaml, "envs/test/env.yaml", diags);
  env.folder = dir / "envs" / "test";
  env.file = env.folder / "env.yaml";
  if (!diags.has_errors()) stack = resolve_stack(manifest, env, diags);
  if (diags.has_errors()) throw std::runtime_error(diags.str());
  graph = std::make_unique<Graph>(manifest);
}

StackFixture::~StackFixture() {
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace stackctl::testing
