#include "devices_resource.h"

#include <nlohmann/json.hpp>

namespace tinycontainerd {

namespace {

namespace coap = tc::coap;
namespace posix = tc::port::posix;

// UART output kept in the answer: the board keeps up to 1 KiB per port, more than one response
// body can carry next to the other devices.
constexpr size_t kUartTxShown = 64;

void GetDevices(void* context, const coap::Request& request, coap::Response& response) {
  const auto* board = static_cast<const posix::SimulatedBoard*>(context);
  posix::BoardSnapshot snapshot = board != nullptr ? board->Snapshot() : posix::BoardSnapshot{};
  for (posix::BoardSnapshot::Uart& uart : snapshot.uart) {
    if (uart.tx.size() > kUartTxShown) uart.tx.erase(0, uart.tx.size() - kUartTxShown);
  }
  const std::string json = posix::SnapshotJson(snapshot);
  const tc::Result<uint32_t> accept = request.message.FindUint(coap::option::kAccept);
  // A state larger than the body buffer makes the server answer 5.00 (a board file with very
  // many devices).
  if (accept.ok() && *accept == coap::content_format::kJson) {
    response.set_content_format(coap::content_format::kJson);
    (void)response.Append(json);
  } else {
    // CBOR by default, like every management resource; another Accept gets 4.06 from the server.
    response.set_content_format(coap::content_format::kCbor);
    (void)response.Append(nlohmann::json::to_cbor(nlohmann::json::parse(json)));
  }
}

}  // namespace

tc::Status RegisterDevicesResource(coap::Server& server, const posix::SimulatedBoard* board) {
  coap::Resource resource;
  resource.path = "devices";
  resource.attributes = ";rt=\"tc.devices\";ct=\"60 50\"";
  resource.get = GetDevices;
  resource.context = const_cast<posix::SimulatedBoard*>(board);
  return server.Register(resource);
}

}  // namespace tinycontainerd
