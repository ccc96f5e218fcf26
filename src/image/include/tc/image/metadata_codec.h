// CBOR encoding of container metadata and config updates (docs/metadata.cddl).
//
// Decoding is strict: the input must be deterministic CBOR (shortest forms, map keys in ascending
// order) with format version 1, each required field present exactly once with the right type and
// range, and the cross-field rules of ValidateMetadata() holding. Unknown keys at or above
// kFirstExtensionKey are skipped; other unknown keys are refused. On any error the output object
// is left untouched. Encoding validates first and writes the one deterministic form.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/status.h"
#include "tc/cbor/writer.h"
#include "tc/image/metadata.h"
#include "tc/image/metadata_error.h"

namespace tc::image {

// Deepest nesting in a v1 document: map > permissions > endpoints > endpoint > peer (+1 spare
// for extensions).
inline constexpr uint8_t kMetadataMaxDepth = 6;

Status DecodeMetadata(std::span<const uint8_t> in, ContainerMetadata* out,
                      MetadataError* error = nullptr);
Status EncodeMetadata(const ContainerMetadata& metadata, cbor::Writer* out,
                      MetadataError* error = nullptr);

Status DecodeConfigUpdate(std::span<const uint8_t> in, ConfigUpdate* out,
                          MetadataError* error = nullptr);
Status EncodeConfigUpdate(const ConfigUpdate& update, cbor::Writer* out,
                          MetadataError* error = nullptr);

// The semantic rules shared by decoder and encoder (docs/metadata.md, "Validation rules").
Status ValidateMetadata(const ContainerMetadata& metadata, MetadataError* error = nullptr);
Status ValidateConfigUpdate(const ConfigUpdate& update, MetadataError* error = nullptr);
// Parts, for the engine applying a config update to a running container.
Status ValidateSchedule(const Schedule& schedule, MetadataError* error = nullptr);
Status ValidatePermissions(const Permissions& permissions, MetadataError* error = nullptr);
// uid syntax: 1..32 of [A-Za-z0-9._-], starting with a letter or digit.
bool IsValidUid(std::string_view uid);

}  // namespace tc::image
