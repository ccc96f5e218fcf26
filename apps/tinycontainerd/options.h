// tinycontainerd's command line (docs/native-device.md).
#pragma once

#include <cstdint>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace tinycontainerd {

struct Options {
  std::string state_dir = "./tinycontainerd-state";
  std::string trust_dir;
  uint16_t port = 5683;  // 0: the kernel picks a free port
  std::string bind = "127.0.0.1";
  std::string board;  // empty: no simulated devices
  uint32_t pool_kib = 2048;
  uint32_t max_image_kib = 512;
  bool quiet = false;
};

// The board file used when --board is not given: the source tree's examples/boards/native.json
// when it exists, else none.
std::string DefaultBoardFile();

void ConfigureOptions(CLI::App& app, Options& options);

}  // namespace tinycontainerd
