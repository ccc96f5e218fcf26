// tinyctl start|stop|suspend|resume|rm UID --key OPERATOR.key [--json]: one signed command
// (docs/management-api.md) carrying the device's next operator sequence number.
#include <iostream>

#include "commands.h"
#include "signed_request.h"

namespace tinyctl {

namespace {

namespace img = tc::image;

struct LifecycleOptions {
  std::string uid;
  std::string key;
  bool json = false;
};

int RunLifecycle(const std::string& name, img::CommandAction action, const LifecycleOptions& o) {
  const SigningKey key = LoadOperatorKey(o.key, name);
  DeviceClient device(GlobalDeviceOptions());
  img::Command command;
  (void)command.uid.Assign(o.uid);
  command.action = action;
  command.sequence = NextSequence(device);
  const nlohmann::json answer =
      device.Post("command", SignCommand(key, command), tc::coap::content_format::kCbor);
  if (o.json) {
    std::cout << answer.dump(2) << "\n";
  } else {
    std::cout << o.uid << ": " << img::CommandActionName(action) << " accepted (sequence "
              << command.sequence << "), state "
              << (answer.contains("state") && answer["state"].is_string()
                      ? answer["state"].get<std::string>()
                      : std::string("unknown"))
              << "\n";
  }
  return 0;
}

void ConfigureLifecycle(CLI::App& command, int& exit_code, const std::string& name,
                        img::CommandAction action) {
  auto o = std::make_shared<LifecycleOptions>();
  command.add_option("uid", o->uid, "Container uid")->required()->check(UidValidator());
  AddKeyOption(command, o->key);
  command.add_flag("--json", o->json, "Print the device's answer {\"uid\", \"state\"} as JSON");
  command.callback([o, &exit_code, name, action] {
    RunCommand(name, exit_code, [&] { return RunLifecycle(name, action, *o); });
  });
}

}  // namespace

void ConfigureStart(CLI::App& c, int& e) {
  ConfigureLifecycle(c, e, "start", img::CommandAction::kStart);
}
void ConfigureStop(CLI::App& c, int& e) {
  ConfigureLifecycle(c, e, "stop", img::CommandAction::kStop);
}
void ConfigureSuspend(CLI::App& c, int& e) {
  ConfigureLifecycle(c, e, "suspend", img::CommandAction::kSuspend);
}
void ConfigureResume(CLI::App& c, int& e) {
  ConfigureLifecycle(c, e, "resume", img::CommandAction::kResume);
}
void ConfigureRm(CLI::App& c, int& e) {
  ConfigureLifecycle(c, e, "rm", img::CommandAction::kRemove);
}

}  // namespace tinyctl
