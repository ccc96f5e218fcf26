#include "tc/bpf_asm/assembler.h"

#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>

namespace tc::bpf_asm {
namespace {

struct Slot {
  uint8_t opcode = 0, dst = 0, src = 0;
  int16_t offset = 0;
  int32_t imm = 0;
};

// A jump or local call whose target is a label, patched once all labels are known.
struct Fixup {
  size_t slot;
  std::string label;
  bool in_imm;  // ja32 and local calls keep their target in imm
  int line;
};

struct MemoryOperand {
  uint8_t reg;
  int16_t offset;
};

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::optional<int64_t> ParseInteger(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const bool negative = text[0] == '-';
  const size_t start = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (start >= text.size()) return std::nullopt;
  const char* begin = text.c_str() + start;
  char* end = nullptr;
  const bool hex = text.size() > start + 1 && text[start] == '0' &&
                   (text[start + 1] == 'x' || text[start + 1] == 'X');
  const unsigned long long magnitude = std::strtoull(begin, &end, hex ? 16 : 10);
  if (end == begin || *end != '\0') return std::nullopt;
  const uint64_t value = negative ? 0 - static_cast<uint64_t>(magnitude) : magnitude;
  return static_cast<int64_t>(value);
}

std::optional<int32_t> ParseImm32(const std::string& text) {
  auto value = ParseInteger(text);
  if (!value || *value < INT32_MIN || *value > static_cast<int64_t>(UINT32_MAX))
    return std::nullopt;
  return static_cast<int32_t>(static_cast<uint32_t>(*value));
}

std::optional<uint8_t> ParseRegister(const std::string& text) {
  if (text.size() < 3 || text[0] != '%' || text[1] != 'r') return std::nullopt;
  auto value = ParseInteger(text.substr(2));
  if (!value || *value < 0 || *value > 15) return std::nullopt;
  return static_cast<uint8_t>(*value);
}

std::optional<MemoryOperand> ParseMemory(const std::string& text) {
  if (text.size() < 4 || text.front() != '[' || text.back() != ']') return std::nullopt;
  const std::string inner = text.substr(1, text.size() - 2);
  const size_t sign = inner.find_first_of("+-");
  auto reg = ParseRegister(Trim(inner.substr(0, sign)));
  if (!reg) return std::nullopt;
  if (sign == std::string::npos) return MemoryOperand{*reg, 0};
  auto offset = ParseInteger(Trim(inner.substr(sign)));
  if (!offset || *offset < INT16_MIN || *offset > INT16_MAX) return std::nullopt;
  return MemoryOperand{*reg, static_cast<int16_t>(*offset)};
}

const std::map<std::string, uint8_t>& AluOperations() {
  static const std::map<std::string, uint8_t> ops = {
      {"add", 0x0}, {"sub", 0x1},  {"mul", 0x2}, {"div", 0x3}, {"sdiv", 0x3},
      {"or", 0x4},  {"and", 0x5},  {"lsh", 0x6}, {"rsh", 0x7}, {"neg", 0x8},
      {"mod", 0x9}, {"smod", 0x9}, {"xor", 0xa}, {"mov", 0xb}, {"arsh", 0xc}};
  return ops;
}

const std::map<std::string, uint8_t>& JumpOperations() {
  static const std::map<std::string, uint8_t> ops = {
      {"jeq", 0x1},  {"jgt", 0x2}, {"jge", 0x3}, {"jset", 0x4}, {"jne", 0x5}, {"jsgt", 0x6},
      {"jsge", 0x7}, {"jlt", 0xa}, {"jle", 0xb}, {"jslt", 0xc}, {"jsle", 0xd}};
  return ops;
}

const std::map<std::string, uint8_t>& SizeSuffixes() {
  static const std::map<std::string, uint8_t> sizes = {
      {"w", 0x00}, {"h", 0x08}, {"b", 0x10}, {"dw", 0x18}};
  return sizes;
}

class Assembler {
 public:
  Assembly Run(std::string_view source) {
    std::istringstream lines{std::string(source)};
    std::string raw;
    while (std::getline(lines, raw)) {
      ++line_;
      std::string text = Trim(raw.substr(0, raw.find('#')));
      if (text.empty()) continue;
      if (text.back() == ':') {
        const std::string label = Trim(text.substr(0, text.size() - 1));
        if (labels_.count(label)) return Failure("duplicate label " + label);
        labels_[label] = slots_.size();
        continue;
      }
      if (!Line(text)) return Failure(error_);
    }
    for (const Fixup& fixup : fixups_) {
      auto it = labels_.find(fixup.label);
      if (it == labels_.end() && fixup.label == "exit" && first_exit_)
        it = labels_.emplace("exit", *first_exit_).first;
      if (it == labels_.end()) {
        line_ = fixup.line;
        return Failure("unknown label " + fixup.label);
      }
      const int64_t relative =
          static_cast<int64_t>(it->second) - static_cast<int64_t>(fixup.slot) - 1;
      if (fixup.in_imm) {
        slots_[fixup.slot].imm = static_cast<int32_t>(relative);
      } else {
        if (relative < INT16_MIN || relative > INT16_MAX) {
          line_ = fixup.line;
          return Failure("jump to " + fixup.label + " is too far for a 16-bit offset");
        }
        slots_[fixup.slot].offset = static_cast<int16_t>(relative);
      }
    }
    Assembly out;
    for (const Slot& s : slots_) EmitSlot(out.code, s.opcode, s.dst, s.src, s.offset, s.imm);
    return out;
  }

