#include "util/file.hpp"

#include <fstream>
#include <sstream>

namespace redress::util {

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open file";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    error = "cannot read file";
    return std::nullopt;
  }
  return ss.str();
}

}  // namespace redress::util
