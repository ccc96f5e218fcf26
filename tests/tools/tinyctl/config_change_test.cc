// DeriveConfigUpdate: the operator's edits applied to GET /container's schedule and permissions.
#include "config_change.h"

#include <gtest/gtest.h>

#include "tool_io.h"

namespace tinyctl {
namespace {

using nlohmann::json;

json Container() {
  return json::parse(R"({
    "id": 2, "uid": "acme.sampler", "version": 3, "runtime": "wasm", "state": "running",
    "config_seq": 0,
    "quotas": {"memory_limit": 16384, "stack_bytes": 2048, "kv_bytes": 0, "max_handles": 4},
    "schedule": {"priority": 5, "period_us": 100000, "budget_us": 2000, "deadline_us": 0,
                 "slice_us": 0, "on_overrun": "throttle", "max_restarts": 0},
    "permissions": {
      "services": ["log", "time", "endpoint"],
      "endpoints": [
        {"id": 1, "peer": {"local": "sensor", "address": 0}, "direction": "in"},
        {"id": 2, "peer": {"local": "led", "address": 0}, "direction": "out"},
        {"id": 3, "peer": {"local": "i2c", "address": 72}, "direction": "in"},
        {"id": 4, "peer": {"container": "acme.agg", "endpoint": 1}, "direction": "out"}],
      "on_violation": "deny"}})");
}

std::vector<uint64_t> EndpointIds(const json& update) {
  std::vector<uint64_t> ids;
  for (const json& e : update["permissions"]["endpoints"]) ids.push_back(e["id"]);
  return ids;
}

TEST(ConfigChange, RevokeLed0RemovesTheEndpointToTheLedOnly) {
  ConfigEdits edits;
  edits.revokes = {"led0"};
  const DerivedConfig d = DeriveConfigUpdate(Container(), 8, edits);
  EXPECT_EQ(d.update["uid"], "acme.sampler");
  EXPECT_EQ(d.update["sequence"], 8);
  EXPECT_FALSE(d.update.contains("schedule"));
  EXPECT_EQ(EndpointIds(d.update), (std::vector<uint64_t>{1, 3, 4}));
  EXPECT_EQ(d.update["permissions"]["services"], Container()["permissions"]["services"]);
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.changes[0], "permissions.endpoints: revoked endpoint 2 (led 0, out)");
}

TEST(ConfigChange, RevokeByHexBusAddressPeerUidAndEndpointId) {
  ConfigEdits edits;
  edits.revokes = {"i2c0x48", "acme.agg", "1"};
  const DerivedConfig d = DeriveConfigUpdate(Container(), 1, edits);
  EXPECT_EQ(EndpointIds(d.update), (std::vector<uint64_t>{2}));
  EXPECT_EQ(d.changes.size(), 3u);
  EXPECT_EQ(d.changes[0], "permissions.endpoints: revoked endpoint 3 (i2c 0x48, in)");
}

TEST(ConfigChange, RevokeAndGrantServices) {
  ConfigEdits edits;
  edits.revokes = {"time"};
  edits.grants = {"kv", "log"};  // log is already granted: no change
  const DerivedConfig d = DeriveConfigUpdate(Container(), 1, edits);
  EXPECT_EQ(d.update["permissions"]["services"], json({"log", "endpoint", "kv"}));
  EXPECT_EQ(d.changes, (std::vector<std::string>{"permissions.services: granted kv",
                                                 "permissions.services: revoked time"}));
}

TEST(ConfigChange, ScheduleEditsKeepTheOtherFields) {
  ConfigEdits edits;
  edits.period = "50ms";
  edits.priority = 3;
  edits.on_overrun = "stop";
  const DerivedConfig d = DeriveConfigUpdate(Container(), 1, edits);
  EXPECT_FALSE(d.update.contains("permissions"));
  const json& s = d.update["schedule"];
  EXPECT_EQ(s["period_us"], 50000);
  EXPECT_EQ(s["priority"], 3);
  EXPECT_EQ(s["on_overrun"], "stop");
  EXPECT_EQ(s["budget_us"], 2000);
  EXPECT_EQ(d.changes[0], "schedule.period_us: 100ms -> 50ms");
  EXPECT_EQ(d.changes[1], "schedule.priority: 5 -> 3");
}

TEST(ConfigChange, NoChangeWhenTheValuesAreAlreadySet) {
  ConfigEdits edits;
  edits.period = "100000";
  edits.grants = {"log"};
  EXPECT_TRUE(DeriveConfigUpdate(Container(), 1, edits).changes.empty());
}

TEST(ConfigChange, RefusesWhatNamesNothingOrBreaksTheRules) {
  auto refused = [](ConfigEdits edits, const std::string& fragment) {
    try {
      DeriveConfigUpdate(Container(), 1, edits);
      ADD_FAILURE() << "accepted; wanted an error containing " << fragment;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  ConfigEdits e;
  e.revokes = {"led1"};
  refused(e, "--revoke led1: no endpoint of acme.sampler reaches led1; its endpoints: endpoint 1");
  e.revokes = {"kv"};
  refused(e, "does not have the kv service");
  e.revokes = {"-x"};
  refused(e, "not a service, an endpoint id, a device name");
  e.revokes = {"9"};
  refused(e, "no endpoint of acme.sampler reaches 9");
  e = {};
  e.grants = {"flash"};
  refused(e, "--grant flash: not a service");
  e = {};
  e.budget = "200ms";  // above the 100 ms period
  refused(e, "schedule.budget_us");
  e = {};
  e.period = "fast";
  refused(e, "--period: expected a duration");
  e = {};
  e.priority = 32;
  refused(e, "--priority: must be 0..31");
  e = {};
  e.on_overrun = "explode";
  refused(e, "--on-overrun: expected throttle, stop or restart");
}

TEST(ConfigChange, ABadDeviceAnswerIsACommandError) {
  ConfigEdits edits;
  edits.period = "1s";
  EXPECT_THROW(DeriveConfigUpdate(json::object(), 1, edits), CommandError);
  json c = Container();
  c["permissions"]["endpoints"] = 5;
  edits = {};
  edits.revokes = {"led0"};
  EXPECT_THROW(DeriveConfigUpdate(c, 1, edits), CommandError);
}

}  // namespace
}  // namespace tinyctl
