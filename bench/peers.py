"""The peer benchmark: stackctl against `terragrunt run --all` on the same stacks of real
terragrunt units over OpenTofu's builtin `terraform_data`, at the same parallelism, in one run.

Imported by bench/run (`bench/run --only peers`); see docs/performance.md.

Every unit is one `terraform_data` resource with a `local-exec` provisioner that sleeps while it
is created: 0 s in the `zero` profile (what is left is the tools' own overhead), and a realistic
profile scaled down by `--pace` (RDS, CloudFront and Elasticsearch the longest). State is local,
one file per unit, written through a `remote_state` block as the rehearsal env does.
"""
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = "bench"
TOOLS = os.environ.get("STACKCTL_TOOLS_DIR", os.path.expanduser("~/.cache/stackctl-tools"))

# Seconds of a create at pace 1 (the rehearsal's slow layers, tools/rehearsal/generate); every
# other unit takes DEFAULT_SECONDS.
SLOW_SECONDS = {"nat": 5, "rds-app": 20, "lb-public": 5, "cloudfront-public-web": 20,
                "cloudfront-app-assets": 20, "elasticsearch-app": 20}
DEFAULT_SECONDS = 2

MODULE = """variable "layer" {
  type = string
}

variable "upstream" {
  type    = map(string)
  default = {}
}

variable "sleep_seconds" {
  type    = number
  default = 0
}

variable "revision" {
  type    = string
  default = ""
}

resource "terraform_data" "this" {
  input = {
    layer    = var.layer
    upstream = var.upstream
    revision = var.revision
  }

  provisioner "local-exec" {
    command = "sleep ${var.sleep_seconds}"
  }
}

output "id" {
  value = terraform_data.this.id
}
"""

ROOT_HCL = """remote_state {
  backend = "local"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    path = "${get_parent_terragrunt_dir()}/.state/${path_relative_to_include()}/terraform.tfstate"
  }
}
"""


class Unit:
    def __init__(self, name, deps, seconds, protect=None):
        self.name, self.deps, self.seconds, self.protect = name, list(deps), seconds, protect


# ---- stacks ---------------------------------------------------------------------------------

def rehearsal_stack(stackctl, pace):
    """The rehearsal env's layer set and dependencies, read through stackctl itself."""
    def doc(args):
        p = subprocess.run([stackctl, "--output", "json"] + args, cwd=ROOT, capture_output=True,
                           text=True)
        if p.returncode != 0:
            sys.exit("bench: stackctl %s exited %d\n%s" % (" ".join(args), p.returncode, p.stderr))
        return json.loads(p.stdout)
    listed = doc(["list", "--env", "rehearsal"])
    graph = doc(["graph", "--env", "rehearsal", "--format", "json"])
    units = [l for l in listed if l["enabled"] and l["kind"] == "terragrunt"]
    names = {l["name"] for l in units}
    deps = {n: [] for n in names}
    for e in graph["edges"]:
        if e["to"] in names and e["from"] in names:
            deps[e["to"]].append(e["from"])
    out = []
    for l in units:
        protect = l.get("protection") if l.get("protection") in ("data", "keep") else None
        secs = SLOW_SECONDS.get(l["name"], DEFAULT_SECONDS) * pace
        out.append(Unit(l["name"], [d for d in (x["name"] for x in units) if d in deps[l["name"]]],
                        secs, protect))
    return out


