// Decision <-> bytes, losslessly (encode_decision / decode_decision): the walk of
// decision_fields.hpp with each leaf in a compact binary form. Python pickles Decisions with it,
// and CompoundDecisions (compound_fields.hpp, magic "rdsC") the same way.
//
// Layout: the magic "rdsD", a version byte, a 4-byte hash of the field description (names and
// shapes: bytes of a library whose Decision has other fields are refused, with no version to
// bump by hand), then every field in description order. Integers
// are LEB128 varints (signed ones zigzagged), text is a length and its bytes, an optional a
// presence byte, a list its length, a decimal its 16 raw bytes, a currency its code, a location
// its file's path and name (registered again on reading) with line, column and span.
// Reading checks every length and tag against what is left: hostile bytes give
// std::invalid_argument, never a crash or a huge allocation.
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "eval/compound_fields.hpp"
#include "eval/decision_fields.hpp"

namespace redress {

namespace {

constexpr char kMagic[4] = {'r', 'd', 's', 'D'};
constexpr char kCompoundMagic[4] = {'r', 'd', 's', 'C'};  // a CompoundDecision
constexpr unsigned char kVersion = 1;

// The description's shape as text -- "playbook(s)...actions([action(s)due_at(?t)...])..." --
// walked by type, so lists and optionals with nothing in them still show their elements.
struct Shape {
  std::string text;

  template <class T>
  void operator()(const char* name, const T&) {
    text += name;
    text += '(';
    shape<T>();
    text += ')';
  }
  template <class T>
  void present_if(const char* name, const bool&, const T& x) {
    text += '!';
    (*this)(name, x);
  }

  template <class T>
  struct Tag;  // one letter per leaf type
  template <class T>
  void shape() {
    if constexpr (detail::kDescribed<T>) {
      const T x{};
      detail::Fields<T>::apply(*this, x);
    } else {
      text += Tag<T>::letter;
    }
  }
};
template <> struct Shape::Tag<std::string> { static constexpr char letter = 's'; };
template <> struct Shape::Tag<bool> { static constexpr char letter = 'b'; };
template <> struct Shape::Tag<int> { static constexpr char letter = 'i'; };
template <> struct Shape::Tag<Money> { static constexpr char letter = 'm'; };
template <> struct Shape::Tag<Timestamp> { static constexpr char letter = 't'; };
template <> struct Shape::Tag<Basis> { static constexpr char letter = 'B'; };
template <> struct Shape::Tag<SourceLocation> { static constexpr char letter = 'L'; };
template <> struct Shape::Tag<Value> { static constexpr char letter = 'v'; };
template <class T> struct Shape::Tag<std::optional<T>> {
  static inline const std::string letter = "?" + [] { Shape s; s.shape<T>(); return s.text; }();
};
template <class T> struct Shape::Tag<std::vector<T>> {
  static inline const std::string letter = "[" + [] { Shape s; s.shape<T>(); return s.text; }() + "]";
};

// FNV-1a of the shape of Root (a Decision or a CompoundDecision), computed once.
template <class Root>
std::uint32_t layout_hash() {
  static const std::uint32_t hash = [] {
    Shape s;
    s.shape<Root>();
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s.text) h = (h ^ c) * 16777619u;
    return h;
  }();
  return hash;
}

struct Writer {
  std::string out;

  template <class T>
  void operator()(const char*, const T& x) { put(x); }
  template <class T>
  void present_if(const char*, bool present, const T& x) {
    put(present);
    if (present) put(x);
  }

  void varint(std::uint64_t u) {
    while (u >= 0x80) {
      out += static_cast<char>((u & 0x7F) | 0x80);
      u >>= 7;
    }
    out += static_cast<char>(u);
  }
  void signed_varint(std::int64_t i) {
    varint((static_cast<std::uint64_t>(i) << 1) ^ static_cast<std::uint64_t>(i >> 63));
  }

