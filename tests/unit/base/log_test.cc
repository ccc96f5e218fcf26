#include "tc/base/log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tc::log {
namespace {

class Capture : public Sink {
 public:
  void Write(Level level, const char* module, const char* message) override {
    lines.push_back(std::string(ToString(level)) + " " + module + ": " + message);
  }
  std::vector<std::string> lines;
};

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetSink(&capture);
    SetLevel(Level::kInfo);
  }
  void TearDown() override { SetSink(nullptr); }
  Capture capture;
};

TEST_F(LogTest, FormatsAndFiltersByLevel) {
  TC_LOG_DEBUG("engine", "hidden %d", 1);
  TC_LOG_INFO("engine", "started %d containers", 3);
  TC_LOG_ERROR("gate", "denied %s", "led0");
  ASSERT_EQ(capture.lines.size(), 2u);
  EXPECT_EQ(capture.lines[0], "info engine: started 3 containers");
  EXPECT_EQ(capture.lines[1], "error gate: denied led0");
  SetLevel(Level::kDebug);
  TC_LOG_DEBUG("engine", "now visible");
  EXPECT_EQ(capture.lines.size(), 3u);
  EXPECT_EQ(GetLevel(), Level::kDebug);
}

TEST_F(LogTest, OffSilencesAndNullSinkDiscards) {
  SetLevel(Level::kOff);
  TC_LOG_ERROR("x", "nothing");
  EXPECT_TRUE(capture.lines.empty());
  SetLevel(Level::kDebug);
  SetSink(nullptr);
  TC_LOG_ERROR("x", "nothing");
  EXPECT_TRUE(capture.lines.empty());
}

TEST_F(LogTest, LongLinesAreTruncatedToTheLineLimit) {
  std::string big(500, 'a');
  TC_LOG_INFO("x", "%s", big.c_str());
  ASSERT_EQ(capture.lines.size(), 1u);
  EXPECT_EQ(capture.lines[0].size(), std::string("info x: ").size() + kMaxLineLength - 1);
}

}  // namespace
}  // namespace tc::log
