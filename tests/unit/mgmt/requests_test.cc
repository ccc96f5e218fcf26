// Signed commands and config updates (who may sign, replays), run-time reconfiguration, the
// observation resources (status, container, logs, audit, trace paging), JSON, queries and
// Restore() after a restart.
#include "mgmt_fixture.h"
#include "tc/cbor/writer.h"

namespace tc::mgmt::testing {
namespace {

class Requests : public MgmtTest {
 protected:
  Requests() { EXPECT_EQ(Install(WasmImage("acme.sampler", 1)).code, coap::code::kCreated); }

  image::ConfigUpdate ScheduleUpdate(uint64_t sequence, uint8_t priority, uint32_t period_us) {
    image::ConfigUpdate u;
    EXPECT_TRUE(u.uid.Assign("acme.sampler").ok());
    u.sequence = sequence;
    u.has_schedule = true;
    u.schedule.priority = priority;
    u.schedule.period_us = period_us;
    return u;
  }
};

TEST_F(Requests, CommandsMustBeSignedByAnOperator) {
  // A bare command map: not signed.
  image::Command plain;
  ASSERT_TRUE(plain.uid.Assign("acme.sampler").ok());
  plain.sequence = 1;
  Bytes bare(64);
  cbor::Writer w(bare);
  ASSERT_TRUE(image::EncodeCommand(plain, &w).ok());
  bare.resize(w.size());
  Reply r = client_->Post("command", bare, kCbor);
  EXPECT_EQ(r.code, kUnauthorized) << r.text();
  EXPECT_NE(r.text().find("not signed"), std::string::npos) << r.text();

  r = Command("acme.sampler", CommandAction::kStart, 1, &tenant_);
  EXPECT_EQ(r.code, kUnauthorized) << r.text();
  EXPECT_NE(r.text().find("operator"), std::string::npos) << r.text();
  const TestKey stranger = MakeKey("who");
  EXPECT_EQ(Command("acme.sampler", CommandAction::kStart, 1, &stranger).code, kUnauthorized);
  Bytes forged = SignedCommand(op_, "acme.sampler", CommandAction::kStart, 1);
  forged[forged.size() - 1] ^= 1;
  EXPECT_EQ(client_->Post("command", forged, kCbor).code, kUnauthorized);
  EXPECT_EQ(client_->Post("command", Bytes{0xa0}, kCbor).code, coap::code::kBadRequest);
  // A signed config update is not a command.
  EXPECT_EQ(client_->Post("command", SignedConfig(op_, ScheduleUpdate(1, 3, 2000)), kCbor).code,
            coap::code::kBadRequest);
  EXPECT_EQ(client_->Post("command", bare, coap::content_format::kJson).code,
            coap::code::kUnsupportedContentFormat);
  EXPECT_EQ(StateOf("acme.sampler"), "installed");
  EXPECT_EQ(Get("status")["seq"], 0);

  // An HMAC operator key works.
  EXPECT_EQ(Command("acme.sampler", CommandAction::kStart, 1, &hmac_).code, coap::code::kChanged);
}

TEST_F(Requests, ReplayedCommandsAndConfigUpdatesAreRefused) {
  const Bytes start = SignedCommand(op_, "acme.sampler", CommandAction::kStart, 5);
  ASSERT_EQ(client_->Post("command", start, kCbor).code, coap::code::kChanged);
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStop, 6).code, coap::code::kChanged);
  Reply r = client_->Post("command", start, kCbor);  // a new message id: not the dedup cache
  EXPECT_EQ(r.code, kUnauthorized) << r.text();
  EXPECT_NE(r.text().find("replayed"), std::string::npos) << r.text();
  EXPECT_EQ(StateOf("acme.sampler"), "stopped");
  EXPECT_EQ(Command("acme.sampler", CommandAction::kStart, 3).code, kUnauthorized);

