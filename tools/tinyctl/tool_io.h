// Small host-side helpers shared by tinyctl commands: files, hex, and the error type commands
// throw to end with "tinyctl CMD: message" and exit code 1.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tinyctl {

using Bytes = std::vector<uint8_t>;

// A failure of the operation (exit 1); the message names the file/field and the problem.
struct CommandError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Arguments that parse but make no sense (an unknown device name, a malformed URL): exit 2.
struct UsageError : CommandError {
  using CommandError::CommandError;
};

// The device did not answer, or answered with something that is not a CoAP reply to the
// request (exit 3); a device that answers with an error code is a CommandError.
struct TransportError : CommandError {
  using CommandError::CommandError;
};

Bytes ReadFile(const std::filesystem::path& path);
std::string ReadTextFile(const std::filesystem::path& path);
// Writes atomically enough for a CLI (truncate + write); `mode` applies before any byte lands.
void WriteFile(const std::filesystem::path& path, std::span<const uint8_t> bytes,
               unsigned mode = 0644);
void WriteTextFile(const std::filesystem::path& path, std::string_view text, unsigned mode = 0644);

std::string Hex(std::span<const uint8_t> bytes);
// Lowercase or uppercase hex, even length; throws CommandError naming `what`.
Bytes FromHex(std::string_view hex, std::string_view what);

// Runs `body`, turning an exception into "tinyctl CMD: ..." and an exit code: UsageError 2,
// TransportError 3, any other CommandError (or std::exception) 1.
template <typename Body>
void RunCommand(std::string_view command, int& exit_code, Body&& body);

}  // namespace tinyctl

#include "tool_io_inl.h"
