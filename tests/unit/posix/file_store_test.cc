#include "tc/port/posix/file_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tc::port::posix {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> Bytes(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 7);
  return v;
}

class FileStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/tc_file_store_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
};

TEST_F(FileStoreTest, PutGetRemoveKeys) {
  Result<FileStore> store = FileStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Put("app.image", Bytes(5000, 1)).ok());
  ASSERT_TRUE(store->Put("app.config", Bytes(0, 0)).ok());
  EXPECT_EQ(*store->Get("app.image"), Bytes(5000, 1));
  EXPECT_TRUE(store->Get("app.config")->empty());
  ASSERT_TRUE(store->Put("app.image", Bytes(10, 2)).ok());
  EXPECT_EQ(*store->Get("app.image"), Bytes(10, 2));
  EXPECT_EQ(*store->Keys(), (std::vector<std::string>{"app.config", "app.image"}));
  ASSERT_TRUE(store->Remove("app.config").ok());
  EXPECT_EQ(store->Get("app.config").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store->Remove("app.config").code(), ErrorCode::kNotFound);
  EXPECT_EQ(*store->Keys(), (std::vector<std::string>{"app.image"}));
}

TEST_F(FileStoreTest, RejectsBadKeys) {
  Result<FileStore> store = FileStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  for (const char* key : {"", ".hidden", "a/b", "../x", "a b", "ä"}) {
    EXPECT_EQ(store->Put(key, Bytes(1, 0)).code(), ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(store->Get(key).status().code(), ErrorCode::kInvalidArgument) << key;
  }
  EXPECT_EQ(store->Put(std::string(65, 'k'), Bytes(1, 0)).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store->Put(std::string(64, 'k'), Bytes(1, 0)).ok());
}

TEST_F(FileStoreTest, DetectsDamagedFiles) {
  {
    Result<FileStore> store = FileStore::Open(dir_);
    ASSERT_TRUE(store->Put("flip", Bytes(100, 3)).ok());
    ASSERT_TRUE(store->Put("cut", Bytes(100, 4)).ok());
    ASSERT_TRUE(store->Put("good", Bytes(100, 5)).ok());
  }
  {
    std::fstream f(dir_ + "/flip", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(50);
    f.put('\x42');
  }
  fs::resize_file(dir_ + "/cut", 60);
  Result<FileStore> store = FileStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->recovery().damaged_keys, (std::vector<std::string>{"cut", "flip"}));
  EXPECT_EQ(store->Get("flip").status().code(), ErrorCode::kIntegrityError);
  EXPECT_EQ(store->Get("cut").status().code(), ErrorCode::kIntegrityError);
  EXPECT_EQ(*store->Get("good"), Bytes(100, 5));
}

TEST_F(FileStoreTest, OpenFailsOnAFile) {
  const std::string file = dir_ + "/plain";
  std::ofstream(file) << "x";
  EXPECT_EQ(FileStore::Open(file).status().code(), ErrorCode::kUnavailable);
}

// A power cut after each durable step: a child process updates "app" and dies right after the
// step; reopening the directory must show the old or the new value, no leftovers, and the
// other key untouched.
struct CrashCase {
  StoreStep step;
  bool expect_new;
};

std::string CrashCaseName(const ::testing::TestParamInfo<CrashCase>& info) {
  constexpr const char* kNames[] = {"TempCreated", "TempHalfWritten", "TempWritten", "TempSynced",
                                    "Renamed",     "DirectorySynced", "Unlinked"};
  return kNames[static_cast<int>(info.param.step)];
}

class FileStoreCrashTest : public FileStoreTest, public ::testing::WithParamInterface<CrashCase> {};

TEST_P(FileStoreCrashTest, PutInterruptedLeavesOldOrNew) {
  const std::vector<uint8_t> old_value = Bytes(3000, 10);
  const std::vector<uint8_t> new_value = Bytes(4000, 20);
  {
    Result<FileStore> store = FileStore::Open(dir_);
    ASSERT_TRUE(store->Put("app", old_value).ok());
    ASSERT_TRUE(store->Put("other", Bytes(10, 30)).ok());
  }
  const StoreStep crash_at = GetParam().step;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Result<FileStore> store = FileStore::Open(dir_, [crash_at](StoreStep step) {
      if (step == crash_at) ::_exit(0);
    });
    if (!store.ok()) ::_exit(2);
    (void)store->Put("app", new_value);
    ::_exit(3);  // the crash step was never reached
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  Result<FileStore> store = FileStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(store->recovery().damaged_keys.empty());
  EXPECT_EQ(*store->Get("app"), GetParam().expect_new ? new_value : old_value);
  EXPECT_EQ(*store->Get("other"), Bytes(10, 30));
  EXPECT_EQ(*store->Keys(), (std::vector<std::string>{"app", "other"}));
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
  }
}

INSTANTIATE_TEST_SUITE_P(EveryStep, FileStoreCrashTest,
                         ::testing::Values(CrashCase{StoreStep::kTempCreated, false},
                                           CrashCase{StoreStep::kTempHalfWritten, false},
                                           CrashCase{StoreStep::kTempWritten, false},
                                           CrashCase{StoreStep::kTempSynced, false},
                                           CrashCase{StoreStep::kRenamed, true},
                                           CrashCase{StoreStep::kDirectorySynced, true}),
                         CrashCaseName);

TEST_F(FileStoreTest, RecoveryReportsRemovedLeftovers) {
  {
    Result<FileStore> store = FileStore::Open(dir_);
    ASSERT_TRUE(store->Put("app", Bytes(10, 1)).ok());
  }
  std::ofstream(dir_ + "/.app.tmp") << "partial";
  Result<FileStore> store = FileStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->recovery().removed_temp_files, (std::vector<std::string>{".app.tmp"}));
  EXPECT_FALSE(fs::exists(dir_ + "/.app.tmp"));
  EXPECT_EQ(*store->Get("app"), Bytes(10, 1));
}

TEST_F(FileStoreTest, RemoveInterruptedAfterUnlinkIsGone) {
  {
    Result<FileStore> store = FileStore::Open(dir_);
    ASSERT_TRUE(store->Put("app", Bytes(10, 1)).ok());
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Result<FileStore> store = FileStore::Open(dir_, [](StoreStep step) {
      if (step == StoreStep::kUnlinked) ::_exit(0);
    });
    (void)store->Remove("app");
    ::_exit(3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  Result<FileStore> store = FileStore::Open(dir_);
  EXPECT_EQ(store->Get("app").status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tc::port::posix
