#include "signed_request.h"

#include "image_file.h"
#include "tc/cbor/writer.h"
#include "text_table.h"

namespace tinyctl {

namespace img = tc::image;

void AddKeyOption(CLI::App& command, std::string& key_path) {
  command.add_option("--key", key_path, "Operator key (NAME.key from tinyctl keygen)")
      ->envname("TINYCTL_KEY")
      ->type_name("FILE");
}

SigningKey LoadOperatorKey(const std::string& key_path, const std::string& command) {
  if (key_path.empty()) {
    throw UsageError("missing --key FILE (or TINYCTL_KEY): " + command +
                     " is signed with an operator key");
  }
  const SigningKey key = LoadSigningKey(key_path);
  if (key.info.role != img::KeyRole::kOperator) {
    throw CommandError(key_path + ": role is tenant; " + command + " needs an operator key");
  }
  return key;
}

uint64_t NextSequence(DeviceClient& device) {
  const nlohmann::json status = device.Get("status");
  const std::optional<uint64_t> seq_field =
      status.contains("seq") ? AsUint(status["seq"]) : std::nullopt;
  if (!seq_field) throw CommandError("GET /status: the answer has no unsigned \"seq\"");
  const uint64_t seq = *seq_field;
  if (seq == UINT64_MAX) throw CommandError("GET /status: seq is at its maximum");
  return seq + 1;
}

Bytes SignCommand(const SigningKey& key, const img::Command& command) {
  Bytes payload(128);
  tc::cbor::Writer w(payload);
  const tc::Status encoded = img::EncodeCommand(command, &w);
  if (!encoded.ok()) throw CommandError(std::string("command: ") + encoded.message());
  payload.resize(w.size());
  return SignCose(key, img::kContentTypeCommand, payload);
}

}  // namespace tinyctl
