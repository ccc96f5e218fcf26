#include "devices_resource.h"

#include <nlohmann/json.hpp>

namespace tinycontainerd {

namespace {

namespace coap = tc::coap;
namespace posix = tc::port::posix;

// UART output kept in the answer: the board keeps up to 1 KiB per port, more than one response
// body can carry next to the other devices.
constexpr size_t kUartTxShown = 64;

}  // namespace

tc::Status DevicesResource::Register(coap::Server& server) {
  coap::Resource resource;
  resource.path = "devices";
  resource.attributes = ";rt=\"tc.devices\";ct=\"60 50\"";
  resource.get = Get;
  resource.context = this;
  return server.Register(resource);
}

void DevicesResource::Get(void* context, const coap::Request& request, coap::Response& response) {
  auto& self = *static_cast<DevicesResource*>(context);
  const tc::Result<uint32_t> block2 = request.message.FindUint(coap::option::kBlock2);
  const bool first_block = !block2.ok() || (*block2 >> 4) == 0;
  if (first_block || self.json_.empty()) {
    posix::BoardSnapshot snapshot =
        self.board_ != nullptr ? self.board_->Snapshot() : posix::BoardSnapshot{};
    for (posix::BoardSnapshot::Uart& uart : snapshot.uart) {
      if (uart.tx.size() > kUartTxShown) uart.tx.erase(0, uart.tx.size() - kUartTxShown);
    }
    self.json_ = posix::SnapshotJson(snapshot);
    self.cbor_ = nlohmann::json::to_cbor(nlohmann::json::parse(self.json_));
  }
  // A state larger than the body buffer makes the server answer 5.00 (a board file with very
  // many devices).
  const tc::Result<uint32_t> accept = request.message.FindUint(coap::option::kAccept);
  if (accept.ok() && *accept == coap::content_format::kJson) {
    response.set_content_format(coap::content_format::kJson);
    (void)response.Append(self.json_);
  } else {
    // CBOR by default, like every management resource; another Accept gets 4.06 from the server.
    response.set_content_format(coap::content_format::kCbor);
    (void)response.Append(self.cbor_);
  }
}

}  // namespace tinycontainerd