  // Commands and config updates share the one sequence.
  const Bytes update = SignedConfig(op_, ScheduleUpdate(7, 4, 2000));
  ASSERT_EQ(client_->Post("config", update, kCbor).code, coap::code::kChanged);
  EXPECT_EQ(client_->Post("config", update, kCbor).code, kUnauthorized);
  EXPECT_EQ(Config(ScheduleUpdate(6, 9, 5000)).code, kUnauthorized);
  EXPECT_EQ(Command("acme.sampler", CommandAction::kStart, 7).code, kUnauthorized);
  EXPECT_EQ(Get("container", {"uid=acme.sampler"})["schedule"]["priority"], 4);

  // Reinstalling the container does not make old commands valid again.
  ASSERT_EQ(Command("acme.sampler", CommandAction::kRemove, 8).code, coap::code::kChanged);
  ASSERT_EQ(Install(WasmImage("acme.sampler", 1)).code, coap::code::kCreated);
  EXPECT_EQ(client_->Post("command", start, kCbor).code, kUnauthorized);
  EXPECT_EQ(client_->Post("config", update, kCbor).code, kUnauthorized);
  EXPECT_EQ(Get("status")["seq"], 8);
}

TEST_F(Requests, ConfigChangesScheduleAndRevokesAnEndpoint) {
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStart, 1).code, coap::code::kChanged);
  json detail = Get("container", {"uid=acme.sampler"});
  EXPECT_EQ(detail["permissions"]["endpoints"].size(), 1u);
  EXPECT_EQ(detail["permissions"]["endpoints"][0]["peer"]["local"], "led");
  EXPECT_EQ(detail["permissions"]["endpoints"][0]["direction"], "out");
  EXPECT_EQ(detail["permissions"]["services"], json({"log", "time", "endpoint"}));
  EXPECT_EQ(detail["quotas"]["memory_limit"], 65536);
  EXPECT_EQ(detail["config_seq"], 0);

  image::ConfigUpdate u = ScheduleUpdate(2, 9, 4000);
  u.has_permissions = true;
  u.permissions.services = ServiceBit(Service::kLog) | ServiceBit(Service::kTime);
  const Reply r = Config(u);
  ASSERT_EQ(r.code, coap::code::kChanged) << r.text();
  EXPECT_EQ(r.json(), json({{"uid", "acme.sampler"}, {"seq", 2}, {"closed_handles", 0}}));
  detail = Get("container", {"uid=acme.sampler"});
  EXPECT_EQ(detail["schedule"]["priority"], 9);
  EXPECT_EQ(detail["schedule"]["period_us"], 4000);
  EXPECT_EQ(detail["schedule"]["on_overrun"], "throttle");
  EXPECT_TRUE(detail["permissions"]["endpoints"].empty());
  EXPECT_EQ(detail["config_seq"], 2);
  EXPECT_EQ(Containers()[0]["period_us"], 4000);
  EXPECT_EQ(StateOf("acme.sampler") == "absent", false);

  // An update that the engine would refuse is refused before the sequence is used.
  image::ConfigUpdate bad = ScheduleUpdate(3, 1, 0);
  bad.schedule.budget_us = 100;  // a budget needs a period
  EXPECT_EQ(Config(bad).code, coap::code::kBadRequest);
  image::ConfigUpdate tenant_update = ScheduleUpdate(3, 1, 1000);
  EXPECT_EQ(Config(tenant_update, &tenant_).code, kUnauthorized);
  EXPECT_EQ(Get("status")["seq"], 2);
}

