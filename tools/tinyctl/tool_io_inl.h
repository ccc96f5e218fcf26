// Template part of tool_io.h.
#pragma once

#include <iostream>

namespace tinyctl {

template <typename Body>
void RunCommand(std::string_view command, int& exit_code, Body&& body) {
  try {
    exit_code = body();
  } catch (const UsageError& e) {
    std::cerr << "tinyctl " << command << ": " << e.what() << "\n";
    exit_code = 2;
  } catch (const TransportError& e) {
    std::cerr << "tinyctl " << command << ": " << e.what() << "\n";
    exit_code = 3;
  } catch (const std::exception& e) {
    std::cerr << "tinyctl " << command << ": " << e.what() << "\n";
    exit_code = 1;
  }
}

}  // namespace tinyctl
