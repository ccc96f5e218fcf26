#include "tc/ebpf/elf_loader.h"

#include <cstring>

#include "tc/ebpf/instruction.h"

namespace tc::ebpf {
namespace {

constexpr uint32_t kHeaderSize = 64;
constexpr uint32_t kSectionHeaderSize = 64;
constexpr uint32_t kSymbolSize = 24;
constexpr uint32_t kRelSize = 16;
constexpr uint16_t kTypeRelocatable = 1;
constexpr uint16_t kMachineBpf = 247;
constexpr uint32_t kShtProgbits = 1, kShtSymtab = 2, kShtRela = 4, kShtNobits = 8, kShtRel = 9;
constexpr uint64_t kShfWrite = 1, kShfAlloc = 2, kShfExec = 4;
constexpr uint32_t kRelocNone = 0, kReloc64_64 = 1, kReloc64_32 = 10;
constexpr uint8_t kSttFunc = 2;
constexpr uint8_t kStbGlobal = 1;
constexpr uint32_t kMaxSectionsSupported = 64;

Status Bad(const char* why, uint64_t offset, ErrorCode code = ErrorCode::kMalformed) {
  return Status(code, why, offset > UINT32_MAX ? UINT32_MAX - 1 : static_cast<uint32_t>(offset));
}

uint64_t ReadLe(const uint8_t* p, uint32_t size) {
  uint64_t v = 0;
  std::memcpy(&v, p, size);
  return v;
}

struct Section {
  uint32_t name;
  uint32_t type;
  uint64_t flags;
  uint64_t offset;
  uint64_t size;
  uint32_t link;
  uint32_t info;
  uint64_t entsize;
  uint64_t header_offset;  // where this header sits in the file (for error positions)
};

struct Symbol {
  uint32_t name;
  uint8_t info;
  uint16_t shndx;
  uint64_t value;
};

// Which storage group an allocated section belongs to.
enum Group : uint8_t { kNone, kCode, kRodata, kData };

class ElfFile {
 public:
  ElfFile(std::span<const uint8_t> bytes, const ElfLimits& limits)
      : bytes_(bytes), limits_(limits) {}

  Status ParseHeader() {
    static constexpr uint8_t kIdent[7] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    if (bytes_.size() < kHeaderSize)
      return Bad("file shorter than an ELF64 header", bytes_.size(), ErrorCode::kTruncated);
    if (std::memcmp(bytes_.data(), kIdent, 4) != 0) return Bad("not an ELF file", 0);
    if (std::memcmp(bytes_.data() + 4, kIdent + 4, 3) != 0)
      return Bad("not a little-endian ELF64 v1 file", 4, ErrorCode::kUnsupported);
    if (ReadLe(&bytes_[16], 2) != kTypeRelocatable)
      return Bad("not a relocatable object (ET_REL)", 16, ErrorCode::kUnsupported);
    if (ReadLe(&bytes_[18], 2) != kMachineBpf)
      return Bad("not a BPF object (e_machine)", 18, ErrorCode::kUnsupported);
    section_table_ = ReadLe(&bytes_[40], 8);
    if (ReadLe(&bytes_[58], 2) != kSectionHeaderSize)
      return Bad("unexpected section header size", 58);
    section_count_ = static_cast<uint32_t>(ReadLe(&bytes_[60], 2));
    string_section_ = static_cast<uint32_t>(ReadLe(&bytes_[62], 2));
    const uint32_t max =
        limits_.max_sections < kMaxSectionsSupported ? limits_.max_sections : kMaxSectionsSupported;
    if (section_count_ == 0 || section_count_ > max)
      return Bad("section count zero or above the limit", 60, ErrorCode::kOutOfRange);
    if (!Fits(section_table_, uint64_t{section_count_} * kSectionHeaderSize)) {
      return Bad("section header table outside the file", 40, ErrorCode::kTruncated);
    }
    if (string_section_ >= section_count_) return Bad("section name table index out of range", 62);
    for (uint32_t i = 0; i < section_count_; ++i) {
      const Section s = At(i);
      if (s.type != kShtNobits && !Fits(s.offset, s.size)) {
        return Bad("section contents outside the file", s.header_offset + 24,
                   ErrorCode::kTruncated);
      }
    }
    return Status::Ok();
  }

  uint32_t section_count() const { return section_count_; }

