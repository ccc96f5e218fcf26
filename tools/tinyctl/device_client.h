// A management session with one device (docs/management-api.md): the global --device options,
// CBOR answers as JSON values, and device refusals turned into errors that carry the CoAP code
// and the device's diagnostic.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "coap_client.h"
#include "device_url.h"
#include "udp_transport.h"

namespace tinyctl {

// The options every device command shares; set by the global flags (or TINYCTL_DEVICE).
struct DeviceOptions {
  std::string device{kDefaultDeviceUrl};
  std::string ack_timeout = "200ms";
  int retries = 4;
};
DeviceOptions& GlobalDeviceOptions();
// Adds --device, --ack-timeout and --retries to the top-level app.
void AddDeviceOptions(CLI::App& app);

// A uid as the device accepts it (docs/metadata.md); a CLI11 validator for command arguments.
const CLI::Validator& UidValidator();

class DeviceClient {
 public:
  // Throws UsageError for a bad URL or timing option, TransportError when no socket can be opened.
  explicit DeviceClient(const DeviceOptions& options);

  // GET path?query... with Accept: CBOR; the answer as a JSON value. A 4.xx/5.xx answer throws
  // CommandError "GET /path: 4.04 Not Found: <diagnostic>".
  nlohmann::json Get(const std::string& path, const std::vector<std::string>& query = {});
  // POST of a signed body (one datagram, or Block1 when `progress` is given / the body is long).
  nlohmann::json Post(const std::string& path, const Bytes& body, uint16_t content_format,
                      const ProgressFn& progress = {});

  const DeviceUrl& url() const { return url_; }

 private:
  nlohmann::json Answer(const std::string& what, const CoapResponse& response) const;

  DeviceUrl url_;
  std::unique_ptr<UdpTransport> transport_;
  std::unique_ptr<CoapClient> coap_;
};

// "uid=acme.sampler"-style query parameters need no escaping for uids and numbers; this says so
// explicitly for anything else a caller passes.
std::string QueryParam(const std::string& key, const std::string& value);

}  // namespace tinyctl
