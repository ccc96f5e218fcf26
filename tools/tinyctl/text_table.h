// Column-aligned text tables and the number formats the operator commands print (durations,
// CPU time, sizes), so ps, top and config read the same.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace tinyctl {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : rows_{std::move(header)} {}
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Columns separated by two spaces, each as wide as its widest cell; no trailing blanks.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// 0 -> "-", 250 -> "250us", 50000 -> "50ms", 1500000 -> "1.5s".
std::string FormatDurationUs(uint64_t us);
// 1234 -> "1.2ms", 2500000 -> "2.50s": CPU time with three significant digits.
std::string FormatCpuUs(uint64_t us);
// 512 -> "512B", 16384 -> "16KiB", 1536 -> "1.5KiB".
std::string FormatBytes(uint64_t bytes);

// A field of a device answer as text for a table cell: strings as they are, numbers in decimal,
// absent or null as "-".
std::string Cell(const nlohmann::json& object, const char* key);
// A non-negative integer (CBOR decodes to unsigned, JSON built in code is signed), or nullopt.
std::optional<uint64_t> AsUint(const nlohmann::json& value);
// A non-negative integer field, or `fallback` when absent or of another type.
uint64_t UintField(const nlohmann::json& object, const char* key, uint64_t fallback = 0);

}  // namespace tinyctl
