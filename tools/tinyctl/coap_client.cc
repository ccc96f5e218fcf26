#include "coap_client.h"

#include <algorithm>
#include <cstdio>

#include "tc/net/coap/block.h"
#include "tc/net/coap/message.h"
#include "tc/net/coap/message_builder.h"

namespace tinyctl {

namespace coap = tc::coap;

namespace {

constexpr size_t kTokenLength = 4;
// A reassembled body larger than this is refused: no device resource is near it.
constexpr size_t kMaxBodySize = 64u << 20;

void Check(const tc::Status& status, const char* what) {
  if (!status.ok())
    throw CommandError(std::string("encoding the request: ") + what + ": " + status.message());
}

std::optional<uint16_t> ContentFormatOf(const coap::Message& m) {
  const tc::Result<uint32_t> value = m.FindUint(coap::option::kContentFormat);
  if (!value.ok() || *value > 0xFFFF) return std::nullopt;
  return static_cast<uint16_t>(*value);
}

}  // namespace

std::string CodeName(uint8_t code) {
  struct Named {
    uint8_t code;
    const char* name;
  };
  static constexpr Named kNames[] = {
      {coap::MakeCode(2, 1), "Created"},
      {coap::MakeCode(2, 2), "Deleted"},
      {coap::MakeCode(2, 3), "Valid"},
      {coap::MakeCode(2, 4), "Changed"},
      {coap::MakeCode(2, 5), "Content"},
      {coap::MakeCode(2, 31), "Continue"},
      {coap::MakeCode(4, 0), "Bad Request"},
      {coap::MakeCode(4, 1), "Unauthorized"},
      {coap::MakeCode(4, 2), "Bad Option"},
      {coap::MakeCode(4, 3), "Forbidden"},
      {coap::MakeCode(4, 4), "Not Found"},
      {coap::MakeCode(4, 5), "Method Not Allowed"},
      {coap::MakeCode(4, 6), "Not Acceptable"},
      {coap::MakeCode(4, 8), "Request Entity Incomplete"},
      {coap::MakeCode(4, 9), "Conflict"},
      {coap::MakeCode(4, 12), "Precondition Failed"},
      {coap::MakeCode(4, 13), "Request Entity Too Large"},
      {coap::MakeCode(4, 15), "Unsupported Content-Format"},
      {coap::MakeCode(5, 0), "Internal Server Error"},
      {coap::MakeCode(5, 1), "Not Implemented"},
      {coap::MakeCode(5, 3), "Service Unavailable"},
  };
  char digits[8];
  std::snprintf(digits, sizeof(digits), "%u.%02u", coap::CodeClass(code), coap::CodeDetail(code));
  std::string text = digits;
  for (const Named& n : kNames) {
    if (n.code == code) return text + " " + n.name;
  }
  return text;
}

CoapClient::CoapClient(DatagramTransport& transport, CoapTiming timing, uint32_t seed)
    : transport_(transport),
      timing_(timing),
      random_(seed),
      next_message_id_(static_cast<uint16_t>(random_())) {}

Bytes CoapClient::Encode(const CoapRequest& request, std::span<const uint8_t> payload,
                         uint16_t message_id, std::span<const uint8_t> token,
                         const std::optional<Block>& block1, const std::optional<Block>& block2,
                         std::optional<uint32_t> size1) const {
  size_t capacity = 64 + request.path.size() + payload.size();
  for (const std::string& q : request.query) capacity += q.size() + 3;
  Bytes out(capacity);
  coap::MessageBuilder b(out);
  Check(b.Header(coap::Type::kConfirmable, request.method, message_id, token), "header");
  std::string_view path = request.path;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    Check(b.AddStringOption(coap::option::kUriPath, path.substr(0, slash)), "Uri-Path");
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  if (request.content_format) {
    Check(b.AddUintOption(coap::option::kContentFormat, *request.content_format), "Content-Format");
  }
  for (const std::string& q : request.query) {
    Check(b.AddStringOption(coap::option::kUriQuery, q), "Uri-Query");
  }
  if (request.accept) Check(b.AddUintOption(coap::option::kAccept, *request.accept), "Accept");
  auto block_value = [](const Block& block) {
    const tc::Result<uint32_t> value =
        coap::EncodeBlock(coap::BlockOption{block.num, block.more, block.szx});
    Check(value.status(), "Block option");
    return *value;
  };
  if (block2) Check(b.AddUintOption(coap::option::kBlock2, block_value(*block2)), "Block2");
  if (block1) Check(b.AddUintOption(coap::option::kBlock1, block_value(*block1)), "Block1");
  if (size1) Check(b.AddUintOption(coap::option::kSize1, *size1), "Size1");
  Check(b.SetPayload(payload), "payload");
  out.resize(b.size());
  return out;
}

CoapClient::Exchange CoapClient::Decode(const coap::Message& m) const {
  Exchange e;
  e.code = m.code;
  e.content_format = ContentFormatOf(m);
  for (const auto& [number, slot] :
       {std::pair{coap::option::kBlock1, &e.block1}, std::pair{coap::option::kBlock2, &e.block2}}) {
    if (const coap::Option* o = m.Find(number)) {
      const tc::Result<coap::BlockOption> value = coap::DecodeBlock(o->value);
      if (!value.ok()) {
        throw TransportError(transport_.Describe() + ": malformed Block option in the answer");
      }
      *slot = Block{value->num, value->more, value->szx};
    }
  }
  if (const coap::Option* o = m.Find(coap::option::kETag)) {
    e.etag.assign(o->value.begin(), o->value.end());
  }
  e.payload.assign(m.payload.begin(), m.payload.end());
  return e;
}

std::optional<CoapClient::Exchange> CoapClient::AwaitReply(
    std::chrono::steady_clock::time_point deadline, uint16_t message_id,
    std::span<const uint8_t> token, bool& acknowledged) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return std::nullopt;
    const std::optional<Bytes> reply = transport_.Receive(left);
    if (!reply) return std::nullopt;
    coap::Message m;
    // Garbage and late answers to earlier requests are not this exchange's business.
    if (!coap::ParseMessage(*reply, m).ok()) continue;
    const bool same_token = std::ranges::equal(m.token_bytes(), token);
    if (m.message_id == message_id && m.type == coap::Type::kReset) {
      throw TransportError(transport_.Describe() +
                           ": the device reset the request (RST): it could not parse it");
    }
    if (m.message_id == message_id && m.type == coap::Type::kAcknowledgement) {
      if (m.code == coap::code::kEmpty) {
        acknowledged = true;
        continue;
      }
      if (!same_token) {
        throw TransportError(transport_.Describe() +
                             ": the answer carries another request's token");
      }
      return Decode(m);
    }
    // A separate response (RFC 7252 §5.2.2): acknowledge it if it is confirmable.
    const bool is_response = coap::CodeClass(m.code) >= 2;
    if (is_response && same_token &&
        (m.type == coap::Type::kConfirmable || m.type == coap::Type::kNonConfirmable)) {
      if (m.type == coap::Type::kConfirmable) {
        uint8_t ack[coap::kHeaderSize];
        coap::MessageBuilder b(ack);
        Check(b.Header(coap::Type::kAcknowledgement, coap::code::kEmpty, m.message_id, {}), "ACK");
        transport_.Send(b.bytes());
      }
      return Decode(m);
    }
  }
}

