// The human-authored JSON manifest (docs/metadata.md, "JSON manifest") and its conversion to and
// from the signed metadata model. Host-only: uses the standard library and nlohmann-json.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tc/image/metadata.h"

namespace tc::manifest {

// What is wrong and where: `field` is the JSON path ("schedule.period_us",
// "permissions.endpoints[1].peer"), `problem` says why.
struct ManifestError {
  std::string field;
  std::string problem;
  std::string ToString() const { return field.empty() ? problem : field + ": " + problem; }
};

// Manifest -> metadata. Fields tinyctl computes (signer_kid, code_sha256, code_size, data_sha256,
// data_size) may be absent; everything else is checked with the same rules as the device decoder.
std::optional<ManifestError> ParseManifest(std::string_view json_text,
                                           image::ContainerMetadata* out);
std::optional<ManifestError> ManifestToMetadata(const nlohmann::json& manifest,
                                                image::ContainerMetadata* out);

// Config-update JSON: {"uid", "sequence", "schedule"?, "permissions"?} with manifest syntax.
std::optional<ManifestError> ParseConfigUpdate(std::string_view json_text,
                                               image::ConfigUpdate* out);
std::optional<ManifestError> JsonToConfigUpdate(const nlohmann::json& json,
                                                image::ConfigUpdate* out);

// Metadata -> JSON in manifest syntax (plain numbers, hex digests), e.g. for `tinyctl inspect
// --json`; ManifestToMetadata() reads it back to the same metadata.
nlohmann::json MetadataToJson(const image::ContainerMetadata& metadata);
nlohmann::json ConfigUpdateToJson(const image::ConfigUpdate& update);

}  // namespace tc::manifest
