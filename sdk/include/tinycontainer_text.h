/* TinyContainer guest SDK: exporting entry points and building log lines without a C library.
 *
 * Containers built with clang --target=wasm32 -nostdlib (or -target bpf) have no snprintf; these
 * helpers append text and decimal numbers to a caller's buffer, always bounded by its capacity.
 * Everything is static inline, so a container pays only for what it uses. */
#ifndef TINYCONTAINER_TEXT_H
#define TINYCONTAINER_TEXT_H

#include "tinycontainer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a function as the container entry point `name` (wasm export; eBPF ignores it, the
 * loader finds functions by symbol name). */
#if defined(__wasm__)
#define TC_EXPORT(name) __attribute__((export_name(name)))
#else
#define TC_EXPORT(name)
#endif

/* A bounded line being built: `length` never exceeds `capacity`; text that does not fit is cut. */
typedef struct {
  char* text;
  tc_u32 length;
  tc_u32 capacity;
} tc_line;

static inline tc_line tc_line_init(char* buffer, tc_u32 capacity) {
  tc_line line = {buffer, 0, capacity};
  return line;
}

static inline void tc_line_char(tc_line* line, char c) {
  if (line->length < line->capacity) line->text[line->length++] = c;
}

/* Appends a NUL-terminated string (the NUL is not copied). */
static inline void tc_line_str(tc_line* line, const char* s) {
  while (*s != '\0') tc_line_char(line, *s++);
}

static inline void tc_line_u32(tc_line* line, tc_u32 value) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) tc_line_char(line, digits[--n]);
}

static inline void tc_line_i32(tc_line* line, tc_i32 value) {
  if (value < 0) {
    tc_line_char(line, '-');
    /* Negating in unsigned arithmetic also handles the most negative value. */
    tc_line_u32(line, 0u - (tc_u32)value);
  } else {
    tc_line_u32(line, (tc_u32)value);
  }
}

/* Appends `thousandths` / 1000 with three decimals, e.g. 23456 -> "23.456", -50 -> "-0.050". */
static inline void tc_line_milli(tc_line* line, tc_i32 thousandths) {
  tc_u32 magnitude = thousandths < 0 ? 0u - (tc_u32)thousandths : (tc_u32)thousandths;
  if (thousandths < 0) tc_line_char(line, '-');
  tc_line_u32(line, magnitude / 1000);
  tc_line_char(line, '.');
  tc_u32 fraction = magnitude % 1000;
  tc_line_char(line, (char)('0' + fraction / 100));
  tc_line_char(line, (char)('0' + fraction / 10 % 10));
  tc_line_char(line, (char)('0' + fraction % 10));
}

/* Sends the line to the container's log; returns what tc_log returns. */
static inline long tc_line_log(const tc_line* line) { return tc_log(line->text, line->length); }

#ifdef __cplusplus
}
#endif

#endif /* TINYCONTAINER_TEXT_H */