def layered_stack(count, pace, seed=42):
    """count units (at least 60) shaped as a layered AWS app: account and network foundations,
    one database chain (security group, RDS, its proxy) and search, a load balancer and two
    CloudFront distributions deep in the graph, then one group of short units per service (ECR
    repository, IAM role, queue, bucket, security group, the ECS service on the cluster, the load
    balancer and sometimes the database, alarms, a DNS record), and dashboards over the services
    to fill up to count. Buckets, tables and databases are data or keep units. Manifest order is
    the order below: foundations first, the services after them."""
    import random
    rnd = random.Random(seed)
    units = []

    def add(name, deps, secs=DEFAULT_SECONDS, protect=None):
        units.append(Unit(name, deps, secs * pace, protect))

    for n, deps, secs, protect in [
            ("dns-zone", [], 2, "keep"), ("kms-main", [], 2, "keep"), ("kms-logs", [], 2, "keep"),
            ("iam-baseline", [], 2, None), ("s3-logs", ["kms-logs"], 2, "data"),
            ("cloudtrail", ["s3-logs", "kms-logs"], 2, None), ("guardduty", [], 2, None),
            ("config-rules", ["s3-logs"], 2, None), ("acm-certs", ["dns-zone"], 2, None),
            ("vpc", [], 2, None), ("subnets-public", ["vpc"], 2, None),
            ("subnets-private", ["vpc"], 2, None), ("nat", ["subnets-public"], 5, None),
            ("flow-logs", ["vpc", "s3-logs"], 2, None), ("vpc-endpoints", ["subnets-private"], 2, None),
            ("sg-db", ["vpc"], 2, None), ("sg-search", ["vpc"], 2, None), ("sg-lb", ["vpc"], 2, None),
            ("rds-app", ["subnets-private", "sg-db", "kms-main"], 20, "data"),
            ("rds-proxy", ["rds-app", "iam-baseline"], 2, None),
            ("elasticsearch-app", ["subnets-private", "sg-search", "kms-main"], 20, "data"),
            ("elasticache-sessions", ["subnets-private", "sg-db"], 5, None),
            ("s3-web", ["kms-main"], 2, "data"), ("s3-assets", ["kms-main"], 2, "data"),
            ("waf", [], 2, None),
            ("lb-public", ["subnets-public", "sg-lb", "acm-certs", "nat"], 5, None),
            ("ecs-cluster", ["subnets-private", "iam-baseline", "vpc-endpoints"], 2, None)]:
        add(n, deps, secs, protect)
    services = []
    k = 0
    while count - len(units) >= 8 + 4 + 3:  # room for a service, the web tail and a dashboard
        svc = "svc%02d" % k
        k += 1
        add("ecr-" + svc, ["kms-main"])
        add("iam-" + svc, ["iam-baseline"])
        add("sqs-" + svc, ["kms-main"])
        add("s3-" + svc, ["kms-main"], protect="keep" if k % 2 else None)
        add("sg-" + svc, ["vpc", "sg-lb"])
        deps = ["ecs-cluster", "lb-public", "ecr-" + svc, "iam-" + svc, "sqs-" + svc,
                "s3-" + svc, "sg-" + svc]
        if k == 1 or rnd.random() < 0.4:
            deps.append("rds-proxy")
        if rnd.random() < 0.2:
            deps.append("elasticsearch-app")
        if rnd.random() < 0.3:
            deps.append("elasticache-sessions")
        add("ecs-" + svc, deps)
        add("alarms-" + svc, ["ecs-" + svc])
        add("dns-" + svc, ["ecs-" + svc, "dns-zone"])
        services.append(svc)
    # The web front: the first service behind CloudFront, the assets on their own distribution.
    add("cloudfront-public-web", ["ecs-" + services[0], "waf", "acm-certs", "s3-web"], 20)
    add("cloudfront-app-assets", ["s3-assets", "acm-certs"], 20)
    add("dns-public-web", ["cloudfront-public-web", "dns-zone"])
    add("synthetics-public-web", ["dns-public-web"])
    d = 0
    while len(units) < count:
        add("dashboard-%02d" % d, sorted({"alarms-" + rnd.choice(services) for _ in range(3)}))
        d += 1
    return units


def with_profile(units, profile):
    return [Unit(u.name, u.deps, 0.0 if profile == "zero" else u.seconds, u.protect)
            for u in units]


# ---- the project ----------------------------------------------------------------------------

