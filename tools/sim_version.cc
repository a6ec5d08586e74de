// The version terragrunt-sim reports as its own build (separate from the terragrunt version it
// emulates, which TERRAGRUNT_SIM_VERSION sets).
extern const char* const kTerragruntSimBuild;
const char* const kTerragruntSimBuild = STACKCTL_VERSION;
