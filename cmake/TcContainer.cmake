# Building TinyContainer containers with clang (docs/sdk.md).
#
#   include(/path/to/tinycontainer/cmake/TcContainer.cmake)
#   tc_container(hello SOURCES hello.c RUNTIME wasm MANIFEST manifest.json)
#
# tc_container(NAME SOURCES <c files...> RUNTIME wasm|wasm-wasi|ebpf MANIFEST <json>
#              [KEY <signing key>] [OUTPUT_DIR <dir>] [STACK_SIZE <bytes>] [MEMORY <bytes>]
#              [COMPILE_OPTIONS <flags...>] [LINK_OPTIONS <flags...>])
#
# Writes <OUTPUT_DIR>/<NAME>/<NAME>.wasm (wasm, wasm-wasi) or <NAME>.o (ebpf) and copies the
# manifest next to it as manifest.json. With a signing key (KEY, or the cache variable
# TC_CONTAINER_SIGNING_KEY) it also runs `tinyctl build` to write the signed image <NAME>.tc.
# Target: <NAME>_container (built by `all`); its properties TC_CONTAINER_MODULE,
# TC_CONTAINER_MANIFEST and TC_CONTAINER_IMAGE name the files.
#
# Runtimes:
#   wasm       clang --target=wasm32 -nostdlib: no C library, no _start; the SDK's TC_EXPORT marks
#              tc_init/tc_loop/tc_stop (or a one-shot entry). One 64 KiB page, not growable;
#              the manifest's memory_limit may be smaller than the page (the stack sits right
#              after the data, so a few KiB usually suffice).
#   wasm-wasi  clang --target=wasm32-wasi with wasi-libc: an ordinary C program with main(), run
#              through `_start` (manifest entry {"start": "_start"}, permission "wasi").
#   Both wasm forms link with --strip-all: the name and debug sections are most of a wasi-libc
#   module (hello_wasi: 114 KB -> 25 KB) and nothing on the device reads them.
#   ebpf       clang -target bpf -c: one relocatable ELF object, one source file (the engine's
#              ELF loader takes .text, .rodata*, .data*/.bss*; no maps, no externs).
include_guard(GLOBAL)

set(TC_SDK_INCLUDE_DIR "${CMAKE_CURRENT_LIST_DIR}/../sdk/include"
    CACHE PATH "TinyContainer guest SDK headers (tinycontainer.h)")
set(TC_CONTAINER_OUTPUT_DIR "${CMAKE_BINARY_DIR}" CACHE PATH
    "Where tc_container() writes <name>/<name>.wasm|.o, manifest.json and <name>.tc")
set(TC_CONTAINER_SIGNING_KEY "" CACHE FILEPATH
    "Signing key (NAME.key from tinyctl keygen); empty: build unsigned modules only")
find_program(TC_CONTAINER_CLANG NAMES clang-14 clang DOC "clang with the wasm32 and bpf targets")
if(NOT TARGET tinyctl)
  find_program(TC_TINYCTL tinyctl HINTS "${CMAKE_CURRENT_LIST_DIR}/../build/bin"
               DOC "tinyctl, to sign container images")
endif()

# True when wasi-libc is installed where clang-14 --target=wasm32-wasi looks for it (Debian).
function(tc_container_have_wasi_libc out)
  find_file(TC_WASI_LIBC libc.a PATHS /usr/lib/wasm32-wasi /usr/share/wasi-sysroot/lib/wasm32-wasi
            NO_DEFAULT_PATH)
  if(TC_WASI_LIBC)
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

