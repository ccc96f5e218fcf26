// Console on the CMSDK UART0 of the MPS2 boards (QEMU forwards it to stdio with -nographic).
#include <cstdint>

#include "tc/port/board.h"

namespace tc::port {

namespace {
struct CmsdkUart {
  volatile uint32_t data;
  volatile uint32_t state;  // bit 0: transmit buffer full
  volatile uint32_t ctrl;   // bit 0: transmit enable
  volatile uint32_t intstatus;
  volatile uint32_t bauddiv;
};

CmsdkUart* const kUart0 = reinterpret_cast<CmsdkUart*>(0x40004000);
constexpr uint32_t kTxFull = 1u << 0;
constexpr uint32_t kTxEnable = 1u << 0;
}  // namespace

void ConsoleInit() {
  kUart0->bauddiv = 16;
  kUart0->ctrl = kTxEnable;
}

void ConsoleWrite(const char* text, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    while ((kUart0->state & kTxFull) != 0) {
    }
    kUart0->data = static_cast<uint8_t>(text[i]);
  }
}

void ConsoleWrite(const char* text) {
  size_t length = 0;
  while (text[length] != '\0') ++length;
  ConsoleWrite(text, length);
}

}  // namespace tc::port
