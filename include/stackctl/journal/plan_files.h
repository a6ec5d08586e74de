#pragma once
/// The files a layer's plan leaves in its plan folder (the plan file, its JSON, OpenTofu's plan
/// stream), seen through one narrow interface: a LayerTask decides, this reads and writes.
#include <filesystem>
#include <string>

namespace stackctl {

/// Plan files hold the variables' values, secrets among them: every file kept or written here
/// is made 0600, whatever mode it was created with.
class PlanFiles {
 public:
  virtual ~PlanFiles() = default;
  /// True when `file` exists (a saved plan of apply --plan-dir, the plan a plan step wrote).
  virtual bool exists(const std::filesystem::path& file) = 0;
  /// Makes a file a child wrote for the user alone (0600); a missing file is left alone.
  virtual void keep_private(const std::filesystem::path& file) = 0;
  /// The file's whole text after keep_private(), or "" when it cannot be read.
  virtual std::string read_private(const std::filesystem::path& file) = 0;
  /// Writes `text` as `file` (0600): "" when it did, else `cannot write FILE: reason`.
  virtual std::string write_private(const std::filesystem::path& file, const std::string& text) = 0;
};

/// The plan files on disk.
class DiskPlanFiles : public PlanFiles {
 public:
  bool exists(const std::filesystem::path& file) override;
  void keep_private(const std::filesystem::path& file) override;
  std::string read_private(const std::filesystem::path& file) override;
  std::string write_private(const std::filesystem::path& file, const std::string& text) override;
};

/// The one DiskPlanFiles a run's tasks use unless given another.
PlanFiles& disk_plan_files();

}  // namespace stackctl
