// Reads one hex-encoded CBOR document per line and writes its JSON (CborToJson) per line, or
// "ERROR <code>" — the C++ half of cbor_json_check.py.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "tc/cbor/json.h"

namespace {

tc::Status Append(void* context, std::string_view text) {
  static_cast<std::string*>(context)->append(text);
  return tc::Status::Ok();
}

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i + 1 < line.size(); i += 2) {
      bytes.push_back(static_cast<uint8_t>(std::stoi(line.substr(i, 2), nullptr, 16)));
    }
    std::string json;
    const tc::Status status = tc::cbor::CborToJson(bytes, &Append, &json, 16);
    if (status.ok()) {
      std::cout << json << "\n";
    } else {
      std::cout << "ERROR " << tc::ToString(status.code()) << "\n";
    }
  }
  return 0;
}
