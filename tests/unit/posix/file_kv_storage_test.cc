#include "tc/port/posix/file_kv_storage.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tc::port::posix {
namespace {

namespace fs = std::filesystem;

std::span<const uint8_t> B(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

class FileKvStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/tc_kv_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  FileKvStorage Open() {
    Result<FileStore> files = FileStore::Open(dir_);
    EXPECT_TRUE(files.ok());
    return FileKvStorage(std::move(*files));
  }
  std::string dir_;
};

TEST_F(FileKvStorageTest, RecordsSurviveReopenPerOwner) {
  {
    FileKvStorage kv = Open();
    ASSERT_TRUE(kv.Set("counter", B("count"), B(std::string_view("\x05\0\0\0", 4))).ok());
    ASSERT_TRUE(kv.Set("counter", B("name"), B("abc")).ok());
    ASSERT_TRUE(kv.Set("other", B("count"), B("zz")).ok());
    ASSERT_TRUE(kv.Set("counter", B("name"), B("abcd")).ok());  // replace
  }
  FileKvStorage kv = Open();
  uint8_t out[8] = {};
  EXPECT_EQ(*kv.Get("counter", B("count"), out), 4u);
  EXPECT_EQ(out[0], 5);
  EXPECT_EQ(*kv.Size("counter", B("name")), 4u);
  EXPECT_EQ(*kv.Get("other", B("count"), out), 2u);
  EXPECT_EQ(out[0], 'z');
  EXPECT_EQ(kv.Get("third", B("count"), out).status().code(), ErrorCode::kNotFound);
  // A short buffer gets a prefix and the full length.
  uint8_t two[2] = {};
  EXPECT_EQ(*kv.Get("counter", B("name"), two), 4u);
  EXPECT_EQ(two[1], 'b');
}

TEST_F(FileKvStorageTest, DeleteAndLastRecordRemovesTheFile) {
  FileKvStorage kv = Open();
  ASSERT_TRUE(kv.Set("app", B("k"), B("v")).ok());
  EXPECT_TRUE(fs::exists(dir_ + "/kv.app"));
  ASSERT_TRUE(kv.Delete("app", B("k")).ok());
  EXPECT_EQ(kv.Delete("app", B("k")).code(), ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ + "/kv.app"));
  EXPECT_EQ(Open().Size("app", B("k")).status().code(), ErrorCode::kNotFound);
}

TEST_F(FileKvStorageTest, LimitsRefuseAndChangeNothing) {
  FileKvStorage kv = Open();
  const std::string big_key(65, 'k');
  const std::string big_value(1025, 'v');
  EXPECT_EQ(kv.Set("app", B(big_key), B("v")).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(kv.Set("app", B(""), B("v")).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(kv.Set("app", B("k"), B(big_value)).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(kv.Set("../x", B("k"), B("v")).code(), ErrorCode::kInvalidArgument);
  const std::string value(1000, 'v');
  for (int i = 0; i < 16; ++i) {
    ASSERT_TRUE(kv.Set("app", B("key" + std::to_string(i)), B(value)).ok()) << i;
  }
  EXPECT_EQ(kv.Set("app", B("key16"), B(value)).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(kv.Size("app", B("key16")).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(*Open().Size("app", B("key15")), 1000u);
}

TEST_F(FileKvStorageTest, DamagedOwnerIsReportedAndRefused) {
  {
    FileKvStorage kv = Open();
    ASSERT_TRUE(kv.Set("app", B("k"), B("v")).ok());
    ASSERT_TRUE(kv.Set("fine", B("k"), B("v")).ok());
  }
  {
    std::fstream f(dir_ + "/kv.app", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(13);
    f.put('\x7f');
  }
  FileKvStorage kv = Open();
  EXPECT_EQ(kv.damaged_owners(), (std::set<std::string>{"app"}));
  uint8_t out[4];
  EXPECT_EQ(kv.Get("app", B("k"), out).status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(kv.Set("app", B("k"), B("w")).code(), ErrorCode::kUnavailable);
  EXPECT_EQ(*kv.Get("fine", B("k"), out), 1u);
}

}  // namespace
}  // namespace tc::port::posix
