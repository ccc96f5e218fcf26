// The operator's side of CoAP (RFC 7252) on top of the device-side codec (tc_coap): confirmable
// requests with retransmission, token and message-id matching, and block-wise transfers
// (RFC 7959): Block1 uploads in 256-byte blocks and Block2 downloads reassembled in order.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "datagram_transport.h"
#include "tc/net/coap/message.h"

namespace tinyctl {

// RFC 7252 §4.8 transmission parameters. ACK_TIMEOUT is 2 s in the RFC; on loopback (the native
// device) a reply takes well under a millisecond, so the default is scaled down.
struct CoapTiming {
  std::chrono::milliseconds ack_timeout{200};
  double ack_random_factor = 1.5;
  int max_retransmit = 4;
  // How long to wait for a separate response after the device acknowledged with an empty ACK.
  std::chrono::milliseconds separate_response_timeout{5000};
};

struct CoapRequest {
  uint8_t method = 0;              // tc::coap::code::kGet, kPost, ...
  std::string path;                // "status", "container" (no leading '/')
  std::vector<std::string> query;  // Uri-Query options: "uid=acme.sampler", "since=12"
  std::optional<uint16_t> content_format;
  std::optional<uint16_t> accept;
  Bytes payload;
};

struct CoapResponse {
  uint8_t code = 0;
  std::optional<uint16_t> content_format;
  Bytes payload;  // the whole body, reassembled from its blocks

  bool ok() const { return code >> 5 == 2; }
};

// "2.05 Content", "4.01 Unauthorized", "5.03 Service Unavailable", or "c.dd" when unnamed.
std::string CodeName(uint8_t code);

// (bytes acknowledged by the device, total bytes)
using ProgressFn = std::function<void(size_t done, size_t total)>;

class CoapClient {
 public:
  // `seed` chooses the first message id and the tokens (tests pass a fixed one).
  CoapClient(DatagramTransport& transport, CoapTiming timing, uint32_t seed);

  // Sends the request (one datagram; a payload larger than a block goes through Upload) and
  // returns the device's whole answer, fetching the remaining Block2 blocks when it is long.
  // Throws TransportError when the device does not answer after max_retransmit retransmissions,
  // answers with RST, or breaks the block sequence.
  CoapResponse Send(const CoapRequest& request);

  // A request whose payload goes block-wise (Block1, blocks of `block_size` bytes, 16..1024,
  // smaller when the device asks). `progress` runs after every acknowledged block. The device's
  // final answer is returned; an error answer ends the upload early and is returned as well.
  CoapResponse Upload(const CoapRequest& request, size_t block_size, const ProgressFn& progress);

  // Datagrams sent so far, including retransmissions (for tests and diagnostics).
  size_t datagrams_sent() const { return datagrams_sent_; }

 private:
  struct Block {
    uint32_t num = 0;
    bool more = false;
    uint8_t szx = 0;
  };
  struct Exchange {
    uint8_t code = 0;
    std::optional<uint16_t> content_format;
    std::optional<Block> block1;
    std::optional<Block> block2;
    Bytes etag;
    Bytes payload;
  };

  Exchange Decode(const tc::coap::Message& message) const;
  // Waits until `deadline` for the answer to (message_id, token): a piggybacked or separate
  // response. Sets `acknowledged` on an empty ACK (a separate response follows).
  std::optional<Exchange> AwaitReply(std::chrono::steady_clock::time_point deadline,
                                     uint16_t message_id, std::span<const uint8_t> token,
                                     bool& acknowledged);
  // One confirmable request and its response, retransmitted as RFC 7252 §4.2 describes.
  Exchange Transact(const CoapRequest& request, std::span<const uint8_t> payload,
                    const std::optional<Block>& block1, const std::optional<Block>& block2,
                    std::optional<uint32_t> size1);
  // Fetches the blocks after `first` (a response that carried Block2 with M set). False when a
  // block carries another ETag than `first`: the representation changed, start again.
  bool FetchRemainingBlocks(const CoapRequest& request, Exchange first, CoapResponse& out);
  Bytes Encode(const CoapRequest& request, std::span<const uint8_t> payload, uint16_t message_id,
               std::span<const uint8_t> token, const std::optional<Block>& block1,
               const std::optional<Block>& block2, std::optional<uint32_t> size1) const;

  DatagramTransport& transport_;
  CoapTiming timing_;
  std::mt19937 random_;
  uint16_t next_message_id_;
  size_t datagrams_sent_ = 0;
};

}  // namespace tinyctl
