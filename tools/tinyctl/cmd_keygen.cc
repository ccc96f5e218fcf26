// tinyctl keygen NAME --role operator|tenant [--uid-prefix P] [--hmac] [--kid TEXT] [--dir DIR]
#include <iostream>
#include <string>

#include "commands.h"
#include "keys.h"

namespace tinyctl {

namespace {

struct KeygenOptions {
  std::string name;
  std::string role;
  std::string uid_prefix;
  std::string kid;
  std::string dir = ".";
  bool hmac = false;
};

int RunKeygen(const KeygenOptions& o) {
  const auto role =
      o.role == "operator" ? tc::image::KeyRole::kOperator : tc::image::KeyRole::kTenant;
  const auto type = o.hmac ? tc::image::KeyType::kHmacSha256 : tc::image::KeyType::kEd25519;
  if (o.kid.size() > tc::image::kMaxKidLength) throw CommandError("--kid: at most 16 bytes");
  SigningKey key;
  GenerateKey(o.dir, o.name, role, type, Bytes(o.kid.begin(), o.kid.end()), o.uid_prefix, &key);
  std::cout << "wrote " << key.path << " (secret, mode 0600) and "
            << (std::filesystem::path(o.dir) / (o.name + ".pub")).string() << "\n"
            << "kid " << Hex(key.info.kid.span()) << ", role " << tc::image::KeyRoleName(role)
            << ", alg " << tc::image::KeyTypeName(type) << "\n";
  return 0;
}

}  // namespace

void ConfigureKeygen(CLI::App& command, int& exit_code) {
  auto o = std::make_shared<KeygenOptions>();
  command.add_option("name", o->name, "Key name: writes NAME.key and NAME.pub")->required();
  command.add_option("--role", o->role, "operator (config updates, any image) or tenant")
      ->required()
      ->check(CLI::IsMember({"operator", "tenant"}));
  command.add_option("--uid-prefix", o->uid_prefix,
                     "Tenant keys: sign only images whose uid starts with this");
  command.add_option("--kid", o->kid, "Key id as text (default: 8 bytes derived from the key)");
  command.add_option("--dir", o->dir, "Directory to write the key files into");
  command.add_flag("--hmac", o->hmac, "A 256-bit HMAC secret (COSE_Mac0) instead of Ed25519");
  command.callback(
      [o, &exit_code] { RunCommand("keygen", exit_code, [&] { return RunKeygen(*o); }); });
}

}  // namespace tinyctl
