// The double against the real thing: each scenario runs the same terragrunt calls on the same
// unit folders once with the real terragrunt and OpenTofu and once with terragrunt-sim (emulating
// the same terragrunt version), and compares what a caller can observe: exit codes, whether a
// plan file was written, the plan JSON's actions, the messages stackctl reacts to. A behaviour
// the double copies cannot drift away from the real tools without one of these failing.
#include <gtest/gtest.h>

#include <pwd.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include "real/real_project.h"
#include "stackctl/journal/plan_json.h"
#include "stackctl/journal/plan_stream.h"
#include "stackctl/plan/real_state.h"
#include "stackctl/runner/step_watch.h"
#include "stackctl/util/process_group.h"

using namespace stackctl::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// One terragrunt implementation and its own copy of the unit folders.
struct Tool {
  std::string name;
  std::string binary;
  fs::path root;
  std::map<std::string, std::string> env;

  Outcome run(const std::string& unit, const std::vector<std::string>& args) const {
    return run_program(binary, args, root / unit, env);
  }
  fs::path plan_file(const std::string& unit) const { return root / (unit + ".tfplan"); }
};

// The unit folders both tools read: terragrunt.hcl (with the usual mock-outputs setting),
// main.tf for OpenTofu and sim.json for the double, describing the same resources and outputs.
void write_unit(const fs::path& root, const std::string& unit, const std::vector<std::string>& deps,
                const std::string& note, bool prevent_destroy, int apply_sleep_s = 0) {
  fs::create_directories(root / unit);
  std::string hcl = "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n";
  if (prevent_destroy) hcl += "prevent_destroy = true\n";
  for (const auto& d : deps)
    hcl += "dependency \"" + d + "\" {\n  config_path = \"../" + d +
           "\"\n  mock_outputs = {\n    id = \"mock-" + d +
           "\"\n  }\n  mock_outputs_allowed_terraform_commands = [\"validate\", \"plan\"]\n}\n";
  hcl += "inputs = {\n  note = \"" + note + "\"\n}\n";
  std::ofstream(root / unit / "terragrunt.hcl") << hcl;
  std::ofstream(root / unit / "main.tf") << "variable \"note\" {\n  type = string\n}\n"
                                            "resource \"terraform_data\" \"this\" {\n  input = \""
                                         << unit
                                         << "\"\n"
                                            "  provisioner \"local-exec\" {\n    command = \"sleep "
                                         << apply_sleep_s
                                         << "\"\n  }\n}\n"
                                            "output \"id\" {\n  value = terraform_data.this.id\n}\n"
                                            "output \"note\" {\n  value = var.note\n}\n";
  std::ofstream(root / unit / "sim.json") << json{
      {"resources", {"terraform_data.this"}},
      {"outputs",
       {{"id", unit + "-id"}, {"note", note}}}}.dump();
  if (apply_sleep_s > 0) {
    fs::create_directories(root / unit / ".terragrunt-sim");
    std::ofstream(root / unit / ".terragrunt-sim/faults.json")
        << json{{"TERRAGRUNT_SIM_SLEEP", "apply:" + std::to_string(apply_sleep_s)}}.dump();
  }
}

