// Install, list, start, stats, stop and remove through the CoAP resources; updates, rollback,
// tampered and out-of-order uploads, admission and size limits.
#include "mgmt_fixture.h"

namespace tc::mgmt::testing {
namespace {

TEST_F(MgmtTest, InstallListStartStatsStopRemove) {
  const Bytes image = WasmImage("acme.sampler", 1);
  ASSERT_GT(image.size(), 256u);  // travels in several Block1 blocks

  // Every block but the last is answered 2.31 Continue with the Block1 option echoed.
  const uint8_t szx = 4;
  for (uint32_t num = 0; size_t{num + 1} * 256 < image.size(); ++num) {
    const Reply r = client_->PostBlock("install", image, num, szx,
                                       {{coap::option::kContentFormat, Client::Uint(42)}});
    ASSERT_EQ(r.code, coap::code::kContinue) << num << ": " << r.text();
    ASSERT_TRUE(r.block1);
    EXPECT_EQ(r.block1->num, num);
    EXPECT_TRUE(r.block1->more);
  }
  const uint32_t last = static_cast<uint32_t>((image.size() - 1) / 256);
  const Reply installed = client_->PostBlock("install", image, last, szx,
                                             {{coap::option::kContentFormat, Client::Uint(42)}});
  ASSERT_EQ(installed.code, coap::code::kCreated) << installed.text();
  const json body = installed.json();
  EXPECT_EQ(body["uid"], "acme.sampler");
  EXPECT_EQ(body["version"], 1);
  EXPECT_EQ(body["replaced"], false);
  EXPECT_TRUE(store_.HasImage("acme.sampler"));
  EXPECT_FALSE(store_.staging());

  json list = Containers();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["uid"], "acme.sampler");
  EXPECT_EQ(list[0]["id"], body["id"]);
  EXPECT_EQ(list[0]["version"], 1);
  EXPECT_EQ(list[0]["runtime"], "wasm");
  EXPECT_EQ(list[0]["state"], "installed");
  EXPECT_EQ(list[0]["priority"], 5);
  EXPECT_EQ(list[0]["period_us"], 1000);

  Reply r = Command("acme.sampler", CommandAction::kStart, 1);
  ASSERT_EQ(r.code, coap::code::kChanged) << r.text();
  EXPECT_EQ(r.json()["state"], "ready");
  EXPECT_TRUE(store_.HasRecord("up.acme.sampler"));
  device_->RunFor(10'000);

  const json stats = Get("stats", {"uid=acme.sampler"})["stats"];
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_GE(stats[0]["activations"], 5);
  EXPECT_GT(stats[0]["cpu_us"], 0);
  EXPECT_GT(stats[0]["host_calls"], 0);
  EXPECT_EQ(stats[0]["denials"], 0);
  EXPECT_GT(stats[0]["memory"], 0);
  EXPECT_EQ(Get("logs")["lines"][0]["text"], "hello");

  r = Command("acme.sampler", CommandAction::kStop, 2);
  ASSERT_EQ(r.code, coap::code::kChanged) << r.text();
  EXPECT_EQ(r.json()["state"], "stopped");
  EXPECT_FALSE(store_.HasRecord("up.acme.sampler"));

  r = Command("acme.sampler", CommandAction::kRemove, 3);
  ASSERT_EQ(r.code, coap::code::kChanged) << r.text();
  EXPECT_EQ(r.json()["state"], "removed");
  EXPECT_TRUE(Containers().empty());
  EXPECT_FALSE(store_.HasImage("acme.sampler"));
  EXPECT_EQ(Get("status")["seq"], 3);
  // The uid can be installed again (and version 1 again: the old image is gone).
  EXPECT_EQ(Install(WasmImage("acme.sampler", 1)).code, coap::code::kCreated);
}

TEST_F(MgmtTest, EbpfContainerRunsAndLogs) {
  ASSERT_EQ(Install(BpfImage("bpf.logger", 1)).code, coap::code::kCreated);
  ASSERT_EQ(Command("bpf.logger", CommandAction::kStart, 1).code, coap::code::kChanged);
  device_->RunFor(10'000);
  const json list = Containers();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["runtime"], "ebpf");
  const json logs = Get("logs", {"uid=bpf.logger"});
  ASSERT_GE(logs["lines"].size(), 3u);
  EXPECT_EQ(logs["lines"][0]["uid"], "bpf.logger");
  EXPECT_EQ(logs["lines"][0]["text"].get<std::string>().size(), 5u);
}

TEST_F(MgmtTest, SuspendResume) {
  ASSERT_EQ(Install(WasmImage("acme.sampler", 1)).code, coap::code::kCreated);
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStart, 1).code, coap::code::kChanged);
  device_->RunFor(3000);
  Reply r = Command("acme.sampler", CommandAction::kSuspend, 2);
  ASSERT_EQ(r.code, coap::code::kChanged) << r.text();
  EXPECT_EQ(r.json()["state"], "suspended");
  const json before = Get("stats")["stats"][0]["activations"];
  device_->RunFor(5000);
  EXPECT_EQ(Get("stats")["stats"][0]["activations"], before);
  r = Command("acme.sampler", CommandAction::kResume, 3);
  ASSERT_EQ(r.code, coap::code::kChanged) << r.text();
  device_->RunFor(5000);
  EXPECT_GT(Get("stats")["stats"][0]["activations"], before);
}

