# Helpers for device-side libraries: one place decides the flags every freestanding library gets,
# and every such library is registered for the size report.

set(TC_DEVICE_WARNINGS -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion -Werror=return-type)

# tc_device_library(<name> SOURCES <files...> [DEPS <libs...>])
function(tc_device_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_compile_options(${name} PRIVATE ${TC_DEVICE_WARNINGS})
  # Device code never throws and never asks for type info, on the host too, so the host build
  # catches a violation as early as the cross build does. PRIVATE: host tools that link a device
  # library (tinyctl with CLI11, the manifest reader with nlohmann-json) keep their exceptions.
  target_compile_options(${name} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti>)
  if(ARG_DEPS)
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  endif()
  set_property(GLOBAL APPEND PROPERTY TC_DEVICE_LIBRARIES ${name})
endfunction()

# `size-report`: .text/.data/.bss of every device library (meaningful in the cross build).
function(tc_add_size_report)
  get_property(libs GLOBAL PROPERTY TC_DEVICE_LIBRARIES)
  set(files)
  foreach(lib IN LISTS libs)
    list(APPEND files "${lib}=$<TARGET_FILE:${lib}>")
  endforeach()
  if(CMAKE_SIZE)
    set(size_tool ${CMAKE_SIZE})
  else()
    set(size_tool size)
  endif()
  add_custom_target(size-report
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/size-report.sh ${size_tool} ${files}
    DEPENDS ${libs}
    COMMENT "Size of device-side libraries"
    VERBATIM)
endfunction()
