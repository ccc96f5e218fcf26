// Work loops for instruction counting (scripts/bench-coap.sh runs them under callgrind with two
// iteration counts and divides the difference). Usage: coap_bench OPERATION ITERATIONS
//   parse-request  ParseMessage of a CON GET /c/status with a 4-byte token and Block2
//   handle-get     Server::Handle of that request: parse, dedup, dispatch, reply, cache
//   handle-block2  Server::Handle of a GET for block 1 (256 bytes) of a 1000-byte resource
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tc/net/coap/message_builder.h"
#include "tc/net/coap/server.h"

namespace {

void GetStatus(void*, const tc::coap::Request&, tc::coap::Response& r) {
  r.set_content_format(tc::coap::content_format::kCbor);
  const uint8_t cbor[] = {0xA2, 0x01, 0x18, 0x2A, 0x02, 0x63, 'r', 'u', 'n'};
  (void)r.Append(cbor);
}

void GetLarge(void*, const tc::coap::Request&, tc::coap::Response& r) {
  static uint8_t body[1000];
  (void)r.Append(body);
}

size_t BuildRequest(uint8_t* buffer, size_t size, const char* leaf, uint32_t block2) {
  tc::coap::MessageBuilder b({buffer, size});
  const uint8_t token[] = {0x11, 0x22, 0x33, 0x44};
  (void)b.Header(tc::coap::Type::kConfirmable, tc::coap::code::kGet, 1, token);
  (void)b.AddStringOption(tc::coap::option::kUriPath, "c");
  (void)b.AddStringOption(tc::coap::option::kUriPath, leaf);
  (void)b.AddUintOption(tc::coap::option::kBlock2, block2);
  return b.size();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: coap_bench parse-request|handle-get|handle-block2 ITERATIONS\n");
    return 2;
  }
  const char* op = argv[1];
  const long iterations = std::atol(argv[2]);
  static tc::coap::Server server;
  (void)server.Register({"c/status", "", GetStatus});
  (void)server.Register({"c/large", "", GetLarge});
  uint8_t request[64];
  const bool block2 = std::strcmp(op, "handle-block2") == 0;
  const size_t size =
      BuildRequest(request, sizeof(request), block2 ? "large" : "status", block2 ? 0x14 : 0x04);
  uint8_t reply[tc::coap::kMaxReplySize];
  size_t total = 0;
  static tc::coap::Message message;
  for (long i = 0; i < iterations; ++i) {
    // A new message id each time, so the dedup cache never answers for the server.
    request[2] = static_cast<uint8_t>(i >> 8);
    request[3] = static_cast<uint8_t>(i);
    if (std::strcmp(op, "parse-request") == 0) {
      total += tc::coap::ParseMessage({request, size}, message).ok() ? message.options.size() : 0;
    } else {
      total += server.Handle({request, size}, 1, 0, reply).reply.size();
    }
  }
  std::printf("op=%s bytes=%zu checksum=%zu\n", op, size, total);
  return 0;
}