TEST_F(MgmtTest, UpdateWithHigherVersionReplacesAndRestarts) {
  ASSERT_EQ(Install(WasmImage("acme.sampler", 1)).code, coap::code::kCreated);
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStart, 1).code, coap::code::kChanged);
  device_->RunFor(3000);
  const int commits = store_.commits;

  const Reply r = Install(WasmImage("acme.sampler", 2));
  ASSERT_EQ(r.code, coap::code::kCreated) << r.text();
  EXPECT_EQ(r.json()["replaced"], true);
  EXPECT_EQ(r.json()["version"], 2);
  EXPECT_EQ(store_.commits, commits + 1);
  json list = Containers();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["version"], 2);
  EXPECT_EQ(list[0]["state"], "ready");  // it was started, so the new version is started
  EXPECT_EQ(list[0]["id"], r.json()["id"]);
  device_->RunFor(3000);
  EXPECT_GT(Get("stats")["stats"][0]["activations"], 0);

  // Not started: the update stays installed.
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStop, 2).code, coap::code::kChanged);
  ASSERT_EQ(Install(WasmImage("acme.sampler", 3)).code, coap::code::kCreated);
  EXPECT_EQ(StateOf("acme.sampler"), "installed");
}

TEST_F(MgmtTest, RollbackIsRefusedAndChangesNothing) {
  ASSERT_EQ(Install(WasmImage("acme.sampler", 2)).code, coap::code::kCreated);
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStart, 1).code, coap::code::kChanged);
  const std::vector<uint8_t> stored(store_.images().at("acme.sampler")->begin(),
                                    store_.images().at("acme.sampler")->end());
  for (uint32_t version : {1u, 2u}) {
    const Reply r = Install(WasmImage("acme.sampler", version));
    EXPECT_EQ(r.code, kConflict) << version << ": " << r.text();
    EXPECT_NE(r.text().find("install: "), std::string::npos) << r.text();
  }
  EXPECT_EQ(*store_.images().at("acme.sampler"), stored);
  EXPECT_FALSE(store_.staging());
  EXPECT_EQ(StateOf("acme.sampler"), "ready");
  EXPECT_EQ(Containers()[0]["version"], 2);
}

TEST_F(MgmtTest, TamperedImageIsRefusedMidStreamAndChangesNothing) {
  ASSERT_EQ(Install(WasmImage("acme.sampler", 1)).code, coap::code::kCreated);
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStart, 1).code, coap::code::kChanged);
  const std::vector<uint8_t> stored = *store_.images().at("acme.sampler");

  // A flipped code byte: the digest check fails when the code section ends.
  Bytes tampered = WasmImage("acme.sampler", 2);
  tampered[tampered.size() - 10] ^= 0x40;
  Reply r = Install(tampered);
  EXPECT_EQ(r.code, kUnauthorized) << r.text();
  EXPECT_NE(r.text().find("SHA-256"), std::string::npos) << r.text();
  EXPECT_GE(store_.aborts, 1);

  // A flipped signature byte: refused in the block that completes the envelope; the next block
  // finds no upload in progress.
  tampered = WasmImage("acme.sampler", 2);
  const size_t envelope_end = 8 + (size_t{tampered[6]} << 8 | tampered[7]);
  tampered[envelope_end - 3] ^= 0x01;
  const Client::Options ct = {{coap::option::kContentFormat, Client::Uint(42)}};
  uint32_t num = 0;
  for (;; ++num) {
    r = client_->PostBlock("install", tampered, num, 4, ct);
    if (r.code != coap::code::kContinue) break;
  }
  EXPECT_EQ(r.code, kUnauthorized) << r.text();
  EXPECT_EQ(num, (envelope_end - 1) / 256);
  r = client_->PostBlock("install", tampered, num + 1, 4, ct);
  EXPECT_EQ(r.code, coap::code::kRequestEntityIncomplete) << r.text();

  EXPECT_EQ(*store_.images().at("acme.sampler"), stored);
  EXPECT_FALSE(store_.staging());
  EXPECT_EQ(Containers()[0]["version"], 1);
  EXPECT_EQ(StateOf("acme.sampler"), "ready");
}

