/* TinyContainer guest SDK: the host services a container may call (PRODUCT.md §5, docs/services.md).
 *
 * WebAssembly (clang --target=wasm32): functions imported from module "tc"; their signatures are
 * the ones the engine binds (a mismatch is refused at install). eBPF (clang -target bpf): the same
 * services through helper numbers, declared below as TC_BPF_HELPER_*.
 *
 * Every call returns a negative error code when the gate or the service refuses it. */
#ifndef TINYCONTAINER_H
#define TINYCONTAINER_H

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned int tc_u32;
typedef int tc_i32;
typedef long long tc_i64;
typedef unsigned long long tc_u64;

/* Error codes (errno-like). The gate's: */
#define TC_ENOT_PERMITTED (-1)    /* service not in this container's permissions */
#define TC_ENO_ENDPOINT (-2)      /* endpoint not declared (also: kv key not found) */
#define TC_EBAD_HANDLE (-9)       /* not an open handle of this container */
#define TC_EDIRECTION (-13)       /* endpoint not declared for this direction */
#define TC_EBAD_BUFFER (-14)      /* a buffer lies outside the container's memory */
#define TC_EINVALID (-22)         /* malformed arguments */
#define TC_EHANDLE_QUOTA (-24)    /* open-handle quota used up */
#define TC_EKV_QUOTA (-28)        /* key-value quota used up */
#define TC_EUNKNOWN_SERVICE (-38) /* no such service in this build */
/* The services': */
#define TC_EKV_NOT_FOUND (-2)  /* kv_get/kv_del: no such key */
#define TC_EIO (-5)            /* storage or entropy source failed */
#define TC_ELOG_DROPPED (-11)  /* log rate limit: line dropped (and counted) */
#define TC_EKV_FULL (-12)      /* the device's kv storage is full */
#define TC_EKV_TOO_LARGE (-27) /* key or value longer than the storage supports */
#define TC_EWOULD_BLOCK (-11)  /* channel: the peer's queue is full */
#define TC_ENO_CHANNEL (-23)   /* channel: every channel slot of the device is in use */
#define TC_EMSG_TOO_LONG (-90) /* channel: message longer than the build's message size */
/* Device endpoints' (docs/services.md, "Devices"): */
#define TC_EDEVICE_IO (-5)           /* the device or its bus failed (I2C NACK, ...) */
#define TC_ENO_DEVICE (-19)          /* the board has no such device (class + address) */
#define TC_EDEVICE_DATA (-22)        /* the data does not fit the device class's format */
#define TC_EDEVICE_UNSUPPORTED (-95) /* the device cannot do this (write a sensor, an input) */

#define TC_ACCESS_READ 1
#define TC_ACCESS_WRITE 2

/* Device endpoints (peer kind "local": a device class and an address): what one read/write on
 * the handle carries, per class.
 *   led    (address = LED index)   write 1 byte: 0 off, non-zero on; read 1 byte: current state
 *   gpio   (address = pin)         write 1 byte: level 0/1; read 1 byte: level
 *   sensor (address = index)       read 4 bytes: little-endian int32 sample in milli-units; each
 *                                  read takes a new sample (buffer below 4 bytes: TC_EDEVICE_DATA)
 *   i2c    (address = 7-bit addr)  write [register, data...]: sets the register pointer, then
 *                                  writes data (auto-increment); read n bytes from the pointer
 *                                  (auto-increment within the read; reads leave the pointer)
 *   spi    (address = chip select) write sends bytes; read returns the bytes clocked in during
 *                                  the last write
 *   uart   (address = port)        write sends bytes; read returns received bytes without
 *                                  blocking (0 when none)
 * Device reads and writes never block. */

#if defined(__wasm__)
#define TC_IMPORT(name) __attribute__((import_module("tc"), import_name(name)))

/* Writes one log line; returns its length or TC_ELOG_DROPPED. Needs permission "log". */
TC_IMPORT("log") tc_i32 tc_log(const char* text, tc_u32 length);
/* Monotonic microseconds. Needs "time". */
TC_IMPORT("now_us") tc_i64 tc_now_us(void);
/* Blocks this container (not the engine) for `us` microseconds. Needs "sleep". */
TC_IMPORT("sleep_us") tc_i32 tc_sleep_us(tc_i64 us);
/* Gives the rest of the time slice to a container of the same priority. Needs "yield". */
TC_IMPORT("yield") tc_i32 tc_yield(void);
/* Copies up to `capacity` bytes of the value into `out`; returns the value's full length or
 * TC_EKV_NOT_FOUND. Needs "kv". */