class Parity : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto t = real_tools(why);
    if (!t) {
      std::cerr << "\n*** REAL TOOLS MISSING: SKIPPING THE PARITY SCENARIO ***\n*** " << why
                << " ***\n\n";
      GTEST_SKIP() << why;
    }
    Outcome v = run_program(t->terragrunt, {"--version"}, fs::temp_directory_path(), {});
    const std::string text = v.out + v.err;
    version_ = text.substr(text.find("version v") + 9);
    version_ = version_.substr(0, version_.find_first_of(" \n"));
    std::string tmpl = (fs::temp_directory_path() / "stackctl-parity-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    base_ = tmpl;
    const bool old = t->minor < 73;
    std::map<std::string, std::string> common = {
        {old ? "TERRAGRUNT_NON_INTERACTIVE" : "TG_NON_INTERACTIVE", "true"},
        {"TF_IN_AUTOMATION", "1"},
        {"CHECKPOINT_DISABLE", "1"},
        {"TF_CLI_CONFIG_FILE", (base_ / "terraformrc").string()}};
    std::ofstream(base_ / "terraformrc").flush();
    real_ = {"real", t->terragrunt, base_ / "real", common};
    real_.env[old ? "TERRAGRUNT_TFPATH" : "TG_TF_PATH"] = t->tofu;
    sim_ = {"sim", TERRAGRUNT_SIM_BIN, base_ / "sim", common};
    sim_.env["TERRAGRUNT_SIM_VERSION"] = version_;
    for (const Tool* tool : {&real_, &sim_}) {
      fs::create_directories(tool->root);
      std::ofstream(tool->root / "root.hcl")
          << "generate \"backend\" {\n  path      = \"backend.tf\"\n  if_exists = "
             "\"overwrite_terragrunt\"\n"
             "  contents  = <<EOF\nterraform {\n  backend \"local\" {}\n}\nEOF\n}\n";
    }
  }
  void TearDown() override {
    if (!base_.empty() && !std::getenv("STACKCTL_KEEP_TEST_DIRS")) fs::remove_all(base_);
  }
  void unit(const std::string& name, const std::vector<std::string>& deps = {},
            const std::string& note = "one", bool prevent_destroy = false, int apply_sleep_s = 0) {
    for (const Tool* tool : {&real_, &sim_})
      write_unit(tool->root, name, deps, note, prevent_destroy, apply_sleep_s);
  }
  std::vector<const Tool*> tools() const { return {&real_, &sim_}; }

  std::string version_;
  fs::path base_;
  Tool real_, sim_;
};

std::string all(const Outcome& o) { return o.out + o.err; }

// The plan JSON on show -json's stdout (terragrunt forwards it raw).
json plan_json(const Outcome& o) {
  auto at = o.out.find('{');
  if (at == std::string::npos) return nullptr;
  json j = json::parse(o.out.substr(at), nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

// Every resource's actions and every output's actions, as "address: [..]" lines.
std::vector<std::string> actions(const json& plan) {
  std::vector<std::string> out;
  for (const auto& rc : plan.value("resource_changes", json::array()))
    out.push_back(rc.value("address", "") + ": " + rc["change"]["actions"].dump());
  const json outputs = plan.value("output_changes", json::object());
  for (const auto& [name, oc] : outputs.items())
    out.push_back("output." + name + ": " + oc["actions"].dump());
  return out;
}

}  // namespace

TEST_F(Parity, AFreshUnitPlansAppliesItsSavedPlanAndThenHasNoChanges) {
  unit("vpc");
  std::map<std::string, std::vector<std::string>> seen;
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    const std::string plan = t->plan_file("vpc").string();
    Outcome p = t->run("vpc", {"plan", "-input=false", "-detailed-exitcode", "-out=" + plan});
    EXPECT_EQ(p.exit_code, 2) << all(p);
    EXPECT_TRUE(fs::exists(plan));
    Outcome s = t->run("vpc", {"show", "-json", plan});
    EXPECT_EQ(s.exit_code, 0) << all(s);
    seen[t->name] = actions(plan_json(s));
    Outcome a = t->run("vpc", {"apply", "-input=false", plan});
    EXPECT_EQ(a.exit_code, 0) << all(a);
    EXPECT_NE(a.out.find("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."),
              std::string::npos)
        << all(a);
    Outcome again = t->run("vpc", {"plan", "-input=false", "-detailed-exitcode", "-out=" + plan});
    EXPECT_EQ(again.exit_code, 0) << all(again);
    Outcome o = t->run("vpc", {"output", "-json"});
    EXPECT_EQ(o.exit_code, 0) << all(o);
    json outputs = json::parse(o.out, nullptr, false);
    ASSERT_TRUE(outputs.is_object()) << o.out;
    EXPECT_EQ(outputs["note"]["value"], "one");
    EXPECT_TRUE(outputs.contains("id"));
  }
  EXPECT_EQ(seen["sim"], seen["real"]);
  EXPECT_EQ(seen["real"],
            (std::vector<std::string>{"terraform_data.this: [\"create\"]",
                                      "output.id: [\"create\"]", "output.note: [\"create\"]"}));
}

TEST_F(Parity, ADependentPlannedOnMocksCannotBeShownBeforeItsDependencyIsApplied) {
  unit("vpc");
  unit("app", {"vpc"});
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    const std::string plan = t->plan_file("app").string();
    Outcome p = t->run("app", {"plan", "-input=false", "-detailed-exitcode", "-out=" + plan});
    EXPECT_EQ(p.exit_code, 2) << all(p);
    Outcome s = t->run("app", {"show", "-json", plan});
    EXPECT_EQ(s.exit_code, 1) << all(s);
    EXPECT_NE(all(s).find("detected no outputs"), std::string::npos) << all(s);
  }
}

