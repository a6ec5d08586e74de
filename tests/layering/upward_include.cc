// Built only by the layering test, which expects it not to compile: the plan stage includes a
// header of the report stage, above it.
#include "stackctl/report/plan_summary.h"
