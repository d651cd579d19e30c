// A consumer built against the installed redress: find_package(redress) + redress::redress.
#include <redress/redress.hpp>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  redress::Pack pack = redress::Pack::load(argv[1]);
  redress::Case c;
  c.playbook = "delivery_delay";
  c.state = "investigating";
  c.now = redress::Timestamp::parse("2026-11-23T10:00:00Z");
  c.fact("order_id", redress::Value::string("P-1"))
      .fact("order_value", redress::Value::string("200.00 EUR"))
      .fact("shipping_fee", redress::Value::string("4.99 EUR"))
      .fact("days_late", redress::Value::integer(3))
      .fact("tier", redress::Value::string("gold"));
  redress::Decision d = pack.evaluate(c);
  std::cout << "consumer: " << redress::version_string() << " " << d.state << " "
            << d.compensation.total.to_string() << "\n";
  // The batch API runs on the library's thread pool; the installed header knows the version.
  auto batch = pack.evaluate_many(std::vector<redress::Case>(8, c));
  bool same = batch.size() == 8;
  for (const auto& r : batch) same = same && r.ok() && *r.decision == d;
  bool version = std::string(redress::version_string()) == REDRESS_VERSION_STRING;
  return d.compensation.total.to_string() == "4.99 EUR" && same && version ? 0 : 1;
}