CoapClient::Exchange CoapClient::Transact(const CoapRequest& request,
                                          std::span<const uint8_t> payload,
                                          const std::optional<Block>& block1,
                                          const std::optional<Block>& block2,
                                          std::optional<uint32_t> size1) {
  const uint16_t message_id = next_message_id_++;
  uint8_t token[kTokenLength];
  for (uint8_t& t : token) t = static_cast<uint8_t>(random_());
  const Bytes datagram = Encode(request, payload, message_id, token, block1, block2, size1);

  // RFC 7252 §4.2: the first timeout is random in [ACK_TIMEOUT, ACK_TIMEOUT * factor], then
  // doubles with every retransmission.
  std::uniform_real_distribution<double> factor(1.0, timing_.ack_random_factor);
  auto timeout = std::chrono::milliseconds(
      static_cast<int64_t>(static_cast<double>(timing_.ack_timeout.count()) * factor(random_)));
  const int tries = timing_.max_retransmit + 1;
  bool acknowledged = false;
  for (int attempt = 0; attempt < tries && !acknowledged; ++attempt) {
    transport_.Send(datagram);
    ++datagrams_sent_;
    if (auto reply = AwaitReply(std::chrono::steady_clock::now() + timeout, message_id, token,
                                acknowledged)) {
      return std::move(*reply);
    }
    timeout *= 2;
  }
  if (acknowledged) {
    if (auto reply =
            AwaitReply(std::chrono::steady_clock::now() + timing_.separate_response_timeout,
                       message_id, token, acknowledged)) {
      return std::move(*reply);
    }
    throw TransportError(transport_.Describe() +
                         ": the device acknowledged the request but sent no response");
  }
  std::string message = "no answer from " + transport_.Describe() + " after " +
                        std::to_string(tries) + (tries == 1 ? " try" : " tries");
  const std::string hint = transport_.FailureHint();
  if (!hint.empty()) message += " (" + hint + ")";
  throw TransportError(message);
}