  Section At(uint32_t index) const {
    const uint64_t h = section_table_ + uint64_t{index} * kSectionHeaderSize;
    const uint8_t* p = bytes_.data() + h;
    return Section{static_cast<uint32_t>(ReadLe(p, 4)),
                   static_cast<uint32_t>(ReadLe(p + 4, 4)),
                   ReadLe(p + 8, 8),
                   ReadLe(p + 24, 8),
                   ReadLe(p + 32, 8),
                   static_cast<uint32_t>(ReadLe(p + 40, 4)),
                   static_cast<uint32_t>(ReadLe(p + 44, 4)),
                   ReadLe(p + 56, 8),
                   h};
  }

  const uint8_t* Contents(const Section& s) const { return bytes_.data() + s.offset; }

  // True when the NUL-terminated string at `offset` of string section `strtab` equals `text`.
  bool NameIs(uint32_t strtab, uint64_t offset, const char* text) const {
    const Section s = At(strtab);
    if (s.type == kShtNobits) return false;
    const size_t length = std::strlen(text);
    if (offset >= s.size || s.size - offset < length + 1) return false;
    return std::memcmp(Contents(s) + offset, text, length + 1) == 0;
  }

  bool SectionNameStartsWith(const Section& s, const char* prefix) const {
    const Section names = At(string_section_);
    const size_t length = std::strlen(prefix);
    if (names.type == kShtNobits || s.name >= names.size || names.size - s.name < length)
      return false;
    return std::memcmp(Contents(names) + s.name, prefix, length) == 0;
  }
  bool SectionNameIs(const Section& s, const char* name) const {
    return NameIs(string_section_, s.name, name);
  }

  Result<Symbol> SymbolAt(const Section& symtab, uint64_t index) const {
    if (symtab.entsize != kSymbolSize || index >= symtab.size / kSymbolSize) {
      return Bad("symbol index outside the symbol table", symtab.header_offset);
    }
    const uint8_t* p = Contents(symtab) + index * kSymbolSize;
    return Symbol{static_cast<uint32_t>(ReadLe(p, 4)), p[4],
                  static_cast<uint16_t>(ReadLe(p + 6, 2)), ReadLe(p + 8, 8)};
  }

 private:
  bool Fits(uint64_t offset, uint64_t size) const {
    return offset <= bytes_.size() && size <= bytes_.size() - offset;
  }

  std::span<const uint8_t> bytes_;
  ElfLimits limits_;
  uint64_t section_table_ = 0;
  uint32_t section_count_ = 0;
  uint32_t string_section_ = 0;
};

uint64_t AlignUp(uint64_t v) { return (v + 7) & ~uint64_t{7}; }

// Where every allocated section goes: its group and its offset inside the group.
struct Layout {
  Group group[kMaxSectionsSupported] = {};
  uint32_t offset[kMaxSectionsSupported] = {};
  uint64_t group_size[4] = {};
  uint32_t text = 0;  // section index of .text
  uint32_t symtab = 0;

