#include "stackctl/plan/request.h"

namespace stackctl {

RunRequest run_request(Command command) {
  RunRequest req;
  req.command = command;
  req.keep_going = command == Command::Drift;
  return req;
}

}  // namespace stackctl
