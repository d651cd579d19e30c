#pragma once

#define REDRESS_VERSION_MAJOR 0
#define REDRESS_VERSION_MINOR 1
#define REDRESS_VERSION_PATCH 0

namespace redress {
// The library version, "0.1.0".
const char* version_string();
// The playbook format versions this library reads (`redress: 1`).
constexpr int kFormatVersion = 1;
}  // namespace redress
