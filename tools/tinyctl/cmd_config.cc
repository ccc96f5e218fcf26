// tinyctl config UID [--period 50ms] [--priority 3] [--budget ..] [--deadline ..]
//   [--on-overrun ..] [--grant SERVICE] [--revoke SERVICE|ENDPOINT] --key OPERATOR.key [--json]
// Without edits it shows the container's schedule and permissions; with edits it derives the
// complete config update from them, signs it with the next operator sequence and posts it.
#include <iostream>

#include "commands.h"
#include "config_change.h"
#include "image_file.h"
#include "signed_request.h"
#include "tc/manifest/manifest.h"
#include "text_table.h"

namespace tinyctl {

namespace {

namespace img = tc::image;
using nlohmann::json;

struct ConfigOptions {
  std::string uid;
  // Empty / negative: not given (CLI11 2.1 has no std::optional options).
  std::string period, budget, deadline, on_overrun;
  int priority = -1;
  std::vector<std::string> grants, revokes;
  std::string key;
  bool json = false;

  ConfigEdits Edits() const {
    ConfigEdits e;
    auto given = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional(s); };
    e.period = given(period);
    e.budget = given(budget);
    e.deadline = given(deadline);
    e.on_overrun = given(on_overrun);
    if (priority >= 0) e.priority = static_cast<unsigned>(priority);
    e.grants = grants;
    e.revokes = revokes;
    return e;
  }
};

void PrintConfig(const json& c) {
  const json schedule = c.contains("schedule") ? c["schedule"] : json::object();
  const json permissions = c.contains("permissions") ? c["permissions"] : json::object();
  std::cout << Cell(c, "uid") << " (container " << Cell(c, "id") << ", version "
            << Cell(c, "version") << ", " << Cell(c, "runtime") << ", " << Cell(c, "state")
            << ", config sequence " << Cell(c, "config_seq") << ")\n";
  std::cout << "  schedule: priority " << Cell(schedule, "priority") << ", period "
            << FormatDurationUs(UintField(schedule, "period_us")) << ", budget "
            << FormatDurationUs(UintField(schedule, "budget_us")) << ", deadline "
            << FormatDurationUs(UintField(schedule, "deadline_us")) << ", on overrun "
            << Cell(schedule, "on_overrun") << "\n";
  std::string services;
  if (permissions.contains("services") && permissions["services"].is_array()) {
    for (const json& s : permissions["services"]) {
      services +=
          (services.empty() ? "" : ", ") + (s.is_string() ? s.get<std::string>() : s.dump());
    }
  }
  std::cout << "  services: " << (services.empty() ? "none" : services) << "\n";
  if (permissions.contains("endpoints") && permissions["endpoints"].is_array()) {
    for (const json& e : permissions["endpoints"]) {
      std::cout << "  endpoint " << Cell(e, "id") << ": "
                << DescribePeer(e.contains("peer") ? e["peer"] : json()) << ", "
                << Cell(e, "direction") << "\n";
    }
  }
  std::cout << "  on violation: " << Cell(permissions, "on_violation") << "\n";
}

int RunConfig(const ConfigOptions& o) {
  const ConfigEdits edits = o.Edits();
  std::optional<SigningKey> key;
  if (!edits.empty()) key = LoadOperatorKey(o.key, "config");
  DeviceClient device(GlobalDeviceOptions());
  const json container = device.Get("container", {QueryParam("uid", o.uid)});
  if (!key) {
    if (o.json) {
      std::cout << container.dump(2) << "\n";
    } else {
      PrintConfig(container);
    }
    return 0;
  }
  const uint64_t sequence = NextSequence(device);
  const DerivedConfig derived = DeriveConfigUpdate(container, sequence, edits);
  if (derived.changes.empty()) {
    if (o.json) {
      std::cout << json{{"uid", o.uid}, {"changes", json::array()}}.dump(2) << "\n";
    } else {
      std::cout << o.uid << ": nothing to change\n";
    }
    return 0;
  }
  img::ConfigUpdate update;
  (void)tc::manifest::JsonToConfigUpdate(derived.update, &update);
  const Bytes signed_update =
      SignCose(*key, img::kContentTypeConfigUpdate, EncodeConfigUpdateBytes(update));
  json answer = device.Post("config", signed_update, tc::coap::content_format::kCbor);
  if (o.json) {
    answer["changes"] = derived.changes;
    std::cout << answer.dump(2) << "\n";
    return 0;
  }
  for (const std::string& change : derived.changes) std::cout << o.uid << ": " << change << "\n";
  std::cout << o.uid << ": config applied (sequence " << sequence;
  if (UintField(answer, "closed_handles") > 0) {
    std::cout << ", " << UintField(answer, "closed_handles") << " open handle(s) closed";
  }
  std::cout << ")\n";
  return 0;
}

}  // namespace

void ConfigureConfig(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<ConfigOptions>();
  command.add_option("uid", o->uid, "Container uid")->required()->check(UidValidator());
  command.add_option("--period", o->period, "Activation period, e.g. 50ms (0: not periodic)")
      ->type_name("DURATION");
  command.add_option("--priority", o->priority, "Priority 0..31 (higher runs first)")
      ->check(CLI::Range(0, 255));
  command.add_option("--budget", o->budget, "CPU budget per activation (0: unlimited)")
      ->type_name("DURATION");
  command.add_option("--deadline", o->deadline, "Deadline after activation (0: the period)")
      ->type_name("DURATION");
  command.add_option("--on-overrun", o->on_overrun, "throttle, stop or restart");
  // One value per occurrence, so "--revoke led0 acme.sampler" does not eat the uid.
  command.add_option("--grant", o->grants, "Allow a service (log, time, kv, ...); repeatable")
      ->type_name("SERVICE")
      ->allow_extra_args(false);
  command
      .add_option("--revoke", o->revokes,
                  "Take away a service, or the endpoints to a device (led0, sensor0, i2c0x48), "
                  "to a peer container uid, or with an endpoint id; repeatable")
      ->type_name("SERVICE|ENDPOINT")
      ->allow_extra_args(false);
  AddKeyOption(command, o->key);
  command.add_flag("--json", o->json, "Print the device's answer (or the current config) as JSON");
  command.callback(
      [o, &exit_code] { RunCommand("config", exit_code, [&] { return RunConfig(*o); }); });
}

}  // namespace tinyctl