 private:
  Assembly Failure(const std::string& why) {
    Assembly out;
    out.error = "line " + std::to_string(line_) + ": " + why;
    return out;
  }

  bool Error(const std::string& why) {
    error_ = why;
    return false;
  }

  // Splits "mnemonic a, b, c" into the mnemonic and its comma/space separated operands; a
  // bracketed memory operand stays one operand.
  static std::vector<std::string> Tokens(const std::string& text) {
    std::vector<std::string> tokens;
    std::string current;
    bool in_brackets = false;
    for (char c : text) {
      if (c == '[') in_brackets = true;
      if (c == ']') in_brackets = false;
      if (!in_brackets && (c == ',' || std::isspace(static_cast<unsigned char>(c)))) {
        if (!current.empty()) tokens.push_back(current);
        current.clear();
      } else {
        current += c;
      }
    }
    if (!current.empty()) tokens.push_back(current);
    return tokens;
  }

  bool Line(const std::string& text) {
    std::vector<std::string> t = Tokens(text);
    const std::string m = t[0];
    t.erase(t.begin());
    if (m == "exit") {
      if (!t.empty()) return Error("exit takes no operands");
      if (!first_exit_) first_exit_ = slots_.size();
      return Emit({0x95});
    }
    if (m == "lddw") return Lddw(t);
    if (m == "ja" || m == "ja32") return Ja(m == "ja32", t);
    if (m == "call") return Call(t);
    if (m == "lock") return Atomic(t);
    if (m.rfind("ldx", 0) == 0) return Load(m.substr(3), t);
    if (m.rfind("stx", 0) == 0) return Store(m.substr(3), t, true);
    if (m.rfind("st", 0) == 0 && SizeSuffixes().count(m.substr(2)))
      return Store(m.substr(2), t, false);
    if (m.rfind("movsx", 0) == 0) return MoveSignExtend(m.substr(5), t);
    for (const char* prefix : {"le", "be", "bswap", "swap"}) {
      const std::string p = prefix;
      if (m.rfind(p, 0) == 0 && (m.size() == p.size() + 2))
        return ByteSwap(p, m.substr(p.size()), t);
    }
    const bool is32 = m.size() > 2 && m.compare(m.size() - 2, 2, "32") == 0;
    const std::string base = is32 ? m.substr(0, m.size() - 2) : m;
    if (AluOperations().count(base)) return Alu(base, is32, t);
    if (JumpOperations().count(base)) return Jump(base, is32, t);
    return Error("unknown mnemonic " + m);
  }

  bool Emit(Slot slot) {
    slots_.push_back(slot);
    return true;
  }

  bool Target(const std::string& text, bool in_imm, Slot& slot) {
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
      auto value = ParseInteger(text);
      if (!value) return Error("bad jump offset " + text);
      if (in_imm) {
        slot.imm = static_cast<int32_t>(*value);
      } else {
        if (*value < INT16_MIN || *value > INT16_MAX)
          return Error("jump offset out of range " + text);
        slot.offset = static_cast<int16_t>(*value);
      }
      return true;
    }
    fixups_.push_back({slots_.size(), text, in_imm, line_});
    return true;
  }