TC_IMPORT("kv_get")
tc_i32 tc_kv_get(const void* key, tc_u32 key_length, void* out, tc_u32 capacity);
/* Creates or replaces; 0, TC_EKV_QUOTA, TC_EKV_FULL, TC_EKV_TOO_LARGE. Needs "kv". */
TC_IMPORT("kv_set")
tc_i32 tc_kv_set(const void* key, tc_u32 key_length, const void* value, tc_u32 value_length);
/* 0 or TC_EKV_NOT_FOUND. Needs "kv". */
TC_IMPORT("kv_del") tc_i32 tc_kv_del(const void* key, tc_u32 key_length);
/* Fills `out` with random bytes; returns `length`. Needs "random". */
TC_IMPORT("random") tc_i32 tc_random(void* out, tc_u32 length);

/* Endpoints and channels. `access`: TC_ACCESS_READ, TC_ACCESS_WRITE or both. Returns a handle or
 * an error (TC_ENO_ENDPOINT, TC_EDIRECTION, TC_EHANDLE_QUOTA, TC_ENO_CHANNEL, TC_ENO_DEVICE,
 * TC_EDEVICE_UNSUPPORTED). Needs "channel" for a container peer, "endpoint" for a device. */
TC_IMPORT("open") tc_i32 tc_open(tc_u32 endpoint, tc_u32 access);
/* Channel: reads one message (truncated to `capacity`); returns the bytes copied. Blocks this
 * container while the channel is empty; TC_EBAD_HANDLE if the right is revoked meanwhile.
 * Device: one read in the class's format (above); returns the bytes copied. */
TC_IMPORT("read") tc_i32 tc_read(tc_i32 handle, void* out, tc_u32 capacity);
/* Channel: queues one message for the peer; returns its length, TC_EWOULD_BLOCK when the peer's
 * queue is full, TC_EMSG_TOO_LONG above the build's message size. Device: one write in the
 * class's format; returns the bytes consumed. */
TC_IMPORT("write") tc_i32 tc_write(tc_i32 handle, const void* data, tc_u32 length);
TC_IMPORT("close") tc_i32 tc_close(tc_i32 handle);

#undef TC_IMPORT
#endif /* __wasm__ */

/* eBPF helper numbers (Femto-Containers' where one matches; docs/services.md has the table). */
#define TC_BPF_HELPER_PRINTF 0x01       /* Femto bpf_printf(fmt, ...): %d %i %u %x %X %c only */
#define TC_BPF_HELPER_MEMCPY 0x02       /* Femto bpf_memcpy */
#define TC_BPF_HELPER_STORE_LOCAL 0x10  /* Femto bpf_store_local(u32 key, u32 value) */
#define TC_BPF_HELPER_FETCH_LOCAL 0x12  /* Femto bpf_fetch_local(u32 key, u32* value) */
#define TC_BPF_HELPER_NOW_MS 0x20       /* Femto bpf_now_ms */
#define TC_BPF_HELPER_NOW_US 0x21
#define TC_BPF_HELPER_LOG 0x22 /* log(text, length), as the wasm import */
#define TC_BPF_HELPER_KV_GET 0x24
#define TC_BPF_HELPER_KV_SET 0x25
#define TC_BPF_HELPER_KV_DEL 0x26
#define TC_BPF_HELPER_RANDOM 0x27
#define TC_BPF_HELPER_OPEN 0x28        /* open/read/write/close: the wasm imports' arguments */
#define TC_BPF_HELPER_READ 0x29
#define TC_BPF_HELPER_WRITE 0x2A
#define TC_BPF_HELPER_CLOSE 0x2B
#define TC_BPF_HELPER_SAUL_FIND_NTH 0x30  /* Femto bpf_saul_reg_find_nth(pos) */
#define TC_BPF_HELPER_SAUL_FIND_TYPE 0x31 /* Femto bpf_saul_reg_find_type(type) */
#define TC_BPF_HELPER_SAUL_READ 0x32      /* Femto bpf_saul_reg_read(dev, phydat*) */
#define TC_BPF_HELPER_SAUL_WRITE 0x33     /* bpf_saul_reg_write(dev, const phydat*) */

