// The per-env lock: one run at a time, a crashed run's lock taken over, clear words when held.
#include "stackctl/journal/lock.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "stackctl/journal/journal.h"
#include "stackctl/util/error.h"

namespace stackctl {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

const char* const kApply = "stackctl apply --env dev";

std::string hostname() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

/// The pid of a process that has exited and been reaped.
int dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

class LockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "lock_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    file_ = dir_ / ".stackctl" / "dev" / "lock";
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_lock(const std::string& text) const {
    fs::create_directories(file_.parent_path());
    std::ofstream(file_) << text;
  }
  std::string contents() const {
    std::ifstream in(file_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::vector<std::string> files_in_lock_dir() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(file_.parent_path())) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }
  /// The message of the Error(Locked) that taking the lock throws; empty if it does not throw.
  std::string locked_message(milliseconds timeout) const {
    try {
      EnvLock lock(file_, "dev", kApply, timeout);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::Locked);
      return e.what();
    }
    return "";
  }

  fs::path dir_;
  fs::path file_;
};

TEST_F(LockTest, TakingTheLockRecordsWhoHoldsItAndReleaseRemovesIt) {
  EnvLock lock(file_, "dev", kApply, milliseconds(0));
  const std::optional<LockInfo> info = read_lock(file_);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->pid, ::getpid());
  EXPECT_EQ(info->host, hostname());
  EXPECT_FALSE(info->user.empty());
  EXPECT_EQ(info->command, kApply);
  EXPECT_TRUE(std::regex_match(info->since, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  EXPECT_FALSE(lock.took_over().has_value());
  EXPECT_EQ(files_in_lock_dir(), std::vector<std::string>{"lock"});  // no temporary left over
  lock.release();
  EXPECT_FALSE(fs::exists(file_));
  lock.release();
  EXPECT_FALSE(fs::exists(file_));
}

TEST_F(LockTest, TheDestructorReleasesTheLock) {
  { EnvLock lock(file_, "dev", kApply, milliseconds(0)); }
  EXPECT_FALSE(fs::exists(file_));
}

TEST_F(LockTest, ASecondRunIsRefusedWithTheHolderAndTheWayOut) {
  EnvLock first(file_, "dev", kApply, milliseconds(0));
  const LockInfo holder = read_lock(file_).value();
  EXPECT_EQ(locked_message(milliseconds(0)),
            "env 'dev' is locked: held by " + holder.user + "@" + hostname() + " (pid " +
                std::to_string(::getpid()) + ") running 'stackctl apply --env dev' since " +
                holder.since +
                "; wait for it, or run 'stackctl unlock --env dev --force' if it is gone");
  EXPECT_EQ(read_lock(file_)->since, holder.since);
}

TEST_F(LockTest, ALockFromAnotherHostIsNeverTakenOver) {
  const std::string text =
      R"({"pid":4242,"host":"build-7","user":"alice","command":"stackctl apply --env dev",)"
      R"("since":"2026-11-30T10:15:00Z"})"
      "\n";
  write_lock(text);
  EXPECT_EQ(locked_message(milliseconds(0)),
            "env 'dev' is locked: held by alice@build-7 (pid 4242) running 'stackctl apply --env "
            "dev' since 2026-11-30T10:15:00Z; wait for it, or run 'stackctl unlock --env dev "
            "--force' if it is gone");
  EXPECT_EQ(contents(), text);
}

TEST_F(LockTest, ALockLeftByADeadProcessOnThisHostIsTakenOver) {
  const int pid = dead_pid();
  write_lock(
      R"({"pid":)" + std::to_string(pid) + R"(,"host":")" + hostname() +
      R"(","user":"bob","command":"stackctl destroy --env dev","since":"2026-11-29T08:00:00Z"})");
  EnvLock lock(file_, "dev", kApply, milliseconds(0));
  ASSERT_TRUE(lock.took_over().has_value());
  EXPECT_EQ(lock.took_over()->pid, pid);
  EXPECT_EQ(lock.took_over()->user, "bob");
  EXPECT_EQ(lock.took_over()->command, "stackctl destroy --env dev");
  EXPECT_EQ(read_lock(file_)->pid, ::getpid());
  EXPECT_EQ(files_in_lock_dir(), std::vector<std::string>{"lock"});
}

