#pragma once
/// Writes each layer's start and end to the journal as the executor reports them.
#include <string>

#include "stackctl/executor/executor.h"
#include "stackctl/journal/journal.h"

namespace stackctl {

class JournalObserver : public RunObserver {
 public:
  JournalObserver(JournalWriter& writer, const Stack& stack, std::string run_id);
  void layer_started(std::size_t layer, Action action) override;
  void layer_finished(const LayerResult& result) override;
  void layer_retrying(const RetryNotice& notice) override;

 private:
  JournalWriter& writer_;
  const Stack& stack_;
  std::string run_id_;
};

}  // namespace stackctl
