// Moves whole datagrams between tinyctl and one device. The CoAP client depends only on this
// interface, so its retransmission and block-wise logic is tested with an in-memory peer that
// loses or reorders datagrams on purpose.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "tool_io.h"

namespace tinyctl {

class DatagramTransport {
 public:
  virtual ~DatagramTransport() = default;
  // Throws TransportError when the datagram cannot be handed to the network at all.
  virtual void Send(std::span<const uint8_t> datagram) = 0;
  // The next datagram from the device, or nullopt when none arrived within `timeout`.
  virtual std::optional<Bytes> Receive(std::chrono::milliseconds timeout) = 0;
  // "udp://127.0.0.1:5683", for messages.
  virtual std::string Describe() const = 0;
  // Why the device may not have answered, when the transport knows ("port unreachable"), or "".
  virtual std::string FailureHint() const { return {}; }
};

}  // namespace tinyctl
