// The files `tinyctl new` writes for each kind of container project. Texts contain placeholders
// that cmd_new.cc replaces: @UID@ (the container uid), @PROJECT@ (uid as a CMake project name)
// @TINYCONTAINER_DIR@ (the source tree holding cmake/TcContainer.cmake and sdk/include) and
// @RUN@ (RunNote(kind): how to run what the project builds).
#pragma once

#include <span>
#include <string_view>

namespace tinyctl {

enum class ProjectKind { kWasm, kWasi, kEbpf };

struct TemplateFile {
  std::string_view path;  // relative to the project directory
  std::string_view text;
};

std::span<const TemplateFile> ProjectTemplate(ProjectKind kind);
std::string_view RunNote(ProjectKind kind);

}  // namespace tinyctl