  void put(const std::string& s) {
    varint(s.size());
    out += s;
  }
  void put(bool b) { out += static_cast<char>(b ? 1 : 0); }
  void put(int i) { signed_varint(i); }
  void put(std::uint32_t u) { varint(u); }
  void put(Decimal d) {
    auto raw = static_cast<uint128_t>(d.raw());
    for (int i = 0; i < 16; ++i) out += static_cast<char>(static_cast<unsigned char>(raw >> (8 * i)));
  }
  void put(Currency c) { put(std::string(c.code())); }
  void put(const Money& m) {
    put(m.amount);
    put(m.currency);
  }
  void put(Timestamp t) { signed_varint(t.micros); }
  void put(Basis b) { out += static_cast<char>(b); }
  void put(const SourceLocation& at) {
    put(at.path());
    put(at.name());
    put(at.line);
    put(at.column);
    put(at.length);
  }
  void put(const Value& v) {
    out += static_cast<char>(v.kind());
    switch (v.kind()) {
      case Value::Kind::Null: break;
      case Value::Kind::Bool: put(v.as_bool()); break;
      case Value::Kind::Int:
      case Value::Kind::Number: put(v.as_decimal()); break;
      case Value::Kind::Money: put(v.as_money()); break;
      case Value::Kind::String: put(v.as_string()); break;
      case Value::Kind::Datetime: put(v.as_datetime()); break;
      case Value::Kind::Duration: signed_varint(v.as_duration().micros); break;
      case Value::Kind::List: put(v.as_list()); break;
    }
  }
  template <class T>
  void put(const std::optional<T>& o) {
    put(o.has_value());
    if (o) put(*o);
  }
  template <class T>
  void put(const std::vector<T>& list) {
    varint(list.size());
    for (const auto& x : list) put(x);
  }
  template <class T, std::enable_if_t<detail::kDescribed<T>, int> = 0>
  void put(const T& x) {
    detail::Fields<T>::apply(*this, x);
  }
};

[[noreturn]] void corrupt(const std::string& what) {
  throw std::invalid_argument("not an encoded Decision of this version (" + what + ")");
}

struct Reader {
  std::string_view in;
  std::size_t pos = 0;

  template <class T>
  void operator()(const char* name, T& x) {
    field = name;
    get(x);
  }
  template <class T>
  void present_if(const char* name, bool& present, T& x) {
    field = name;
    get(present);
    if (present) get(x);
  }

  const char* field = "header";

