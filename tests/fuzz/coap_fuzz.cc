// libFuzzer target: any datagram through tc::coap::Server must be answered with a well-formed
// message or dropped. Two resources exercise dispatch, Block1 and Block2; a third defers its
// answer, which is completed and retransmitted between inputs (separate responses, ACK/RST
// matching).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tc/net/coap/server.h"

namespace {

void Echo(void*, const tc::coap::Request& request, tc::coap::Response& r) {
  (void)r.Append(request.message.payload);
}

void Large(void*, const tc::coap::Request&, tc::coap::Response& r) {
  static const uint8_t body[700] = {};
  r.set_content_format(tc::coap::content_format::kCbor);
  (void)r.Append(body);
}

tc::coap::ExchangeId last_deferred = 0;

void Later(void*, const tc::coap::Request&, tc::coap::Response& r) {
  const tc::Result<tc::coap::ExchangeId> id = r.Defer();
  if (id.ok()) last_deferred = *id;
}

void FillLater(void*, tc::coap::Response& r) { (void)r.Append("later"); }

void CheckWellFormed(std::span<const uint8_t> datagram) {
  tc::coap::Message m;
  if (!datagram.empty() && !tc::coap::ParseMessage(datagram, m).ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static tc::coap::Server server = [] {
    tc::coap::Server s;
    (void)s.Register({"echo", "", Echo, Echo, Echo, Echo});
    tc::coap::Resource large{"a/large", ";ct=60", Large};
    large.put = Echo;
    large.request_format = tc::coap::content_format::kCbor;
    (void)s.Register(large);
    (void)s.Register({"later", "", Later, Later});
    return s;
  }();
  static uint32_t now_ms = 0;
  now_ms += 50;
  uint8_t reply[tc::coap::kMaxReplySize];
  const tc::coap::Server::Outcome out = server.Handle({data, size}, size % 3, now_ms, reply);
  CheckWellFormed(out.reply);
  if (size % 4 == 0) {
    const tc::Result<tc::coap::Outgoing> done =
        server.Complete(last_deferred, now_ms, FillLater, nullptr, reply);
    if (done.ok()) CheckWellFormed(done->datagram);
  }
  for (tc::coap::Outgoing o = server.Poll(now_ms, reply); !o.datagram.empty();
       o = server.Poll(now_ms, reply)) {
    CheckWellFormed(o.datagram);
  }
  return 0;
}
