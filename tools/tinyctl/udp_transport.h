// DatagramTransport over a connected UDP socket (IPv4 or IPv6): the kernel then delivers only
// datagrams from the device's address and port.
#pragma once

#include "datagram_transport.h"
#include "device_url.h"

namespace tinyctl {

class UdpTransport final : public DatagramTransport {
 public:
  // Resolves the host and connects the socket; throws TransportError naming the URL.
  explicit UdpTransport(const DeviceUrl& url);
  ~UdpTransport() override;
  UdpTransport(const UdpTransport&) = delete;
  UdpTransport& operator=(const UdpTransport&) = delete;

  void Send(std::span<const uint8_t> datagram) override;
  std::optional<Bytes> Receive(std::chrono::milliseconds timeout) override;
  std::string Describe() const override { return url_.text; }
  std::string FailureHint() const override;

 private:
  DeviceUrl url_;
  int fd_ = -1;
  bool refused_ = false;  // the kernel reported "port unreachable": nothing listens there
};

}  // namespace tinyctl
