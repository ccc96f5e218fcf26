// Every bound the decoder, validator and instantiator enforce, chosen by the embedder. Exceeding
// one is an error (kResourceExhausted) that names the limit, never a crash or silent truncation.
#pragma once

#include <cstdint>

namespace tc::wasm {

struct Limits {
  uint32_t max_module_bytes = 1u << 20;
  uint32_t max_types = 1024;
  uint32_t max_params = 64;   // per function type
  uint32_t max_results = 16;  // per function type
  uint32_t max_imports = 256;
  uint32_t max_functions = 8192;  // imported + defined
  uint32_t max_globals = 1024;
  uint32_t max_exports = 1024;
  uint32_t max_element_segments = 1024;
  uint32_t max_data_segments = 1024;
  uint32_t max_segment_entries = 65536;  // functions in one element segment
  uint32_t max_table_elements = 65536;   // initial table size at instantiation
  uint32_t max_locals = 1024;            // per function, parameters included
  uint32_t max_control_depth = 256;      // nested blocks in one function
  uint32_t max_operand_height = 1024;    // operand stack height in one function
  uint32_t max_br_table_targets = 65536;
  uint32_t max_function_body_bytes = 1u << 20;
  uint32_t max_name_bytes = 4096;
};

}  // namespace tc::wasm
