// tinyctl sign INPUT --key KEY -o OUTPUT
//   INPUT an image: re-signed with KEY (signer_kid updated; code and data kept)
//   INPUT metadata CBOR: a COSE envelope over it (signer_kid set to KEY's kid)
//   INPUT config-update CBOR: a signed config update (operator keys only)
#include <iostream>
#include <string>

#include "commands.h"
#include "image_file.h"
#include "keys.h"
#include "tc/image/metadata_codec.h"

namespace tinyctl {

namespace {

namespace img = tc::image;

struct SignOptions {
  std::string input;
  std::string key;
  std::string output;
};

void RequireImageRights(const SigningKey& key, const img::ContainerMetadata& metadata) {
  if (!img::AuthorizeImage(key.info, metadata).ok()) {
    throw CommandError(key.path + ": this tenant key may not sign uid \"" +
                       std::string(metadata.uid.view()) + "\"");
  }
}

int RunSign(const SignOptions& o) {
  const SigningKey key = LoadSigningKey(o.key);
  const Bytes input = ReadFile(o.input);
  if (LooksLikeImage(input)) {
    ImageParts parts = SplitImage(input);
    if (parts.trailing != 0) throw CommandError(o.input + ": bytes after the end of the image");
    RequireImageRights(key, parts.metadata);
    (void)parts.metadata.signer_kid.Assign(key.info.kid.span());
    const Bytes envelope =
        SignCose(key, img::kContentTypeMetadata, EncodeMetadataBytes(parts.metadata));
    WriteFile(o.output, AssembleImage(envelope, parts.code, parts.data));
    std::cout << "re-signed image " << o.output << " with kid " << Hex(key.info.kid.span()) << "\n";
    return 0;
  }
  img::ContainerMetadata metadata;
  if (img::DecodeMetadata(input, &metadata).ok()) {
    RequireImageRights(key, metadata);
    (void)metadata.signer_kid.Assign(key.info.kid.span());
    WriteFile(o.output, SignCose(key, img::kContentTypeMetadata, EncodeMetadataBytes(metadata)));
    std::cout << "signed metadata " << o.output << " with kid " << Hex(key.info.kid.span()) << "\n";
    return 0;
  }
  img::ConfigUpdate update;
  if (img::DecodeConfigUpdate(input, &update).ok()) {
    if (!img::AuthorizeConfigUpdate(key.info).ok()) {
      throw CommandError(key.path + ": config updates need an operator key");
    }
    WriteFile(o.output, SignCose(key, img::kContentTypeConfigUpdate, input));
    std::cout << "signed config update " << o.output << "\n";
    return 0;
  }
  throw CommandError(o.input + ": neither an image, metadata CBOR nor config-update CBOR");
}

}  // namespace

void ConfigureSign(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<SignOptions>();
  command.add_option("input", o->input, "Image, metadata CBOR or config-update CBOR")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("--key", o->key, "Signing key (NAME.key)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("-o,--output", o->output, "File to write")->required();
  command.callback([o, &exit_code] { RunCommand("sign", exit_code, [&] { return RunSign(*o); }); });
}

}  // namespace tinyctl
