#include "tc/manifest/units.h"

#include <string>

namespace tc::manifest {

namespace {

// Leading decimal digits of `text` (at least one, no overflow); `rest` gets what follows.
std::optional<uint64_t> Digits(std::string_view text, std::string_view* rest) {
  uint64_t value = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    const uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  if (i == 0) return std::nullopt;
  *rest = text.substr(i);
  return value;
}

std::optional<uint64_t> Scaled(std::optional<uint64_t> value, uint64_t scale) {
  if (!value || *value > UINT64_MAX / scale) return std::nullopt;
  return *value * scale;
}

}  // namespace

std::optional<uint64_t> ParseDurationUs(std::string_view text) {
  std::string_view unit;
  const std::optional<uint64_t> value = Digits(text, &unit);
  if (unit == "us") return value;
  if (unit == "ms") return Scaled(value, 1000);
  if (unit == "s") return Scaled(value, 1000000);
  return std::nullopt;
}

std::optional<uint64_t> ParseSizeBytes(std::string_view text) {
  std::string_view unit;
  const std::optional<uint64_t> value = Digits(text, &unit);
  if (unit == "B") return value;
  if (unit == "KiB") return Scaled(value, 1024);
  if (unit == "MiB") return Scaled(value, 1024 * 1024);
  return std::nullopt;
}

std::optional<uint64_t> ParseUtcTimestamp(std::string_view text) {
  // Fixed layout: YYYY-MM-DDTHH:MM:SSZ
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  auto field = [&](size_t pos, size_t len) -> std::optional<int64_t> {
    int64_t v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const auto year = field(0, 4), month = field(5, 2), day = field(8, 2), hour = field(11, 2),
             minute = field(14, 2), second = field(17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*year < 1970 || *month < 1 || *month > 12 || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  const int days_in_month[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*day < 1 || *day > days_in_month[*month - 1]) return std::nullopt;
  // Days from 1970-01-01 to the given civil date (proleptic Gregorian).
  const int64_t y = *month <= 2 ? *year - 1 : *year;
  const int64_t era = y / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (*month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + *day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = era * 146097 + doe - 719468;
  return static_cast<uint64_t>(days * 86400 + *hour * 3600 + *minute * 60 + *second);
}

}  // namespace tc::manifest
