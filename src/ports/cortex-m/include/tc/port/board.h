// What a bare-metal board offers the middleware and on-target tests: a console and a way to end
// the program with a status the host (QEMU) can see.
#pragma once

#include <cstddef>

namespace tc::port {

void ConsoleInit();
void ConsoleWrite(const char* text, size_t length);
void ConsoleWrite(const char* text);

// Ends the program; under QEMU with semihosting the status becomes QEMU's exit status.
[[noreturn]] void Exit(int status);

}  // namespace tc::port
