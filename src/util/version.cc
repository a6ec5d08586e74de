#include "stackctl/util/version.h"

namespace stackctl {

const char* version() { return STACKCTL_VERSION; }

}  // namespace stackctl
