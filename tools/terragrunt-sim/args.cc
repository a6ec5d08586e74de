// Terragrunt's own flags are picked out of the command line; everything else goes to terraform.
#include "args.h"

#include <cstring>

namespace tgsim {
namespace {

enum class FlagKind { Bool, Value };

/// One terragrunt flag: its new name and, where it had one, its `--terragrunt-*` name.
struct FlagSpec {
  const char* name;
  const char* legacy;
  FlagKind kind;
};

const FlagSpec kFlags[] = {
    {"non-interactive", "terragrunt-non-interactive", FlagKind::Bool},
    {"working-dir", "terragrunt-working-dir", FlagKind::Value},
    {"config", "terragrunt-config", FlagKind::Value},
    {"log-disable", "terragrunt-log-disable", FlagKind::Bool},
    {"tf-forward-stdout", "terragrunt-forward-tf-stdout", FlagKind::Bool},
    {"log-level", "terragrunt-log-level", FlagKind::Value},
    {"log-format", "terragrunt-log-format", FlagKind::Value},
    {"no-color", "terragrunt-no-color", FlagKind::Bool},
    {"parallelism", "terragrunt-parallelism", FlagKind::Value},
    {"source", "terragrunt-source", FlagKind::Value},
    {"source-update", "terragrunt-source-update", FlagKind::Bool},
    {"tf-path", "terragrunt-tfpath", FlagKind::Value},
    {"no-auto-init", "terragrunt-no-auto-init", FlagKind::Bool},
    {"no-auto-retry", "terragrunt-no-auto-retry", FlagKind::Bool},
    {"queue-include-external", "terragrunt-include-external-dependencies", FlagKind::Bool},
    {"queue-exclude-external", "terragrunt-ignore-external-dependencies", FlagKind::Bool},
    {"strict-mode", nullptr, FlagKind::Bool},
    {"destroy-dependencies-check", nullptr, FlagKind::Bool},
    {"no-destroy-dependencies-check", "terragrunt-no-destroy-dependencies-check", FlagKind::Bool},
    {"all", nullptr, FlagKind::Bool},
    {"filter", nullptr, FlagKind::Value},
    {"backend-bootstrap", nullptr, FlagKind::Bool},
};

const char* const kLegacyAll[] = {"plan-all", "apply-all", "destroy-all", "output-all",
                                  "validate-all"};

struct Parser {
  const std::vector<std::string>& args;
  const SimVersion& version;
  Invocation inv;
  std::string error;
  std::size_t i = 0;

