#include "udp_transport.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tinyctl {

UdpTransport::UdpTransport(const DeviceUrl& url) : url_(url) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(url.port);
  const int resolved = ::getaddrinfo(url.host.c_str(), port.c_str(), &hints, &found);
  if (resolved != 0) {
    throw TransportError(url.text + ": cannot resolve host '" + url.host +
                         "': " + ::gai_strerror(resolved));
  }
  std::string last_error = "no address";
  for (addrinfo* a = found; a != nullptr && fd_ < 0; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      last_error = std::strerror(errno);
      ::close(fd);
      continue;
    }
    fd_ = fd;
  }
  ::freeaddrinfo(found);
  if (fd_ < 0) throw TransportError(url.text + ": cannot open a UDP socket: " + last_error);
}

UdpTransport::~UdpTransport() {
  if (fd_ >= 0) ::close(fd_);
}

std::string UdpTransport::FailureHint() const {
  return refused_ ? "port unreachable: is tinycontainerd running and listening there?" : "";
}

void UdpTransport::Send(std::span<const uint8_t> datagram) {
  for (;;) {
    if (::send(fd_, datagram.data(), datagram.size(), 0) >= 0) return;
    // An ICMP "port unreachable" from an earlier datagram surfaces here: the datagram is lost,
    // which retransmission covers (the device may still be starting).
    if (errno == ECONNREFUSED) {
      refused_ = true;
      continue;
    }
    if (errno == EINTR) continue;
    throw TransportError(url_.text + ": send failed: " + std::strerror(errno));
  }
}

std::optional<Bytes> UdpTransport::Receive(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw TransportError(url_.text + ": poll failed: " + std::strerror(errno));
    if (ready == 0) return std::nullopt;
    Bytes datagram(65536);
    const ssize_t n = ::recv(fd_, datagram.data(), datagram.size(), 0);
    if (n < 0) {
      if (errno == ECONNREFUSED) {
        refused_ = true;
        continue;
      }
      if (errno == EINTR) continue;
      throw TransportError(url_.text + ": receive failed: " + std::strerror(errno));
    }
    datagram.resize(static_cast<size_t>(n));
    return datagram;
  }
}

}  // namespace tinyctl
