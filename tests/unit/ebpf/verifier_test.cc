// Every reason the pre-flight verifier rejects a program, with the instruction index it names.
#include "test_support.h"

namespace tc::ebpf {
namespace {

using testing::Asm;
using testing::Slots;
using testing::VerifyCode;

constexpr int64_t kExit = 0x95;

runtime::HostAction Nop(void*, Vm&, const uint64_t*, uint64_t*) {
  return runtime::HostAction::kContinue;
}

void ExpectRejected(const std::vector<uint8_t>& code, ErrorCode code_expected, uint32_t position,
                    HelperTable helpers = {}) {
  const Status status = VerifyCode(code, helpers);
  EXPECT_EQ(status.code(), code_expected) << status.message();
  EXPECT_EQ(status.position(), position) << status.message();
}

TEST(EbpfVerifier, AcceptsMinimalProgram) { EXPECT_TRUE(VerifyCode(Asm("mov %r0, 1\nexit")).ok()); }

TEST(EbpfVerifier, RejectsEmptyProgram) { EXPECT_EQ(VerifyCode({}).code(), ErrorCode::kInvalid); }

TEST(EbpfVerifier, RejectsPartialSlot) {
  std::vector<uint8_t> code = Asm("exit");
  code.push_back(0);
  ExpectRejected(code, ErrorCode::kMalformed, 9);
}

TEST(EbpfVerifier, RejectsTooManyInstructions) {
  std::string source;
  for (int i = 0; i < 20; ++i) source += "mov %r0, 1\n";
  source += "exit\n";
  Program program;
  const auto bytes = Asm(source);
  program.code = bytes;
  auto result = Verify(program, {}, VerifyLimits{.max_slots = 16});
  EXPECT_EQ(result.status().code(), ErrorCode::kOutOfRange);
}

TEST(EbpfVerifier, RejectsUnknownOpcodes) {
  for (int opcode : {0x00, 0x20, 0x28, 0x40, 0xe4, 0xf7, 0xe5, 0xf6, 0x8e, 0x9e, 0x62 | 0x80,
                     0x79 + 0x80, 0x23, 0x0b + 0xe0, 0xc2}) {
    SCOPED_TRACE(opcode);
    auto code = Slots({{1, 0, 0, 0, 0}, {opcode, 0, 0, 0, 0}, {kExit, 0, 0, 0, 0}});
    code[0] = 0xb7;  // slot 0: mov r0, 0
    const Status status = VerifyCode(code);
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(status.position(), 1u) << status.message();
  }
}

TEST(EbpfVerifier, RejectsRegisterAboveR10) {
  ExpectRejected(Slots({{0xb7, 11, 0, 0, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid, 0);
  ExpectRejected(Slots({{0xbf, 0, 12, 0, 0}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid, 0);
  ExpectRejected(Slots({{0x61, 0, 15, 0, 0}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid, 0);
  ExpectRejected(Slots({{0x15, 11, 0, 0, 0}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid, 0);
}

TEST(EbpfVerifier, RejectsWritesToFramePointer) {
  ExpectRejected(Asm("mov %r10, 1\nexit"), ErrorCode::kInvalid, 0);
  ExpectRejected(Asm("mov %r0, 0\nadd32 %r10, %r0\nexit"), ErrorCode::kInvalid, 1);
  ExpectRejected(Asm("ldxdw %r10, [%r1]\nexit"), ErrorCode::kInvalid, 0);
  ExpectRejected(Asm("lddw %r10, 5\nexit"), ErrorCode::kInvalid, 0);
  ExpectRejected(Asm("lock fetch add [%r1], %r10\nexit"), ErrorCode::kInvalid, 0);
  ExpectRejected(Asm("le16 %r10\nexit"), ErrorCode::kInvalid, 0);
  // r10 may be read and used as a base address.
  EXPECT_TRUE(
      VerifyCode(Asm("mov %r1, %r10\nstxdw [%r10-8], %r1\nlock add [%r10-8], %r10\nexit")).ok());
}

TEST(EbpfVerifier, RejectsJumpsOutsideProgram) {
  ExpectRejected(Asm("ja +1\nexit"), ErrorCode::kInvalid, 0);
  ExpectRejected(Asm("mov %r0, 0\njeq %r0, 0, -3\nexit"), ErrorCode::kInvalid, 1);
  ExpectRejected(Asm("ja32 +5\nexit"), ErrorCode::kInvalid, 0);
  ExpectRejected(Asm("call local +7\nexit"), ErrorCode::kInvalid, 0);
  EXPECT_TRUE(VerifyCode(Asm("ja +0\nexit")).ok());
}

TEST(EbpfVerifier, RejectsJumpIntoSecondHalfOfLddw) {
  ExpectRejected(Asm("ja +1\nlddw %r0, 0x100000001\nexit"), ErrorCode::kInvalid, 0);
  ExpectRejected(Asm("lddw %r0, 1\njne %r0, 0, -2\nexit"), ErrorCode::kInvalid, 2);
  ExpectRejected(Asm("call local +1\nlddw %r0, 1\nexit"), ErrorCode::kInvalid, 0);
}

TEST(EbpfVerifier, RejectsMalformedLddw) {
  ExpectRejected(Slots({{0xb7, 0, 0, 0, 0}, {0x18, 0, 0, 0, 1}}), ErrorCode::kInvalid,
                 1);  // truncated
  ExpectRejected(Slots({{0x18, 0, 0, 0, 1}, {0x95, 0, 0, 0, 0}, {kExit, 0, 0, 0, 0}}),
                 ErrorCode::kInvalid, 1);
  ExpectRejected(Slots({{0x18, 0, 0, 0, 1}, {0, 1, 0, 0, 0}, {kExit, 0, 0, 0, 0}}),
                 ErrorCode::kInvalid, 1);
  ExpectRejected(Slots({{0x18, 0, 0, 4, 1}, {0, 0, 0, 0, 0}, {kExit, 0, 0, 0, 0}}),
                 ErrorCode::kInvalid, 0);
  ExpectRejected(Slots({{0x18, 0, 1, 0, 1}, {0, 0, 0, 0, 0}, {kExit, 0, 0, 0, 0}}),
                 ErrorCode::kUnsupported, 0);
  // Section-relative lddw: index must be 0/1 and the offset inside the section.
  ExpectRejected(Slots({{0x18, 0, 6, 0, 2}, {0, 0, 0, 0, 0}, {kExit, 0, 0, 0, 0}}),
                 ErrorCode::kInvalid, 0);
  ExpectRejected(Slots({{0x18, 0, 6, 0, 0}, {0, 0, 0, 0, 1}, {kExit, 0, 0, 0, 0}}),
                 ErrorCode::kInvalid, 0);
  EXPECT_TRUE(VerifyCode(Slots({{0x18, 0, 6, 0, 0}, {0, 0, 0, 0, 0}, {kExit, 0, 0, 0, 0}})).ok());
}

TEST(EbpfVerifier, RejectsFallingOffTheEnd) {
  ExpectRejected(Asm("mov %r0, 1"), ErrorCode::kInvalid, 0);
  ExpectRejected(Asm("exit\nmov %r0, 1\njeq %r0, 1, -3"), ErrorCode::kInvalid, 2);
  ExpectRejected(Asm("exit\ncall local -2"), ErrorCode::kInvalid, 1);
  EXPECT_TRUE(VerifyCode(Asm("ja +1\nexit\nja -2")).ok());
}

TEST(EbpfVerifier, RejectsHelpersOutsideAllowList) {
  const Helper helpers[] = {{}, {&Nop, nullptr}};
  ExpectRejected(Asm("call 0\nexit"), ErrorCode::kPermissionDenied, 0, helpers);
  ExpectRejected(Asm("mov %r0, 0\ncall 2\nexit"), ErrorCode::kPermissionDenied, 1, helpers);
  ExpectRejected(Asm("call -1\nexit"), ErrorCode::kPermissionDenied, 0, helpers);
  EXPECT_TRUE(VerifyCode(Asm("call 1\nexit"), helpers).ok());
  ExpectRejected(Slots({{0x85, 0, 2, 0, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kUnsupported, 0,
                 helpers);
}

TEST(EbpfVerifier, RejectsNonzeroReservedFields) {
  ExpectRejected(Slots({{0xb7, 0, 3, 0, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // src on imm form
  ExpectRejected(Slots({{0xbf, 0, 1, 0, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // imm on reg form
  ExpectRejected(Slots({{0x07, 0, 0, 1, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // offset on add
  ExpectRejected(Slots({{0x87, 0, 0, 0, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // neg with imm
  ExpectRejected(Slots({{0x05, 0, 0, 0, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // ja with imm
  ExpectRejected(Slots({{0x06, 0, 0, 1, 0}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // ja32 with offset
  ExpectRejected(Slots({{kExit, 1, 0, 0, 0}}), ErrorCode::kInvalid, 0);
  ExpectRejected(Slots({{0x61, 0, 1, 0, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // ldx imm
  ExpectRejected(Slots({{0x62, 1, 1, 0, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // st src
  ExpectRejected(Slots({{0x63, 1, 1, 0, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // stx imm
  ExpectRejected(Slots({{0x8d, 1, 1, 0, 0}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // callx src
}

TEST(EbpfVerifier, RejectsBadArithmeticVariants) {
  ExpectRejected(Slots({{0xd4, 0, 0, 0, 8}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid, 0);  // le8
  ExpectRejected(Slots({{0xdf, 0, 0, 0, 16}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // bswap reg form
  ExpectRejected(Slots({{0x3f, 0, 1, 2, 0}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // div offset 2
  ExpectRejected(Slots({{0xbc, 0, 1, 32, 0}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // movsx32 in alu32
  ExpectRejected(Slots({{0xb7, 0, 0, 8, 1}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // movsx with imm
  EXPECT_TRUE(VerifyCode(Slots({{0xbf, 0, 1, 32, 0}, {kExit, 0, 0, 0, 0}})).ok());
}

TEST(EbpfVerifier, RejectsBadMemoryVariants) {
  ExpectRejected(Slots({{0x99, 0, 1, 0, 0}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // ldxsdw
  ExpectRejected(Slots({{0xd3, 1, 2, 0, 0}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // atomic 8-bit
  ExpectRejected(Slots({{0xdb, 1, 2, 0, 0x10}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // atomic sub
  ExpectRejected(Slots({{0xdb, 1, 2, 0, 0xe0}, {kExit, 0, 0, 0, 0}}), ErrorCode::kInvalid,
                 0);  // xchg w/o fetch
  ExpectRejected(Slots({{0x7a, 1, 0, 0, 0}, {0x9a, 1, 0, 0, 0}, {kExit, 0, 0, 0, 0}}),
                 ErrorCode::kInvalid, 1);
}

TEST(EbpfVerifier, RejectsEntryOutsideProgram) {
  const auto code = Asm("lddw %r0, 1\nexit");
  Program program;
  program.code = code;
  program.entry = 3;
  EXPECT_EQ(Verify(program, {}).status().code(), ErrorCode::kOutOfRange);
  program.entry = 1;  // second half of lddw
  EXPECT_EQ(Verify(program, {}).status().code(), ErrorCode::kOutOfRange);
  program.entry = 2;
  EXPECT_TRUE(Verify(program, {}).ok());
}

TEST(EbpfVerifier, OtherEntryPointsMustStartAnInstruction) {
  Program program;
  const std::vector<uint8_t> code = Asm("mov %r0, 1\nlddw %r0, 0x100000001\nexit");
  program.code = code;
  const auto verified = Verify(program, {});
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->main_entry().slot(), 0u);
  ASSERT_TRUE(verified->EntryAt(1).ok());
  EXPECT_EQ(verified->EntryAt(1)->slot(), 1u);
  EXPECT_EQ(verified->EntryAt(2).status().code(), ErrorCode::kOutOfRange);  // inside the lddw
  EXPECT_EQ(verified->EntryAt(2).status().position(), 2u);
  EXPECT_TRUE(verified->EntryAt(3).ok());
  EXPECT_EQ(verified->EntryAt(4).status().code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(verified->EntryAt(0xFFFFFFFF).status().code(), ErrorCode::kOutOfRange);
}

}  // namespace
}  // namespace tc::ebpf
