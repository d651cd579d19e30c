// What is wrong with a case's text, and where: the JSON and the YAML readers report alike.
#pragma once

#include <cstdint>
#include <string>

namespace redress::cases {

struct CaseTextError {
  std::string message;
  std::uint32_t line = 0;    // 1-based; 0: the input as a whole
  std::uint32_t column = 0;  // 1-based, in code points
};

}  // namespace redress::cases