/* SAUL (eBPF): the registry a container sees is its own declared LED, GPIO and sensor endpoints
 * in declaration order; a device is an opaque non-zero reference (0 = none). LEDs and output pins
 * are ACT_SWITCH, input pins SENSE_BTN; a sensor matches SENSE_ANY and every sensing type but BTN
 * (the metadata does not record what it measures). A read gives val[0] with unit UNDEF and scale
 * -3 (milli-units, rescaled to fit 16 bits) for a sensor, 0/1 with unit NONE for LEDs and pins. */
#define TC_SAUL_ACT_ANY 0x40
#define TC_SAUL_ACT_SWITCH 0x44
#define TC_SAUL_SENSE_ANY 0x80
#define TC_SAUL_SENSE_BTN 0x81
#define TC_SAUL_SENSE_TEMP 0x82
#define TC_SAUL_UNIT_UNDEF 0
#define TC_SAUL_UNIT_NONE 1
typedef struct {
  short val[3];
  unsigned char unit;
  signed char scale;
} tc_phydat;
typedef void tc_saul_reg;

#if defined(__bpf__)
static long (*const tc_log)(const char* text, unsigned long length) = (void*)TC_BPF_HELPER_LOG;
/* Femto-Containers' bpf_printf: one log line (a final \n is dropped); up to four values; a
 * conversion other than %d %i %u %x %X %c %% (with 0, width <= 32, hh h l ll z j t) gives -22. */
static long (*const tc_bpf_printf)(const char* format, ...) = (void*)TC_BPF_HELPER_PRINTF;
static void* (*const tc_bpf_memcpy)(void* dest, const void* src,
                                    unsigned long n) = (void*)TC_BPF_HELPER_MEMCPY;
static long (*const tc_bpf_store_local)(tc_u32 key,
                                        tc_u32 value) = (void*)TC_BPF_HELPER_STORE_LOCAL;
static long (*const tc_bpf_fetch_local)(tc_u32 key,
                                        tc_u32* value) = (void*)TC_BPF_HELPER_FETCH_LOCAL;
static tc_u32 (*const tc_bpf_now_ms)(void) = (void*)TC_BPF_HELPER_NOW_MS;
static long long (*const tc_now_us)(void) = (void*)TC_BPF_HELPER_NOW_US;
static long (*const tc_kv_get)(const void* key, unsigned long key_length, void* out,
                               unsigned long capacity) = (void*)TC_BPF_HELPER_KV_GET;
static long (*const tc_kv_set)(const void* key, unsigned long key_length, const void* value,
                               unsigned long value_length) = (void*)TC_BPF_HELPER_KV_SET;
static long (*const tc_kv_del)(const void* key,
                               unsigned long key_length) = (void*)TC_BPF_HELPER_KV_DEL;
static long (*const tc_random)(void* out, unsigned long length) = (void*)TC_BPF_HELPER_RANDOM;
static long (*const tc_open)(unsigned long endpoint,
                             unsigned long access) = (void*)TC_BPF_HELPER_OPEN;
static long (*const tc_read)(long handle, void* out,
                             unsigned long capacity) = (void*)TC_BPF_HELPER_READ;
static long (*const tc_write)(long handle, const void* data,
                              unsigned long length) = (void*)TC_BPF_HELPER_WRITE;
static long (*const tc_close)(long handle) = (void*)TC_BPF_HELPER_CLOSE;
static tc_saul_reg* (*const tc_bpf_saul_reg_find_nth)(int pos) = (void*)TC_BPF_HELPER_SAUL_FIND_NTH;
static tc_saul_reg* (*const tc_bpf_saul_reg_find_type)(unsigned char type) = (void*)
    TC_BPF_HELPER_SAUL_FIND_TYPE;
static long (*const tc_bpf_saul_reg_read)(tc_saul_reg* dev,
                                          tc_phydat* data) = (void*)TC_BPF_HELPER_SAUL_READ;
static long (*const tc_bpf_saul_reg_write)(tc_saul_reg* dev,
                                           const tc_phydat* data) = (void*)TC_BPF_HELPER_SAUL_WRITE;
#endif /* __bpf__ */

#ifdef __cplusplus
}
#endif

#endif /* TINYCONTAINER_H */
