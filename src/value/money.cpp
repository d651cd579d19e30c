// Currencies (built-in ISO 4217 table) and money text (see money.hpp).
#include "redress/money.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redress {
namespace {

struct CurrencyInfo {
  char code[4];
  std::uint8_t minor_digits;
};

// ISO 4217 list one: the codes in circulation or in use as funds, with their minor units.
// Index 0 is XXX, ISO's "no currency": what a default-constructed Currency names, so a Money
// nobody set never passes for a real currency (it was AED, the first code, before). From
// index 1 the codes are sorted (find() binary-searches them). Left out: codes without a minor
// unit (precious metals XAU XAG XPD XPT, bond units XBA-XBD, XDR, XSU, XUA, XTS) and
// long-withdrawn codes (HRK, VEF, ...). Codes replaced recently but still met in data stay (ANG
// beside XCG, CUC, SLL beside SLE, ZWL beside ZWG).
constexpr std::size_t kNoCurrency = 0;
constexpr CurrencyInfo kCurrencies[] = {
    {"XXX", 0},
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2},
    {"AUD", 2}, {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2},
    {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2},
    {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2},
    {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2},
    {"COU", 2}, {"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0},
    {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2},
    {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2},
    {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2},
    {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2},
    {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2},
    {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2},
    {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2},
    {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2},
    {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2},
    {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2},
    {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2},
    {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2},
    {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SLL", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2},
    {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2},
    {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2},
    {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2},
    {"VED", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2},
    {"XCG", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
    {"ZWL", 2},
};
constexpr std::size_t kCurrencyCount = sizeof kCurrencies / sizeof kCurrencies[0];

constexpr bool table_sorted() {
  const char* none = kCurrencies[kNoCurrency].code;
  if (none[0] != 'X' || none[1] != 'X' || none[2] != 'X') return false;
  for (std::size_t i = kNoCurrency + 2; i < kCurrencyCount; ++i) {
    const char* a = kCurrencies[i - 1].code;
    const char* b = kCurrencies[i].code;
    int c = 0;
    for (int k = 0; k < 3 && c == 0; ++k) c = (a[k] < b[k]) ? -1 : (a[k] > b[k] ? 1 : 0);
    if (c >= 0) return false;
  }
  return true;
}
static_assert(table_sorted(), "the currency table must start with XXX, then be sorted by code, without duplicates");
static_assert(kCurrencyCount < 65536, "currency indexes are 16-bit");

}  // namespace

std::optional<Currency> Currency::find(std::string_view code) {
  if (code.size() != 3) return std::nullopt;
  for (char ch : code) {
    if (ch < 'A' || ch > 'Z') return std::nullopt;
  }
  if (code == "XXX") return from_index(kNoCurrency);
  std::size_t lo = kNoCurrency + 1, hi = kCurrencyCount;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const std::string_view m(kCurrencies[mid].code, 3);
    if (m == code) return from_index(static_cast<std::uint16_t>(mid));
    if (m < code) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return std::nullopt;
}

std::size_t Currency::table_size() { return kCurrencyCount; }

Currency Currency::at(std::size_t index) {
  return from_index(static_cast<std::uint16_t>(index < kCurrencyCount ? index : 0));
}

std::string_view Currency::code() const {
  const std::size_t i = index_ < kCurrencyCount ? index_ : 0;
  return std::string_view(kCurrencies[i].code, 3);
}

int Currency::minor_digits() const {
  const std::size_t i = index_ < kCurrencyCount ? index_ : 0;
  return kCurrencies[i].minor_digits;
}

std::string Money::to_string() const {
  std::string out = amount.to_string_fixed(currency.minor_digits());
  out += ' ';
  out += currency.code();
  return out;
}

std::optional<Money> Money::parse(std::string_view text) {
  // "AMOUNT CODE": exactly one space, the code last.
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  if (text.find(' ', space + 1) != std::string_view::npos) return std::nullopt;
  const std::optional<Decimal> amount = Decimal::parse(text.substr(0, space));
  if (!amount) return std::nullopt;
  const std::optional<Currency> currency = Currency::find(text.substr(space + 1));
  if (!currency) return std::nullopt;
  return Money{*amount, *currency};
}

}  // namespace redress
