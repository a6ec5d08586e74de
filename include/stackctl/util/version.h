#pragma once
/// stackctl's own version, as the project declares it (CMakeLists.txt).

namespace stackctl {

/// "0.1.0".
const char* version();

}  // namespace stackctl
