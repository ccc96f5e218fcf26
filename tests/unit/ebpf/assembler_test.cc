// The host-side assembler used by the conformance runner: encodings checked against hand-written
// slots, labels, and its error messages.
#include "tc/bpf_asm/assembler.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace tc::bpf_asm {
namespace {

using ebpf::testing::Slots;

TEST(BpfAssembler, EncodesEachInstructionFamily) {
  auto a = Assemble(
      "mov32 %r0, -1\nadd %r1, %r2\nsdiv %r3, 7\nneg %r4\nle16 %r5\nbswap64 %r6\nmovsx1664 %r7, "
      "%r8\n"
      "lddw %r9, 0x1122334455667788\nldxsh %r0, [%r10-2]\nstxdw [%r1+8], %r2\nstb [%r3], 0xff\n"
      "lock fetch xor32 [%r4-4], %r5\nja32 +0\njslt %r1, -3, +0\ncall 9\ncall %r3\nexit");
  ASSERT_TRUE(a.ok()) << a.error;
  const auto expected = Slots({{0xb4, 0, 0, 0, -1},
                               {0x0f, 1, 2, 0, 0},
                               {0x37, 3, 0, 1, 7},
                               {0x87, 4, 0, 0, 0},
                               {0xd4, 5, 0, 0, 16},
                               {0xd7, 6, 0, 0, 64},
                               {0xbf, 7, 8, 16, 0},
                               {0x18, 9, 0, 0, 0x55667788},
                               {0, 0, 0, 0, 0x11223344},
                               {0x89, 0, 10, -2, 0},
                               {0x7b, 1, 2, 8, 0},
                               {0x72, 3, 0, 0, 0xff},
                               {0xc3, 4, 5, -4, 0xa1},
                               {0x06, 0, 0, 0, 0},
                               {0xc5, 1, 0, 0, -3},
                               {0x85, 0, 0, 0, 9},
                               {0x8d, 3, 0, 0, 0},
                               {0x95, 0, 0, 0, 0}});
  EXPECT_EQ(a.code, expected);
}

TEST(BpfAssembler, ResolvesLabelsAndTheImplicitExitLabel) {
  auto a = Assemble("jeq %r1, 0, exit\nja done\ncall local f\ndone:\nexit\nf:\nexit");
  ASSERT_TRUE(a.ok()) << a.error;
  const auto expected = Slots({{0x15, 1, 0, 2, 0},
                               {0x05, 0, 0, 1, 0},
                               {0x85, 0, 1, 0, 1},
                               {0x95, 0, 0, 0, 0},
                               {0x95, 0, 0, 0, 0}});
  EXPECT_EQ(a.code, expected);
}

TEST(BpfAssembler, ReportsErrorsWithTheirLine) {
  EXPECT_EQ(Assemble("mov %r0, 1\nfrob %r0").error, "line 2: unknown mnemonic frob");
  EXPECT_EQ(Assemble("ja nowhere\nexit").error, "line 1: unknown label nowhere");
  EXPECT_EQ(Assemble("a:\na:\nexit").error, "line 2: duplicate label a");
  EXPECT_FALSE(Assemble("mov %r0").ok());
  EXPECT_FALSE(Assemble("mov %r16, 1").ok());
  EXPECT_FALSE(Assemble("mov %r0, 0x100000000").ok());
  EXPECT_FALSE(Assemble("ldxw %r0, [%r1+40000]").ok());
  EXPECT_FALSE(Assemble("lock sub [%r1], %r2").ok());
}

}  // namespace
}  // namespace tc::bpf_asm
