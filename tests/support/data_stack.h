#pragma once
// The small project most end-to-end scenarios use: kms (data), vpc, sg-db, rds-app (data), app,
// in env dev, one layer at a time, each folder with a terragrunt.hcl matching the manifest.
#include "support/scenario.h"

namespace stackctl::testing {

inline const char* kDataStackManifest = R"(version: 1
tiers: [encryption, network, sg, database, app]
layers:
  - name: kms
    tier: encryption
    protect: data
  - name: vpc
    tier: network
  - name: sg-db
    tier: sg
    depends_on: [vpc]
  - name: rds-app
    tier: database
    depends_on: [sg-db, kms]
    protect: data
  - name: app
    tier: app
    depends_on: [vpc]
)";

struct DataStack : Scenario {
  DataStack() {
    manifest(kDataStackManifest);
    env("dev", "name: dev\nparallelism: 1\n");
    layer_hcl("dev", "kms", {});
    layer_hcl("dev", "vpc", {});
    layer_hcl("dev", "sg-db", {"vpc"});
    layer_hcl("dev", "rds-app", {"sg-db", "kms"});
    layer_hcl("dev", "app", {"vpc"});
  }
};

}  // namespace stackctl::testing
