// A test client for coap::Server::Handle: builds request datagrams with MessageBuilder, uploads
// bodies in Block1 blocks (following 2.31 Continue), fetches Block2 bodies completely, and decodes
// CBOR or JSON answers with nlohmann::json.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tc/net/coap/block.h"
#include "tc/net/coap/message_builder.h"
#include "tc/net/coap/server.h"

namespace tc::mgmt::testing {

struct Reply {
  bool dropped = false;  // the server sent nothing
  uint8_t code = 0;
  std::optional<uint32_t> content_format;
  std::optional<coap::BlockOption> block1;
  std::optional<coap::BlockOption> block2;
  std::vector<uint8_t> payload;

  std::string text() const { return {payload.begin(), payload.end()}; }
  // The body as JSON (from CBOR when Content-Format 60); discarded (is_discarded()) if invalid.
  nlohmann::json json() const {
    if (content_format == coap::content_format::kCbor) {
      return nlohmann::json::from_cbor(payload, true, false);
    }
    return nlohmann::json::parse(payload.begin(), payload.end(), nullptr, false);
  }
};

inline std::string CodeText(uint8_t code) {
  return std::to_string(coap::CodeClass(code)) + "." + (coap::CodeDetail(code) < 10 ? "0" : "") +
         std::to_string(coap::CodeDetail(code));
}

class Client {
 public:
  using Options = std::vector<std::pair<uint16_t, std::vector<uint8_t>>>;

  Client(coap::Server& server, uint64_t peer = 1) : server_(&server), peer_(peer) {}
  void set_server(coap::Server& server) { server_ = &server; }
  void set_peer(uint64_t peer) { peer_ = peer; }

  static std::vector<uint8_t> Uint(uint32_t v) {
    std::vector<uint8_t> out;
    for (int shift = 24; shift >= 0; shift -= 8) {
      if (!out.empty() || (v >> shift) != 0) out.push_back(static_cast<uint8_t>(v >> shift));
    }
    return out;
  }
  static std::vector<uint8_t> Text(const std::string& s) { return {s.begin(), s.end()}; }

  // One datagram: method, path ("a/b"), queries, extra options (any order), payload.
  std::vector<uint8_t> Build(uint8_t method, const std::string& path,
                             const std::vector<std::string>& queries, Options options,
                             const std::vector<uint8_t>& payload, coap::Type type) {
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      options.push_back({coap::option::kUriPath, Text(path.substr(start, end - start))});
      start = end + 1;
    }
    for (const std::string& q : queries) options.push_back({coap::option::kUriQuery, Text(q)});
    std::stable_sort(options.begin(), options.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<uint8_t> buffer(payload.size() + 512);
    coap::MessageBuilder b(buffer);
    const uint8_t token[2] = {0x7c, static_cast<uint8_t>(next_mid_)};
    EXPECT_TRUE(b.Header(type, method, next_mid_++, token).ok());
    for (const auto& [number, value] : options) EXPECT_TRUE(b.AddOption(number, value).ok());
    EXPECT_TRUE(b.SetPayload(payload).ok());
    return {b.bytes().begin(), b.bytes().end()};
  }

  Reply Exchange(const std::vector<uint8_t>& datagram) {
    uint8_t buffer[coap::kMaxReplySize];
    const coap::Server::Outcome out = server_->Handle(datagram, peer_, now_ms_++, buffer);
    Reply r;
    if (out.reply.empty()) {
      r.dropped = true;
      return r;
    }
    coap::Message m;
    EXPECT_TRUE(coap::ParseMessage(out.reply, m).ok());
    r.code = m.code;
    if (auto cf = m.FindUint(coap::option::kContentFormat); cf.ok()) r.content_format = *cf;
    if (const coap::Option* o = m.Find(coap::option::kBlock1)) {
      if (auto b = coap::DecodeBlock(o->value); b.ok()) r.block1 = *b;
    }
    if (const coap::Option* o = m.Find(coap::option::kBlock2)) {
      if (auto b = coap::DecodeBlock(o->value); b.ok()) r.block2 = *b;
    }
    r.payload.assign(m.payload.begin(), m.payload.end());
    return r;
  }

  // GET with the whole Block2 body collected.
  Reply Get(const std::string& path, const std::vector<std::string>& queries = {},
            std::optional<uint32_t> accept = std::nullopt) {
    Options options;
    if (accept) options.push_back({coap::option::kAccept, Uint(*accept)});
    Reply first =
        Exchange(Build(coap::code::kGet, path, queries, options, {}, coap::Type::kConfirmable));
    std::vector<uint8_t> body = first.payload;
    coap::BlockOption block = first.block2.value_or(coap::BlockOption{});
    while (first.block2 && block.more) {
      Options next = options;
      coap::BlockOption want{block.num + 1, false, block.szx};
      next.push_back({coap::option::kBlock2, Uint(*coap::EncodeBlock(want))});
      Reply r =
          Exchange(Build(coap::code::kGet, path, queries, next, {}, coap::Type::kConfirmable));
      if (!r.block2 || r.block2->num != want.num) return r;
      body.insert(body.end(), r.payload.begin(), r.payload.end());
      block = *r.block2;
    }
    first.payload = body;
    return first;
  }

  // POST, in Block1 blocks of `block_size` bytes (0: one datagram); returns the last answer, or
  // the first that is not 2.31 Continue.
  Reply Post(const std::string& path, const std::vector<uint8_t>& body, uint16_t format,
             size_t block_size = 256, std::optional<uint32_t> accept = std::nullopt) {
    Options base;
    base.push_back({coap::option::kContentFormat, Uint(format)});
    if (accept) base.push_back({coap::option::kAccept, Uint(*accept)});
    if (block_size == 0 || body.size() <= block_size) {
      return Exchange(Build(coap::code::kPost, path, {}, base, body, coap::Type::kConfirmable));
    }
    const uint8_t szx = *coap::SzxForSize(block_size);
    Reply r;
    for (uint32_t num = 0; size_t{num} * block_size < body.size(); ++num) {
      r = PostBlock(path, body, num, szx, base);
      if (r.code != coap::code::kContinue) return r;
    }
    return r;
  }

  // One Block1 block of `body` (number `num`, size 16 << szx).
  Reply PostBlock(const std::string& path, const std::vector<uint8_t>& body, uint32_t num,
                  uint8_t szx, Options base) {
    const size_t size = size_t{16} << szx;
    const size_t offset = size_t{num} * size;
    EXPECT_LT(offset, body.size()) << "test asks for a block past the body";
    if (offset >= body.size()) return Reply{};
    const size_t length = std::min(size, body.size() - offset);
    const bool more = offset + length < body.size();
    base.push_back({coap::option::kBlock1, Uint(*coap::EncodeBlock({num, more, szx}))});
    std::vector<uint8_t> part(body.begin() + static_cast<long>(offset),
                              body.begin() + static_cast<long>(offset + length));
    return Exchange(Build(coap::code::kPost, path, {}, base, part, coap::Type::kConfirmable));
  }

 private:
  coap::Server* server_;
  uint64_t peer_;
  uint16_t next_mid_ = 0x100;
  uint32_t now_ms_ = 0;
};

}  // namespace tc::mgmt::testing
