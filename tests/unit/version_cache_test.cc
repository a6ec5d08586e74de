// The version cache: `terragrunt --version` runs once per binary file, not once per command, and
// a cache file that is odd in any way only means the version is asked again.
#include "stackctl/runner/version_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "stackctl/runner/version_probe.h"
#include "support/fake_runner.h"

namespace stackctl {
namespace {

namespace fs = std::filesystem;
using testing::FakeRunner;

// How the fake runner names `terragrunt --version` (an argv[1] starting with '-' is a command).
const char* const kVersionCall = " command";

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class VersionCache : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "version_cache_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fs::create_directories(dir_ / "bin");
    fs::create_directories(dir_ / "state");
    binary_ = (dir_ / "bin" / "terragrunt").string();
    write_binary(
        "\x7f"
        "ELF terragrunt 1.1.3");
    cache_ = dir_ / "state" / kVersionCacheFile;
    runner_.answer(kVersionCall, 0, "terragrunt version v1.1.3\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_binary(const std::string& content) {
    std::ofstream(binary_, std::ios::trunc) << content;
    fs::permissions(binary_, fs::perms::owner_all);
  }
  TerragruntVersion probe() {
    return probe_terragrunt_version(runner_, binary_, dir_, {}, dir_ / "env.yaml", cache_);
  }
  std::string version_of(const TerragruntVersion& v) {
    return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
  }

  fs::path dir_, cache_;
  std::string binary_;
  FakeRunner runner_;
};

TEST_F(VersionCache, TheSecondCommandReadsTheVersionFromTheCacheAndStartsNothing) {
  EXPECT_EQ(version_of(probe()), "1.1.3");
  EXPECT_EQ(runner_.started, (std::vector<std::string>{kVersionCall}));
  struct stat st {};
  ASSERT_EQ(::lstat(cache_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(read_text(cache_).substr(0, 30), "stackctl-terragrunt-version 1\n");

  runner_.answer(kVersionCall, 0, "terragrunt version v0.72.6\n");  // would be seen if asked
  EXPECT_EQ(version_of(probe()), "1.1.3");
  EXPECT_EQ(runner_.started.size(), 1u);
  EXPECT_EQ(fs::directory_iterator(dir_ / "state")->path(), cache_);  // no temporary file left
}

TEST_F(VersionCache, AReplacedBinaryIsAskedAgain) {
  probe();
  // The same size, another content: the inode stays, but mtime or ctime moves.
  ::usleep(20000);
  write_binary(
      "\x7f"
      "ELF terragrunt 0.72.6");
  runner_.answer(kVersionCall, 0, "terragrunt version v0.72.6\n");
  EXPECT_EQ(version_of(probe()), "0.72.6");
  EXPECT_EQ(runner_.started, (std::vector<std::string>{kVersionCall, kVersionCall}));
  // Another file renamed over it: a new inode.
  const std::string other = (dir_ / "bin" / "new").string();
  std::ofstream(other) << "\x7f"
                          "ELF terragrunt 0.93.12";
  fs::permissions(other, fs::perms::owner_all);
  fs::rename(other, binary_);
  runner_.answer(kVersionCall, 0, "terragrunt version v0.93.12\n");
  EXPECT_EQ(version_of(probe()), "0.93.12");
  EXPECT_EQ(runner_.started.size(), 3u);
}

TEST_F(VersionCache, AScriptIsNeverCachedItMayPickAnotherTerragruntEachTime) {
  write_binary("#!/bin/sh\nexec tgenv-terragrunt \"$@\"\n");
  probe();
  probe();
  EXPECT_EQ(runner_.started, (std::vector<std::string>{kVersionCall, kVersionCall}));
  EXPECT_FALSE(fs::exists(fs::symlink_status(cache_)));
}

TEST_F(VersionCache, AVersionThatCannotBeReadIsNotCached) {
  runner_.answer(kVersionCall, 0, "something else\n");
  EXPECT_EQ(version_of(probe()), "0.73.0");  // what is assumed
  EXPECT_FALSE(fs::exists(fs::symlink_status(cache_)));
  runner_.answer(kVersionCall, 0, "terragrunt version v1.1.3\n");
  EXPECT_EQ(version_of(probe()), "1.1.3");
  EXPECT_EQ(runner_.started.size(), 2u);
}

TEST_F(VersionCache, NoCacheFileAndNoStateFolderMeanTheProbeRunsEveryTime) {
  cache_.clear();
  probe();
  probe();
  EXPECT_EQ(runner_.started.size(), 2u);
  cache_ = dir_ / "missing" / kVersionCacheFile;  // the folder is not made for it
  probe();
  probe();
  EXPECT_EQ(runner_.started.size(), 4u);
  EXPECT_FALSE(fs::exists(dir_ / "missing"));
}

TEST_F(VersionCache, ALinkToAGoodCacheIsIgnoredAndReplacedNotFollowed) {
  probe();
  const fs::path elsewhere = dir_ / "elsewhere";
  fs::rename(cache_, elsewhere);
  const std::string good = read_text(elsewhere);
  fs::create_symlink(elsewhere, cache_);
  EXPECT_EQ(version_of(probe()), "1.1.3");
  EXPECT_EQ(runner_.started.size(), 2u);
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(cache_)));  // the link itself was replaced
  EXPECT_EQ(read_text(elsewhere), good);
}

TEST_F(VersionCache, AFifoIsNotWaitedOn) {
  ASSERT_EQ(::mkfifo(cache_.c_str(), 0600), 0);
  EXPECT_EQ(version_of(probe()), "1.1.3");  // returns: nothing blocked on the FIFO
  EXPECT_EQ(runner_.started.size(), 1u);
}

TEST_F(VersionCache, ADirectoryInItsPlaceIsLeftAloneAndNotFatal) {
  fs::create_directories(cache_);
  probe();
  probe();
  EXPECT_EQ(runner_.started.size(), 2u);
  EXPECT_TRUE(fs::is_directory(cache_));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "state"), fs::directory_iterator()), 1);
}