TEST_F(Parity, AnOutputOnlyChangeIsAChange) {
  unit("vpc");
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    ASSERT_EQ(t->run("vpc", {"apply", "-input=false", "-auto-approve"}).exit_code, 0);
  }
  unit("vpc", {}, "two");
  std::map<std::string, std::vector<std::string>> seen;
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    const std::string plan = t->plan_file("vpc").string();
    Outcome p = t->run("vpc", {"plan", "-input=false", "-detailed-exitcode", "-out=" + plan});
    EXPECT_EQ(p.exit_code, 2) << all(p);
    Outcome s = t->run("vpc", {"show", "-json", plan});
    ASSERT_EQ(s.exit_code, 0) << all(s);
    seen[t->name] = actions(plan_json(s));
  }
  EXPECT_EQ(seen["sim"], seen["real"]);
}

TEST_F(Parity, PreventDestroyFailsTheDestroyBeforeItStarts) {
  unit("vpc", {}, "one", true);
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    ASSERT_EQ(t->run("vpc", {"apply", "-input=false", "-auto-approve"}).exit_code, 0);
    Outcome d = t->run("vpc", {"destroy", "-input=false", "-auto-approve"});
    EXPECT_EQ(d.exit_code, 1) << all(d);
    EXPECT_NE(all(d).find("prevent_destroy"), std::string::npos) << all(d);
    Outcome o = t->run("vpc", {"output", "-json"});
    EXPECT_NE(o.out.find("\"id\""), std::string::npos) << "still applied: " << o.out;
  }
}

TEST_F(Parity, OutputOfAnUnappliedUnitIsAnEmptyObject) {
  unit("vpc");
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    Outcome o = t->run("vpc", {"output", "-json"});
    EXPECT_EQ(o.exit_code, 0) << all(o);
    json j = json::parse(o.out, nullptr, false);
    EXPECT_EQ(j, json::object()) << o.out;
  }
}

TEST_F(Parity, DestroyingANeverAppliedOrAlreadyDestroyedUnitSucceedsWithNothingToDestroy) {
  unit("vpc");
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    for (const char* when : {"never applied", "destroyed already"}) {
      SCOPED_TRACE(when);
      if (std::string(when) == "destroyed already") {
        ASSERT_EQ(t->run("vpc", {"apply", "-input=false", "-auto-approve"}).exit_code, 0);
        Outcome first = t->run("vpc", {"destroy", "-input=false", "-auto-approve"});
        ASSERT_EQ(first.exit_code, 0) << all(first);
        EXPECT_NE(first.out.find("Destroy complete! Resources: 1 destroyed."), std::string::npos)
            << all(first);
      }
      Outcome d = t->run("vpc", {"destroy", "-input=false", "-auto-approve", "-lock-timeout=30s"});
      EXPECT_EQ(d.exit_code, 0) << all(d);
      EXPECT_NE(d.out.find("No objects need to be destroyed."), std::string::npos) << all(d);
      EXPECT_NE(d.out.find("Destroy complete! Resources: 0 destroyed."), std::string::npos)
          << all(d);
    }
  }
}

TEST_F(Parity, ADestroyWhoseDependencyHoldsNothingCannotStart) {
  unit("vpc");
  unit("app", {"vpc"});
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    Outcome d = t->run("app", {"destroy", "-input=false", "-auto-approve"});
    EXPECT_EQ(d.exit_code, 1) << all(d);
    EXPECT_NE(all(d).find("detected no outputs"), std::string::npos) << all(d);
  }
}