def unit_hcl(u, revision=""):
    out = ['include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\n',
           'terraform {\n  source = "../../../modules//unit"\n}\n']
    for d in u.deps:
        out.append('\ndependency "%s" {\n  config_path = "../%s"\n'
                   '  mock_outputs = { id = "mock-%s" }\n'
                   '  mock_outputs_allowed_terraform_commands = ["validate", "plan"]\n}\n'
                   % (d, d, d))
    out.append('\ninputs = {\n  layer = "%s"\n  sleep_seconds = %g\n  revision = "%s"\n'
               % (u.name, u.seconds, revision))
    if u.deps:
        out.append("  upstream = {\n")
        for d in u.deps:
            out.append('    "%s" = dependency.%s.outputs.id\n' % (d, d))
        out.append("  }\n")
    out.append("}\n")
    return "".join(out)


def write_project(root, units):
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(os.path.join(root, "layers"))
    os.makedirs(os.path.join(root, "modules", "unit"))
    with open(os.path.join(root, "modules", "unit", "main.tf"), "w") as f:
        f.write(MODULE)
    lines = ["version: 1", "layers:"]
    for u in units:
        lines.append("  - name: " + u.name)
        if u.deps:
            lines.append("    depends_on: [" + ", ".join(u.deps) + "]")
        if u.protect:
            lines.append("    protect: " + u.protect)
    with open(os.path.join(root, "layers", "manifest.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")
    env_dir = os.path.join(root, "envs", ENV)
    os.makedirs(env_dir)
    with open(os.path.join(env_dir, "env.yaml"), "w") as f:
        f.write("name: bench\n")
    with open(os.path.join(env_dir, "root.hcl"), "w") as f:
        f.write(ROOT_HCL)
    for u in units:
        os.makedirs(os.path.join(env_dir, u.name))
        set_revision(env_dir, u, "")
    return env_dir


def set_revision(env_dir, unit, revision):
    with open(os.path.join(env_dir, unit.name, "terragrunt.hcl"), "w") as f:
        f.write(unit_hcl(unit, revision))


def forget_everything(root, env_dir):
    """No state, no .terragrunt-cache, no journal: a stack never applied."""
    shutil.rmtree(os.path.join(env_dir, ".state"), ignore_errors=True)
    shutil.rmtree(os.path.join(root, ".stackctl"), ignore_errors=True)
    for name in os.listdir(env_dir):
        shutil.rmtree(os.path.join(env_dir, name, ".terragrunt-cache"), ignore_errors=True)


def forget_state(env_dir):
    """No state and no .terragrunt-cache; stackctl's journal stays (its durations)."""
    shutil.rmtree(os.path.join(env_dir, ".state"), ignore_errors=True)
    for name in os.listdir(env_dir):
        shutil.rmtree(os.path.join(env_dir, name, ".terragrunt-cache"), ignore_errors=True)


def depth(units):
    d = {}
    for u in units:
        d[u.name] = 1 + max((d[x] for x in u.deps), default=0)
    return d


def closure(units, names):
    """names and everything they depend on."""
    by = {u.name: u for u in units}
    out, todo = set(), list(names)
    while todo:
        n = todo.pop()
        if n not in out:
            out.add(n)
            todo.extend(by[n].deps)
    return out


# ---- running --------------------------------------------------------------------------------

class Tools:
    def __init__(self, stackctl, terragrunt, tofu):
        self.stackctl, self.terragrunt, self.tofu = stackctl, terragrunt, tofu
        self.env = dict(os.environ, NO_COLOR="1", TF_IN_AUTOMATION="1", TG_TF_PATH=tofu,
                        STACKCTL_TERRAGRUNT=terragrunt, TG_NON_INTERACTIVE="true")
        cfg = self.env.get("TF_CLI_CONFIG_FILE")
        if cfg is not None and not os.path.isfile(cfg):
            del self.env["TF_CLI_CONFIG_FILE"]  # tofu would warn on stdout and confuse terragrunt

    def version(self, argv):
        p = subprocess.run(argv, capture_output=True, text=True, env=self.env)
        return (p.stdout + p.stderr).strip().splitlines()[0]

    def run(self, argv, cwd, ok=(0,)):
        t0 = time.monotonic()
        p = subprocess.run(argv, cwd=cwd, env=self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wall = time.monotonic() - t0
        if p.returncode not in ok:
            sys.exit("bench: %s (in %s) exited %d\n%s" % (" ".join(argv), cwd, p.returncode,
                                                          p.stdout.decode(errors="replace")[-3000:]))
        return wall

    # terragrunt run --all, from the env folder
    def tg_all(self, env_dir, command, n, filters=()):
        argv = [self.terragrunt, "run", "--all", "--non-interactive", "--parallelism", str(n)]
        for f in filters:
            argv += ["--filter", f]
        return self.run(argv + ["--", command], env_dir)

    def tg_unit(self, env_dir, unit, command_args, ok=(0,)):
        return self.run([self.terragrunt] + command_args, os.path.join(env_dir, unit), ok)

    def sc(self, root, args, n, ok=(0,)):
        return self.run([self.stackctl, args[0], "--env", ENV, "--parallelism", str(n)] + args[1:],
                        root, ok)


# ---- the scenarios --------------------------------------------------------------------------

def measure(label, repeat, peers, rows, key):
    """Runs each peer once per round, interleaved, and keeps each one's best time. The first
    peer is the one compared against (terragrunt), the second is stackctl's."""
    best = {}
    for _ in range(repeat):
        for name, fn in peers:
            t = fn()
            best[name] = min(best.get(name, t), t)
    rows.append((key, label, [name for name, _ in peers], best))
    return best


def scenarios(tools, root, env_dir, units, n, repeat, rows, key, only):
    journal = os.path.join(root, ".stackctl", ENV, "journal.jsonl")
    saved_journal = os.path.join(root, "journal-of-a-bring-up.jsonl")
    low = units[0]  # the first unit: everything else may depend on it
    deep = max(units, key=lambda u: depth(units)[u.name])
    keep = closure(units, [u.name for u in units if u.protect])
    revision = [0]

    def bump(unit):
        revision[0] += 1
        set_revision(env_dir, unit, "r%d" % revision[0])

    def tg_fresh():
        forget_state(env_dir)
        return tools.tg_all(env_dir, "apply", n)

    def sc_fresh_no_journal():
        forget_everything(root, env_dir)
        t = tools.sc(root, ["apply", "--yes"], n)
        shutil.copyfile(journal, saved_journal)
        return t

    def sc_fresh():
        # The journal of an earlier bring-up of this stack: its durations order the start.
        forget_state(env_dir)
        os.makedirs(os.path.dirname(journal), exist_ok=True)
        shutil.copyfile(saved_journal, journal)
        return tools.sc(root, ["apply", "--yes"], n)

    if "fresh" in only:
        first = {"stackctl (no journal)": sc_fresh_no_journal()}
        best = measure("fresh bring-up", repeat,
                       [("terragrunt run --all apply", tg_fresh), ("stackctl apply", sc_fresh)],
                       rows, key)
        best.update(first)
    else:
        forget_everything(root, env_dir)
        tools.sc(root, ["apply", "--yes"], n)

    if "reapply" in only:
        measure("re-apply, nothing changed", repeat,
                [("terragrunt run --all apply", lambda: tools.tg_all(env_dir, "apply", n)),
                 ("stackctl apply", lambda: tools.sc(root, ["apply", "--yes"], n)),
                 ("stackctl apply --skip-unchanged",
                  lambda: tools.sc(root, ["apply", "--yes", "--skip-unchanged"], n))],
                rows, key)
        measure("re-apply, one low layer changed", repeat,
                [("terragrunt run --all apply", lambda: (bump(low), tools.tg_all(env_dir, "apply", n))[1]),
                 ("stackctl apply", lambda: (bump(low), tools.sc(root, ["apply", "--yes"], n))[1]),
                 ("stackctl apply --skip-unchanged",
                  lambda: (bump(low), tools.sc(root, ["apply", "--yes", "--skip-unchanged"], n))[1])],
                rows, key)

    if "plan" in only:
        measure("plan everything", repeat,
                [("terragrunt run --all plan", lambda: tools.tg_all(env_dir, "plan", n)),
                 ("stackctl plan", lambda: tools.sc(root, ["plan"], n))],
                rows, key)
        measure("plan one layer deep in the graph (%s, depth %d)" % (deep.name, depth(units)[deep.name]),
                repeat,
                [("terragrunt plan (in its folder)",
                  lambda: tools.tg_unit(env_dir, deep.name, ["plan", "-input=false"])),
                 ("stackctl plan --only", lambda: tools.sc(root, ["plan", "--only", deep.name], n)),
                 ("terragrunt run --all plan --filter",
                  lambda: tools.tg_all(env_dir, "plan", n, ["./" + deep.name]))],
                rows, key)

    if "destroy" in only:
        def tg_destroy():
            t = tools.tg_all(env_dir, "destroy", n, ["!./" + k for k in sorted(keep)])
            tools.sc(root, ["apply", "--yes"], n)  # back up for the next peer, not timed
            return t

        def sc_destroy():
            t = tools.sc(root, ["destroy", "--yes"], n)
            tools.sc(root, ["apply", "--yes"], n)
            return t
        measure("destroy all but the data (%d of %d units kept)" % (len(keep), len(units)), repeat,
                [("terragrunt run --all destroy (data excluded)", tg_destroy),
                 ("stackctl destroy", sc_destroy)], rows, key)


def report(rows, tools, repeat):
    print("\n## peers: stackctl against terragrunt run --all (best of %d, same run)\n" % repeat)
    print("%s; %s; %s\n" % (tools.version([tools.terragrunt, "--version"]),
                            tools.version([tools.tofu, "version"]),
                            tools.version([tools.stackctl, "--version"])))
    print("| stack | profile | N | scenario | terragrunt | stackctl | ratio | other |")
    print("|---|---|---|---|---|---|---|---|")
    for (stack, profile, n), label, names, best in rows:
        tg, sc = best[names[0]], best[names[1]]
        other = ", ".join("%s %.2fs (%.2f)" % (k, v, v / tg) for k, v in best.items()
                          if k not in names[:2])
        print("| %s | %s | %d | %s | %.2fs | %.2fs | **%.2f** | %s |"
              % (stack, profile, n, label, tg, sc, sc / tg, other))
        sys.stdout.flush()


def peers(stackctl, work, repeat, opts):
    tg = opts.terragrunt or os.path.join(TOOLS, "terragrunt-v1.1.3", "terragrunt")
    tofu = opts.tofu or os.path.join(TOOLS, "tofu-v1.12.6", "tofu")
    for tool in (tg, tofu):
        if not os.access(tool, os.X_OK):
            sys.exit("bench: the peer benchmark needs the real tools; %s is missing "
                     "(bash .ci/real-tools builds them)" % tool)
    tools = Tools(stackctl, tg, tofu)
    only = opts.scenarios.split(",")
    rows = []
    for stack in opts.stacks.split(","):
        base = (rehearsal_stack(stackctl, opts.pace) if stack == "rehearsal"
                else layered_stack(int(stack), opts.pace))
        for profile in opts.profiles.split(","):
            units = with_profile(base, profile)
            for n in (int(x) for x in opts.parallelism.split(",")):
                root = os.path.join(work, "peers")
                env_dir = write_project(root, units)
                label = "%s (%d units)" % (stack, len(units))
                print("bench: %s, %s, N=%d ..." % (label, profile, n), file=sys.stderr)
                scenarios(tools, root, env_dir, units, n, repeat, rows,
                          (label, profile if profile == "zero" else "realistic x%g" % opts.pace, n),
                          only)
    report(rows, tools, repeat)