  uint64_t total() const {
    return AlignUp(group_size[kCode]) + AlignUp(group_size[kRodata]) + AlignUp(group_size[kData]);
  }
};

Status Plan(const ElfFile& elf, Layout& layout) {
  for (uint32_t i = 1; i < elf.section_count(); ++i) {
    const Section s = elf.At(i);
    if (s.type == kShtSymtab) {
      if (layout.symtab != 0)
        return Bad("more than one symbol table", s.header_offset, ErrorCode::kUnsupported);
      if (s.link >= elf.section_count())
        return Bad("symbol table names a missing string table", s.header_offset);
      layout.symtab = i;
    }
    if (s.type == kShtRela)
      return Bad("RELA relocations are not supported", s.header_offset, ErrorCode::kUnsupported);
    if (!(s.flags & kShfAlloc) || s.size == 0) continue;
    if (s.type != kShtProgbits && s.type != kShtNobits) {
      return Bad("allocated section of unsupported type", s.header_offset, ErrorCode::kUnsupported);
    }
    Group group;
    if (s.flags & kShfExec) {
      if (!elf.SectionNameIs(s, ".text")) {
        return Bad("code outside .text (e.g. SEC(...) programs) is not supported", s.header_offset,
                   ErrorCode::kUnsupported);
      }
      if (s.type != kShtProgbits || s.size % kSlotSize != 0)
        return Bad(".text size is not a multiple of 8", s.header_offset);
      group = kCode;
      layout.text = i;
    } else {
      group = (s.flags & kShfWrite) ? kData : kRodata;
    }
    layout.group[i] = group;
    layout.group_size[group] = AlignUp(layout.group_size[group]);
    layout.offset[i] = static_cast<uint32_t>(layout.group_size[group]);
    layout.group_size[group] += s.size;
    if (layout.group_size[group] > UINT32_MAX / 2)
      return Bad("section too large", s.header_offset, ErrorCode::kOutOfRange);
  }
  if (layout.text == 0) return Status(ErrorCode::kInvalid, "object has no .text code");
  return Status::Ok();
}

Status Relocate(const ElfFile& elf, const Layout& layout, const ElfLimits& limits, uint8_t* code) {
  const uint64_t code_size = layout.group_size[kCode];
  uint32_t relocations = 0;
  for (uint32_t i = 1; i < elf.section_count(); ++i) {
    const Section rel = elf.At(i);
    if (rel.type != kShtRel) continue;
    if (rel.info >= elf.section_count())
      return Bad("relocation section for a missing section", rel.header_offset);
    if (rel.info != layout.text) {
      // Relocations of debug info (.BTF, .BTF.ext) do not affect execution; data must not need any.
      if (layout.group[rel.info] != kNone) {
        return Bad("relocations inside data sections are not supported", rel.header_offset,
                   ErrorCode::kUnsupported);
      }
      continue;
    }
    if (rel.entsize != kRelSize || rel.size % kRelSize != 0)
      return Bad("bad relocation entry size", rel.header_offset);
    if (rel.link != layout.symtab || layout.symtab == 0)
      return Bad("relocations without the symbol table", rel.header_offset);
    const Section symtab = elf.At(layout.symtab);
    for (uint64_t off = 0; off < rel.size; off += kRelSize) {
      const uint64_t where = rel.offset + off;  // file position, for errors
      if (++relocations > limits.max_relocations)
        return Bad("too many relocations", where, ErrorCode::kOutOfRange);
      const uint8_t* entry = elf.Contents(rel) + off;
      const uint64_t target = ReadLe(entry, 8);
      const uint64_t info = ReadLe(entry + 8, 8);
      const uint32_t type = static_cast<uint32_t>(info);
      if (type == kRelocNone) continue;
      if (target % kSlotSize != 0 || target >= code_size)
        return Bad("relocation offset outside .text", where);
      TC_ASSIGN_OR_RETURN(const Symbol symbol, elf.SymbolAt(symtab, info >> 32));
      uint8_t* slot = code + target;
      int32_t imm;
      std::memcpy(&imm, slot + 4, 4);
      if (type == kReloc64_64) {
        if (slot[0] != op::kLddw || target + 2 * kSlotSize > code_size)
          return Bad("R_BPF_64_64 not on an lddw", where);
        if (symbol.shndx == 0 || symbol.shndx >= elf.section_count()) {
          return Bad("reference to an undefined symbol (maps and externs are not supported)", where,
                     ErrorCode::kUnsupported);
        }
        const Group group = layout.group[symbol.shndx];
        if (group != kRodata && group != kData) {
          return Bad("lddw of an address outside the data sections is not supported", where,
                     ErrorCode::kUnsupported);
        }
        if (symbol.value > layout.group_size[group])
          return Bad("data reference beyond its section", where);
        // Implicit addend: the first imm holds the offset from the symbol.
        const uint64_t offset =
            layout.offset[symbol.shndx] + symbol.value + static_cast<uint32_t>(imm);
        if (offset > layout.group_size[group])
          return Bad("data reference beyond its section", where);
        const int32_t section = group == kRodata ? 0 : 1;
        const uint32_t offset32 = static_cast<uint32_t>(offset);
        slot[1] = static_cast<uint8_t>((slot[1] & 0x0f) | (op::kLddwSectionValue << 4));
        std::memcpy(slot + 4, &section, 4);
        std::memcpy(slot + kSlotSize + 4, &offset32, 4);
      } else if (type == kReloc64_32) {
        if (slot[0] != (op::kJmp | (op::kCall << 4)) || (slot[1] >> 4) != op::kCallLocal) {
          return Bad("R_BPF_64_32 not on a local call", where);
        }
        if (symbol.shndx != layout.text || symbol.value % kSlotSize != 0) {
          return Bad("call to a function outside .text", where, ErrorCode::kUnsupported);
        }
        // Implicit addend: callee slot = symbol slot + imm + 1.
        const int64_t callee = static_cast<int64_t>(symbol.value / kSlotSize) + imm + 1;
        if (callee < 0 || static_cast<uint64_t>(callee) >= code_size / kSlotSize)
          return Bad("call target outside .text", where);
        const int32_t relative =
            static_cast<int32_t>(callee - static_cast<int64_t>(target / kSlotSize) - 1);
        std::memcpy(slot + 4, &relative, 4);
      } else {
        return Bad("unsupported relocation type", where, ErrorCode::kUnsupported);
      }
    }
  }
  return Status::Ok();
}

Result<uint32_t> FindEntry(const ElfFile& elf, const Layout& layout, const char* name) {
  if (layout.symtab == 0) {
    if (name != nullptr)
      return Status(ErrorCode::kNotFound, "entry function not found (no symbol table)");
    return 0u;
  }
  const Section symtab = elf.At(layout.symtab);
  const uint64_t count = symtab.entsize == kSymbolSize ? symtab.size / kSymbolSize : 0;
  uint32_t found = 0;
  uint64_t entry = 0;
  for (uint64_t i = 1; i < count; ++i) {
    TC_ASSIGN_OR_RETURN(const Symbol s, elf.SymbolAt(symtab, i));
    if ((s.info & 0xf) != kSttFunc || s.shndx != layout.text) continue;
    if (name != nullptr ? elf.NameIs(symtab.link, s.name, name) : (s.info >> 4) == kStbGlobal) {
      ++found;
      entry = s.value;
    }
  }
  if (found == 0) return Status(ErrorCode::kNotFound, "entry function not found in .text");
  if (found > 1) return Status(ErrorCode::kInvalid, "several global functions: name the entry");
  if (entry % kSlotSize != 0 || entry >= layout.group_size[kCode]) {
    return Status(ErrorCode::kMalformed, "entry function outside .text");
  }
  return static_cast<uint32_t>(entry / kSlotSize);
}

Status Scan(ElfFile& elf, Layout& layout) {
  TC_RETURN_IF_ERROR(elf.ParseHeader());
  return Plan(elf, layout);
}

}  // namespace

Result<size_t> ElfStorageSize(std::span<const uint8_t> bytes, const ElfLimits& limits) {
  ElfFile elf(bytes, limits);
  Layout layout;
  TC_RETURN_IF_ERROR(Scan(elf, layout));
  return static_cast<size_t>(layout.total());
}

Result<uint32_t> ElfFunctionSlot(std::span<const uint8_t> bytes, const char* name,
                                 const ElfLimits& limits) {
  ElfFile elf(bytes, limits);
  Layout layout;
  TC_RETURN_IF_ERROR(Scan(elf, layout));
  return FindEntry(elf, layout, name);
}

Result<Program> LoadElf(std::span<const uint8_t> bytes, std::span<uint8_t> storage,
                        const char* entry, const ElfLimits& limits) {
  ElfFile elf(bytes, limits);
  Layout layout;
  TC_RETURN_IF_ERROR(Scan(elf, layout));
  if (layout.total() > storage.size()) {
    return Status(ErrorCode::kResourceExhausted, "storage too small for the program",
                  static_cast<uint32_t>(layout.total()));
  }
  uint8_t* const base[4] = {
      nullptr, storage.data(), storage.data() + AlignUp(layout.group_size[kCode]),
      storage.data() + AlignUp(layout.group_size[kCode]) + AlignUp(layout.group_size[kRodata])};
  std::memset(storage.data(), 0, static_cast<size_t>(layout.total()));
  for (uint32_t i = 1; i < elf.section_count(); ++i) {
    const Section s = elf.At(i);
    if (layout.group[i] == kNone || s.type == kShtNobits) continue;
    std::memcpy(base[layout.group[i]] + layout.offset[i], elf.Contents(s),
                static_cast<size_t>(s.size));
  }
  TC_RETURN_IF_ERROR(Relocate(elf, layout, limits, base[kCode]));
  TC_ASSIGN_OR_RETURN(const uint32_t entry_slot, FindEntry(elf, layout, entry));
  Program program;
  program.code = {base[kCode], static_cast<size_t>(layout.group_size[kCode])};
  program.rodata = {base[kRodata], static_cast<size_t>(layout.group_size[kRodata])};
  program.data = {base[kData], static_cast<size_t>(layout.group_size[kData])};
  program.entry = entry_slot;
  return program;
}

}  // namespace tc::ebpf