// Before a destroy, rebuild or drift stackctl reads the state of the layers its journal would
// skip or not count, with `show -json` and no plan file (plan/real_state.h): both tools must print
// a state document that read_real_state reads the same way at every point of a unit's life.
TEST_F(Parity, ShowJsonWithoutAPlanFilePrintsTheStateEmptyBeforeAnApplyAndAfterADestroy) {
  unit("vpc");
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    Outcome never = t->run("vpc", {"show", "-json"});
    ASSERT_EQ(never.exit_code, 0) << all(never);
    EXPECT_EQ(stackctl::read_real_state(never.exit_code, never.out), stackctl::RealState::Empty)
        << never.out;
    ASSERT_EQ(t->run("vpc", {"apply", "-input=false", "-auto-approve"}).exit_code, 0);
    Outcome applied = t->run("vpc", {"show", "-json"});
    ASSERT_EQ(applied.exit_code, 0) << all(applied);
    EXPECT_EQ(stackctl::read_real_state(applied.exit_code, applied.out), stackctl::RealState::Holds)
        << applied.out;
    ASSERT_EQ(t->run("vpc", {"destroy", "-input=false", "-auto-approve"}).exit_code, 0);
    Outcome destroyed = t->run("vpc", {"show", "-json"});
    ASSERT_EQ(destroyed.exit_code, 0) << all(destroyed);
    EXPECT_EQ(stackctl::read_real_state(destroyed.exit_code, destroyed.out),
              stackctl::RealState::Empty)
        << destroyed.out;
  }
}

// The state of a unit whose dependency has no outputs cannot be shown (terragrunt builds the
// inputs first), except from terragrunt 1.1 on with the dependency outputs spared, as stackctl
// asks (spare_dependency_outputs).
TEST_F(Parity, TheStateOfADependentOfAnEmptyUnitIsShownOnlyWithTheDependencyOutputsSpared) {
  unit("vpc");
  unit("app", {"vpc"});
  auto minor = [&] {
    const int major = std::stoi(version_);
    return major * 1000 + std::stoi(version_.substr(version_.find('.') + 1));
  }();
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    Outcome plain = t->run("app", {"show", "-json"});
    EXPECT_EQ(plain.exit_code, 1) << all(plain);
    EXPECT_NE(all(plain).find("detected no outputs"), std::string::npos) << all(plain);
    if (minor < 1001) continue;
    auto env = t->env;
    env["TG_EXPERIMENT"] = "optional-dependency-outputs";
    env["TG_NO_DEPENDENCY_OUTPUTS"] = "true";
    Outcome spared = run_program(t->binary, {"show", "-json"}, t->root / "app", env);
    ASSERT_EQ(spared.exit_code, 0) << all(spared);
    EXPECT_EQ(stackctl::read_real_state(spared.exit_code, spared.out), stackctl::RealState::Empty)
        << spared.out;
  }
}

TEST_F(Parity, VersionIsPrintedTheSameWay) {
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    Outcome v = run_program(t->binary, {"--version"}, t->root, t->env);
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_NE(all(v).find("terragrunt version v" + version_), std::string::npos) << all(v);
  }
}

namespace {

// The state lock of a unit, as each tool keeps it: OpenTofu's local backend lock info file, the
// double's lock file.
// From 1.0 terragrunt runs terraform in a copy of the unit under .terragrunt-cache.
bool lock_held(const Tool& t, const std::string& unit) {
  if (t.name != "real") return fs::exists(t.root / unit / ".terragrunt-sim/lock");
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(t.root / unit, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->path().filename() == ".terraform.tfstate.lock.info") return true;
  return false;
}

struct Stopped {
  int interrupts_received = 0;  ///< terraform's "Interrupt received" lines
  int forced = 0;               ///< "Two interrupts received"
  bool lock_left = false;
  int exit_code = -1;
};

// Starts `terragrunt apply` in its own process group, waits until terraform holds the state
// lock and is working, delivers one SIGINT — to the whole group (what a terminal's Ctrl-C does
// to a plain terragrunt) or to every process of it but terragrunt (what stackctl does) — and
// reports what terraform did.
Stopped interrupt_apply(const Tool& t, bool whole_group) {
  Background run(t.binary, {"apply", "-input=false", "-auto-approve"}, t.root / "vpc", t.env);
  for (int i = 0; i < 600 && !lock_held(t, "vpc"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(lock_held(t, "vpc")) << "terraform never took its lock";
  std::this_thread::sleep_for(std::chrono::seconds(1));
  if (whole_group) {
    run.signal(SIGINT, true);
  } else {
    for (const auto& m : stackctl::process_group_members(run.pid()))
      if (m.pid != run.pid()) ::kill(m.pid, SIGINT);
  }
  Outcome o = run.wait();
  const std::string text = o.out + o.err;
  return {count_of(text, "Interrupt received"), count_of(text, "Two interrupts received"),
          lock_held(t, "vpc"), o.exit_code};
}

}  // namespace

TEST_F(Parity, AnInterruptThatSkipsTerragruntStopsTerraformOnceAndCleanly) {
  unit("vpc", {}, "one", false, 20);
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    Stopped s = interrupt_apply(*t, false);
    EXPECT_EQ(s.interrupts_received, 1);
    EXPECT_EQ(s.forced, 0);
    EXPECT_FALSE(s.lock_left);
    EXPECT_NE(s.exit_code, 0);
  }
}

TEST_F(Parity, CtrlCOnTerragruntsWholeGroupKillsTerraformInTheVersionsThatCancelIt) {
  // 0.86.0-0.97.1 SIGKILL terraform as soon as terragrunt itself sees the signal: terraform
  // never finishes its graceful stop and its lock stays. Elsewhere terraform's own stop (a
  // few seconds here) ends before terragrunt's 15 s or 30 s timers fire.
  const int minor = std::stoi(version_.substr(version_.find('.') + 1));
  const bool kills = version_.rfind("0.", 0) == 0 && minor >= 86 && minor <= 97;
  unit("vpc", {}, "one", false, 20);
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    Stopped s = interrupt_apply(*t, true);
    EXPECT_EQ(s.lock_left, kills) << "terragrunt " << version_;
    EXPECT_EQ(s.forced, 0);
    EXPECT_NE(s.exit_code, 0);
  }
}