CoapResponse CoapClient::Send(const CoapRequest& request) {
  // A resource that changes between blocks and is not served from one snapshot shows up as a new
  // ETag; the transfer then starts again, a few times at most.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    Exchange first = Transact(request, request.payload, std::nullopt, std::nullopt, std::nullopt);
    CoapResponse out;
    out.code = first.code;
    out.content_format = first.content_format;
    if (first.block2 && first.block2->num != 0) {
      throw TransportError(transport_.Describe() + ": the first answer is block " +
                           std::to_string(first.block2->num) + ", not block 0");
    }
    if (!first.block2 || !first.block2->more) {
      out.payload = std::move(first.payload);
      return out;
    }
    if (FetchRemainingBlocks(request, std::move(first), out)) return out;
    if (attempt == kAttempts) {
      throw TransportError(transport_.Describe() + ": the answer changed during each of " +
                           std::to_string(kAttempts) + " block-wise transfers");
    }
  }
}

bool CoapClient::FetchRemainingBlocks(const CoapRequest& request, Exchange first,
                                      CoapResponse& out) {
  out.payload = std::move(first.payload);
  Block block = *first.block2;
  while (block.more) {
    const size_t size = size_t{16} << block.szx;
    if (out.payload.size() % size != 0) {
      throw TransportError(transport_.Describe() + ": Block2 block of " +
                           std::to_string(out.payload.size() % size) +
                           " bytes is not the last one but shorter than its size");
    }
    if (out.payload.size() > kMaxBodySize) {
      throw TransportError(transport_.Describe() + ": answer longer than 64 MiB");
    }
    const Block wanted{static_cast<uint32_t>(out.payload.size() / size), false, block.szx};
    Exchange next = Transact(request, request.payload, std::nullopt, wanted, std::nullopt);
    if (!(next.code >> 5 == 2)) {
      throw TransportError(transport_.Describe() + ": block " + std::to_string(wanted.num) +
                           " was answered " + CodeName(next.code) +
                           " (did the resource change during the transfer?)");
    }
    if (!next.block2 || next.block2->num != wanted.num || next.block2->szx != wanted.szx) {
      throw TransportError(
          transport_.Describe() + ": asked for block " + std::to_string(wanted.num) + ", got " +
          (next.block2 ? "block " + std::to_string(next.block2->num) + " of size " +
                             std::to_string(size_t{16} << next.block2->szx)
                       : std::string("no Block2 option")));
    }
    if (next.etag != first.etag) return false;
    out.payload.insert(out.payload.end(), next.payload.begin(), next.payload.end());
    block = *next.block2;
  }
  return true;
}

CoapResponse CoapClient::Upload(const CoapRequest& request, size_t block_size,
                                const ProgressFn& progress) {
  const tc::Result<uint8_t> szx_for_size = coap::SzxForSize(block_size);
  if (!szx_for_size.ok() || block_size > 1024) {
    throw CommandError("block size must be 16..1024 bytes, got " + std::to_string(block_size));
  }
  uint8_t szx = *szx_for_size;
  const Bytes& body = request.payload;
  const size_t total = body.size();
  size_t offset = 0;
  for (;;) {
    const size_t size = size_t{16} << szx;
    const size_t length = std::min(size, total - offset);
    const bool more = offset + length < total;
    const Block block{static_cast<uint32_t>(offset / size), more, szx};
    if (block.num > coap::kMaxBlockNum) throw CommandError("upload too large for Block1");
    const std::optional<uint32_t> size1 =
        offset == 0 ? std::optional<uint32_t>(static_cast<uint32_t>(total)) : std::nullopt;
    Exchange answer =
        Transact(request, std::span(body).subspan(offset, length), block, std::nullopt, size1);
    // 4.13 with a smaller Block1 size on the first block: the device wants smaller blocks.
    if (answer.code == coap::code::kRequestEntityTooLarge && offset == 0 && answer.block1 &&
        answer.block1->szx < szx) {
      szx = answer.block1->szx;
      continue;
    }
    if (!(answer.code >> 5 == 2)) {
      return CoapResponse{answer.code, answer.content_format, std::move(answer.payload)};
    }
    if (more) {
      if (answer.code != coap::code::kContinue) {
        throw TransportError(transport_.Describe() + ": the device answered " +
                             CodeName(answer.code) + " to block " + std::to_string(block.num) +
                             " before the last block");
      }
      if (!answer.block1 || answer.block1->num != block.num) {
        throw TransportError(transport_.Describe() + ": 2.31 Continue for block " +
                             std::to_string(block.num) + " does not echo its Block1 number");
      }
      offset += length;
      // RFC 7959 §2.3: the device may ask for smaller blocks from here on.
      if (answer.block1->szx < szx) szx = answer.block1->szx;
      if (progress) progress(offset, total);
      continue;
    }
    if (progress) progress(total, total);
    // Fetching the rest would repeat the request; no device answer to an upload is that long.
    if (answer.block2 && answer.block2->more) {
      throw TransportError(transport_.Describe() +
                           ": the answer to the upload is longer than one block");
    }
    return CoapResponse{answer.code, answer.content_format, std::move(answer.payload)};
  }
}

}  // namespace tinyctl
