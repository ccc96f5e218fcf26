#include "tc/port/posix/udp_transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "tc/engine/port.h"

namespace tc::port::posix {

void WaitReadable(std::span<const int> fds, uint64_t timeout_us, std::span<bool> ready) {
  std::vector<pollfd> polled(fds.size());
  for (size_t i = 0; i < fds.size(); ++i) polled[i] = {fds[i], POLLIN, 0};
  timespec timeout{};
  timespec* limit = nullptr;
  if (timeout_us != engine::kNever) {
    timeout.tv_sec = static_cast<time_t>(timeout_us / 1000000u);
    timeout.tv_nsec = static_cast<long>(timeout_us % 1000000u) * 1000;
    limit = &timeout;
  }
  const int n = ::ppoll(polled.data(), polled.size(), limit, nullptr);
  for (size_t i = 0; i < fds.size() && i < ready.size(); ++i) {
    ready[i] = n > 0 && (polled[i].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
  }
}

uint64_t PeerId(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    return (uint64_t{ntohl(v4.sin_addr.s_addr)} << 16) | ntohs(v4.sin_port);
  }
  // IPv6: FNV-1a over address and port (the id only separates peers in the dedup cache).
  const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
  uint64_t hash = 1469598103934665603ull;
  auto mix = [&hash](const uint8_t* bytes, size_t n) {
    for (size_t i = 0; i < n; ++i) hash = (hash ^ bytes[i]) * 1099511628211ull;
  };
  mix(v6.sin6_addr.s6_addr, sizeof(v6.sin6_addr.s6_addr));
  mix(reinterpret_cast<const uint8_t*>(&v6.sin6_port), sizeof(v6.sin6_port));
  return hash;
}

UdpTransport::~UdpTransport() {
  if (fd_ >= 0) ::close(fd_);
}

Status UdpTransport::Open(const std::string& address, uint16_t port) {
  sockaddr_storage bound{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&bound);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&bound);
  if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof(sockaddr_in6);
  } else {
    return Status(ErrorCode::kInvalidArgument, "not a numeric IPv4 or IPv6 address");
  }
  fd_ = ::socket(bound.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    errno_ = errno;
    return Status(ErrorCode::kUnavailable, "cannot create a UDP socket");
  }
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&bound), length) != 0) {
    errno_ = errno;
    return Status(ErrorCode::kUnavailable, "cannot bind the UDP socket");
  }
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
    errno_ = errno;
    return Status(ErrorCode::kUnavailable, "cannot read the bound port");
  }
  port_ = ntohs(bound.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
  return Status::Ok();
}

size_t UdpTransport::ServePending(coap::Server& server, uint32_t now_ms) {
  size_t served = 0;
  while (served < kMaxPerServe) {
    uint8_t datagram[kMaxDatagram];
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof(peer);
    const ssize_t n = ::recvfrom(fd_, datagram, sizeof(datagram), 0,
                                 reinterpret_cast<sockaddr*>(&peer), &peer_length);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // EAGAIN: drained (other errors: ICMP reports, nothing to serve)
    }
    ++served;
    const uint64_t peer_id = PeerId(peer);
    Remember(peer_id, peer, peer_length);
    uint8_t reply[coap::kMaxReplySize];
    const coap::Server::Outcome outcome =
        server.Handle({datagram, static_cast<size_t>(n)}, peer_id, now_ms, reply);
    if (!outcome.status.ok()) ++rejected_;
    if (!outcome.reply.empty()) {
      // A lost reply is the client's retransmission's business (UDP).
      ::sendto(fd_, outcome.reply.data(), outcome.reply.size(), 0,
               reinterpret_cast<sockaddr*>(&peer), peer_length);
    }
  }
  return served;
}

void UdpTransport::Remember(uint64_t id, const sockaddr_storage& address, socklen_t length) {
  Peer* slot = &peers_[0];
  for (Peer& p : peers_) {
    if (p.last_seen != 0 && p.id == id) {
      slot = &p;
      break;
    }
    if (p.last_seen < slot->last_seen) slot = &p;  // unused (0) or least recently seen
  }
  *slot = {id, address, length, ++datagrams_seen_};
}

Status UdpTransport::SendTo(uint64_t peer, std::span<const uint8_t> datagram) {
  for (const Peer& p : peers_) {
    if (p.last_seen == 0 || p.id != peer) continue;
    if (::sendto(fd_, datagram.data(), datagram.size(), 0,
                 reinterpret_cast<const sockaddr*>(&p.address), p.length) < 0) {
      errno_ = errno;
      return Status(ErrorCode::kUnavailable, "sendto failed");
    }
    return Status::Ok();
  }
  return Status(ErrorCode::kNotFound, "no recent datagram from this peer");
}

}  // namespace tc::port::posix
