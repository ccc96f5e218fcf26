#include "text_table.h"

#include <algorithm>
#include <cstdio>

namespace tinyctl {

void TextTable::Print(std::ostream& out) const {
  std::vector<size_t> widths;
  for (const auto& row : rows_) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows_) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

namespace {

// `value` / `unit` with up to `decimals` decimals, trailing zeros dropped.
std::string Scaled(uint64_t value, uint64_t unit, int decimals, const char* suffix) {
  char text[48];
  std::snprintf(text, sizeof(text), "%.*f", decimals,
                static_cast<double>(value) / static_cast<double>(unit));
  std::string s = text;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s + suffix;
}

}  // namespace

std::string FormatDurationUs(uint64_t us) {
  if (us == 0) return "-";
  if (us < 1000) return std::to_string(us) + "us";
  if (us < 1'000'000) return Scaled(us, 1000, 3, "ms");
  return Scaled(us, 1'000'000, 3, "s");
}

std::string FormatCpuUs(uint64_t us) {
  char text[32];
  if (us < 1000) return std::to_string(us) + "us";
  if (us < 1'000'000) {
    std::snprintf(text, sizeof(text), "%.1fms", static_cast<double>(us) / 1e3);
  } else {
    std::snprintf(text, sizeof(text), "%.2fs", static_cast<double>(us) / 1e6);
  }
  return text;
}

std::string FormatBytes(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + "B";
  if (bytes < 1024 * 1024) return Scaled(bytes, 1024, 1, "KiB");
  return Scaled(bytes, 1024 * 1024, 1, "MiB");
}

std::string Cell(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return "-";
  const nlohmann::json& v = object[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "-";
  return v.dump();
}

std::optional<uint64_t> AsUint(const nlohmann::json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0)
    return static_cast<uint64_t>(v.get<int64_t>());
  return std::nullopt;
}

uint64_t UintField(const nlohmann::json& object, const char* key, uint64_t fallback) {
  if (!object.is_object() || !object.contains(key)) return fallback;
  return AsUint(object[key]).value_or(fallback);
}

}  // namespace tinyctl