TEST_F(LockTest, ACorruptLockFileCountsAsHeldByAnUnknownHolderUntilForcedAway) {
  write_lock("{\"pid\":12");
  EXPECT_EQ(read_lock(file_), std::nullopt);
  EXPECT_EQ(locked_message(milliseconds(0)),
            "env 'dev' is locked: held by an unknown holder (the lock file " + file_.string() +
                " is not a valid lock); wait for it, or run 'stackctl unlock --env dev --force' "
                "if it is gone");
  EXPECT_EQ(contents(), "{\"pid\":12");
  std::string error;
  EXPECT_TRUE(remove_lock(file_, error));
  EXPECT_EQ(error, "");
  EnvLock lock(file_, "dev", kApply, milliseconds(0));
  EXPECT_EQ(read_lock(file_)->pid, ::getpid());
}

TEST_F(LockTest, ADanglingSymlinkOrAFifoInPlaceOfTheLockIsHeldNamingItNeverSpunOnOrWaitedFor) {
  fs::create_directories(file_.parent_path());
  for (const std::string kind : {"dangling symlink", "fifo"}) {
    SCOPED_TRACE(kind);
    fs::remove(file_);
    if (kind == "fifo")
      ASSERT_EQ(::mkfifo(file_.c_str(), 0600), 0);
    else
      fs::create_symlink(file_.parent_path() / "nowhere", file_);
    const std::string why = kind == "fifo"
                                ? "it is a FIFO, not a regular file"
                                : "it is a symbolic link, which stackctl does not follow";
    EXPECT_EQ(read_lock(file_), std::nullopt);
    // Both used to hang: the symlink made every attempt "absent, retry" at full CPU, the FIFO
    // blocked the read. With a 300 ms timeout, the refusal comes when it is over.
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(locked_message(milliseconds(300)),
              "env 'dev' is locked: held by an unknown holder (the lock file " + file_.string() +
                  " is not a valid lock: " + why +
                  "); wait for it, or run 'stackctl unlock --env dev "
                  "--force' if it is gone");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10)) << "no hang";
    std::string error;
    EXPECT_TRUE(remove_lock(file_, error)) << error;
    EXPECT_FALSE(fs::exists(fs::symlink_status(file_)));
  }
  EnvLock lock(file_, "dev", kApply, milliseconds(0));
  EXPECT_EQ(read_lock(file_)->pid, ::getpid());
}

TEST_F(LockTest, AWaitingRunGivesUpAfterItsTimeout) {
  EnvLock first(file_, "dev", kApply, milliseconds(0));
  EXPECT_NE(locked_message(milliseconds(300)), "");
  EXPECT_EQ(read_lock(file_)->pid, ::getpid());
}

TEST_F(LockTest, AWaitingRunGetsTheLockOnceTheHolderReleasesIt) {
  auto first = std::make_unique<EnvLock>(file_, "dev", "stackctl plan --env dev", milliseconds(0));
  std::thread holder([&first] {
    std::this_thread::sleep_for(milliseconds(250));
    first.reset();
  });
  std::optional<EnvLock> second;
  EXPECT_NO_THROW(second.emplace(file_, "dev", kApply, milliseconds(60000)));
  holder.join();
  EXPECT_EQ(read_lock(file_)->command, kApply);
}

TEST_F(LockTest, ReleaseLeavesALockThatIsNoLongerOursAlone) {
  EnvLock lock(file_, "dev", kApply, milliseconds(0));
  std::string error;
  ASSERT_TRUE(remove_lock(file_, error));
  const std::string theirs =
      R"({"pid":4242,"host":"build-7","user":"alice","command":"x","since":"y"})";
  write_lock(theirs);
  lock.release();
  EXPECT_EQ(contents(), theirs);
}

