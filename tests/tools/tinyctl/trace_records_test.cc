#include "trace_records.h"

#include <gtest/gtest.h>

#include "tc/engine/lifecycle.h"
#include "tool_io.h"

namespace tinyctl {
namespace {

using nlohmann::json;
namespace engine = tc::engine;

TEST(TraceRecords, NumbersAndNamesGiveTheSameEvents) {
  const std::vector<json> records = {
      {{"n", 0},
       {"t", 100},
       {"slot", 1},
       {"uid", "acme.a"},
       {"kind", 0},
       {"aux", 0},
       {"value", 40}},
      {{"n", 1},
       {"t", 200},
       {"slot", 2},
       {"uid", "acme.b"},
       {"kind", "deadline_miss"},
       {"aux", 0},
       {"value", 7}},
      {{"n", 2},
       {"t", 300},
       {"slot", 1},
       {"uid", "acme.a"},
       {"kind", "state"},
       {"aux", "suspended"},
       {"value", 0}},
  };
  const TraceRecords r = ParseTraceRecords(records);
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[0].kind, engine::TraceKind::kRun);
  EXPECT_EQ(r.events[0].value, 40u);
  EXPECT_EQ(r.events[1].kind, engine::TraceKind::kDeadlineMiss);
  EXPECT_EQ(r.events[1].slot, 2);
  EXPECT_EQ(r.events[2].aux, static_cast<uint8_t>(engine::State::kSuspended));
  EXPECT_EQ(r.uid_of_slot.at(1), "acme.a");
  EXPECT_EQ(r.uid_of_slot.at(2), "acme.b");
}

TEST(TraceRecords, RefusesMalformedRecordsNamingThem) {
  auto refused = [](json record, const std::string& fragment) {
    try {
      ParseTraceRecords({record});
      ADD_FAILURE() << record.dump() << " accepted";
    } catch (const CommandError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  refused({{"n", 4}, {"t", 1}, {"slot", 0}, {"kind", 9}}, "event 4: \"kind\"");
  refused({{"n", 5}, {"t", 1}, {"slot", 0}, {"kind", "nap"}}, "unknown kind \"nap\"");
  refused({{"n", 6}, {"t", -1}, {"slot", 0}, {"kind", 0}}, "\"t\" must be");
  refused({{"n", 7}, {"t", 1}, {"slot", 300}, {"kind", 0}}, "\"slot\"");
  refused({{"n", 8}, {"t", 1}, {"slot", 0}, {"kind", "state"}, {"aux", "dancing"}},
          "unknown aux \"dancing\"");
  EXPECT_THROW(ParseTraceRecords({json(3)}), CommandError);
}

}  // namespace
}  // namespace tinyctl
