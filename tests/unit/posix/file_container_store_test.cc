// FileContainerStore: staging, stable spans, records, damage, and a crash at every durable step
// of an install and of an update (a forked child is ended by the TC_CRASH_AT_STEP hook).
#include "tc/port/posix/file_container_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tc/port/posix/crash_hook.h"

namespace tc::port::posix {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> Bytes(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 13);
  return v;
}

std::vector<uint8_t> Copy(std::span<const uint8_t> s) { return {s.begin(), s.end()}; }

std::vector<std::string> Uids(const FileContainerStore& store) {
  std::vector<std::string> uids;
  EXPECT_TRUE(store
                  .ForEachImage(
                      [](void* context, std::string_view uid) {
                        static_cast<std::vector<std::string>*>(context)->emplace_back(uid);
                      },
                      &uids)
                  .ok());
  return uids;
}

class FileContainerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/tc_container_store_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  FileContainerStore Open(FileStore::StepObserver observer = {}) {
    Result<FileStore> files = FileStore::Open(dir_, std::move(observer));
    EXPECT_TRUE(files.ok());
    return FileContainerStore(std::move(*files), 64 * 1024);
  }

  static Status Install(FileContainerStore& store, std::string_view uid,
                        const std::vector<uint8_t>& image) {
    TC_RETURN_IF_ERROR(store.BeginImage(uid, static_cast<uint32_t>(image.size())));
    // In 256-byte pieces, like Block1.
    for (size_t at = 0; at < image.size(); at += 256) {
      const size_t n = std::min<size_t>(256, image.size() - at);
      TC_RETURN_IF_ERROR(store.AppendImage({image.data() + at, n}));
    }
    return store.CommitImage();
  }

  std::string dir_;
};

