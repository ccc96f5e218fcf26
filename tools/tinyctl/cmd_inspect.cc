// tinyctl inspect FILE [--json]: what an image or a signed config update says, without checking
// its signature (that is `tinyctl verify`). Digests of code and data are recomputed and compared.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "image_file.h"
#include "tc/crypto/sha256.h"
#include "tc/image/metadata_codec.h"
#include "tc/manifest/manifest.h"

namespace tinyctl {

namespace {

namespace img = tc::image;
using nlohmann::json;

struct InspectOptions {
  std::string file;
  bool json = false;
};

json EnvelopeJson(const img::CoseMessage& cose, size_t size) {
  json j = {{"type", cose.kind == img::CoseKind::kSign1 ? "COSE_Sign1" : "COSE_Mac0"},
            {"size", size},
            {"kid", Hex(cose.kid)},
            {"signature", Hex(cose.tag)}};
  j["alg"] = cose.has_alg ? json(cose.alg) : json(nullptr);
  j["content_type"] = cose.has_content_type ? json(cose.content_type) : json(nullptr);
  return j;
}

json SectionJson(const Bytes& bytes, const img::Sha256Digest& expected) {
  const auto digest = tc::crypto::Sha256::Hash(bytes);
  return {{"size", bytes.size()},
          {"sha256", Hex(digest)},
          {"sha256_matches_metadata", digest == expected}};
}

void PrintHuman(const json& j) {
  const json& e = j["envelope"];
  std::cout << (j["kind"] == "image" ? "image" : "signed config update") << " ("
            << j["size"].get<size_t>() << " bytes)\n"
            << "  envelope: " << e["type"].get<std::string>() << ", alg " << e["alg"].dump()
            << ", kid " << e["kid"].get<std::string>() << ", content type "
            << e["content_type"].dump() << "\n"
            << "  signature: not checked here (use tinyctl verify --trust DIR)\n";
  const json& body = j.contains("metadata") ? j["metadata"] : j["config_update"];
  std::cout << (j.contains("metadata") ? "  metadata:\n" : "  config update:\n");
  for (const auto& [key, value] : body.items()) {
    std::cout << "    " << key << ": "
              << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
  }
  for (const char* section : {"code", "data"}) {
    if (!j.contains(section) || j[section].is_null()) continue;
    const json& s = j[section];
    std::cout << "  " << section << ": " << s["size"].get<size_t>() << " bytes, sha256 "
              << s["sha256"].get<std::string>()
              << (s["sha256_matches_metadata"].get<bool>() ? " (matches)" : " (MISMATCH)") << "\n";
  }
  if (j.contains("trailing_bytes") && j["trailing_bytes"].get<size_t>() != 0) {
    std::cout << "  trailing bytes: " << j["trailing_bytes"].get<size_t>() << "\n";
  }
}

int RunInspect(const InspectOptions& o) {
  const Bytes file = ReadFile(o.file);
  json j;
  if (LooksLikeImage(file)) {
    const ImageParts parts = SplitImage(file);
    j = {{"kind", "image"},
         {"size", file.size()},
         {"format", file[4]},
         {"envelope", EnvelopeJson(parts.cose, parts.envelope.size())},
         {"metadata", tc::manifest::MetadataToJson(parts.metadata)},
         {"code", SectionJson(parts.code, parts.metadata.code_sha256)},
         {"trailing_bytes", parts.trailing}};
    j["data"] = parts.metadata.has_data ? SectionJson(parts.data, parts.metadata.data_sha256)
                                        : json(nullptr);
  } else {
    img::CoseMessage cose;
    const tc::Status parsed = img::ParseCose(file, &cose);
    if (!parsed.ok()) {
      throw CommandError(o.file + ": neither an image nor a signed config update: " +
                         parsed.message() + " (at byte " + std::to_string(parsed.position()) + ")");
    }
    img::ConfigUpdate update;
    img::MetadataError error;
    if (!img::DecodeConfigUpdate(cose.payload, &update, &error).ok()) {
      char text[160];
      error.Describe(text);
      throw CommandError(o.file + ": config update: " + text);
    }
    j = {{"kind", "config_update"},
         {"size", file.size()},
         {"envelope", EnvelopeJson(cose, file.size())},
         {"config_update", tc::manifest::ConfigUpdateToJson(update)}};
  }
  if (o.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    PrintHuman(j);
  }
  return 0;
}

}  // namespace

void ConfigureInspect(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<InspectOptions>();
  command.add_option("file", o->file, "Image or signed config update")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_flag("--json", o->json, "Print JSON (every metadata field, manifest syntax)");
  command.callback(
      [o, &exit_code] { RunCommand("inspect", exit_code, [&] { return RunInspect(*o); }); });
}

}  // namespace tinyctl