namespace {

// `user@host` as terraform's lock info names the holder.
std::string who_am_i() {
  char host[256] = "";
  ::gethostname(host, sizeof host - 1);
  const passwd* pw = ::getpwuid(::getuid());
  return std::string(pw ? pw->pw_name : "") + "@" + host;
}

}  // namespace

// What the live board reads from a layer's output (stackctl/step_watch.h): terraform that has
// waited for its state lock says `Acquiring state lock. This may take a few moments...`, says
// nothing of the kind when the lock is free, and names the holder (`Who:`) when it gives up.
TEST_F(Parity, AWaitForAHeldStateLockIsAnnouncedAndTheHolderNamedWhenItGivesUp) {
  const std::string acquiring = "Acquiring state lock. This may take a few moments...";
  unit("vpc", {}, "one", false, 8);
  for (const Tool* t : tools()) {
    SCOPED_TRACE(t->name);
    Outcome free = t->run("vpc", {"plan", "-input=false", "-lock-timeout=5s"});
    EXPECT_EQ(free.exit_code, 0) << all(free);
    EXPECT_EQ(count_of(all(free), acquiring), 0) << "a free lock is taken without a word";

    Background holder(t->binary, {"apply", "-input=false", "-auto-approve"}, t->root / "vpc",
                      t->env);
    for (int i = 0; i < 600 && !lock_held(*t, "vpc"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(lock_held(*t, "vpc")) << "the holder never took its lock";
    Outcome waiter = t->run("vpc", {"plan", "-input=false", "-lock-timeout=2s"});
    const std::string text = all(waiter);
    EXPECT_EQ(waiter.exit_code, 1) << text;
    EXPECT_EQ(count_of(text, acquiring), 1) << text;
    EXPECT_GE(count_of(text, "Error acquiring the state lock"), 1)
        << text;              // terragrunt may repeat it
    if (t->name == "real") {  // terragrunt's automatic init, which the board shows as `init`
      EXPECT_EQ(count_of(all(free), "Initializing the backend..."), 1) << all(free);
      EXPECT_EQ(count_of(all(free), "has been successfully initialized!"), 1) << all(free);
    }

    const auto at = text.find(acquiring);
    ASSERT_NE(at, std::string::npos);
    stackctl::OutputScanner scanner;
    scanner.feed(text.substr(0, text.find('\n', at) + 1));
    EXPECT_TRUE(scanner.waiting_for_lock());
    scanner.feed(text.substr(text.find('\n', at) + 1));
    EXPECT_FALSE(scanner.waiting_for_lock()) << "the error ends the wait";
    EXPECT_EQ(scanner.lock_holder(), who_am_i()) << text;
    EXPECT_EQ(holder.wait().exit_code, 0);
  }
}

namespace {
// A summary as text: counts, replacements, deletions, resource and output changes.
std::string summary_text(const stackctl::PlanSummary& s) {
  std::string out =
      stackctl::changes_text(s.counts) + " replace " + std::to_string(s.counts.replace) + ";";
  for (const auto& d : s.deletions) out += " -" + d.address + "=" + d.action;
  for (const auto& c : s.changes)
    out += " " + c.address + "=" + c.action +
           (c.previous_address.empty() ? "" : "<" + c.previous_address);
  for (const auto& o : s.outputs) out += " " + o.address + "=" + o.action;
  return out;
}

std::string file_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
}  // namespace

// `plan -json-into` (OpenTofu 1.12+): for each plan shape the summary read from the stream is the
// one read from `show -json` of the same plan, on the real tools and on terragrunt-sim, and both
// give the same summary.
TEST_F(Parity, ThePlanStreamGivesTheSummaryTheShowGives) {
  sim_.env["TERRAGRUNT_SIM_TOFU_VERSION"] = "1.12.6";
  unit("vpc");
  // Plans vpc with extra arguments on each tool; the stream's summary, checked against the show's.
  auto plan = [&](const std::vector<std::string>& extra, bool apply) {
    std::map<std::string, std::string> seen;
    for (const Tool* t : tools()) {
      const fs::path stream = t->root / "vpc.stream.json";
      fs::remove(stream);
      std::vector<std::string> args = {"plan", "-input=false", "-detailed-exitcode",
                                       "-out=" + t->plan_file("vpc").string(),
                                       "-json-into=" + stream.string()};
      args.insert(args.end(), extra.begin(), extra.end());
      Outcome o = t->run("vpc", args);
      EXPECT_TRUE(o.exit_code == 0 || o.exit_code == 2) << t->name << ": " << all(o);
      EXPECT_EQ(fs::status(stream).permissions() & fs::perms::all,
                fs::perms::owner_read | fs::perms::owner_write)
          << t->name;
      Outcome show = t->run("vpc", {"show", "-json", t->plan_file("vpc").string()});
      std::string error;
      auto from_show = stackctl::parse_plan_json(show.out, error);
      EXPECT_TRUE(from_show) << t->name << ": " << error;
      auto from_stream = stackctl::parse_plan_stream(file_text(stream), error);
      EXPECT_TRUE(from_stream) << t->name << ": " << error << "\n" << file_text(stream);
      if (!from_show || !from_stream) return seen;
      EXPECT_EQ(summary_text(*from_stream), summary_text(*from_show)) << t->name;
      seen[t->name] = summary_text(*from_stream);
      if (apply) {
        EXPECT_EQ(t->run("vpc", {"apply", "-input=false", t->plan_file("vpc").string()}).exit_code,
                  0)
            << t->name;
      }
    }
    return seen;
  };
  auto both = [](const std::map<std::string, std::string>& seen) {
    EXPECT_EQ(seen.at("sim"), seen.at("real"));
    return seen.at("real");
  };
  EXPECT_EQ(both(plan({}, true)),
            "+1 ~0 -0 outputs 2 replace 0; terraform_data.this=create output.id=create "
            "output.note=create");
  EXPECT_EQ(both(plan({}, false)), "+0 ~0 -0 replace 0;");
  unit("vpc", {}, "two");  // an output only
  EXPECT_EQ(both(plan({}, true)), "+0 ~0 -0 outputs 1 replace 0; output.note=update");
  // The double keeps a replaced resource's id output as it was (its show says the same).
  auto replaced = plan({"-replace=terraform_data.this"}, true);
  EXPECT_EQ(replaced["real"],
            "+1 ~0 -1 outputs 1 replace 1; -terraform_data.this=replace "
            "terraform_data.this=replace output.id=update");
  EXPECT_EQ(replaced["sim"],
            "+1 ~0 -1 replace 1; -terraform_data.this=replace terraform_data.this=replace");
  for (const Tool* t : tools()) {  // the resource and its id output leave the configuration
    std::ofstream(t->root / "vpc/main.tf")
        << "variable \"note\" {\n  type = string\n}\noutput \"note\" {\n  value = var.note\n}\n";
    std::ofstream(t->root / "vpc/sim.json")
        << json{{"resources", json::array()}, {"outputs", {{"note", "two"}}}}.dump();
  }
  EXPECT_EQ(both(plan({}, false)),
            "+0 ~0 -1 outputs 1 replace 0; -terraform_data.this=delete terraform_data.this=delete "
            "output.id=delete");
}
