#pragma once
/// Whether the preview still holds once the env lock is taken: another stackctl run in the same
/// checkout may have ended while this one sat at its prompt or waited for the lock, and what it
/// journaled can change what this run would do (docs/contract.md, The preview and the lock).
#include <string>
#include <vector>

#include "stackctl/journal/journal.h"
#include "stackctl/manifest/env.h"
#include "stackctl/plan/phase.h"

namespace stackctl {

/// True when after is not the journal before was read from: a record was appended (or the
/// journal was compacted and written again). Compares the number of records and the last one.
bool journal_changed(const JournalContents& before, const JournalContents& after);

/// What after holds that before does not, for the refusal: each run by id and command (`run
/// 20261204T101500Z-3f9a (destroy)`), each confirmation or withdrawal of a gate (`confirm of
/// approve by alice`), in journal order.
std::vector<std::string> journaled_since(const JournalContents& before,
                                         const JournalContents& after);

/// How the phases planned again differ from those the preview showed, one line each, in phase
/// and manifest order: `destroy: app would now be destroyed (the preview skipped it)`, `destroy:
/// app would now be skipped (the preview destroyed it)`, `destroy: app is no longer in it`, or
/// `the phases are now destroy, apply (the preview showed destroy)`. Empty when they are the same.
std::vector<std::string> phase_differences(const Stack& stack, const std::vector<Phase>& shown,
                                           const std::vector<Phase>& now);

}  // namespace stackctl
