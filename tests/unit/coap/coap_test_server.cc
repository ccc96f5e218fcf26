// Tests-only UDP server on 127.0.0.1 (ephemeral port) around tc::coap::Server, for interop with
// Debian's coap-client. Prints "PORT <n>" once bound; exits after 30 s without a datagram.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "tc/net/coap/server.h"

namespace {

void GetStatus(void*, const tc::coap::Request&, tc::coap::Response& r) {
  r.set_content_format(tc::coap::content_format::kTextPlain);
  (void)r.Append("state=running containers=0");
}

// 26 lines of 30 bytes: 780 bytes, more than one 256-byte block.
void GetLarge(void*, const tc::coap::Request&, tc::coap::Response& r) {
  r.set_content_format(tc::coap::content_format::kTextPlain);
  for (int line = 0; line < 26; ++line) {
    std::string text(29, static_cast<char>('A' + line));
    text += '\n';
    (void)r.Append(text);
  }
}

// Reassembles a Block1 upload; GET reports its length and byte sum.
struct Upload {
  uint8_t data[4096];
  size_t size = 0;
};
Upload g_upload;

void PutUpload(void*, const tc::coap::Request& request, tc::coap::Response& r) {
  const size_t offset = request.has_block1 ? request.block1.offset() : 0;
  if (offset == 0) g_upload.size = 0;
  if (offset != g_upload.size) {
    r.set_code(tc::coap::code::kRequestEntityIncomplete);
    return;
  }
  if (sizeof(g_upload.data) - g_upload.size < request.message.payload.size()) {
    r.set_code(tc::coap::code::kRequestEntityTooLarge);
    return;
  }
  for (uint8_t b : request.message.payload) g_upload.data[g_upload.size++] = b;
  r.set_code(tc::coap::code::kChanged);
}

void GetUpload(void*, const tc::coap::Request&, tc::coap::Response& r) {
  unsigned sum = 0;
  for (size_t i = 0; i < g_upload.size; ++i) sum += g_upload.data[i];
  const std::string text = "bytes=" + std::to_string(g_upload.size) + " sum=" + std::to_string(sum);
  (void)r.Append(text);
}

}  // namespace

int main() {
  static tc::coap::Server server(0x2000);
  if (!server.Register({"status", ";rt=\"tc.status\";ct=0", GetStatus}).ok() ||
      !server.Register({"large", ";ct=0", GetLarge}).ok() ||
      !server.Register({"upload", "", GetUpload, nullptr, PutUpload}).ok()) {
    return 1;
  }
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("coap_test_server: socket");
    return 1;
  }
  std::printf("PORT %u\n", ntohs(addr.sin_port));
  std::fflush(stdout);

  uint32_t now_ms = 0;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 30000) <= 0) return 0;
    uint8_t datagram[1500];
    uint8_t reply[tc::coap::kMaxReplySize];
    sockaddr_in peer{};
    socklen_t peer_len = sizeof(peer);
    const ssize_t n =
        recvfrom(fd, datagram, sizeof(datagram), 0, reinterpret_cast<sockaddr*>(&peer), &peer_len);
    if (n < 0) continue;
    const uint64_t peer_id = (uint64_t{ntohl(peer.sin_addr.s_addr)} << 16) | ntohs(peer.sin_port);
    const tc::coap::Server::Outcome out =
        server.Handle({datagram, static_cast<size_t>(n)}, peer_id, now_ms++, reply);
    if (!out.status.ok()) std::fprintf(stderr, "rejected: %s\n", out.status.message());
    if (!out.reply.empty()) {
      sendto(fd, out.reply.data(), out.reply.size(), 0, reinterpret_cast<sockaddr*>(&peer),
             peer_len);
    }
  }
}