TEST_F(MgmtTest, Block1OutOfOrderIsIncomplete) {
  const Bytes image = WasmImage("acme.sampler", 1);
  const Client::Options ct = {{coap::option::kContentFormat, Client::Uint(42)}};
  // No upload in progress.
  EXPECT_EQ(client_->PostBlock("install", image, 1, 4, ct).code,
            coap::code::kRequestEntityIncomplete);
  ASSERT_EQ(client_->PostBlock("install", image, 0, 4, ct).code, coap::code::kContinue);
  // A skipped block, and a block from another client, are refused; the upload continues.
  const Reply skipped = client_->PostBlock("install", image, 2, 4, ct);
  EXPECT_EQ(skipped.code, coap::code::kRequestEntityIncomplete);
  EXPECT_NE(skipped.text().find("out of order"), std::string::npos) << skipped.text();
  client_->set_peer(2);
  EXPECT_EQ(client_->PostBlock("install", image, 1, 4, ct).code,
            coap::code::kRequestEntityIncomplete);
  client_->set_peer(1);
  Reply r;
  for (uint32_t num = 1; size_t{num} * 256 < image.size(); ++num) {
    r = client_->PostBlock("install", image, num, 4, ct);
  }
  EXPECT_EQ(r.code, coap::code::kCreated) << r.text();
  // Block 0 again starts over: a restarted upload of the same image is an update refused as a
  // rollback (same version), which shows the restart reached the verifier.
  EXPECT_EQ(Install(image).code, kConflict);
}

TEST_F(MgmtTest, AdmissionAndSizeLimits) {
  for (size_t i = 0; i < engine::kMaxContainers; ++i) {
    ASSERT_EQ(Install(BpfImage("bpf.c" + std::to_string(i), 1)).code, coap::code::kCreated) << i;
  }
  Reply r = Install(BpfImage("bpf.extra", 1));
  EXPECT_EQ(r.code, kUnavailable) << r.text();
  EXPECT_NE(r.text().find("no free container slot"), std::string::npos) << r.text();
  // An update of an installed uid still works when the table is full.
  EXPECT_EQ(Install(BpfImage("bpf.c0", 2)).code, coap::code::kCreated);
  EXPECT_EQ(Get("status")["containers"], engine::kMaxContainers);

  ASSERT_EQ(Command("bpf.c1", CommandAction::kRemove, 1).code, coap::code::kChanged);
  store_.capacity = 100;
  r = Install(BpfImage("bpf.big", 1));
  EXPECT_EQ(r.code, coap::code::kRequestEntityTooLarge) << r.text();
  store_.capacity = 1u << 20;
  Client::Options size1 = {{coap::option::kContentFormat, Client::Uint(42)},
                           {coap::option::kSize1, Client::Uint(1u << 20)}};
  r = client_->PostBlock("install", BpfImage("bpf.big", 1), 0, 4, size1);
  EXPECT_EQ(r.code, coap::code::kRequestEntityTooLarge) << r.text();
}

TEST_F(MgmtTest, ExpiredImageIsRefused) {
  image::ContainerMetadata m = WasmMetadata("acme.old", 1);
  m.has_not_after = true;
  m.not_after = wall_clock_ - 1;
  const Reply r = Install(SignedImage(op_, m, module_));
  EXPECT_EQ(r.code, kUnauthorized) << r.text();
  EXPECT_TRUE(Containers().empty());
}

