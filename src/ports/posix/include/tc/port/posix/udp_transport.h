// The native device's management transport: one UDP socket bound to an address and port, whose
// datagrams go to a coap::Server and whose replies go back to the sender. Non-blocking; the main
// loop waits on fd() together with the signal pipe and the engine's next wake-up. It remembers
// the addresses of recent peers, so a separate response (which the server names by peer id) can
// be sent later with SendTo.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "tc/base/status.h"
#include "tc/net/coap/server.h"

namespace tc::port::posix {

// Waits until one of `fds` is readable or `timeout_us` passes (engine::kNever: no timeout); a
// signal also ends the wait. Sets ready[i] for each readable fd. Microsecond resolution (ppoll).
void WaitReadable(std::span<const int> fds, uint64_t timeout_us, std::span<bool> ready);

class UdpTransport {
 public:
  // Largest datagram read; longer ones are truncated by the kernel and then rejected by the
  // CoAP parser (a 256-byte block plus options fits easily).
  static constexpr size_t kMaxDatagram = 1500;
  // Datagrams served per call, so a flood cannot starve the engine.
  static constexpr size_t kMaxPerServe = 32;

  UdpTransport() = default;
  ~UdpTransport();
  UdpTransport(const UdpTransport&) = delete;
  UdpTransport& operator=(const UdpTransport&) = delete;

  // Binds `address` (numeric IPv4 or IPv6) and `port` (0: the kernel picks a free one).
  // kInvalidArgument for an address that is not numeric; kUnavailable when the socket cannot be
  // bound (error_number() has the errno).
  Status Open(const std::string& address, uint16_t port);
  int fd() const { return fd_; }
  uint16_t port() const { return port_; }
  int error_number() const { return errno_; }

  // Hands pending datagrams (at most kMaxPerServe) to `server` and sends its replies. Returns
  // how many were read.
  size_t ServePending(coap::Server& server, uint32_t now_ms);

  // Sends `datagram` to the peer with this id (one that sent a datagram recently). kNotFound for
  // a peer not remembered; kUnavailable when sendto fails (error_number() has the errno).
  Status SendTo(uint64_t peer, std::span<const uint8_t> datagram);

  // Datagrams the server rejected or dropped (malformed, RST, ...), for the summary.
  uint64_t rejected() const { return rejected_; }

 private:
  // Peers remembered for SendTo: more than the server can have separate responses pending for.
  static constexpr size_t kRememberedPeers = 16;
  struct Peer {
    uint64_t id = 0;
    sockaddr_storage address{};
    socklen_t length = 0;
    uint64_t last_seen = 0;  // 0: unused
  };
  void Remember(uint64_t id, const sockaddr_storage& address, socklen_t length);

  std::array<Peer, kRememberedPeers> peers_{};
  uint64_t datagrams_seen_ = 0;
  int fd_ = -1;
  uint16_t port_ = 0;
  int errno_ = 0;
  uint64_t rejected_ = 0;
};

// A stable id of a peer address for the server's deduplication.
uint64_t PeerId(const sockaddr_storage& address);

}  // namespace tc::port::posix
