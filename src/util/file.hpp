// Reading a whole file into memory (the loader's playbooks, the CLI's case files).
#pragma once

#include <optional>
#include <string>

namespace redress::util {

// The bytes of the file at `path`; nullopt (and `error`: "cannot open file" or "cannot read
// file") when it cannot be read.
std::optional<std::string> read_file(const std::string& path, std::string& error);

}  // namespace redress::util
