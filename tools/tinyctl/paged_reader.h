// Reads a paged management resource (logs, audit, trace: docs/management-api.md) from a record
// number on: GET path?since=N answers {"next", <records>: [...]} with as many records as fit;
// asking again with since=next continues, so each record is seen at most once.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "device_client.h"

namespace tinyctl {

struct Page {
  std::vector<nlohmann::json> records;
  uint64_t dropped = 0;  // records overwritten in the device's ring before they were read
};

class PagedReader {
 public:
  // `records_key`: "lines", "entries" or "events". `filter`: extra query parameters (uid=U).
  PagedReader(DeviceClient& device, std::string path, std::string records_key,
              std::vector<std::string> filter, uint64_t since = 0)
      : device_(device),
        path_(std::move(path)),
        records_key_(std::move(records_key)),
        filter_(std::move(filter)),
        next_(since) {}

  // Every record available now: pages until the device has nothing newer.
  Page ReadAvailable();
  uint64_t next() const { return next_; }

 private:
  DeviceClient& device_;
  std::string path_;
  std::string records_key_;
  std::vector<std::string> filter_;
  uint64_t next_;
};

}  // namespace tinyctl
