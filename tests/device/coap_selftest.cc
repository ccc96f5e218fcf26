// CoAP on a Cortex-M4 (QEMU mps2-an386): the server answers a CON GET with a piggybacked ACK,
// serves a large body block-wise, generates /.well-known/core, rejects a malformed CON with RST
// and drops a malformed NON.
#include <cstring>

#include "device_check.h"
#include "tc/net/coap/message_builder.h"
#include "tc/net/coap/server.h"

namespace {

using namespace tc::coap;

void GetStatus(void*, const Request&, Response& r) {
  r.set_content_format(content_format::kTextPlain);
  (void)r.Append("running");
}

void GetLarge(void*, const Request&, Response& r) {
  static uint8_t body[600];
  for (size_t i = 0; i < sizeof body; ++i) body[i] = static_cast<uint8_t>(i);
  (void)r.Append(body);
}

size_t BuildGet(uint8_t* buffer, size_t size, uint16_t mid, const char* a, const char* b) {
  MessageBuilder builder({buffer, size});
  const uint8_t token[] = {0xC0, 0xA9};
  (void)builder.Header(Type::kConfirmable, code::kGet, mid, token);
  (void)builder.AddStringOption(option::kUriPath, a);
  if (b != nullptr) (void)builder.AddStringOption(option::kUriPath, b);
  return builder.size();
}

}  // namespace

int main() {
  static Server server(0x100);
  DEVICE_CHECK(server.Register({"status", ";rt=\"tc.status\"", GetStatus}).ok());
  DEVICE_CHECK(server.Register({"large", "", GetLarge}).ok());
  uint8_t request[64];
  uint8_t reply[kMaxReplySize];
  Message m;

  size_t n = BuildGet(request, sizeof request, 7, "status", nullptr);
  Server::Outcome out = server.Handle({request, n}, 1, 0, reply);
  DEVICE_CHECK(ParseMessage(out.reply, m).ok());
  DEVICE_CHECK(m.type == Type::kAcknowledgement && m.message_id == 7 && m.code == code::kContent);
  DEVICE_CHECK(m.payload.size() == 7 && std::memcmp(m.payload.data(), "running", 7) == 0);

  n = BuildGet(request, sizeof request, 8, ".well-known", "core");
  out = server.Handle({request, n}, 1, 0, reply);
  DEVICE_CHECK(ParseMessage(out.reply, m).ok());
  const char kLinks[] = "</status>;rt=\"tc.status\",</large>";
  DEVICE_CHECK(m.payload.size() == sizeof kLinks - 1 &&
               std::memcmp(m.payload.data(), kLinks, sizeof kLinks - 1) == 0);

  n = BuildGet(request, sizeof request, 9, "large", nullptr);
  out = server.Handle({request, n}, 1, 0, reply);
  DEVICE_CHECK(ParseMessage(out.reply, m).ok());
  const Option* block2 = m.Find(option::kBlock2);
  DEVICE_CHECK(block2 != nullptr);
  if (block2 != nullptr) {
    const tc::Result<BlockOption> b = DecodeBlock(block2->value);
    DEVICE_CHECK(b.ok() && b->num == 0 && b->more && b->size() == 256);
  }
  DEVICE_CHECK(m.payload.size() == 256 && m.payload[255] == 255);

  const uint8_t bad_con[] = {0x40, 0x01, 0x12, 0x34, 0xF1, 'a'};
  out = server.Handle(bad_con, 1, 0, reply);
  DEVICE_CHECK(out.status.code() == tc::ErrorCode::kMalformed && out.reply.size() == 4 &&
               out.reply[0] == 0x70 && out.reply[3] == 0x34);
  const uint8_t bad_non[] = {0x50, 0x01, 0, 1, 0x1F};
  DEVICE_CHECK(server.Handle(bad_non, 1, 0, reply).reply.empty());

  return tc::device_test::Finish("coap_selftest");
}