TEST_F(LockTest, ForcingAwayAMissingLockSaysThereIsNone) {
  std::string error;
  EXPECT_FALSE(remove_lock(file_, error));
  EXPECT_EQ(error, "no lock file at " + file_.string());
}

TEST_F(LockTest, AFileWhereTheStateFolderShouldBeIsACleanError) {
  std::ofstream(dir_ / ".stackctl") << "not a folder";
  try {
    EnvLock lock(file_, "dev", kApply, milliseconds(0));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Software);
    EXPECT_EQ(std::string(e.what()),
              "cannot create lock folder " + file_.parent_path().string() + ": Not a directory");
  }
}

TEST_F(LockTest, AnUnwritableStateFolderIsACleanError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only folders";
  fs::create_directories(file_.parent_path());
  fs::permissions(file_.parent_path(), fs::perms::owner_read | fs::perms::owner_exec);
  try {
    EnvLock lock(file_, "dev", kApply, milliseconds(0));
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::Software);
    EXPECT_EQ(std::string(e.what()),
              "cannot create lock " + file_.string() + ": Permission denied");
  }
  fs::permissions(file_.parent_path(), fs::perms::owner_all);
}

TEST(LockInfo, DescribesTheHolder) {
  const LockInfo info{123, "box", "alice", "stackctl apply --env dev", "2026-11-30T10:15:00Z", {}};
  EXPECT_EQ(info.describe(),
            "held by alice@box (pid 123) running 'stackctl apply --env dev' since "
            "2026-11-30T10:15:00Z");
}

TEST(LockIsStale, ALiveProcessThatStartedAfterTheLockWasWrittenGotTheHoldersPidAgain) {
  // This test process is alive and started long after 2001: whatever holds pid getpid() now is
  // not what wrote a lock then. One written now (or unreadable) is still held.
  EXPECT_TRUE(
      lock_is_stale(LockInfo{::getpid(), hostname(), "u", "c", "2001-09-09T01:46:40Z", {}}));
  EXPECT_FALSE(lock_is_stale(LockInfo{::getpid(), hostname(), "u", "c", now_iso8601(), {}}));
  EXPECT_FALSE(lock_is_stale(LockInfo{::getpid(), hostname(), "u", "c", "yesterday", {}}));
  EXPECT_FALSE(
      lock_is_stale(LockInfo{::getpid(), "some-other-host", "u", "c", "2001-09-09T01:46:40Z", {}}));
}

TEST(LockIsStale, OnlyADeadProcessOnThisHost) {
  EXPECT_TRUE(lock_is_stale(LockInfo{dead_pid(), hostname(), "u", "c", "s", {}}));
  EXPECT_FALSE(lock_is_stale(LockInfo{dead_pid(), "some-other-host", "u", "c", "s", {}}));
  EXPECT_FALSE(lock_is_stale(LockInfo{::getpid(), hostname(), "u", "c", "s", {}}));
  EXPECT_FALSE(lock_is_stale(LockInfo{0, hostname(), "u", "c", "s", {}}));
}

TEST(ReadLock, NeedsAnObjectWithAPositivePid) {
  const fs::path file =
      fs::temp_directory_path() / ("read_lock_test." + std::to_string(::getpid()));
  for (const char* text : {"", "[]", R"({"host":"box"})", R"({"pid":-1})", R"({"pid":"12"})",
                           R"({"pid":99999999999})"}) {
    std::ofstream(file) << text;
    EXPECT_EQ(read_lock(file), std::nullopt) << text;
  }
  std::ofstream(file) << R"({"pid":12})";
  EXPECT_EQ(read_lock(file)->pid, 12);
  EXPECT_EQ(read_lock(file)->host, "");
  fs::remove(file);
  EXPECT_EQ(read_lock(file), std::nullopt);
}

}  // namespace
}  // namespace stackctl

