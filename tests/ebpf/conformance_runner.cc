// Runs the bpf_conformance `.data` tests against tc-bpf-plugin the way bpf_conformance does:
// assemble the program, start the plugin with the memory as argv[1] and the program as base16
// on stdin, compare r0 (or the failure) with the expectation. Prints PASS/FAIL per file and a
// total; exits non-zero when any non-excluded test fails.
//   tc-bpf-conformance PLUGIN TESTDATA_DIR EXCLUSIONS_FILE
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tc/bpf_asm/assembler.h"

namespace {

struct TestCase {
  std::string asm_text;
  std::vector<uint8_t> raw;
  bool has_raw = false;
  std::vector<uint8_t> memory;
  std::optional<uint64_t> result;
  std::optional<std::string> error;
};

struct PluginOutput {
  int status = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<TestCase> Parse(const std::string& text, std::string& why) {
  TestCase test;
  std::istringstream lines(text);
  std::string line, section;
  std::string result_text, error_text;
  while (std::getline(lines, line)) {
    if (line.rfind("-- ", 0) == 0) {
      section = line.substr(3);
      continue;
    }
    if (section == "asm") {
      test.asm_text += line + "\n";
    } else if (section == "raw") {
      std::istringstream words(line);
      std::string word;
      while (words >> word) {
        const uint64_t slot = std::stoull(word, nullptr, 16);
        for (int i = 0; i < 8; ++i) test.raw.push_back(static_cast<uint8_t>(slot >> (8 * i)));
        test.has_raw = true;
      }
    } else if (section == "mem") {
      std::istringstream words(line);
      std::string word;
      while (words >> word)
        test.memory.push_back(static_cast<uint8_t>(std::stoul(word, nullptr, 16)));
    } else if (section == "result") {
      result_text += line;
    } else if (section == "error") {
      error_text += error_text.empty() ? line : "\n" + line;
    }
  }
  result_text.erase(std::remove_if(result_text.begin(), result_text.end(), ::isspace),
                    result_text.end());
  if (!result_text.empty()) test.result = std::stoull(result_text, nullptr, 16);
  if (!error_text.empty()) test.error = error_text;
  if (!test.result && !test.error) {
    why = "no -- result or -- error section";
    return std::nullopt;
  }
  return test;
}

std::string Base16(const std::vector<uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
    s += ' ';
  }
  return s;
}

std::string Drain(int fd) {
  std::string s;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  close(fd);
  return s;
}

PluginOutput RunPlugin(const std::string& plugin, const std::vector<uint8_t>& program,
                       const std::vector<uint8_t>& memory) {
  int in[2], out[2], err[2];
  PluginOutput result;
  if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) return result;
  const std::string memory_arg = Base16(memory);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    execl(plugin.c_str(), plugin.c_str(), memory_arg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  const std::string program_text = Base16(program) + "\n";
  if (write(in[1], program_text.data(), program_text.size()) < 0) result.err = "write failed";
  close(in[1]);
  result.out = Drain(out[0]);
  result.err += Drain(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// EXCLUSIONS_FILE: "<name>.data <reason>" per line, '#' comments.
std::map<std::string, std::string> ReadExclusions(const std::string& path) {
  std::map<std::string, std::string> exclusions;
  std::istringstream lines(ReadFile(path));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find(' ');
    exclusions[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  return exclusions;
}

std::string Hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// Returns "" when the test passed, else why it failed.
std::string Check(const std::string& plugin, const std::string& text) {
  std::string why;
  auto test = Parse(text, why);
  if (!test) return why;
  std::vector<uint8_t> program = test->raw;
  if (!test->asm_text.empty()) {
    auto assembled = tc::bpf_asm::Assemble(test->asm_text);
    if (!assembled.ok()) return "assembler: " + assembled.error;
    if (test->has_raw && assembled.code != test->raw) return "assembler output differs from -- raw";
    program = assembled.code;
  }
  const PluginOutput run = RunPlugin(plugin, program, test->memory);
  if (test->error) {
    if (run.status == 0)
      return "expected error '" + *test->error + "', plugin succeeded with " + run.out;
    return "";
  }
  if (run.status != 0)
    return "plugin failed (status " + std::to_string(run.status) + "): " + run.err;
  uint64_t value = 0;
  try {
    value = std::stoull(run.out, nullptr, 16);
  } catch (...) {
    return "plugin printed no hex value: " + run.out;
  }
  if (value != *test->result) return "expected " + Hex(*test->result) + ", got " + Hex(value);
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: tc-bpf-conformance PLUGIN TESTDATA_DIR EXCLUSIONS_FILE\n";
    return 2;
  }
  const std::string plugin = argv[1];
  const std::filesystem::path dir = argv[2];
  if (!std::filesystem::is_directory(dir)) {
    std::cout << "SKIP: bpf-conformance test data not found at " << dir << "\n";
    return 0;
  }
  const auto exclusions = ReadExclusions(argv[3]);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".data") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  int passed = 0, failed = 0, excluded = 0;
  for (const auto& file : files) {
    const std::string name = file.filename().string();
    if (auto it = exclusions.find(name); it != exclusions.end()) {
      std::cout << "EXCLUDED " << name << ": " << it->second << "\n";
      ++excluded;
      continue;
    }
    const std::string why = Check(plugin, ReadFile(file));
    if (why.empty()) {
      std::cout << "PASS " << name << "\n";
      ++passed;
    } else {
      std::cout << "FAIL " << name << ": " << why << "\n";
      ++failed;
    }
  }
  std::cout << "bpf-conformance: " << passed << "/" << files.size() << " passed, " << failed
            << " failed, " << excluded << " excluded\n";
  return failed == 0 && !files.empty() ? 0 : 1;
}
