// tinyctl sign-config CONFIG.json --key OPERATOR.key -o UPDATE
#include <iostream>
#include <string>

#include "commands.h"
#include "image_file.h"
#include "keys.h"
#include "tc/manifest/manifest.h"

namespace tinyctl {

namespace {

namespace img = tc::image;

struct SignConfigOptions {
  std::string config;
  std::string key;
  std::string output;
};

int RunSignConfig(const SignConfigOptions& o) {
  img::ConfigUpdate update;
  if (auto error = tc::manifest::ParseConfigUpdate(ReadTextFile(o.config), &update)) {
    throw CommandError(o.config + ": " + error->ToString());
  }
  const SigningKey key = LoadSigningKey(o.key);
  if (!img::AuthorizeConfigUpdate(key.info).ok()) {
    throw CommandError(o.key + ": role is tenant; config updates need an operator key");
  }
  const Bytes signed_update =
      SignCose(key, img::kContentTypeConfigUpdate, EncodeConfigUpdateBytes(update));
  WriteFile(o.output, signed_update);
  std::cout << "signed config update " << o.output << ": " << update.uid.view() << " sequence "
            << update.sequence << " (" << signed_update.size() << " bytes), kid "
            << Hex(key.info.kid.span()) << "\n";
  return 0;
}

}  // namespace

void ConfigureSignConfig(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<SignConfigOptions>();
  command
      .add_option("config", o->config, "Config-update JSON (uid, sequence, schedule/permissions)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("--key", o->key, "Operator key (NAME.key)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("-o,--output", o->output, "Signed config update to write")->required();
  command.callback(
      [o, &exit_code] { RunCommand("sign-config", exit_code, [&] { return RunSignConfig(*o); }); });
}

}  // namespace tinyctl
