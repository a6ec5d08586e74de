#pragma once
// A temporary project whose layers are real terragrunt units over real OpenTofu modules that
// need nothing from the network: the builtin terraform_data resource, the local or http backend,
// dependency blocks passing real outputs, and the usual mock-outputs setting.
//
// The tools come from the environment (.ci/real-tools builds them):
//   STACKCTL_REAL_TOFU        path of tofu
//   STACKCTL_REAL_TERRAGRUNT  path of the terragrunt under test
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/scenario.h"

namespace stackctl::testing {

/// The real tools under test, or nullopt (with the reason) when they are not on this machine.
struct RealTools {
  std::string tofu;
  std::string terragrunt;
  int minor = 0;  ///< terragrunt's minor version (0.72 -> 72; 1.x -> 1000 + minor)
};
std::optional<RealTools> real_tools(std::string& why_not);

/// The http state server of the suite (tests/real/http_backend.py), on 127.0.0.1.
class HttpBackend {
 public:
  explicit HttpBackend(const std::filesystem::path& data_dir);
  ~HttpBackend();
  int port() const { return port_; }
  /// Makes every state write wait this long (0: none).
  void delay_writes(int seconds) const;
  /// The stored state of a unit (null when none) and whether its lock is held.
  nlohmann::json state(const std::string& unit) const;
  bool locked(const std::string& unit) const;

 private:
  std::filesystem::path dir_;
  int pid_ = -1;
  int port_ = 0;
};

/// One layer of a real project: a terragrunt unit over the module modules/node.
struct RealLayer {
  std::string name;
  std::vector<std::string> deps;
  std::string protect = "none";
  int sleep_s = 0;             ///< local-exec sleep while the resource is created
  std::string revision = "1";  ///< changing it replaces the resource (triggers_replace)
  std::string note = "";       ///< changing it changes an output only
  bool prevent_destroy = false;
  bool forget_on_replace = false;  ///< lifecycle { destroy = false }: replace = forget + create
};

class RealProject : public Scenario {
 public:
  /// backend_port 0: the local backend (state under state/<layer>/), else the http backend.
  RealProject(const RealTools& tools, std::vector<RealLayer> layers, int backend_port = 0);

  /// Runs stackctl against the real terragrunt (STACKCTL_TERRAGRUNT) and tofu.
  Outcome stackctl(const std::vector<std::string>& args,
                   std::map<std::string, std::string> env = {}) const;
  std::unique_ptr<Background> start_stackctl(const std::vector<std::string>& args) const;
  /// Runs the real terragrunt by hand in a layer's folder.
  Outcome terragrunt(const std::string& layer, const std::vector<std::string>& args) const;

  /// Rewrites one layer's unit (after changing its settings).
  void update(const RealLayer& layer);
  const RealLayer& layer(const std::string& name) const;

  /// The local backend's state of a layer (null when it has none) and whether it is locked.
  nlohmann::json state(const std::string& layer) const;
  bool lock_left(const std::string& layer) const;
  /// Addresses of the managed resources in the layer's local state.
  std::vector<std::string> resources(const std::string& layer) const;
  /// Text of the newest run log of a layer action (`app.apply`), "" when none.
  std::string last_log(const std::string& layer_action) const;
  /// Waits (up to 120 s) until text appears in the newest log of layer_action.
  bool wait_for_log(const std::string& layer_action, const std::string& text) const;
  /// The journal's records, one JSON object per line.
  std::vector<nlohmann::json> journal() const;
  /// The last journaled result of a layer ("ok", "interrupted", ...), "" when none.
  std::string last_result(const std::string& layer) const;

  std::map<std::string, std::string> tool_env() const;

 private:
  void write_unit(const RealLayer& layer);
  RealTools tools_;
  std::vector<RealLayer> layers_;
  int backend_port_ = 0;
};

/// How many times text occurs in haystack.
int count_of(const std::string& haystack, const std::string& text);

}  // namespace stackctl::testing