TEST_F(MgmtTest, TenantKeysInstallOnlyUnderTheirPrefix) {
  EXPECT_EQ(Install(WasmImage("acme.sampler", 1, &tenant_)).code, coap::code::kCreated);
  const Reply r = Install(WasmImage("other.app", 1, &tenant_));
  EXPECT_EQ(r.code, kUnauthorized) << r.text();
  const TestKey stranger = MakeKey("who");
  EXPECT_EQ(Install(WasmImage("acme.x", 1, &stranger)).code, kUnauthorized);
  EXPECT_EQ(client_->Post("install", Bytes(300, 0x55), kOctetStream).code, coap::code::kBadRequest);
}

TEST_F(MgmtTest, FailedCommitKeepsTheOldVersionRunning) {
  ASSERT_EQ(Install(WasmImage("acme.sampler", 1)).code, coap::code::kCreated);
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStart, 1).code, coap::code::kChanged);
  store_.fail_commit = true;
  const Reply r = Install(WasmImage("acme.sampler", 2));
  EXPECT_EQ(r.code, coap::code::kInternalServerError) << r.text();
  store_.fail_commit = false;
  EXPECT_EQ(Containers()[0]["version"], 1);
  EXPECT_EQ(StateOf("acme.sampler"), "ready");
  device_->RunFor(3000);
  EXPECT_GT(Get("stats")["stats"][0]["activations"], 0);
}

TEST_F(MgmtTest, WrongStateIsConflictAndUnknownUidIsNotFound) {
  ASSERT_EQ(Install(WasmImage("acme.sampler", 1)).code, coap::code::kCreated);
  Reply r = Command("acme.sampler", CommandAction::kStop, 1);
  EXPECT_EQ(r.code, kConflict) << r.text();
  EXPECT_NE(r.text().find("never started"), std::string::npos) << r.text();
  EXPECT_EQ(Command("acme.sampler", CommandAction::kResume, 2).code, kConflict);
  ASSERT_EQ(Command("acme.sampler", CommandAction::kStart, 3).code, coap::code::kChanged);
  EXPECT_EQ(Command("acme.sampler", CommandAction::kStart, 4).code, kConflict);
  EXPECT_EQ(Command("acme.sampler", CommandAction::kRemove, 5).code, kConflict);
  // Refused commands do not consume the sequence.
  EXPECT_EQ(Get("status")["seq"], 3);

  EXPECT_EQ(Command("acme.nobody", CommandAction::kStart, 6).code, coap::code::kNotFound);
  EXPECT_EQ(client_->Get("container", {"uid=acme.nobody"}).code, coap::code::kNotFound);
  EXPECT_EQ(client_->Get("stats", {"uid=acme.nobody"}).code, coap::code::kNotFound);
  image::ConfigUpdate update;
  ASSERT_TRUE(update.uid.Assign("acme.nobody").ok());
  update.sequence = 7;
  update.has_schedule = true;
  EXPECT_EQ(Config(update).code, coap::code::kNotFound);
}

TEST_F(MgmtTest, FailedPersistChangesNothing) {
  ASSERT_EQ(Install(WasmImage("acme.sampler", 1)).code, coap::code::kCreated);
  store_.fail_records = true;
  const Reply r = Command("acme.sampler", CommandAction::kStart, 1);
  EXPECT_EQ(r.code, coap::code::kInternalServerError) << r.text();
  store_.fail_records = false;
  EXPECT_EQ(StateOf("acme.sampler"), "installed");
  EXPECT_EQ(Get("status")["seq"], 0);
  EXPECT_EQ(Command("acme.sampler", CommandAction::kStart, 1).code, coap::code::kChanged);

  ASSERT_EQ(Command("acme.sampler", CommandAction::kStop, 2).code, coap::code::kChanged);
  store_.fail_remove_image = true;
  const Reply removal = Command("acme.sampler", CommandAction::kRemove, 3);
  EXPECT_EQ(removal.code, coap::code::kInternalServerError) << removal.text();
  store_.fail_remove_image = false;
  EXPECT_EQ(StateOf("acme.sampler"), "stopped");
  EXPECT_TRUE(store_.HasImage("acme.sampler"));
  EXPECT_EQ(Command("acme.sampler", CommandAction::kRemove, 4).code, coap::code::kChanged);
}

}  // namespace
}  // namespace tc::mgmt::testing
