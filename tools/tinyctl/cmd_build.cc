// tinyctl build MANIFEST --code FILE [--data FILE] --key KEY -o IMAGE
#include <iostream>
#include <string>

#include "commands.h"
#include "image_file.h"
#include "keys.h"
#include "tc/crypto/sha256.h"
#include "tc/manifest/manifest.h"

namespace tinyctl {

namespace {

namespace img = tc::image;

struct BuildOptions {
  std::string manifest;
  std::string code;
  std::string data;
  std::string key;
  std::string output;
};

void SetDigest(const Bytes& bytes, img::Sha256Digest* digest, uint32_t* size,
               const std::string& what) {
  if (bytes.size() > UINT32_MAX) throw CommandError(what + ": larger than 4 GiB");
  *digest = tc::crypto::Sha256::Hash(bytes);
  *size = static_cast<uint32_t>(bytes.size());
}

int RunBuild(const BuildOptions& o) {
  img::ContainerMetadata metadata;
  if (auto error = tc::manifest::ParseManifest(ReadTextFile(o.manifest), &metadata)) {
    throw CommandError(o.manifest + ": " + error->ToString());
  }
  const SigningKey key = LoadSigningKey(o.key);
  if (!img::AuthorizeImage(key.info, metadata).ok()) {
    throw CommandError(o.key + ": tenant key for uid prefix \"" +
                       std::string(key.info.uid_prefix.view()) + "\" may not sign uid \"" +
                       std::string(metadata.uid.view()) + "\"");
  }
  const Bytes code = ReadFile(o.code);
  if (code.empty()) throw CommandError(o.code + ": code is empty");
  SetDigest(code, &metadata.code_sha256, &metadata.code_size, o.code);
  Bytes data;
  if (!o.data.empty()) {
    data = ReadFile(o.data);
    metadata.has_data = true;
    SetDigest(data, &metadata.data_sha256, &metadata.data_size, o.data);
  }
  (void)metadata.signer_kid.Assign(key.info.kid.span());
  const Bytes payload = EncodeMetadataBytes(metadata);
  const Bytes envelope = SignCose(key, img::kContentTypeMetadata, payload);
  const Bytes image = AssembleImage(envelope, code, data);
  WriteFile(o.output, image);
  std::cout << "built " << o.output << ": " << metadata.uid.view() << " v" << metadata.version
            << ", " << image.size() << " bytes (signed metadata " << envelope.size() << ", code "
            << code.size() << ", data " << data.size() << "), signed by kid "
            << Hex(key.info.kid.span()) << "\n";
  return 0;
}

}  // namespace

void ConfigureBuild(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<BuildOptions>();
  command.add_option("manifest", o->manifest, "JSON manifest (docs/metadata.md)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("--code", o->code, "wasm module or eBPF program")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("--data", o->data, "Optional data section (e.g. model weights)")
      ->check(CLI::ExistingFile);
  command.add_option("--key", o->key, "Signing key (NAME.key from tinyctl keygen)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("-o,--output", o->output, "Image file to write")->required();
  command.callback(
      [o, &exit_code] { RunCommand("build", exit_code, [&] { return RunBuild(*o); }); });
}

}  // namespace tinyctl
