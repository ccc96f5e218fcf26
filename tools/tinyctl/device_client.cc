#include "device_client.h"

#include <random>

#include "tc/image/metadata_codec.h"
#include "tc/manifest/units.h"
#include "tc/net/coap/message.h"

namespace tinyctl {

namespace coap = tc::coap;
using nlohmann::json;

namespace {

// Blocks of the largest size the device accepts (docs/management-api.md, SZX 4).
constexpr size_t kUploadBlockSize = 256;

}  // namespace

DeviceOptions& GlobalDeviceOptions() {
  static DeviceOptions options;
  return options;
}

void AddDeviceOptions(CLI::App& app) {
  DeviceOptions& o = GlobalDeviceOptions();
  app.add_option("--device", o.device,
                 "Device address, udp://HOST:PORT (default udp://127.0.0.1:5683; serial: and "
                 "tcp: are not supported yet)")
      ->envname("TINYCTL_DEVICE")
      ->type_name("URL");
  app.add_option("--ack-timeout", o.ack_timeout,
                 "CoAP ACK_TIMEOUT before the first retransmission, e.g. 200ms (doubles per try)")
      ->type_name("DURATION");
  app.add_option("--retries", o.retries, "CoAP retransmissions before giving up (0..8)")
      ->check(CLI::Range(0, 8));
}

const CLI::Validator& UidValidator() {
  static const CLI::Validator validator(
      [](const std::string& uid) -> std::string {
        if (tc::image::IsValidUid(uid)) return {};
        return "not a container uid: '" + uid +
               "' (1..32 of [A-Za-z0-9._-], starting with a letter or digit)";
      },
      "UID");
  return validator;
}

std::string QueryParam(const std::string& key, const std::string& value) {
  if (value.find_first_of("&=") != std::string::npos) {
    throw UsageError(key + ": '" + value + "' may not contain '&' or '='");
  }
  return key + "=" + value;
}

DeviceClient::DeviceClient(const DeviceOptions& options) : url_(ParseDeviceUrl(options.device)) {
  const std::optional<uint64_t> ack_us = tc::manifest::ParseDurationUs(options.ack_timeout);
  if (!ack_us || *ack_us < 1000 || *ack_us > 60'000'000) {
    throw UsageError("--ack-timeout: expected a duration 1ms..60s like 200ms, got '" +
                     options.ack_timeout + "'");
  }
  CoapTiming timing;
  timing.ack_timeout = std::chrono::milliseconds(*ack_us / 1000);
  timing.max_retransmit = options.retries;
  transport_ = std::make_unique<UdpTransport>(url_);
  coap_ = std::make_unique<CoapClient>(*transport_, timing, std::random_device{}());
}

json DeviceClient::Answer(const std::string& what, const CoapResponse& response) const {
  if (!response.ok()) {
    std::string diagnostic(response.payload.begin(), response.payload.end());
    std::string message = what + ": device refused: " + CodeName(response.code);
    if (!diagnostic.empty()) message += ": " + diagnostic;
    throw CommandError(message);
  }
  if (response.payload.empty()) return json::object();
  try {
    if (response.content_format == coap::content_format::kJson) {
      return json::parse(response.payload.begin(), response.payload.end());
    }
    if (response.content_format == coap::content_format::kCbor) {
      return json::from_cbor(response.payload);
    }
  } catch (const json::exception& e) {
    throw CommandError(what + ": the device's answer does not decode: " + e.what());
  }
  throw CommandError(
      what + ": the device answered with Content-Format " +
      (response.content_format ? std::to_string(*response.content_format) : std::string("(none)")) +
      ", expected CBOR (60)");
}

json DeviceClient::Get(const std::string& path, const std::vector<std::string>& query) {
  CoapRequest request;
  request.method = coap::code::kGet;
  request.path = path;
  request.query = query;
  request.accept = coap::content_format::kCbor;
  std::string what = "GET /" + path;
  for (size_t i = 0; i < query.size(); ++i) what += (i == 0 ? "?" : "&") + query[i];
  return Answer(what, coap_->Send(request));
}

json DeviceClient::Post(const std::string& path, const Bytes& body, uint16_t content_format,
                        const ProgressFn& progress) {
  CoapRequest request;
  request.method = coap::code::kPost;
  request.path = path;
  request.content_format = content_format;
  request.payload = body;
  const std::string what = "POST /" + path;
  if (progress || body.size() > kUploadBlockSize) {
    return Answer(what, coap_->Upload(request, kUploadBlockSize, progress));
  }
  return Answer(what, coap_->Send(request));
}

}  // namespace tinyctl