  std::size_t left() const { return in.size() - pos; }
  unsigned char byte() {
    if (pos >= in.size()) corrupt(std::string("truncated at '") + field + "'");
    return static_cast<unsigned char>(in[pos++]);
  }
  std::uint64_t varint() {
    std::uint64_t u = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      unsigned char b = byte();
      u |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return u;
    }
    corrupt(std::string("an overlong number at '") + field + "'");
  }
  std::int64_t signed_varint() {
    std::uint64_t u = varint();
    return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  // A count of elements, each at least one byte: never more than the bytes left.
  std::size_t count() {
    std::uint64_t n = varint();
    if (n > left()) corrupt(std::string("a length past the end at '") + field + "'");
    return static_cast<std::size_t>(n);
  }

  void get(std::string& s) {
    std::size_t n = count();
    s.assign(in.substr(pos, n));
    pos += n;
  }
  void get(bool& b) {
    unsigned char c = byte();
    if (c > 1) corrupt(std::string("a bad flag at '") + field + "'");
    b = c == 1;
  }
  void get(int& i) {
    std::int64_t v = signed_varint();
    if (v < INT32_MIN || v > INT32_MAX) corrupt(std::string("a number out of range at '") + field + "'");
    i = static_cast<int>(v);
  }
  void get(std::uint32_t& u) {
    std::uint64_t v = varint();
    if (v > UINT32_MAX) corrupt(std::string("a number out of range at '") + field + "'");
    u = static_cast<std::uint32_t>(v);
  }
  void get(Decimal& d) {
    uint128_t raw = 0;
    for (int i = 0; i < 16; ++i) raw |= static_cast<uint128_t>(byte()) << (8 * i);
    d = Decimal::from_raw(static_cast<int128_t>(raw));
    if (d < Decimal::min_value() || d > Decimal::max_value()) corrupt(std::string("a decimal out of range at '") + field + "'");
  }
  void get(Currency& c) {
    std::string code;
    get(code);
    auto found = Currency::find(code);
    if (!found) corrupt(std::string("an unknown currency at '") + field + "'");
    c = *found;
  }
  void get(Money& m) {
    get(m.amount);
    get(m.currency);
  }
  void get(Timestamp& t) { t.micros = signed_varint(); }
  void get(Basis& b) {
    unsigned char c = byte();
    if (c > static_cast<unsigned char>(Basis::Goodwill)) corrupt(std::string("a bad basis at '") + field + "'");
    b = static_cast<Basis>(c);
  }
  void get(SourceLocation& at) {
    std::string path, name;
    get(path);
    get(name);
    at.file = path.empty() && name.empty() ? 0 : detail::intern_source_file(path, name);
    get(at.line);
    get(at.column);
    get(at.length);
  }
  void get(Value& v) {
    using K = Value::Kind;
    unsigned char kind = byte();
    switch (static_cast<K>(kind)) {
      case K::Null: v = Value::null(); return;
      case K::Bool: { bool b; get(b); v = Value::boolean(b); return; }
      case K::Int: {
        Decimal d;
        get(d);
        auto i = d.to_int64();
        if (!i) corrupt(std::string("a bad integer at '") + field + "'");
        v = Value::integer(*i);
        return;
      }
      case K::Number: { Decimal d; get(d); v = Value::number(d); return; }
      case K::Money: { Money m; get(m); v = Value::money(m); return; }
      case K::String: { std::string s; get(s); v = Value::string(std::move(s)); return; }
      case K::Datetime: { Timestamp t; get(t); v = Value::datetime(t); return; }
      case K::Duration: v = Value::duration(Duration{signed_varint()}); return;
      case K::List: { std::vector<std::string> l; get(l); v = Value::list(std::move(l)); return; }
    }
    corrupt(std::string("a bad value kind at '") + field + "'");
  }
  template <class T>
  void get(std::optional<T>& o) {
    bool present;
    get(present);
    if (!present) { o.reset(); return; }
    o.emplace();
    get(*o);
  }
  template <class T>
  void get(std::vector<T>& list) {
    std::size_t n = count();
    list.clear();
    list.reserve(n);
    for (std::size_t i = 0; i < n; ++i) get(list.emplace_back());
  }
  template <class T, std::enable_if_t<detail::kDescribed<T>, int> = 0>
  void get(T& x) {
    detail::Fields<T>::apply(*this, x);
  }
};

template <class Root>
std::string encode(const Root& d, const char (&magic)[4]) {
  Writer w;
  w.out.append(magic, sizeof magic);
  w.out += static_cast<char>(kVersion);
  const std::uint32_t layout = layout_hash<Root>();
  for (int i = 0; i < 4; ++i) w.out += static_cast<char>(static_cast<unsigned char>(layout >> (8 * i)));
  w.put(d);
  return std::move(w.out);
}

template <class Root>
Root decode(std::string_view bytes, const char (&magic)[4], const std::string& name) {
  if (bytes.size() < sizeof magic + 1 || std::memcmp(bytes.data(), magic, sizeof magic) != 0)
    corrupt("no " + name + " header");
  if (static_cast<unsigned char>(bytes[sizeof magic]) != kVersion)
    corrupt("version " + std::to_string(static_cast<unsigned char>(bytes[sizeof magic])) + ", this library reads " +
            std::to_string(kVersion));
  Reader r{bytes, sizeof magic + 1};
  std::uint32_t layout = 0;
  for (int i = 0; i < 4; ++i) layout |= static_cast<std::uint32_t>(r.byte()) << (8 * i);
  if (layout != layout_hash<Root>()) corrupt("written by a library whose " + name + " has other fields");
  Root d;
  r.get(d);
  if (r.left() != 0) corrupt("bytes left after the " + name);
  return d;
}

}  // namespace

std::string encode_decision(const Decision& d) { return encode(d, kMagic); }
Decision decode_decision(std::string_view bytes) { return decode<Decision>(bytes, kMagic, "Decision"); }

std::string encode_compound_decision(const CompoundDecision& d) { return encode(d, kCompoundMagic); }
CompoundDecision decode_compound_decision(std::string_view bytes) {
  return decode<CompoundDecision>(bytes, kCompoundMagic, "CompoundDecision");
}

}  // namespace redress