// --- shared holders: plan and drift ------------------------------------------------------

namespace stackctl {
namespace {

const char* const kPlan = "stackctl plan --env dev";

class SharedLockTest : public LockTest {
 protected:
  fs::path shared() const { return shared_folder(file_); }
  std::vector<std::string> holder_files() const {
    std::vector<std::string> names;
    if (!fs::is_directory(fs::symlink_status(shared()))) return names;
    for (const auto& e : fs::directory_iterator(shared()))
      names.push_back(e.path().filename().string());
    return names;
  }
  std::string message_of(LockMode mode, milliseconds timeout) const {
    try {
      EnvLock lock(file_, "dev", mode == LockMode::Shared ? kPlan : kApply, timeout, mode);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::Locked);
      return e.what();
    }
    return "";
  }
  void write_holder(const std::string& name, const std::string& text) const {
    fs::create_directories(shared());
    std::ofstream(shared() / name) << text;
  }
};

TEST_F(SharedLockTest, SeveralSharedHoldersRunAtOnceEachInItsOwnFile) {
  auto first = std::make_unique<EnvLock>(file_, "dev", kPlan, milliseconds(0), LockMode::Shared);
  auto second = std::make_unique<EnvLock>(file_, "dev", "stackctl drift --env dev", milliseconds(0),
                                          LockMode::Shared);
  EXPECT_FALSE(fs::exists(fs::symlink_status(file_))) << "no exclusive lock file";
  EXPECT_EQ(holder_files().size(), 2u);
  auto holders = shared_holders(file_);
  ASSERT_EQ(holders.size(), 2u);
  EXPECT_EQ(holders[0].pid, ::getpid());
  std::set<std::string> commands = {holders[0].command, holders[1].command};
  EXPECT_EQ(commands, (std::set<std::string>{kPlan, "stackctl drift --env dev"}));
  first.reset();
  EXPECT_EQ(holder_files().size(), 1u);
  second.reset();
  EXPECT_TRUE(holder_files().empty());
}

TEST_F(SharedLockTest, ASharedHolderWaitsForNoExclusiveOneAndSaysWhoHoldsIt) {
  EnvLock apply(file_, "dev", kApply, milliseconds(0));
  const LockInfo holder = read_lock(file_).value();
  EXPECT_EQ(message_of(LockMode::Shared, milliseconds(200)),
            "env 'dev' is locked: " + holder.describe() +
                "; wait for it, or run 'stackctl unlock --env dev --force' if it is gone");
  EXPECT_TRUE(holder_files().empty()) << "a refused shared holder leaves no file";
}

TEST_F(SharedLockTest, AnExclusiveHolderIsRefusedWhileASharedOneHoldsAndLeavesNoLockFile) {
  EnvLock plan(file_, "dev", kPlan, milliseconds(0), LockMode::Shared);
  const LockInfo reader = shared_holders(file_).at(0);
  EXPECT_EQ(message_of(LockMode::Exclusive, milliseconds(200)),
            "env 'dev' is locked: 1 shared holder: " + reader.describe() +
                "; wait for them, or run 'stackctl unlock --env dev --force' if they are gone");
  EXPECT_FALSE(fs::exists(fs::symlink_status(file_)));
}

TEST_F(SharedLockTest, AnExclusiveHolderWaitsForTheSharedOnesToLeave) {
  auto plan = std::make_unique<EnvLock>(file_, "dev", kPlan, milliseconds(0), LockMode::Shared);
  std::thread reader([&plan] {
    std::this_thread::sleep_for(milliseconds(250));
    plan.reset();
  });
  std::optional<EnvLock> apply;
  EXPECT_NO_THROW(apply.emplace(file_, "dev", kApply, milliseconds(60000)));
  reader.join();
  EXPECT_EQ(read_lock(file_)->command, kApply);
  EXPECT_NE(message_of(LockMode::Shared, milliseconds(0)), "") << "no reader beside the apply";
}

TEST_F(SharedLockTest, AReaderThatCrashedIsPassedOverAndTheOthersStillHold) {
  const int pid = dead_pid();
  write_holder(
      std::to_string(pid) + ".1.1",
      R"({"pid":)" + std::to_string(pid) + R"(,"host":")" + hostname() +
          R"(","user":"bob","command":"stackctl plan --env dev","since":"2026-11-29T08:00:00Z"})");
  {
    EnvLock alive(file_, "dev", kPlan, milliseconds(0), LockMode::Shared);
    const std::string message = message_of(LockMode::Exclusive, milliseconds(0));
    EXPECT_NE(message.find("1 shared holder: held by "), std::string::npos) << message;
    EXPECT_EQ(message.find("bob"), std::string::npos)
        << "the crashed reader is not a holder: " << message;
    EXPECT_EQ(holder_files().size(), 1u) << "the crashed reader's file was removed";
  }
  EnvLock apply(file_, "dev", kApply, milliseconds(0));
  EXPECT_EQ(read_lock(file_)->pid, ::getpid());
}

