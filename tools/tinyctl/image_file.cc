#include "image_file.h"

#include <algorithm>
#include <string>

#include "tc/cbor/writer.h"
#include "tc/image/image_verifier.h"
#include "tc/image/metadata_codec.h"

namespace tinyctl {

namespace img = tc::image;

namespace {

void Check(const tc::Status& status, const std::string& what) {
  if (!status.ok()) throw CommandError(what + ": " + status.message());
}

}  // namespace

Bytes SignCose(const SigningKey& key, uint64_t content_type, std::span<const uint8_t> payload) {
  const bool sign1 = key.info.type == img::KeyType::kEd25519;
  uint8_t protected_buffer[img::kMaxProtectedHeaderSize];
  tc::cbor::Writer header(protected_buffer);
  Check(header.WriteMapHeader(3), "protected header");
  Check(header.WriteUint(img::kCoseHeaderAlg), "protected header");
  Check(header.WriteInt(sign1 ? img::kCoseAlgEdDSA : img::kCoseAlgHmac256), "protected header");
  Check(header.WriteUint(img::kCoseHeaderContentType), "protected header");
  Check(header.WriteUint(content_type), "protected header");
  Check(header.WriteUint(img::kCoseHeaderKid), "protected header");
  Check(header.WriteBytes(key.info.kid.span()), "protected header");
  const auto protected_bytes = header.written();

  uint8_t heads[img::kCoseToBeSignedHeadMax];
  const img::ToBeSignedHeads sizes =
      img::WriteToBeSignedHeads(sign1 ? img::CoseKind::kSign1 : img::CoseKind::kMac0,
                                protected_bytes.size(), payload.size(), heads);
  Bytes to_be_signed(heads, heads + sizes.before_protected);
  to_be_signed.insert(to_be_signed.end(), protected_bytes.begin(), protected_bytes.end());
  to_be_signed.insert(to_be_signed.end(), heads + sizes.before_protected,
                      heads + sizes.before_protected + sizes.between);
  to_be_signed.insert(to_be_signed.end(), payload.begin(), payload.end());
  const Bytes tag = SignBytes(key, to_be_signed);

  Bytes out(payload.size() + 256);
  tc::cbor::Writer w(out);
  Check(w.WriteTag(sign1 ? img::kCoseSign1Tag : img::kCoseMac0Tag), "COSE");
  Check(w.WriteArrayHeader(4), "COSE");
  Check(w.WriteBytes(protected_bytes), "COSE");
  Check(w.WriteMapHeader(0), "COSE");
  Check(w.WriteBytes(payload), "COSE");
  Check(w.WriteBytes(tag), "COSE");
  out.resize(w.size());
  return out;
}

Bytes EncodeMetadataBytes(const img::ContainerMetadata& metadata) {
  Bytes out(4096);
  tc::cbor::Writer w(out);
  img::MetadataError error;
  if (!img::EncodeMetadata(metadata, &w, &error).ok()) {
    char text[160];
    error.Describe(text);
    throw CommandError(std::string("metadata: ") + text);
  }
  out.resize(w.size());
  return out;
}

Bytes EncodeConfigUpdateBytes(const img::ConfigUpdate& update) {
  Bytes out(4096);
  tc::cbor::Writer w(out);
  img::MetadataError error;
  if (!img::EncodeConfigUpdate(update, &w, &error).ok()) {
    char text[160];
    error.Describe(text);
    throw CommandError(std::string("config update: ") + text);
  }
  out.resize(w.size());
  return out;
}

Bytes AssembleImage(std::span<const uint8_t> envelope, std::span<const uint8_t> code,
                    std::span<const uint8_t> data) {
  if (envelope.size() > img::kMaxEnvelopeSize) {
    throw CommandError("signed metadata is " + std::to_string(envelope.size()) +
                       " bytes, above the image format's limit of " +
                       std::to_string(img::kMaxEnvelopeSize));
  }
  Bytes out(img::kImageMagic, img::kImageMagic + 4);
  out.push_back(img::kImageFormatVersion);
  out.push_back(0);
  out.push_back(static_cast<uint8_t>(envelope.size() >> 8));
  out.push_back(static_cast<uint8_t>(envelope.size()));
  out.insert(out.end(), envelope.begin(), envelope.end());
  out.insert(out.end(), code.begin(), code.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

bool LooksLikeImage(std::span<const uint8_t> file) {
  return file.size() >= 4 && std::equal(file.begin(), file.begin() + 4, img::kImageMagic);
}

ImageParts SplitImage(const Bytes& image) {
  if (image.size() < img::kImageHeaderSize || !LooksLikeImage(image)) {
    throw CommandError("not a TinyContainer image (no TCIM header)");
  }
  if (image[4] != img::kImageFormatVersion) {
    throw CommandError("image format version " + std::to_string(image[4]) + " is not supported");
  }
  const size_t envelope_size = static_cast<size_t>(image[6]) << 8 | image[7];
  if (image.size() < img::kImageHeaderSize + envelope_size) {
    throw CommandError("image ends inside the signed metadata");
  }
  ImageParts parts;
  parts.envelope.assign(image.begin() + img::kImageHeaderSize,
                        image.begin() + static_cast<long>(img::kImageHeaderSize + envelope_size));
  const tc::Status parsed = img::ParseCose(parts.envelope, &parts.cose);
  if (!parsed.ok()) {
    throw CommandError(std::string("signed metadata: ") + parsed.message() + " (at byte " +
                       std::to_string(img::kImageHeaderSize + parsed.position()) + ")");
  }
  img::MetadataError error;
  if (!img::DecodeMetadata(parts.cose.payload, &parts.metadata, &error).ok()) {
    char text[160];
    error.Describe(text);
    throw CommandError(std::string("metadata: ") + text);
  }
  size_t at = img::kImageHeaderSize + envelope_size;
  const size_t code_size = parts.metadata.code_size;
  const size_t data_size = parts.metadata.has_data ? parts.metadata.data_size : 0;
  if (image.size() - at < code_size) throw CommandError("image ends inside the code");
  parts.code.assign(image.begin() + static_cast<long>(at),
                    image.begin() + static_cast<long>(at + code_size));
  at += code_size;
  if (image.size() - at < data_size) throw CommandError("image ends inside the data");
  parts.data.assign(image.begin() + static_cast<long>(at),
                    image.begin() + static_cast<long>(at + data_size));
  parts.trailing = image.size() - at - data_size;
  return parts;
}

}  // namespace tinyctl
