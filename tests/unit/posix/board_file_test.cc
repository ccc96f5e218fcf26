// Board-file parser: the shipped native board, defaults, and one refusal per rule, each naming
// the field and why.
#include "tc/port/posix/board_file.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace tc::port::posix {
namespace {

BoardFileResult Parse(const std::string& text) { return ParseBoardFile(text, "board.json"); }

TEST(BoardFile, TheShippedNativeBoardParses) {
  const BoardFileResult r = LoadBoardFile(TC_NATIVE_BOARD_FILE);
  ASSERT_TRUE(r.ok()) << r.error.ToString();
  const BoardConfig& b = *r.config;
  EXPECT_EQ(b.name, "native");
  ASSERT_EQ(b.leds.size(), 2u);
  EXPECT_EQ(b.leds[0].name, "led0");
  EXPECT_EQ(b.leds[1].index, 1u);
  ASSERT_EQ(b.sensors.size(), 1u);
  EXPECT_EQ(b.sensors[0].waveform.kind, WaveformKind::kSine);
  EXPECT_EQ(b.sensors[0].waveform.min, 20000);
  EXPECT_EQ(b.sensors[0].waveform.max, 30000);
  ASSERT_EQ(b.i2c.size(), 1u);
  EXPECT_EQ(b.i2c[0].address, 0x48u);
  EXPECT_EQ(b.i2c[0].model, I2cModel::kTmp102);
  ASSERT_EQ(b.uart.size(), 1u);
  EXPECT_EQ(b.uart[0].port, 0u);
  EXPECT_FALSE(b.gpio.empty());
  EXPECT_FALSE(b.spi.empty());
}

TEST(BoardFile, AbsentListsAndOptionalFieldsTakeDefaults) {
  const BoardFileResult r = Parse(R"({"leds":[{"index":7}],
      "gpio":[{"pin":2}], "sensors":[{"index":1,"value":-40}],
      "i2c":[{"address":16,"model":"registers","registers":[1,2,3]},
             {"address":17,"model":"tmp102"}]})");
  ASSERT_TRUE(r.ok()) << r.error.ToString();
  const BoardConfig& b = *r.config;
  EXPECT_EQ(b.name, "");
  EXPECT_FALSE(b.leds[0].on);
  EXPECT_FALSE(b.gpio[0].input);
  EXPECT_FALSE(b.gpio[0].level);
  EXPECT_EQ(b.sensors[0].waveform.kind, WaveformKind::kConstant);
  EXPECT_EQ(b.sensors[0].waveform.value, -40);
  EXPECT_EQ(b.i2c[0].registers, (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(b.i2c[1].temperature.value, 25000);  // a TMP102 without waveform reads 25 degrees
  EXPECT_TRUE(b.spi.empty());
  EXPECT_TRUE(b.uart.empty());
}

TEST(BoardFile, AMissingFileIsNamed) {
  const BoardFileResult r = LoadBoardFile("/nonexistent/board.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.ToString(), "/nonexistent/board.json: cannot be opened");
}

struct BadCase {
  const char* json;
  const char* field;
  const char* why;  // a part of the reason
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.field << " " << c.why; }

class BadBoardFile : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadBoardFile, IsRefusedNamingTheFieldAndWhy) {
  const BadCase& c = GetParam();
  const BoardFileResult r = Parse(c.json);
  ASSERT_FALSE(r.ok()) << c.json;
  EXPECT_EQ(r.error.file, "board.json");
  EXPECT_EQ(r.error.field, c.field) << r.error.ToString();
  EXPECT_NE(r.error.why.find(c.why), std::string::npos) << r.error.ToString();
}

INSTANTIATE_TEST_SUITE_P(
    Rules, BadBoardFile,
    ::testing::Values(
        BadCase{R"({"leds":[)", "", "not valid JSON at byte"},
        BadCase{R"([1,2])", "", "must be an object"},
        BadCase{R"({"lights":[]})", "lights", "unknown field"},
        BadCase{R"({"name":5})", "name", "must be a string"},
        BadCase{R"({"leds":{}})", "leds", "must be an array"},
        BadCase{R"({"leds":[3]})", "leds[0]", "must be an object"},
        BadCase{R"({"leds":[{"name":"x"}]})", "leds[0].index", "is required"},
        BadCase{R"({"leds":[{"index":"0"}]})", "leds[0].index", "must be an integer"},
        BadCase{R"({"leds":[{"index":-1}]})", "leds[0].index", "must be between 0 and"},
        BadCase{R"({"leds":[{"index":0},{"index":0}]})", "leds[1].index", "duplicate 0"},
        BadCase{R"({"leds":[{"index":0,"colour":"red"}]})", "leds[0].colour", "unknown field"},
        BadCase{R"({"leds":[{"index":0,"on":1}]})", "leds[0].on", "must be true or false"},
        BadCase{R"({"gpio":[{"pin":1,"mode":"analog"}]})", "gpio[0].mode", "input"},
        BadCase{R"({"gpio":[{"pin":1,"level":2}]})", "gpio[0].level", "between 0 and 1"},
        BadCase{R"({"gpio":[{"pin":1,"waveform":"square"}]})", "gpio[0].waveform",
                "only for input pins"},
        BadCase{R"({"gpio":[{"pin":1,"mode":"input","level":1}]})", "gpio[0].level",
                "only for output pins"},
        BadCase{R"({"sensors":[{"index":0,"waveform":"triangle"}]})", "sensors[0].waveform",
                "unknown waveform \"triangle\""},
        BadCase{R"({"sensors":[{"index":0,"waveform":""}]})", "sensors[0].waveform",
                "must not be empty"},
        BadCase{R"({"sensors":[{"index":0,"waveform":"sine","max":5,"period_ms":10}]})",
                "sensors[0].min", "is required"},
        BadCase{R"({"sensors":[{"index":0,"waveform":"sine","min":9,"max":5,"period_ms":10}]})",
                "sensors[0].min", "must not be above max"},
        BadCase{R"({"sensors":[{"index":0,"waveform":"ramp","min":0,"max":5,"period_ms":0}]})",
                "sensors[0].period_ms", "must be between 1 and"},
        BadCase{R"({"sensors":[{"index":0,"waveform":"ramp","min":0,"max":5,"period_ms":10,
                    "phase_ms":10}]})",
                "sensors[0].phase_ms", "must be between 0 and 9"},
        BadCase{R"({"sensors":[{"index":0,"value":1,"period_ms":10}]})", "sensors[0].period_ms",
                "only for sine, square, ramp"},
        BadCase{R"({"sensors":[{"index":0,"waveform":"sine","value":1}]})", "sensors[0].value",
                "only for constant"},
        BadCase{R"({"sensors":[{"index":0,"value":3000000000}]})", "sensors[0].value",
                "must be between"},
        BadCase{R"({"i2c":[{"address":72}]})", "i2c[0].model", "is required"},
        BadCase{R"({"i2c":[{"address":72,"model":"bme280"}]})", "i2c[0].model",
                "unknown model \"bme280\""},
        BadCase{R"({"i2c":[{"address":3,"model":"tmp102"}]})", "i2c[0].address",
                "must be between 8 and 119"},
        BadCase{R"({"i2c":[{"address":72,"model":"tmp102"},{"address":72,"model":"tmp102"}]})",
                "i2c[1].address", "duplicate 72"},
        BadCase{R"({"i2c":[{"address":72,"model":"tmp102","value":200000}]})", "i2c[0].value",
                "-55000..128000"},
        BadCase{R"({"i2c":[{"address":72,"model":"tmp102","registers":[1]}]})", "i2c[0].registers",
                "unknown field"},
        BadCase{R"({"i2c":[{"address":80,"model":"registers"}]})", "i2c[0].registers",
                "is required"},
        BadCase{R"({"i2c":[{"address":80,"model":"registers","registers":[]}]})",
                "i2c[0].registers", "1..256"},
        BadCase{R"({"i2c":[{"address":80,"model":"registers","registers":[1,256]}]})",
                "i2c[0].registers[1]", "between 0 and 255"},
        BadCase{R"({"spi":[{"chip_select":0},{"chip_select":0}]})", "spi[1].chip_select",
                "duplicate 0"},
        BadCase{R"({"uart":[{"port":0,"loopback":"yes"}]})", "uart[0].loopback",
                "must be true or false"},
        BadCase{R"({"uart":[{"name":"console"}]})", "uart[0].port", "is required"}));

}  // namespace
}  // namespace tc::port::posix
