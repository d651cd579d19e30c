#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/sha256.hpp"
#include "util/text.hpp"

using redress::util::edit_distance;
using redress::util::nearest;
using redress::util::Sha256;
using redress::util::sha256_hex;
using redress::util::valid_utf8;

TEST_CASE("sha256: FIPS 180 test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(sha256_hex("The quick brown fox jumps over the lazy dog") ==
        "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
}

TEST_CASE("sha256: one million 'a', in one piece and in uneven pieces") {
  const std::string million(1000000, 'a');
  const char* expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  CHECK(sha256_hex(million) == expected);

  Sha256 h;
  std::size_t done = 0, step = 1;
  while (done < million.size()) {
    const std::size_t n = std::min(step, million.size() - done);
    h.update(std::string_view(million).substr(done, n));
    done += n;
    step = step % 97 + 13;  // chunk sizes that straddle the 64-byte blocks
  }
  CHECK(h.hex_digest() == expected);
}

TEST_CASE("sha256: padding boundaries and reuse") {
  // Messages of 55, 56, 63, 64 and 65 bytes exercise every padding case.
  CHECK(sha256_hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  Sha256 h;
  h.update("ab");
  h.update("");
  h.update("c");
  CHECK(h.hex_digest() == sha256_hex("abc"));
  h.update("abc");  // the object is reset after a digest
  CHECK(h.hex_digest() == sha256_hex("abc"));
  CHECK(h.hex_digest() == sha256_hex(""));
  // Bytes above 0x7F are hashed as bytes.
  CHECK(sha256_hex(std::string("\xff\x00", 2)) != sha256_hex(std::string("\xff", 1)));
}

TEST_CASE("edit distance: optimal string alignment") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("days_late", "days_late") == 0);
  CHECK(edit_distance("days_lat", "days_late") == 1);   // deletion
  CHECK(edit_distance("days_latte", "days_late") == 1); // insertion
  CHECK(edit_distance("days_lote", "days_late") == 1);  // substitution
  CHECK(edit_distance("dyas_late", "days_late") == 1);  // transposition
  CHECK(edit_distance("ca", "abc") == 3);               // OSA, not unrestricted Damerau
  // Long inputs are compared on their first 64 bytes.
  const std::string a(1000, 'x');
  const std::string b = std::string(64, 'x') + std::string(936, 'y');
  CHECK(edit_distance(a, b) == 0);
  CHECK(edit_distance(std::string(100, 'a'), std::string(100, 'b')) == 64);
}

TEST_CASE("nearest: did-you-mean suggestions") {
  const std::vector<std::string> keys = {"playbook", "version", "title", "facts", "states",
                                         "escalation", "compensation", "tests", "priority"};
  CHECK(nearest("stetes", keys) == std::optional<std::string>("states"));
  CHECK(nearest("escalaton", keys) == std::optional<std::string>("escalation"));
  CHECK(nearest("compnesation", keys) == std::optional<std::string>("compensation"));
  CHECK(nearest("verison", keys) == std::optional<std::string>("version"));
  CHECK(nearest("title", keys) == std::optional<std::string>("title"));
  CHECK_FALSE(nearest("zzz", keys).has_value());
  CHECK_FALSE(nearest("", keys).has_value());
  CHECK_FALSE(nearest("x", {"y"}).has_value());   // distance must stay below the word length
  CHECK_FALSE(nearest("abc", {"xyz", "uvw"}).has_value());
  CHECK_FALSE(nearest("stetes", {}).has_value());
  // Short words allow one edit; ties go to the first candidate.
  CHECK(nearest("EUX", {"EUR", "EUX1", "EUY"}) == std::optional<std::string>("EUR"));
  CHECK_FALSE(nearest("EXX", {"EUR"}).has_value());
  // Longer words allow len/3 edits.
  CHECK(nearest("delivery_dely", {"refund", "delivery_delay"}) ==
        std::optional<std::string>("delivery_delay"));
  CHECK_FALSE(nearest("delivery", {"dxlxvxry"}).has_value());  // 3 edits > 8/3
}

TEST_CASE("utf-8 validation") {
  CHECK(valid_utf8(""));
  CHECK(valid_utf8("plain ascii"));
  CHECK(valid_utf8("Gr\xc3\xbc\xc3\x9f""e"));            // Grüße
  CHECK(valid_utf8("\xe2\x82\xac"));                      // €
  CHECK(valid_utf8("\xf0\x9f\x98\x80"));                  // U+1F600
  CHECK(valid_utf8("\xf4\x8f\xbf\xbf"));                  // U+10FFFF
  CHECK(valid_utf8(std::string("a\0b", 3)));              // NUL is valid UTF-8
  CHECK_FALSE(valid_utf8("\xc3"));                        // truncated
  CHECK_FALSE(valid_utf8("\xe2\x82"));                    // truncated
  CHECK_FALSE(valid_utf8("\x80"));                        // lone continuation
  CHECK_FALSE(valid_utf8("\xc0\xaf"));                    // overlong '/'
  CHECK_FALSE(valid_utf8("\xc1\xbf"));                    // overlong
  CHECK_FALSE(valid_utf8("\xe0\x80\xaf"));                // overlong 3-byte
  CHECK_FALSE(valid_utf8("\xf0\x80\x80\xaf"));            // overlong 4-byte
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));                // surrogate U+D800
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));            // U+110000
  CHECK_FALSE(valid_utf8("\xf5\x80\x80\x80"));
  CHECK_FALSE(valid_utf8("\xff"));
  CHECK_FALSE(valid_utf8("\xc3\x28"));                    // bad continuation
  CHECK_FALSE(valid_utf8("ok\xe2\x28\xa1"));
}

TEST_CASE("did_you_mean, did_you_mean_or_list and join: the one way messages hint and list") {
  using redress::util::did_you_mean;
  using redress::util::did_you_mean_or_list;
  using redress::util::join;
  const std::vector<std::string> states = {"offer", "resolved", "escalated"};
  CHECK(did_you_mean("ofer", states) == " (did you mean 'offer'?)");
  CHECK(did_you_mean("zzz", states).empty());
  CHECK(did_you_mean_or_list("resovled", states, "states:") == " (did you mean 'resolved'?)");
  CHECK(did_you_mean_or_list("zzz", states, "states:") == " (states: offer, resolved, escalated)");
  CHECK(join({}) == "");
  CHECK(join({"a"}) == "a");
  CHECK(join({"a", "b", "c"}) == "a, b, c");
  CHECK(join({"a", "b"}, " -> ") == "a -> b");
}

TEST_CASE("utf-8: the offset of the first bad byte, and trimming a cut tail") {
  using redress::util::invalid_utf8_at;
  using redress::util::trim_utf8_tail;
  CHECK(invalid_utf8_at("Gr\xc3\xbc\xc3\x9f""e") == std::string_view::npos);
  CHECK(invalid_utf8_at("ab\xff") == 2);
  CHECK(invalid_utf8_at("a\xc3") == 1);            // cut sequence
  CHECK(invalid_utf8_at("x\xe0\x80\x80") == 1);    // overlong
  CHECK(invalid_utf8_at("\xed\xa0\x80") == 0);     // surrogate
  std::string cut = "ab\xc3";                      // "abü" cut inside ü
  trim_utf8_tail(cut);
  CHECK(cut == "ab");
  std::string ascii = "abc";
  trim_utf8_tail(ascii);
  CHECK(ascii == "abc");
}