function(tc_container name)
  cmake_parse_arguments(ARG "" "RUNTIME;MANIFEST;KEY;OUTPUT_DIR;STACK_SIZE;MEMORY"
                        "SOURCES;COMPILE_OPTIONS;LINK_OPTIONS" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tc_container(${name}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT name MATCHES "^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    message(FATAL_ERROR "tc_container(${name}): the name must be [A-Za-z0-9._-], first alphanumeric")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "tc_container(${name}): SOURCES is required")
  endif()
  if(NOT ARG_MANIFEST)
    message(FATAL_ERROR "tc_container(${name}): MANIFEST is required")
  endif()
  if(NOT TC_CONTAINER_CLANG)
    message(FATAL_ERROR "tc_container(${name}): clang-14 not found (scripts/setup.sh installs it)")
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${TC_CONTAINER_OUTPUT_DIR}")
  endif()
  if(NOT DEFINED ARG_KEY)
    set(ARG_KEY "${TC_CONTAINER_SIGNING_KEY}")
  endif()

  set(dir "${ARG_OUTPUT_DIR}/${name}")
  set(sources "")
  foreach(source IN LISTS ARG_SOURCES)
    get_filename_component(source "${source}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND sources "${source}")
  endforeach()
  get_filename_component(manifest "${ARG_MANIFEST}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  file(GLOB sdk_headers "${TC_SDK_INCLUDE_DIR}/*.h")
  set(common_flags -O2 -Wall -Wextra "-I${TC_SDK_INCLUDE_DIR}" ${ARG_COMPILE_OPTIONS})

  if(ARG_RUNTIME STREQUAL "wasm")
    set(module "${dir}/${name}.wasm")
    if(NOT ARG_STACK_SIZE)
      set(ARG_STACK_SIZE 2048)
    endif()
    if(NOT ARG_MEMORY)
      set(ARG_MEMORY 65536)
    endif()
    set(command ${TC_CONTAINER_CLANG} --target=wasm32 -nostdlib ${common_flags} -Wl,--no-entry
        -Wl,--strip-all
        "-Wl,-z,stack-size=${ARG_STACK_SIZE}" "-Wl,--initial-memory=${ARG_MEMORY}"
        "-Wl,--max-memory=${ARG_MEMORY}" ${ARG_LINK_OPTIONS} ${sources} -o ${module})
  elseif(ARG_RUNTIME STREQUAL "wasm-wasi")
    tc_container_have_wasi_libc(have_wasi)
    if(NOT have_wasi)
      message(FATAL_ERROR "tc_container(${name}): wasm-wasi needs wasi-libc (package wasi-libc)")
    endif()
    set(module "${dir}/${name}.wasm")
    set(memory_flags "")
    if(ARG_STACK_SIZE)
      list(APPEND memory_flags "-Wl,-z,stack-size=${ARG_STACK_SIZE}")
    endif()
    if(ARG_MEMORY)
      list(APPEND memory_flags "-Wl,--initial-memory=${ARG_MEMORY}")
    endif()
    set(command ${TC_CONTAINER_CLANG} --target=wasm32-wasi ${common_flags} -Wl,--strip-all ${memory_flags}
        ${ARG_LINK_OPTIONS} ${sources} -o ${module})
  elseif(ARG_RUNTIME STREQUAL "ebpf")
    list(LENGTH sources source_count)
    if(NOT source_count EQUAL 1)
      message(FATAL_ERROR "tc_container(${name}): an eBPF container is one source file "
                          "(the loader takes a single relocatable object)")
    endif()
    if(ARG_STACK_SIZE OR ARG_MEMORY OR ARG_LINK_OPTIONS)
      message(FATAL_ERROR "tc_container(${name}): STACK_SIZE, MEMORY and LINK_OPTIONS are for wasm")
    endif()
    set(module "${dir}/${name}.o")
    set(command ${TC_CONTAINER_CLANG} -target bpf ${common_flags} -c ${sources} -o ${module})
  else()
    message(FATAL_ERROR "tc_container(${name}): RUNTIME must be wasm, wasm-wasi or ebpf, "
                        "got '${ARG_RUNTIME}'")
  endif()

  add_custom_command(OUTPUT ${module}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${command}
    DEPENDS ${sources} ${sdk_headers}
    COMMENT "container ${name} (${ARG_RUNTIME}) -> ${module}"
    VERBATIM)
  add_custom_command(OUTPUT ${dir}/manifest.json
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${manifest} ${dir}/manifest.json
    DEPENDS ${manifest}
    VERBATIM)
  set(outputs ${module} ${dir}/manifest.json)

  set(image "")
  if(ARG_KEY)
    get_filename_component(key "${ARG_KEY}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    set(image "${dir}/${name}.tc")
    if(TARGET tinyctl)
      set(tinyctl $<TARGET_FILE:tinyctl>)
      set(tinyctl_dependency tinyctl)
    elseif(TC_TINYCTL)
      set(tinyctl ${TC_TINYCTL})
      set(tinyctl_dependency ${TC_TINYCTL})
    else()
      message(FATAL_ERROR "tc_container(${name}): signing needs tinyctl; set TC_TINYCTL")
    endif()
    add_custom_command(OUTPUT ${image}
      COMMAND ${tinyctl} build ${dir}/manifest.json --code ${module} --key ${key} -o ${image}
      DEPENDS ${module} ${dir}/manifest.json ${key} ${tinyctl_dependency}
      COMMENT "container ${name}: signed image ${image}"
      VERBATIM)
    list(APPEND outputs ${image})
  endif()

  add_custom_target(${name}_container ALL DEPENDS ${outputs})
  set_target_properties(${name}_container PROPERTIES
    TC_CONTAINER_MODULE "${module}"
    TC_CONTAINER_MANIFEST "${dir}/manifest.json"
    TC_CONTAINER_IMAGE "${image}")
endfunction()