TEST_F(Requests, StatusWellKnownCoreAndJson) {
  const json status = Get("status");
  EXPECT_EQ(status["name"], "test-device");
  EXPECT_EQ(status["version"], "1.2.3");
  EXPECT_EQ(status["containers"], 1);
  EXPECT_EQ(status["slots"], engine::kMaxContainers);
  EXPECT_GT(status["pool_free"], 0);
  EXPECT_TRUE(status.contains("uptime_us"));

  // Every GET answers JSON for Accept: 50 with the same content.
  for (const char* path : {"status", "containers", "stats", "logs", "audit", "trace"}) {
    const Reply cbor = client_->Get(path);
    const Reply text = client_->Get(path, {}, coap::content_format::kJson);
    ASSERT_EQ(text.code, coap::code::kContent) << path;
    EXPECT_EQ(text.content_format, coap::content_format::kJson);
    EXPECT_EQ(cbor.content_format, coap::content_format::kCbor);
    const json parsed = text.json();
    ASSERT_FALSE(parsed.is_discarded()) << path << ": " << text.text();
    json expected = cbor.json();
    if (std::string(path) == "status") {
      expected.erase("uptime_us");
      EXPECT_TRUE(parsed.contains("uptime_us"));
      json p = parsed;
      p.erase("uptime_us");
      EXPECT_EQ(p, expected) << path;
    } else {
      EXPECT_EQ(parsed, expected) << path;
    }
  }
  const Reply detail = client_->Get("container", {"uid=acme.sampler"}, coap::content_format::kJson);
  ASSERT_EQ(detail.code, coap::code::kContent);
  EXPECT_EQ(detail.json()["schedule"]["period_us"], 1000);
  EXPECT_EQ(client_->Get("status", {}, 0).code, coap::code::kNotAcceptable);

  const Reply core = client_->Get(".well-known/core");
  for (const char* path : {"</status>", "</containers>", "</container>", "</stats>", "</install>",
                           "</command>", "</config>", "</logs>", "</audit>", "</trace>"}) {
    EXPECT_NE(core.text().find(path), std::string::npos) << path;
  }
}

TEST_F(Requests, BadQueriesAreBadRequests) {
  for (const auto& [path, query] :
       std::vector<std::pair<std::string, std::string>>{{"logs", "since=abc"},
                                                        {"logs", "since=99999999999999999999"},
                                                        {"logs", "sinse=1"},
                                                        {"audit", "uid=acme.sampler"},
                                                        {"trace", "since"},
                                                        {"status", "x=1"},
                                                        {"container", "since=1"}}) {
    const Reply r = client_->Get(path, {query});
    EXPECT_EQ(r.code, coap::code::kBadRequest) << path << "?" << query << " " << r.text();
    EXPECT_FALSE(r.text().empty());
  }
  EXPECT_EQ(client_->Get("logs", {"since=1", "since=2"}).code, coap::code::kBadRequest);
  EXPECT_EQ(client_->Get("container").code, coap::code::kBadRequest);
}

