#include "tc/port/posix/file_kv_storage.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

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
  std::unique_ptr<FileKvStorage> Open() {
    Result<FileStore> files = FileStore::Open(dir_);
    EXPECT_TRUE(files.ok());
    return std::make_unique<FileKvStorage>(std::move(*files));
  }
  std::string dir_;
};

TEST_F(FileKvStorageTest, RecordsSurviveReopenPerOwner) {
  {
    std::unique_ptr<FileKvStorage> kv = Open();
    ASSERT_TRUE(kv->Set("counter", B("count"), B(std::string_view("\x05\0\0\0", 4))).ok());
    ASSERT_TRUE(kv->Set("counter", B("name"), B("abc")).ok());
    ASSERT_TRUE(kv->Set("other", B("count"), B("zz")).ok());
    ASSERT_TRUE(kv->Set("counter", B("name"), B("abcd")).ok());  // replace
  }
  std::unique_ptr<FileKvStorage> kv = Open();
  uint8_t out[8] = {};
  EXPECT_EQ(*kv->Get("counter", B("count"), out), 4u);
  EXPECT_EQ(out[0], 5);
  EXPECT_EQ(*kv->Size("counter", B("name")), 4u);
  EXPECT_EQ(*kv->Get("other", B("count"), out), 2u);
  EXPECT_EQ(out[0], 'z');
  EXPECT_EQ(kv->Get("third", B("count"), out).status().code(), ErrorCode::kNotFound);
  // A short buffer gets a prefix and the full length.
  uint8_t two[2] = {};
  EXPECT_EQ(*kv->Get("counter", B("name"), two), 4u);
  EXPECT_EQ(two[1], 'b');
}

TEST_F(FileKvStorageTest, DeleteAndLastRecordRemovesTheFile) {
  std::unique_ptr<FileKvStorage> kv = Open();
  ASSERT_TRUE(kv->Set("app", B("k"), B("v")).ok());
  kv->Flush();
  EXPECT_TRUE(fs::exists(dir_ + "/kv.app"));
  ASSERT_TRUE(kv->Delete("app", B("k")).ok());
  EXPECT_EQ(kv->Delete("app", B("k")).code(), ErrorCode::kNotFound);
  kv->Flush();
  EXPECT_FALSE(fs::exists(dir_ + "/kv.app"));
  EXPECT_EQ(kv->write_errors(), 0u);
  EXPECT_EQ(Open()->Size("app", B("k")).status().code(), ErrorCode::kNotFound);
}

TEST_F(FileKvStorageTest, LimitsRefuseAndChangeNothing) {
  std::unique_ptr<FileKvStorage> kv = Open();
  const std::string big_key(65, 'k');
  const std::string big_value(1025, 'v');
  EXPECT_EQ(kv->Set("app", B(big_key), B("v")).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(kv->Set("app", B(""), B("v")).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(kv->Set("app", B("k"), B(big_value)).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(kv->Set("../x", B("k"), B("v")).code(), ErrorCode::kInvalidArgument);
  const std::string value(1000, 'v');
  for (int i = 0; i < 16; ++i) {
    ASSERT_TRUE(kv->Set("app", B("key" + std::to_string(i)), B(value)).ok()) << i;
  }
  EXPECT_EQ(kv->Set("app", B("key16"), B(value)).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(kv->Size("app", B("key16")).status().code(), ErrorCode::kNotFound);
  kv->Flush();
  EXPECT_EQ(*Open()->Size("app", B("key15")), 1000u);
}

TEST_F(FileKvStorageTest, DamagedOwnerIsReportedAndRefused) {
  {
    std::unique_ptr<FileKvStorage> kv = Open();
    ASSERT_TRUE(kv->Set("app", B("k"), B("v")).ok());
    ASSERT_TRUE(kv->Set("fine", B("k"), B("v")).ok());
  }
  {
    std::fstream f(dir_ + "/kv.app", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(13);
    f.put('\x7f');
  }
  std::unique_ptr<FileKvStorage> kv = Open();
  EXPECT_EQ(kv->damaged_owners(), (std::set<std::string>{"app"}));
  uint8_t out[4];
  EXPECT_EQ(kv->Get("app", B("k"), out).status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(kv->Set("app", B("k"), B("w")).code(), ErrorCode::kUnavailable);
  EXPECT_EQ(*kv->Get("fine", B("k"), out), 1u);
}

TEST_F(FileKvStorageTest, ManyChangesAreWrittenBehindAndAllLand) {
  {
    std::unique_ptr<FileKvStorage> kv = Open();
    for (uint32_t i = 0; i < 200; ++i) {
      const uint8_t value[4] = {static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8), 0, 0};
      ASSERT_TRUE(kv->Set("counter", B("count"), value).ok());
      ASSERT_TRUE(kv->Set("owner" + std::to_string(i % 5), B("k"), value).ok());
      uint8_t out[4] = {};
      ASSERT_EQ(*kv->Get("counter", B("count"), out), 4u);  // visible at once
      ASSERT_EQ(out[0], static_cast<uint8_t>(i));
    }
  }  // the destructor writes what is pending
  std::unique_ptr<FileKvStorage> kv = Open();
  uint8_t out[4] = {};
  ASSERT_EQ(*kv->Get("counter", B("count"), out), 4u);
  EXPECT_EQ(out[0] | out[1] << 8, 199);
  ASSERT_EQ(*kv->Get("owner4", B("k"), out), 4u);
  EXPECT_EQ(out[0] | out[1] << 8, 199);
}

}  // namespace
}  // namespace tc::port::posix
