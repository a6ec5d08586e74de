// bench-tg-stub: the smallest terragrunt stand-in the benchmarks need, so they measure
// stackctl's scheduling and orchestration rather than a simulator.
//
//   --version            prints `terragrunt version v0.77.0`
//   plan ... -out=FILE   sleeps the layer's duration, writes FILE, then exits 0 (no changes)
//                        or, with BENCH_STUB_CHANGES=1, 2 (changes)
//   show -json FILE      prints a plan creating one resource
//   apply / destroy      print terraform's closing line, exit 0
//
// The layer's duration in seconds is read from the file `.bench-sleep` in the working
// directory (absent: no sleep). Only plan and destroy sleep, so each layer sleeps once.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace {

double layer_seconds() {
  std::FILE* f = std::fopen(".bench-sleep", "r");
  if (!f) return 0;
  double s = 0;
  if (std::fscanf(f, "%lf", &s) != 1) s = 0;
  std::fclose(f);
  return s;
}

void sleep_for(double seconds) {
  if (seconds <= 0) return;
  timespec t{};
  t.tv_sec = static_cast<time_t>(seconds);
  t.tv_nsec = static_cast<long>((seconds - static_cast<double>(t.tv_sec)) * 1e9);
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

// Writes the plan file either way: stackctl fails a plan that exits 0 or 2 without one.
int plan(int argc, char** argv) {
  sleep_for(layer_seconds());
  for (int i = 2; i < argc; ++i) {
    if (std::strncmp(argv[i], "-out=", 5) != 0) continue;
    if (std::FILE* f = std::fopen(argv[i] + 5, "w")) {
      std::fputs("bench plan\n", f);
      std::fclose(f);
    }
  }
  const char* changes = std::getenv("BENCH_STUB_CHANGES");
  return changes && std::strcmp(changes, "1") == 0 ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 64;
  const char* cmd = argv[1];
  if (std::strcmp(cmd, "--version") == 0) {
    std::puts("terragrunt version v0.77.0");
    return 0;
  }
  if (std::strcmp(cmd, "plan") == 0) return plan(argc, argv);
  if (std::strcmp(cmd, "show") == 0) {
    std::puts(
        "{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":\"null_resource.x\","
        "\"mode\":\"managed\",\"change\":{\"actions\":[\"create\"]}}]}");
    return 0;
  }
  if (std::strcmp(cmd, "destroy") == 0) sleep_for(layer_seconds());
  if (std::strcmp(cmd, "apply") == 0) {
    std::puts("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    return 0;
  }
  if (std::strcmp(cmd, "destroy") == 0) {
    std::puts("Destroy complete! Resources: 1 destroyed.");
    return 0;
  }
  std::fprintf(stderr, "bench-tg-stub: unsupported command %s\n", cmd);
  return 64;
}