TEST_F(VersionCache, GarbageAnotherBinaryOrATornFileIsIgnored) {
  probe();
  const std::string good = read_text(cache_);
  const auto id = identify_binary(binary_, {}, dir_);
  ASSERT_TRUE(id.has_value());
  ASSERT_TRUE(read_cached_version(cache_, *id).has_value());
  for (const std::string& bad :
       {std::string("\x01\x02 garbage"), std::string(""), good.substr(0, good.size() - 3),
        good + "extra\n", good.substr(0, good.rfind("1.1.3")) + "1.x.3\n",
        good.substr(0, good.rfind("1.1.3")) + "-1.1.3\n", std::string(20000, 'x')}) {
    std::ofstream(cache_, std::ios::trunc) << bad;
    EXPECT_FALSE(read_cached_version(cache_, *id).has_value()) << bad.substr(0, 80);
  }
  std::ofstream(cache_, std::ios::trunc) << good;
  BinaryIdentity other = *id;
  other.path = "/usr/local/bin/terragrunt";
  EXPECT_FALSE(read_cached_version(cache_, other).has_value());
  other = *id;
  other.size += 1;
  EXPECT_FALSE(read_cached_version(cache_, other).has_value());
  EXPECT_EQ(version_of(*read_cached_version(cache_, *id)), "1.1.3");
}

TEST_F(VersionCache, TheBinaryIsFoundOnThePathAndThroughLinksAsTheRunnerFindsIt) {
  fs::create_symlink(binary_, dir_ / "bin" / "tg");
  const EnvVars env{{"PATH", (dir_ / "bin").string()}};
  const auto by_name = identify_binary("tg", env, dir_);
  const auto by_path = identify_binary(binary_, {}, dir_);
  ASSERT_TRUE(by_name.has_value());
  ASSERT_TRUE(by_path.has_value());
  EXPECT_EQ(by_name->path, fs::canonical(binary_).string());
  EXPECT_TRUE(*by_name == *by_path);
  EXPECT_FALSE(identify_binary("no-such-terragrunt", env, dir_).has_value());
  EXPECT_FALSE(identify_binary((dir_ / "bin").string(), {}, dir_).has_value());
}

}  // namespace
}  // namespace stackctl

namespace stackctl {
namespace {

// The OpenTofu terragrunt runs is asked once per binary file too (whether its plans write their
// stream); only an answer from OpenTofu is kept.
TEST_F(VersionCache, TheOpenTofuBinaryIsAskedOncePerFileAndTerraformEveryTime) {
  const std::string tofu = (dir_ / "bin" / "tofu").string();
  std::ofstream(tofu) << "\x7f"
                         "ELF tofu";
  fs::permissions(tofu, fs::perms::owner_all);
  const EnvVars env{{"TG_TF_PATH", tofu}};
  const fs::path cache = dir_ / "state" / kTofuVersionCacheFile;
  runner_.answer(kVersionCall, 0, "OpenTofu v1.12.6\non linux_amd64\n");
  EXPECT_TRUE(probe_plan_stream(runner_, dir_, env, cache));
  runner_.answer(kVersionCall, 0, "OpenTofu v1.11.0\n");  // would be seen if asked
  EXPECT_TRUE(probe_plan_stream(runner_, dir_, env, cache));
  EXPECT_EQ(runner_.started.size(), 1u);

  fs::remove(cache);
  EXPECT_FALSE(probe_plan_stream(runner_, dir_, env, cache)) << "1.11 writes no stream";
  EXPECT_FALSE(probe_plan_stream(runner_, dir_, env, cache));
  EXPECT_EQ(runner_.started.size(), 2u);

  fs::remove(cache);
  runner_.answer(kVersionCall, 0, "Terraform v1.9.8\non linux_amd64\n");
  EXPECT_FALSE(probe_plan_stream(runner_, dir_, env, cache));
  EXPECT_FALSE(probe_plan_stream(runner_, dir_, env, cache));
  EXPECT_EQ(runner_.started.size(), 4u);
  EXPECT_FALSE(fs::exists(fs::symlink_status(cache)));
}

TEST(OpenTofuVersion, IsReadFromItsOwnLineOnly) {
  EXPECT_EQ(opentofu_version("OpenTofu v1.12.6\non linux_amd64\n")->patch, 6);
  EXPECT_EQ(opentofu_version("OpenTofu v1.12\n")->minor, 12);
  EXPECT_FALSE(opentofu_version("Terraform v1.9.8\n"));
  EXPECT_FALSE(opentofu_version("not OpenTofu v1.12.0\n"));
  EXPECT_FALSE(opentofu_version("OpenTofu vX\n"));
  EXPECT_TRUE(opentofu_streams_plans("OpenTofu v2.0.0\n"));
  EXPECT_FALSE(opentofu_streams_plans("OpenTofu v1.11.9\n"));
}

}  // namespace
}  // namespace stackctl