  bool fail(const std::string& message) {
    error = message;
    return false;
  }
  bool parse();
  bool parse_flag(const std::string& arg);
  bool set_flag(const FlagSpec& spec, const std::string& value, bool has_value);
  bool take_command(const std::string& word);
};

bool truthy(const std::string& v) { return v.empty() || v == "true" || v == "1"; }

bool Parser::set_flag(const FlagSpec& spec, const std::string& value, bool has_value) {
  std::string name = spec.name;
  bool on = spec.kind == FlagKind::Bool ? truthy(has_value ? value : "") : true;
  if (name == "non-interactive") inv.non_interactive = on;
  if (name == "log-disable") inv.log_disable = on;
  if (name == "tf-forward-stdout") inv.forward_stdout = on;
  if (name == "strict-mode") inv.strict = on;
  if (name == "destroy-dependencies-check") inv.dependents_check = on;
  if (name == "no-destroy-dependencies-check") inv.no_dependents_check = on;
  if (name == "all") inv.all = on;
  if (name == "working-dir") inv.working_dir = value;
  if (name == "config") inv.config_file = value;
  return true;
}

// At an argument starting with "--": a terragrunt flag is consumed; anything else is left for
// terraform. Returns false only on a rejected flag.
bool Parser::parse_flag(const std::string& arg) {
  std::string body = arg.substr(2);
  std::string value;
  bool has_value = false;
  if (auto eq = body.find('='); eq != std::string::npos) {
    value = body.substr(eq + 1);
    body = body.substr(0, eq);
    has_value = true;
  }
  bool legacy = body.rfind("terragrunt-", 0) == 0;
  if (legacy && version.prefixed_flags_removed()) {
    return fail("flag provided but not defined: -" + body);
  }
  for (const FlagSpec& spec : kFlags) {
    bool is_new = body == spec.name && version.has_new_cli();
    bool is_old = spec.legacy != nullptr && body == spec.legacy;
    if (!is_new && !is_old) continue;
    if (spec.kind == FlagKind::Value && !has_value) {
      if (i + 1 >= args.size()) return fail("flag needs an argument: -" + body);
      value = args[++i];
    }
    if (is_old && version.has_new_cli()) {
      std::string replacement = std::string("--") + spec.name;
      if (spec.kind == FlagKind::Value) replacement += "=" + value;
      inv.warnings.push_back("The `--" + body +
                             "` flag is deprecated and will be removed in a future version of "
                             "Terragrunt. Use `" +
                             replacement + "` instead.");
    }
    return set_flag(spec, value, has_value);
  }
  if (legacy) return true;  // an old flag the simulator has no use for
  inv.tf_args.push_back(arg);
  return true;
}

// The first word that is not a flag: a terragrunt command or a terraform one.
bool Parser::take_command(const std::string& word) {
  if (word == "run" && version.has_new_cli()) {
    inv.command.clear();
    return true;  // the terraform command follows (after --all and an optional --)
  }
  if (word == "run-all") {
    if (version.run_all_removed()) return fail("unknown command: \"run-all\"");
    inv.all = true;
    return true;
  }
  for (const char* legacy : kLegacyAll) {
    if (word != legacy) continue;
    std::string cmd = word.substr(0, word.size() - 4);
    if (version.forwarding_removed()) return fail("unknown command: \"" + word + "\"");
    if (version.legacy_all_removed()) break;  // forwarded to terraform, which rejects it
    inv.warnings.push_back("'" + word + "' is deprecated. Running 'terragrunt run-all " + cmd +
                           "' instead. Please update your workflows to use 'terragrunt run-all " +
                           cmd + "', as '" + word + "' may be removed in the future!");
    inv.all = true;
    inv.command = cmd;
    return true;
  }
  inv.command = word;
  return true;
}

bool Parser::parse() {
  bool saw_run_all = false;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      // Everything after "--" belongs to terraform: the command first, then its arguments.
      for (++i; i < args.size(); ++i) {
        if (inv.command.empty())
          inv.command = args[i];
        else
          inv.tf_args.push_back(args[i]);
      }
      break;
    }
    if (arg == "--version" || (arg == "-v" && inv.command.empty())) {
      inv.show_version = true;
    } else if (arg == "--help" || (arg == "-h" && inv.command.empty())) {
      inv.show_help = true;
    } else if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
      if (!parse_flag(arg)) return false;
    } else if (inv.command.empty() && arg[0] != '-') {
      if (arg == "run-all") saw_run_all = true;
      if (!take_command(arg)) return false;
    } else {
      inv.tf_args.push_back(arg);
    }
  }
  if (saw_run_all && version.run_all_deprecated()) {
    inv.warnings.push_back("The `run-all " + inv.command +
                           "` command is deprecated and will be removed in a future version of "
                           "Terragrunt. Use `terragrunt run --all " +
                           inv.command + "` instead.");
  }
  return true;
}

}  // namespace

std::optional<Invocation> parse_invocation(const std::vector<std::string>& args,
                                           const SimVersion& version, std::string& error) {
  Parser parser{args, version, {}, {}, 0};
  if (!parser.parse()) {
    error = parser.error;
    return std::nullopt;
  }
  return parser.inv;
}

}  // namespace tgsim
