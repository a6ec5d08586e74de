#pragma once
// SHA-256 (FIPS 180-4) for fingerprints that may cover secret values: unlike FNV, the digest
// tells nothing about what went in.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace stackctl {

class Sha256 {
 public:
  Sha256();
  /// Adds bytes to the message.
  void update(std::string_view bytes);
  /// Adds a length-prefixed field, so that ("ab","c") and ("a","bc") differ.
  void field(std::string_view bytes);
  /// The digest as 64 lowercase hex digits; the object is spent afterwards.
  std::string hex();

 private:
  void block(const unsigned char* p);
  std::array<std::uint32_t, 8> h_;
  std::array<unsigned char, 64> buf_{};
  std::size_t used_ = 0;
  std::uint64_t bits_ = 0;
};

/// SHA-256 of bytes, as hex.
std::string sha256_hex(std::string_view bytes);

}  // namespace stackctl