TEST_F(SharedLockTest, UnlockRemovesOnlyGoneReadersUnlessForced) {
  const int pid = dead_pid();
  write_holder(
      std::to_string(pid) + ".1.1",
      R"({"pid":)" + std::to_string(pid) + R"(,"host":")" + hostname() +
          R"(","user":"bob","command":"stackctl drift --env dev","since":"2026-11-29T08:00:00Z"})");
  EnvLock alive(file_, "dev", kPlan, milliseconds(0), LockMode::Shared);
  auto removed = remove_shared_holders(file_, false);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].user, "bob");
  EXPECT_EQ(shared_holders(file_).size(), 1u);
  EXPECT_EQ(remove_shared_holders(file_, true).size(), 1u);
  EXPECT_TRUE(holder_files().empty());
}

TEST_F(SharedLockTest, ASymlinkInPlaceOfTheSharedFolderIsNeverFollowed) {
  fs::create_directories(dir_ / "elsewhere");
  fs::create_directories(file_.parent_path());
  fs::create_symlink(dir_ / "elsewhere", shared());
  EXPECT_EQ(message_of(LockMode::Shared, milliseconds(0)),
            "env 'dev' is locked: held by an unknown holder (" + shared().string() +
                " is not a folder of shared holders); run 'stackctl unlock --env dev --force' to "
                "remove it");
  EXPECT_NE(
      message_of(LockMode::Exclusive, milliseconds(100)).find("is not a folder of shared holders"),
      std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir_ / "elsewhere")) << "nothing written through the link";
  EXPECT_FALSE(fs::exists(fs::symlink_status(file_)));
  remove_shared_holders(file_, true);
  EXPECT_FALSE(fs::exists(fs::symlink_status(shared())));
  EXPECT_TRUE(fs::exists(dir_ / "elsewhere"));
  EnvLock plan(file_, "dev", kPlan, milliseconds(0), LockMode::Shared);
}

TEST_F(SharedLockTest, AFifoAmongTheHoldersBlocksAnExclusiveHolderUntilItsDeadlineNeverForever) {
  fs::create_directories(shared());
  ASSERT_EQ(::mkfifo((shared() / "4242.1.1").c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  const std::string message = message_of(LockMode::Exclusive, milliseconds(300));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_NE(message.find("an unknown holder (" + (shared() / "4242.1.1").string() +
                         " is not a valid lock: it is a FIFO, not a regular file)"),
            std::string::npos)
      << message;
  EXPECT_TRUE(shared_holders(file_).empty());
  EXPECT_EQ(remove_shared_holders(file_, true).size(), 0u);
  EXPECT_TRUE(holder_files().empty());
}

}  // namespace
}  // namespace stackctl
