// tinyctl verify FILE --trust DIR: runs the device's own verifier over an image (streamed in
// chunks) or a signed config update and prints the specific reason for a rejection.
#include <ctime>
#include <iostream>
#include <optional>
#include <string>

#include "commands.h"
#include "image_file.h"
#include "keys.h"
#include "tc/image/image_verifier.h"

namespace tinyctl {

namespace {

namespace img = tc::image;

struct VerifyOptions {
  std::string file;
  std::string trust;
  std::optional<uint64_t> now;
  std::optional<uint32_t> installed_version;
  std::optional<uint64_t> last_sequence;
  uint32_t max_code = UINT32_MAX;
  uint32_t max_data = UINT32_MAX;
  size_t chunk = 512;
};

// The engine's part of admission, as far as the host can play it: anti-rollback.
tc::Status CheckRollback(void* context, const img::ContainerMetadata& metadata,
                         const img::TrustedKey&) {
  const auto* installed = static_cast<const std::optional<uint32_t>*>(context);
  return *installed ? img::CheckVersion(**installed, metadata.version) : tc::Status::Ok();
}

std::string Where(const tc::Status& status) {
  return status.has_position() ? " (at byte " + std::to_string(status.position()) + ")" : "";
}

std::string Reason(img::ImageProblem problem, const tc::Status& status,
                   const img::MetadataError* error) {
  std::string text = std::string(img::ImageProblemName(problem)) + ": ";
  if (problem == img::ImageProblem::kMetadata && error != nullptr) {
    char buffer[160];
    error->Describe(buffer);
    return text + buffer;
  }
  return text + status.message() + Where(status);
}

std::string Describe(const img::TrustedKey& key) {
  return "kid " + Hex(key.kid.span()) + " (" + img::KeyRoleName(key.role) + ", " +
         img::KeyTypeName(key.type) + ")";
}

int VerifyImage(const VerifyOptions& o, const Bytes& file, const img::TrustStore& trust) {
  img::ImageVerifyOptions options;
  options.max_code_size = o.max_code;
  options.max_data_size = o.max_data;
  options.check_expiry = true;
  options.now = o.now ? *o.now : static_cast<uint64_t>(std::time(nullptr));
  img::ImageSink sink;
  sink.context = const_cast<std::optional<uint32_t>*>(&o.installed_version);
  sink.on_metadata = CheckRollback;
  img::ImageVerifier verifier(trust, options, sink);
  const size_t chunk = o.chunk == 0 ? 1 : o.chunk;
  for (size_t at = 0; at < file.size() && verifier.stage() != img::ImageStage::kFailed;
       at += chunk) {
    (void)verifier.Feed(
        std::span<const uint8_t>(file).subspan(at, std::min(chunk, file.size() - at)));
  }
  if (!verifier.Finish().ok()) {
    std::cerr << "tinyctl verify: " << o.file << " rejected: "
              << Reason(verifier.problem(), verifier.status(), &verifier.metadata_error()) << "\n";
    return 1;
  }
  const img::ContainerMetadata& m = verifier.metadata();
  std::cout << "verified " << o.file << ": " << m.uid.view() << " v" << m.version << ", code "
            << m.code_size << " bytes, data " << (m.has_data ? m.data_size : 0)
            << " bytes, signed by " << Describe(*verifier.signer()) << "\n";
  return 0;
}

int VerifyConfigUpdate(const VerifyOptions& o, const Bytes& file, const img::TrustStore& trust) {
  img::ConfigUpdate update;
  const img::TrustedKey* signer = nullptr;
  img::ImageProblem problem = img::ImageProblem::kNone;
  img::MetadataError error;
  tc::Status status =
      img::VerifySignedConfigUpdate(file, trust, &update, &signer, &problem, &error);
  if (status.ok() && o.last_sequence) {
    status = img::CheckSequence(*o.last_sequence, update.sequence);
    if (!status.ok()) problem = img::ImageProblem::kRollback;
  }
  if (!status.ok()) {
    std::cerr << "tinyctl verify: " << o.file << " rejected: " << Reason(problem, status, &error)
              << "\n";
    return 1;
  }
  std::cout << "verified config update " << o.file << ": " << update.uid.view() << " sequence "
            << update.sequence << (update.has_schedule ? ", schedule" : "")
            << (update.has_permissions ? ", permissions" : "") << ", signed by "
            << Describe(*signer) << "\n";
  return 0;
}

int RunVerify(const VerifyOptions& o) {
  img::TrustStore trust;
  LoadTrustDir(o.trust, &trust);
  const Bytes file = ReadFile(o.file);
  if (!file.empty() && (file[0] == 0xd2 || file[0] == 0xd1)) {  // tag 18 / 17: a bare COSE object
    return VerifyConfigUpdate(o, file, trust);
  }
  return VerifyImage(o, file, trust);
}

}  // namespace

void ConfigureVerify(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<VerifyOptions>();
  command.add_option("file", o->file, "Image or signed config update")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("--trust", o->trust, "Directory of NAME.pub trust entries")->required();
  command.add_option("--now", o->now, "Unix seconds for the expiry check (default: this clock)");
  command.add_option("--installed-version", o->installed_version,
                     "Refuse images whose version is not above this (anti-rollback)");
  command.add_option("--last-sequence", o->last_sequence,
                     "Refuse config updates whose sequence is not above this");
  command.add_option("--max-code", o->max_code, "Largest code section accepted (bytes)");
  command.add_option("--max-data", o->max_data, "Largest data section accepted (bytes)");
  command.add_option("--chunk", o->chunk, "Feed the verifier in pieces of this size")
      ->check(CLI::Range(1, 1 << 20));
  command.callback(
      [o, &exit_code] { RunCommand("verify", exit_code, [&] { return RunVerify(*o); }); });
}

}  // namespace tinyctl