  bool SecondOperand(const std::string& text, Slot& slot) {
    if (auto reg = ParseRegister(text)) {
      slot.opcode |= 0x08;
      slot.src = *reg;
      return true;
    }
    auto imm = ParseImm32(text);
    if (!imm) return Error("bad operand " + text);
    slot.imm = *imm;
    return true;
  }

  bool Alu(const std::string& base, bool is32, const std::vector<std::string>& t) {
    Slot slot;
    slot.opcode = static_cast<uint8_t>((AluOperations().at(base) << 4) | (is32 ? 0x04 : 0x07));
    if (base == "sdiv" || base == "smod") slot.offset = 1;
    const size_t expected = base == "neg" ? 1 : 2;
    if (t.size() != expected)
      return Error(base + " takes " + std::to_string(expected) + " operands");
    auto dst = ParseRegister(t[0]);
    if (!dst) return Error("bad register " + t[0]);
    slot.dst = *dst;
    if (expected == 2 && !SecondOperand(t[1], slot)) return false;
    return Emit(slot);
  }

  // movsx<from><to>: movsx832, movsx1632, movsx864, movsx1664, movsx3264.
  bool MoveSignExtend(const std::string& suffix, const std::vector<std::string>& t) {
    if (suffix.size() < 3 || t.size() != 2) return Error("bad movsx");
    const std::string to = suffix.substr(suffix.size() - 2);
    auto from = ParseInteger(suffix.substr(0, suffix.size() - 2));
    auto dst = ParseRegister(t[0]);
    auto src = ParseRegister(t[1]);
    if (!from || !dst || !src || (to != "32" && to != "64")) return Error("bad movsx");
    return Emit({static_cast<uint8_t>(to == "32" ? 0xbc : 0xbf), *dst, *src,
                 static_cast<int16_t>(*from), 0});
  }

  bool ByteSwap(const std::string& kind, const std::string& width,
                const std::vector<std::string>& t) {
    auto bits = ParseInteger(width);
    auto dst = t.size() == 1 ? ParseRegister(t[0]) : std::nullopt;
    if (!bits || !dst) return Error("bad byte swap");
    const uint8_t opcode = kind == "le" ? 0xd4 : kind == "be" ? 0xdc : 0xd7;
    return Emit({opcode, *dst, 0, 0, static_cast<int32_t>(*bits)});
  }

  bool Jump(const std::string& base, bool is32, const std::vector<std::string>& t) {
    if (t.size() != 3) return Error(base + " takes 3 operands");
    Slot slot;
    slot.opcode = static_cast<uint8_t>((JumpOperations().at(base) << 4) | (is32 ? 0x06 : 0x05));
    auto dst = ParseRegister(t[0]);
    if (!dst) return Error("bad register " + t[0]);
    slot.dst = *dst;
    if (!SecondOperand(t[1], slot) || !Target(t[2], false, slot)) return false;
    return Emit(slot);
  }

  bool Ja(bool is32, const std::vector<std::string>& t) {
    if (t.size() != 1) return Error("ja takes 1 operand");
    Slot slot;
    slot.opcode = is32 ? 0x06 : 0x05;
    if (!Target(t[0], is32, slot)) return false;
    return Emit(slot);
  }

  // call N | call helper N | call local label | call %rN (callx, register in dst)
  bool Call(const std::vector<std::string>& t) {
    Slot slot;
    slot.opcode = 0x85;
    if (t.size() == 1 && ParseRegister(t[0])) {
      slot.opcode = 0x8d;
      slot.dst = *ParseRegister(t[0]);
      return Emit(slot);
    }
    if (t.size() == 2 && t[0] == "local") {
      slot.src = 1;
      if (!Target(t[1], true, slot)) return false;
      return Emit(slot);
    }
    const std::string id = t.size() == 2 && t[0] == "helper" ? t[1] : t.size() == 1 ? t[0] : "";
    auto imm = ParseImm32(id);
    if (!imm) return Error("bad call");
    slot.imm = *imm;
    return Emit(slot);
  }