TEST_F(FileContainerStoreTest, CommittedImagesSurviveReopen) {
  {
    FileContainerStore store = Open();
    ASSERT_TRUE(Install(store, "beta", Bytes(1000, 1)).ok());
    ASSERT_TRUE(Install(store, "alpha", Bytes(300, 2)).ok());
    EXPECT_EQ(Uids(store), (std::vector<std::string>{"alpha", "beta"}));
  }
  FileContainerStore store = Open();
  EXPECT_EQ(Uids(store), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(Copy(*store.Image("beta")), Bytes(1000, 1));
  EXPECT_EQ(Copy(*store.Image("alpha")), Bytes(300, 2));
  EXPECT_EQ(store.Image("gamma").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.image_count(), 2u);
}

TEST_F(FileContainerStoreTest, StagedBytesStayAtTheirAddressThroughCommit) {
  FileContainerStore store = Open();
  const std::vector<uint8_t> image = Bytes(5000, 3);
  ASSERT_TRUE(store.BeginImage("app", 5000).ok());
  ASSERT_TRUE(store.AppendImage({image.data(), 100}).ok());
  const uint8_t* address = store.StagedImage().data();
  ASSERT_TRUE(store.AppendImage({image.data() + 100, 4900}).ok());
  EXPECT_EQ(store.StagedImage().data(), address);
  ASSERT_TRUE(store.CommitImage().ok());
  EXPECT_EQ(store.StagedImage().data(), address);
  EXPECT_EQ(store.Image("app")->data(), address);
  EXPECT_EQ(Copy(store.StagedImage()), image);
}

TEST_F(FileContainerStoreTest, StagingErrorsChangeNothing) {
  FileContainerStore store = Open();
  ASSERT_TRUE(Install(store, "app", Bytes(100, 4)).ok());
  EXPECT_EQ(store.AppendImage(Bytes(1, 0)).code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store.CommitImage().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store.BeginImage("app", 64 * 1024 + 1).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(store.BeginImage("../evil", 10).code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(store.BeginImage("app", 10).ok());
  EXPECT_EQ(store.AppendImage(Bytes(11, 0)).code(), ErrorCode::kOutOfRange);
  ASSERT_TRUE(store.AppendImage(Bytes(5, 0)).ok());
  EXPECT_EQ(store.CommitImage().code(), ErrorCode::kFailedPrecondition);  // incomplete
  store.AbortImage();
  EXPECT_TRUE(store.StagedImage().empty());
  EXPECT_EQ(Copy(*store.Image("app")), Bytes(100, 4));
  FileContainerStore reopened = Open();
  EXPECT_EQ(Copy(*reopened.Image("app")), Bytes(100, 4));
}

TEST_F(FileContainerStoreTest, RemoveImage) {
  FileContainerStore store = Open();
  ASSERT_TRUE(Install(store, "app", Bytes(100, 4)).ok());
  ASSERT_TRUE(store.RemoveImage("app").ok());
  EXPECT_EQ(store.RemoveImage("app").code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Uids(store).empty());
  EXPECT_TRUE(Uids(Open()).empty());
}

TEST_F(FileContainerStoreTest, Records) {
  FileContainerStore store = Open();
  const uint8_t seq[] = {1, 2, 3};
  ASSERT_TRUE(store.SaveRecord("operator.seq", seq).ok());
  uint8_t out[8] = {};
  EXPECT_EQ(*store.LoadRecord("operator.seq", out), 3u);
  EXPECT_EQ(out[2], 3);
  uint8_t small[1] = {};
  EXPECT_EQ(*store.LoadRecord("operator.seq", small), 3u);  // the full length, 1 byte copied
  EXPECT_EQ(small[0], 1);
  EXPECT_EQ(store.record_count(), 1u);
  EXPECT_EQ(store.LoadRecord("missing", out).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.SaveRecord("", seq).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.SaveRecord("a/b", seq).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.SaveRecord(std::string(49, 'a'), seq).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store.SaveRecord(std::string(48, 'a'), seq).ok());
  ASSERT_TRUE(store.RemoveRecord("operator.seq").ok());
  EXPECT_EQ(store.RemoveRecord("operator.seq").code(), ErrorCode::kNotFound);
  // Records and images do not collide: a record named like an image key is its own file.
  ASSERT_TRUE(store.SaveRecord("img.app", seq).ok());
  EXPECT_TRUE(Uids(store).empty());
}

TEST_F(FileContainerStoreTest, DamagedImageIsListedAndReported) {
  {
    FileContainerStore store = Open();
    ASSERT_TRUE(Install(store, "app", Bytes(100, 4)).ok());
    ASSERT_TRUE(Install(store, "other", Bytes(100, 5)).ok());
  }
  {
    std::fstream f(dir_ + "/img.app", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    f.put('\x55');
  }
  Result<FileStore> files = FileStore::Open(dir_);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->recovery().damaged_keys, (std::vector<std::string>{"img.app"}));
  FileContainerStore store(std::move(*files), 64 * 1024);
  EXPECT_EQ(Uids(store), (std::vector<std::string>{"app", "other"}));
  EXPECT_EQ(store.Image("app").status().code(), ErrorCode::kIntegrityError);
  EXPECT_EQ(Copy(*store.Image("other")), Bytes(100, 5));
  // A new install of the uid replaces the damaged file.
  ASSERT_TRUE(Install(store, "app", Bytes(50, 6)).ok());
  EXPECT_EQ(Copy(*store.Image("app")), Bytes(50, 6));
}

// Runs `operation` in a child whose store exits at durable step `n`. Returns true when the child
// was killed there, false when the operation finished before step n.
bool RunUntilStep(const std::string& dir, uint64_t n,
                  const std::function<void(FileContainerStore&)>& operation) {
  const pid_t child = ::fork();
  if (child == 0) {
    Result<FileStore> files = FileStore::Open(dir, CrashAtStep(n));
    if (!files.ok()) ::_exit(2);
    FileContainerStore store(std::move(*files), 64 * 1024);
    operation(store);
    ::_exit(0);
  }
  int status = 0;
  EXPECT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status));
  return WEXITSTATUS(status) == kCrashExitCode;
}

TEST_F(FileContainerStoreTest, KillAtEveryStepOfInstallAndUpdate) {
  const std::vector<uint8_t> v1 = Bytes(3000, 7);
  const std::vector<uint8_t> v2 = Bytes(4100, 8);
  const std::vector<uint8_t> other = Bytes(700, 9);
  int killed = 0;
  for (const bool update : {false, true}) {
    for (uint64_t n = 1;; ++n) {
      fs::remove_all(dir_);
      {
        FileContainerStore store = Open();
        ASSERT_TRUE(Install(store, "other", other).ok());
        if (update) ASSERT_TRUE(Install(store, "app", v1).ok());
      }
      const bool crashed = RunUntilStep(dir_, n, [&](FileContainerStore& store) {
        (void)Install(store, "app", v2);
        const uint8_t started[] = {1};
        (void)store.SaveRecord("app.started", started);
      });
      Result<FileStore> files = FileStore::Open(dir_);
      ASSERT_TRUE(files.ok());
      EXPECT_TRUE(files->recovery().damaged_keys.empty());
      FileContainerStore store(std::move(*files), 64 * 1024);
      EXPECT_EQ(Copy(*store.Image("other")), other) << "step " << n;
      Result<std::span<const uint8_t>> app = store.Image("app");
      if (!crashed) {
        EXPECT_EQ(Copy(*app), v2);
        break;
      }
      ++killed;
      if (app.ok()) {
        EXPECT_TRUE(Copy(*app) == v2 || (update && Copy(*app) == v1)) << "step " << n;
      } else {
        EXPECT_FALSE(update) << "update lost the old image at step " << n;
        EXPECT_EQ(app.status().code(), ErrorCode::kNotFound);
      }
    }
  }
  EXPECT_EQ(killed, 2 * 12);  // two Puts of six steps each, for install and for update
}

}  // namespace
}  // namespace tc::port::posix
