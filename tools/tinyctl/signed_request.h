// What modifying commands share: the operator key (--key / TINYCTL_KEY), the next operator
// sequence number (GET /status "seq" + 1, docs/management-api.md) and signed command bodies.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "device_client.h"
#include "keys.h"
#include "tc/image/command.h"

namespace tinyctl {

// Adds --key FILE (or TINYCTL_KEY) to a command.
void AddKeyOption(CLI::App& command, std::string& key_path);

// Loads the key for `command`; UsageError when no key was given, CommandError when the file is
// not a key or the key is a tenant's (commands and config updates need an operator key).
SigningKey LoadOperatorKey(const std::string& key_path, const std::string& command);

// The sequence a new signed command or config update must carry: the device's "seq" + 1.
uint64_t NextSequence(DeviceClient& device);

// COSE_Sign1/Mac0 with content type 65002 around the command CBOR.
Bytes SignCommand(const SigningKey& key, const tc::image::Command& command);

}  // namespace tinyctl
