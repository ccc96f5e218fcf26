// tinyctl deploy IMAGE [--start --key OPERATOR.key] [--json]: installs (or updates) a signed
// image with a block-wise upload (Block1, 256-byte blocks) and shows the progress.
#include <unistd.h>

#include <iostream>

#include "commands.h"
#include "image_file.h"
#include "progress_reporter.h"
#include "signed_request.h"
#include "text_table.h"

namespace tinyctl {

namespace {

namespace img = tc::image;

struct DeployOptions {
  std::string image;
  bool start = false;
  std::string key;
  bool json = false;
};

int RunDeploy(const DeployOptions& o) {
  // Checked before the upload, so a missing key does not leave a half-done deployment.
  std::optional<SigningKey> key;
  if (o.start) key = LoadOperatorKey(o.key, "deploy --start");
  const Bytes image = ReadFile(o.image);
  if (!LooksLikeImage(image)) {
    throw UsageError(o.image + ": not a TinyContainer image (build one with tinyctl build)");
  }
  const ImageParts parts = SplitImage(image);
  const std::string uid(parts.metadata.uid.view());

  DeviceClient device(GlobalDeviceOptions());
  ProgressReporter progress(std::cerr, ::isatty(STDERR_FILENO) != 0,
                            "uploading " + uid + " to " + device.url().text);
  nlohmann::json answer =
      device.Post("install", image, tc::coap::content_format::kOctetStream,
                  [&](size_t done, size_t total) { progress.Update(done, total); });
  if (key) {
    img::Command command;
    (void)command.uid.Assign(uid);
    command.action = img::CommandAction::kStart;
    command.sequence = NextSequence(device);
    const nlohmann::json started =
        device.Post("command", SignCommand(*key, command), tc::coap::content_format::kCbor);
    answer["state"] = started.contains("state") ? started["state"] : nlohmann::json(nullptr);
  }
  if (o.json) {
    std::cout << answer.dump(2) << "\n";
    return 0;
  }
  std::cout << "installed " << uid << " version " << parts.metadata.version << " (" << image.size()
            << " bytes) as container " << Cell(answer, "id");
  if (answer.contains("replaced") && answer["replaced"].is_boolean() &&
      answer["replaced"].get<bool>()) {
    std::cout << ", replacing the installed version";
  }
  std::cout << "\n";
  if (key) std::cout << uid << ": started, state " << Cell(answer, "state") << "\n";
  return 0;
}

}  // namespace

void ConfigureDeploy(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<DeployOptions>();
  command.add_option("image", o->image, "Signed image (tinyctl build)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_flag("--start", o->start, "Start the container once installed (needs --key)");
  AddKeyOption(command, o->key);
  command.add_flag(
      "--json", o->json,
      "Print the device's answer {\"id\", \"uid\", \"version\", \"replaced\"} as JSON");
  command.callback(
      [o, &exit_code] { RunCommand("deploy", exit_code, [&] { return RunDeploy(*o); }); });
}

}  // namespace tinyctl
