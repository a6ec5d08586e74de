#pragma once
// The layers the completion scenarios complete names from: three tiers, a manual step and an
// optional layer.
namespace stackctl::testing {

/// The manifest's layers, to follow `version: 1` (and a `tiers:` line where one is wanted).
inline constexpr const char* kCompletionLayers = R"(layers:
  - name: vpc
    tier: network
  - name: db
    tier: data
    depends_on: [vpc]
  - name: seed-data
    tier: data
    kind: manual
    depends_on: [db]
    instructions: Load the seed data.
  - name: worker
    tier: app
    optional: true
    depends_on: [vpc]
)";

}  // namespace stackctl::testing