  bool Lddw(const std::vector<std::string>& t) {
    auto dst = t.size() == 2 ? ParseRegister(t[0]) : std::nullopt;
    auto value = t.size() == 2 ? ParseInteger(t[1]) : std::nullopt;
    if (!dst || !value) return Error("bad lddw");
    const uint64_t v = static_cast<uint64_t>(*value);
    Emit({0x18, *dst, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(v))});
    return Emit({0, 0, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(v >> 32))});
  }

  // ldx{b,h,w,dw} and sign-extending ldxs{b,h,w}
  bool Load(std::string size, const std::vector<std::string>& t) {
    uint8_t mode = 0x60;
    if (!size.empty() && size[0] == 's' && size != "s") {
      mode = 0x80;
      size = size.substr(1);
    }
    if (!SizeSuffixes().count(size) || t.size() != 2) return Error("bad load");
    auto dst = ParseRegister(t[0]);
    auto mem = ParseMemory(t[1]);
    if (!dst || !mem) return Error("bad load operands");
    return Emit({static_cast<uint8_t>(mode | SizeSuffixes().at(size) | 0x01), *dst, mem->reg,
                 mem->offset, 0});
  }

  bool Store(const std::string& size, const std::vector<std::string>& t, bool from_register) {
    if (!SizeSuffixes().count(size) || t.size() != 2) return Error("bad store");
    auto mem = ParseMemory(t[0]);
    if (!mem) return Error("bad store address " + t[0]);
    Slot slot{static_cast<uint8_t>(0x60 | SizeSuffixes().at(size) | (from_register ? 0x03 : 0x02)),
              mem->reg, 0, mem->offset, 0};
    if (from_register) {
      auto src = ParseRegister(t[1]);
      if (!src) return Error("bad register " + t[1]);
      slot.src = *src;
    } else {
      auto imm = ParseImm32(t[1]);
      if (!imm) return Error("bad store value " + t[1]);
      slot.imm = *imm;
    }
    return Emit(slot);
  }

  // lock [fetch] {add,and,or,xor,xchg,cmpxchg}[32] [%rD+off], %rS
  bool Atomic(std::vector<std::string> t) {
    bool fetch = false;
    if (!t.empty() && t[0] == "fetch") {
      fetch = true;
      t.erase(t.begin());
    }
    if (t.size() != 3) return Error("bad lock operands");
    std::string name = t[0];
    const bool is32 = name.size() > 2 && name.compare(name.size() - 2, 2, "32") == 0;
    if (is32) name = name.substr(0, name.size() - 2);
    static const std::map<std::string, int32_t> ops = {{"add", 0x00},  {"or", 0x40},
                                                       {"and", 0x50},  {"xor", 0xa0},
                                                       {"xchg", 0xe1}, {"cmpxchg", 0xf1}};
    auto it = ops.find(name);
    auto mem = ParseMemory(t[1]);
    auto src = ParseRegister(t[2]);
    if (it == ops.end() || !mem || !src) return Error("bad lock instruction");
    return Emit({static_cast<uint8_t>(is32 ? 0xc3 : 0xdb), mem->reg, *src, mem->offset,
                 it->second | (fetch ? 1 : 0)});
  }

  std::vector<Slot> slots_;
  std::vector<Fixup> fixups_;
  std::map<std::string, size_t> labels_;
  std::optional<size_t> first_exit_;
  std::string error_;
  int line_ = 0;
};

}  // namespace

Assembly Assemble(std::string_view source) { return Assembler().Run(source); }

void EmitSlot(std::vector<uint8_t>& out, uint8_t opcode, uint8_t dst, uint8_t src, int16_t offset,
              int32_t imm) {
  const uint16_t off = static_cast<uint16_t>(offset);
  const uint32_t im = static_cast<uint32_t>(imm);
  const uint8_t bytes[8] = {opcode,
                            static_cast<uint8_t>((src << 4) | (dst & 0x0f)),
                            static_cast<uint8_t>(off),
                            static_cast<uint8_t>(off >> 8),
                            static_cast<uint8_t>(im),
                            static_cast<uint8_t>(im >> 8),
                            static_cast<uint8_t>(im >> 16),
                            static_cast<uint8_t>(im >> 24)};
  out.insert(out.end(), bytes, bytes + 8);
}

}  // namespace tc::bpf_asm
