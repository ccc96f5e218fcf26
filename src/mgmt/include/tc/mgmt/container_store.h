// Durable storage of installed images and of small management records, provided by the port: a
// directory of crash-safe files on the native device, flash slots on a board. The management
// layer stages an update beside the installed image and switches atomically, so a power cut at
// any step leaves the old or the new image.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/result.h"

namespace tc::mgmt {

class ContainerStore {
 public:
  // Starts staging an image of `size` bytes for `uid`; an earlier staging is discarded.
  // kResourceExhausted when it cannot fit.
  virtual Status BeginImage(std::string_view uid, uint32_t size) = 0;
  virtual Status AppendImage(std::span<const uint8_t> bytes) = 0;
  // The staged bytes so far. They stay valid, at the same address, after CommitImage().
  virtual std::span<const uint8_t> StagedImage() const = 0;
  // Durably makes the staged image the uid's image (old or new after a power cut, never neither).
  virtual Status CommitImage() = 0;
  virtual void AbortImage() = 0;

  // The uid's committed image; the bytes stay valid until it is replaced or removed.
  virtual Result<std::span<const uint8_t>> Image(std::string_view uid) const = 0;
  virtual Status RemoveImage(std::string_view uid) = 0;  // kNotFound when absent
  // Every uid with a committed image (restore at start).
  virtual Status ForEachImage(void (*fn)(void* context, std::string_view uid),
                              void* context) const = 0;

  // Small durable records (e.g. the operator sequence, which containers were started).
  // Names are 1..48 characters of [A-Za-z0-9._-]. Load copies at most out.size() bytes and
  // returns the record's length; kNotFound when absent.
  virtual Status SaveRecord(std::string_view name, std::span<const uint8_t> bytes) = 0;
  virtual Result<size_t> LoadRecord(std::string_view name, std::span<uint8_t> out) const = 0;
  virtual Status RemoveRecord(std::string_view name) = 0;

 protected:
  ~ContainerStore() = default;
};

}  // namespace tc::mgmt
