#pragma once
// A manifest + env loaded from inline YAML into a Stack and Graph, for pure unit scenarios.
#include <filesystem>
#include <memory>
#include <string>

#include "stackctl/manifest/env.h"
#include "stackctl/manifest/graph.h"

namespace stackctl::testing {

struct StackFixture {
  /// Parses manifest and env YAML (env name "test") with a temporary env folder; throws
  /// std::runtime_error with the diagnostics when they are invalid.
  StackFixture(const std::string& manifest_yaml, const std::string& env_yaml = "name: test\n");
  ~StackFixture();
  std::size_t at(const std::string& name) const { return *manifest.position(name); }

  std::filesystem::path dir;
  Manifest manifest;
  Stack stack;
  std::unique_ptr<Graph> graph;
};

}  // namespace stackctl::testing
