// tinyctl ps [--json]: the containers on the device with their schedule and counters.
#include <iostream>

#include "commands.h"
#include "container_view.h"

namespace tinyctl {

namespace {

int RunPs(bool json) {
  DeviceClient device(GlobalDeviceOptions());
  const nlohmann::json view = FetchContainerView(device);
  if (json) {
    std::cout << view.dump(2) << "\n";
  } else if (view["containers"].empty()) {
    std::cout << "no containers on " << device.url().text << "\n";
  } else {
    PrintPsTable(view, std::cout);
  }
  return 0;
}

}  // namespace

void ConfigurePs(CLI::App& command, int& exit_code) {
  auto json = std::make_shared<bool>(false);
  command.add_flag("--json", *json,
                   "Print {\"containers\": [...]}: /containers joined with /stats by uid");
  command.callback(
      [json, &exit_code] { RunCommand("ps", exit_code, [&] { return RunPs(*json); }); });
}

}  // namespace tinyctl