TEST_F(Requests, LogsArePagedAndEachLineSeenOnce) {
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStart, 1).code, coap::code::kChanged);
  device_->RunFor(40'000);  // ~40 lines
  uint64_t since = 0;
  std::vector<uint64_t> seen;
  int pages = 0;
  for (;;) {
    const json page = Get("logs", {"since=" + std::to_string(since)});
    EXPECT_EQ(page["dropped"], 0);
    for (const json& line : page["lines"]) {
      seen.push_back(line["n"]);
      EXPECT_EQ(line["uid"], "acme.sampler");
      EXPECT_EQ(line["text"], "hello");
    }
    ++pages;
    if (page["lines"].empty()) break;
    since = page["next"];
  }
  ASSERT_GE(seen.size(), 30u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i);
  EXPECT_GE(pages, 2);  // 40 lines do not fit in one 2 KiB page

  // Overwritten lines are skipped and counted.
  device_->RunFor(100'000);
  const json late = Get("logs", {"since=" + std::to_string(since)});
  EXPECT_GT(late["dropped"], 0);
  EXPECT_EQ(late["lines"][0]["n"], since + late["dropped"].get<uint64_t>());
  // Filtering by uid: nothing from another uid.
  EXPECT_TRUE(Get("logs", {"uid=nobody"})["lines"].empty());
}

TEST_F(Requests, AuditAndTraceArePaged) {
  // Without the log permission every log call is denied and audited.
  ASSERT_EQ(
      Install(SignedImage(op_, WasmMetadata("acme.mute", 1, ServiceBit(Service::kTime)), module_))
          .code,
      coap::code::kCreated);
  ASSERT_EQ(Command("acme.mute", CommandAction::kStart, 1).code, coap::code::kChanged);
  device_->RunFor(20'000);
  uint64_t since = 0;
  size_t entries = 0;
  for (int i = 0; i < 100; ++i) {
    const json page = Get("audit", {"since=" + std::to_string(since)});
    for (const json& e : page["entries"]) {
      EXPECT_EQ(e["n"], since + (&e - &page["entries"][0]));
      EXPECT_EQ(e["uid"], "acme.mute");
      EXPECT_EQ(e["reason"], engine::ToString(engine::DenialReason::kServiceNotPermitted));
      ++entries;
    }
    if (page["entries"].empty()) break;
    since = page["next"];
  }
  EXPECT_GE(entries, 10u);
  EXPECT_EQ(Get("stats", {"uid=acme.mute"})["stats"][0]["denials"], entries);

  // The trace followed page by page: every event once, numbered from 0, in order.
  ASSERT_EQ(device_->engine_.trace().dropped(), 0u);
  const size_t total = device_->engine_.trace().size();
  uint64_t next = 0;
  std::vector<uint64_t> numbers;
  bool saw_run = false;
  for (int i = 0; i < 100; ++i) {
    const json page = Get("trace", {"since=" + std::to_string(next)});
    for (const json& e : page["events"]) {
      numbers.push_back(e["n"]);
      saw_run = saw_run || e["kind"] == "run";
      EXPECT_EQ(e["uid"], e["slot"] == 0 ? "acme.sampler" : "acme.mute");
    }
    if (page["events"].empty()) break;
    next = page["next"];
  }
  EXPECT_TRUE(saw_run);
  ASSERT_EQ(numbers.size(), total);
  for (size_t i = 0; i < numbers.size(); ++i) EXPECT_EQ(numbers[i], i);
  EXPECT_EQ(next, total);
}

TEST_F(Requests, RestoreAfterRestart) {
  ASSERT_EQ(Install(BpfImage("bpf.logger", 1)).code, coap::code::kCreated);
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStart, 1).code, coap::code::kChanged);
  image::ConfigUpdate u = ScheduleUpdate(2, 7, 3000);
  ASSERT_EQ(Config(u).code, coap::code::kChanged);
  image::ConfigUpdate revoke;
  ASSERT_TRUE(revoke.uid.Assign("acme.sampler").ok());
  revoke.sequence = 3;
  revoke.has_permissions = true;
  revoke.permissions.services = ServiceBit(Service::kLog) | ServiceBit(Service::kTime);
  ASSERT_EQ(Config(revoke).code, coap::code::kChanged);
  const Bytes old_command = SignedCommand(op_, "bpf.logger", CommandAction::kStart, 3);

  Reboot();
  EXPECT_TRUE(Containers().empty());  // nothing until Restore()
  ASSERT_TRUE(device_->management_.Restore().ok());
  EXPECT_EQ(device_->management_.sequence(), 3u);
  const json list = Containers();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(StateOf("acme.sampler"), "ready");
  EXPECT_EQ(StateOf("bpf.logger"), "installed");
  const json detail = Get("container", {"uid=acme.sampler"});
  EXPECT_EQ(detail["schedule"]["priority"], 7);
  EXPECT_EQ(detail["schedule"]["period_us"], 3000);
  EXPECT_TRUE(detail["permissions"]["endpoints"].empty());
  device_->RunFor(10'000);
  EXPECT_GT(Get("stats", {"uid=acme.sampler"})["stats"][0]["activations"], 0);
  EXPECT_EQ(client_->Post("command", old_command, kCbor).code, kUnauthorized);
  EXPECT_EQ(Command("bpf.logger", CommandAction::kStart, 4).code, coap::code::kChanged);

  // A damaged stored image is reported and skipped; the others still come back.
  auto& images = const_cast<std::map<std::string, std::unique_ptr<Bytes>>&>(store_.images());
  (*images.at("bpf.logger"))[20] ^= 1;
  Reboot();
  const Status restored = device_->management_.Restore();
  EXPECT_FALSE(restored.ok());
  EXPECT_EQ(StateOf("acme.sampler"), "ready");
  EXPECT_EQ(StateOf("bpf.logger"), "absent");
  const json logs = Get("logs", {"uid=mgmt"});
  ASSERT_FALSE(logs["lines"].empty());
  EXPECT_NE(logs["lines"][0]["text"].get<std::string>().find("bpf.logger"), std::string::npos);
}

}  // namespace
}  // namespace tc::mgmt::testing
