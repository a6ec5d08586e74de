// One libFuzzer target: STACKCTL_FUZZ_TARGET names the entry point of targets.h it drives
// (CMake builds this file once per target: fuzz_manifest, fuzz_env, ...).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "targets.h"

#ifndef STACKCTL_FUZZ_TARGET
#error "define STACKCTL_FUZZ_TARGET to the name of a target in targets.h"
#endif

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  (void)stackctl::fuzz::Scratch::get();  // the scratch project, made once before fuzzing
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto run = stackctl::fuzz::targets().at(STACKCTL_FUZZ_TARGET);
  run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
