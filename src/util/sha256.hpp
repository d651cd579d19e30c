// SHA-256 (FIPS 180-4), for pack fingerprints. Self-contained; no external crypto library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace redress::util {

// Incremental hashing: update() any number of times, then hex_digest() once. After
// hex_digest() the object is reset and may hash a new message.
class Sha256 {
 public:
  Sha256() { reset(); }
  void update(std::string_view data);
  // 64 lower-case hex digits.
  std::string hex_digest();
  void reset();

 private:
  void compress(const unsigned char* block);

  std::array<std::uint32_t, 8> state_{};
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// The SHA-256 of `data`, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace redress::util
