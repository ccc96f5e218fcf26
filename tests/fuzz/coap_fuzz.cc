// libFuzzer target: any datagram through tc::coap::Server must be answered with a well-formed
// message or dropped. Two resources exercise dispatch, Block1 and Block2.
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static tc::coap::Server server = [] {
    tc::coap::Server s;
    (void)s.Register({"echo", "", Echo, Echo, Echo, Echo});
    tc::coap::Resource large{"a/large", ";ct=60", Large};
    large.put = Echo;
    large.request_format = tc::coap::content_format::kCbor;
    (void)s.Register(large);
    return s;
  }();
  static uint32_t now_ms = 0;
  uint8_t reply[tc::coap::kMaxReplySize];
  const tc::coap::Server::Outcome out = server.Handle({data, size}, size % 3, now_ms++, reply);
  if (!out.reply.empty()) {
    tc::coap::Message m;
    if (!tc::coap::ParseMessage(out.reply, m).ok()) std::abort();
  }
  return 0;
}
