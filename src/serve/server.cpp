#include "serve/server.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>
#include <string_view>
#include <utility>

#include "redress/case.hpp"
#include "redress/decision.hpp"
#include "redress/diagnostic.hpp"
#include "redress/explain.hpp"
#include "redress/pack.hpp"
#include "redress/version.hpp"
#include "util/json_writer.hpp"

namespace redress::serve {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kJson = "application/json";
constexpr const char* kNdjson = "application/x-ndjson";
constexpr const char* kFormType = "application/x-www-form-urlencoded";

// {"error": {"status": 400, "code": "bad_request", "message": "…"}}
std::string error_json(int status, std::string_view code, std::string_view message) {
  util::JsonWriter w(false);
  w.begin_object().key("error").begin_object();
  w.key("status").raw(std::to_string(status));
  w.key("code").string(code);
  w.key("message").string(message);
  w.end_object().end_object();
  return w.str();
}

void fail(httplib::Response& res, int status, std::string_view code, std::string_view message) {
  res.status = status;
  res.set_content(error_json(status, code, message), kJson);
}

// JSON Lines / NDJSON bodies are bulk requests (one case a line, one Decision a line back).
bool is_bulk(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  const std::string base = type.substr(0, type.find(';'));
  return base == kNdjson || base == "application/jsonl" || base == "application/x-jsonlines" ||
         base == "application/json-lines";
}

bool query_flag(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return false;
  const std::string v = req.get_param_value(name);
  return v.empty() || v == "1" || v == "true";
}

EvaluateOptions evaluation(bool trace) {
  EvaluateOptions eo;
  eo.trace = trace;
  eo.clock = true;  // a case without `now` is evaluated at the current time, as in the CLI
  return eo;
}

// The outcome of one case: a Decision's JSON, or an error with its HTTP status.
struct Outcome {
  int status = 200;
  std::string body;
};

}  // namespace

struct Server::Impl {
  LivePack& live;
  Metrics& metrics;
  ServerOptions options;
  httplib::Server http;

  Impl(LivePack& l, Metrics& m, ServerOptions o) : live(l), metrics(m), options(std::move(o)) { routes(); }

  // Why a case of `bytes` bytes is refused (413), or nothing when it is within the limit.
  std::optional<std::string> oversize(std::size_t bytes, const std::string& prefix) const {
    if (bytes <= options.max_case_bytes) return std::nullopt;
    return prefix + "the case is " + std::to_string(bytes) + " bytes; the limit is " +
           std::to_string(options.max_case_bytes);
  }

  // The request's body as one case; false once the refusal (413, 400) is written.
  bool read_case(const httplib::Request& req, httplib::Response& res, Case& c) {
    if (auto refused = oversize(req.body.size(), "")) {
      fail(res, 413, "case_too_large", *refused);
      return false;
    }
    try {
      c = parse_case(req.body, "<request>");
      return true;
    } catch (const EvaluationError& e) {
      fail(res, 400, "bad_case", e.what());
      return false;
    }
  }

  // Reads and evaluates one case against `version` (one version for a whole bulk request).
  Outcome evaluate_one(const LiveVersion& version, const std::string& text, const std::string& origin,
                       bool trace) {
    const auto start = Clock::now();
    Outcome out;
    if (auto refused = oversize(text.size(), origin + ": ")) {
      out = {413, error_json(413, "case_too_large", *refused)};
    } else {
      Case c;
      bool readable = false;
      try {
        c = parse_case(text, origin);  // unreadable or malformed: 400
        readable = true;
        if (c.compound()) out = evaluate_compound(version, c, trace);  // spec §4.1, §5.1
        else out.body = to_json(version.pack.evaluate(c, evaluation(trace)));
      } catch (const EvaluationError& e) {
        out = readable ? Outcome{422, error_json(422, "evaluation_error", e.what())}
                       : Outcome{400, error_json(400, "bad_case", e.what())};
      } catch (const std::exception& e) {
        out = Outcome{500, error_json(500, "internal", e.what())};
      }
    }
    metrics.evaluation(Clock::now() - start, out.status == 200);
    return out;
  }

  // A compound case's CompoundDecision (spec §5.1), or its evaluation error (422).
  static Outcome evaluate_compound(const LiveVersion& version, const Case& c, bool trace) {
    try {
      return Outcome{200, to_json(version.pack.evaluate_compound(c, evaluation(trace)))};
    } catch (const EvaluationError& e) {
      return Outcome{422, error_json(422, "evaluation_error", e.what())};
    } catch (const std::exception& e) {
      return Outcome{500, error_json(500, "internal", e.what())};
    }
  }

  void evaluate(const httplib::Request& req, httplib::Response& res) {
    std::shared_ptr<const LiveVersion> version = live.current();
    const bool trace = query_flag(req, "trace");
    if (!is_bulk(req)) {
      Outcome out = evaluate_one(*version, req.body, "<request>", trace);
      res.status = out.status;
      res.set_content(out.body, kJson);
      return;
    }
    // Bulk: every line of the body is a case, answered line for line in order and streamed a
    // batch at a time; each batch is evaluated on the library's thread pool (evaluate_many).
    // An error answers its line only ({"error": …, "line": N}); the whole body sees one version.
    auto body = std::make_shared<std::string>(req.body);
    auto offset = std::make_shared<std::size_t>(0);
    auto line_no = std::make_shared<std::size_t>(0);
    res.set_header("X-Redress-Fingerprint", version->pack.fingerprint());
    res.set_chunked_content_provider(kNdjson, [this, version, body, offset, line_no, trace](
                                                  std::size_t, httplib::DataSink& sink) {
      std::string chunk = evaluate_batch(*version, *body, *offset, *line_no, trace);
      if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
      if (*offset >= body->size()) sink.done();
      return true;
    });
  }

  // Up to kBatch lines of `body` from `offset`: their answers, one line each, in order.
  std::string evaluate_batch(const LiveVersion& version, const std::string& body, std::size_t& offset,
                             std::size_t& line_no, bool trace) {
    constexpr std::size_t kBatch = 256;
    struct Line {
      std::size_t number;
      std::optional<std::string> answer;  // set: refused before evaluation (too large, unreadable),
                                          // or a compound case's answer
      bool ok = false;                    // the answer is a decision
      std::size_t case_index = 0;         // else: its index in `cases`
    };
    std::vector<Line> lines;
    std::vector<Case> cases;
    const auto start = Clock::now();
    while (offset < body.size() && lines.size() < kBatch) {
      std::size_t end = body.find('\n', offset);
      if (end == std::string::npos) end = body.size();
      std::string text = body.substr(offset, end - offset);
      offset = end + 1;
      ++line_no;
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (text.find_first_not_of(" \t") == std::string::npos) continue;
      Line line{line_no, std::nullopt};
      const std::string origin = "<line " + std::to_string(line_no) + ">";
      if (auto refused = oversize(text.size(), origin + ": ")) {
        line.answer = error_json(413, "case_too_large", *refused);
      } else {
        try {
          Case c = parse_case(text, origin);
          if (c.compound()) {  // answered here: evaluate_many takes single cases (spec §4.1)
            Outcome out = evaluate_compound(version, c, trace);
            line.answer = std::move(out.body);
            line.ok = out.status == 200;
          } else {
            cases.push_back(std::move(c));
            line.case_index = cases.size() - 1;
          }
        } catch (const EvaluationError& e) {
          line.answer = error_json(400, "bad_case", e.what());
        }
      }
      lines.push_back(std::move(line));
    }
    BatchOptions bo;
    bo.evaluate = evaluation(trace);
    std::vector<EvaluationResult> results = version.pack.evaluate_many(cases, bo);
    // The batch's time, shared evenly by its cases.
    const Clock::duration each =
        lines.empty() ? Clock::duration{} : (Clock::now() - start) / static_cast<long>(lines.size());
    std::string chunk;
    for (Line& line : lines) {
      std::string answer;
      bool ok = false;
      if (line.answer) {
        answer = std::move(*line.answer);
        ok = line.ok;
      } else if (const EvaluationResult& r = results[line.case_index]; r.ok()) {
        answer = to_json(*r.decision);
        ok = true;
      } else {
        answer = error_json(422, "evaluation_error", r.error->what());
      }
      metrics.evaluation(each, ok);
      if (!ok) {
        answer.pop_back();  // the closing brace: add the line number
        answer += ",\"line\":" + std::to_string(line.number) + "}";
      }
      chunk += answer;
      chunk += '\n';
    }
    return chunk;
  }

  void triage(const httplib::Request& req, httplib::Response& res) {
    std::shared_ptr<const LiveVersion> version = live.current();
    Case c;
    if (!read_case(req, res, c)) return;
    try {
      EvaluateOptions eo;
      eo.clock = true;
      if (c.triage == Triage::All) {  // every playbook that matches, best first (spec §4.1), as `redress triage --json`
        const std::vector<std::string> ids = version->pack.triage_all(c, eo);
        if (ids.empty()) throw EvaluationError("no playbook matches this case (triage tried every playbook with a 'match')");
        util::JsonWriter w(false);
        w.begin_object().key("playbooks").begin_array();
        for (const auto& id : ids) w.string(id);
        w.end_array().end_object();
        res.set_content(w.str(), kJson);
        return;
      }
      const std::string id = version->pack.triage(c, eo);
      util::JsonWriter w(false);
      w.begin_object().key("playbook").string(id);
      for (const auto& p : version->pack.playbooks())
        if (p.id == id) w.key("version").string(p.version).key("fingerprint").string(p.fingerprint);
      w.end_object();
      res.set_content(w.str(), kJson);
    } catch (const EvaluationError& e) {
      fail(res, 422, "no_match", e.what());
    }
  }

  // One case explained (docs/explain.md): ?why_not=level=director (repeatable), ?fixed=a,b,
  // ?what_if=days_late=7 or what_if=now=TIME (repeatable), ?format=text for text/plain.
  void explain(const httplib::Request& req, httplib::Response& res) {
    std::shared_ptr<const LiveVersion> version = live.current();
    Case c;
    if (!read_case(req, res, c)) return;
    ExplainOptions eo;
    eo.evaluate.clock = true;  // a case without `now` is explained at the current time, as in the CLI
    try {
      for (std::size_t i = 0; i < req.get_param_value_count("why_not"); ++i)
        eo.why_not.push_back(req.get_param_value("why_not", i));
      for (std::size_t i = 0; i < req.get_param_value_count("fixed"); ++i) {
        const std::string names = req.get_param_value("fixed", i);
        for (std::size_t from = 0; from <= names.size();) {
          std::size_t comma = std::min(names.find(',', from), names.size());
          if (comma > from) eo.fixed.push_back(names.substr(from, comma - from));
          from = comma + 1;
        }
      }
      for (std::size_t i = 0; i < req.get_param_value_count("what_if"); ++i)
        add_what_if(eo, req.get_param_value("what_if", i));
    } catch (const EvaluationError& e) {
      fail(res, 400, "bad_case", e.what());
      return;
    }
    const auto start = Clock::now();
    try {
      Explanation e = redress::explain(version->pack, c, eo);
      metrics.evaluation(Clock::now() - start, true);
      if (req.has_param("format") && req.get_param_value("format") == "text") res.set_content(to_text(e), "text/plain; charset=utf-8");
      else res.set_content(to_json(e), kJson);
    } catch (const EvaluationError& e) {
      metrics.evaluation(Clock::now() - start, false);
      fail(res, 422, "evaluation_error", e.what());
    }
  }

  void playbooks(httplib::Response& res) {
    std::shared_ptr<const LiveVersion> version = live.current();
    util::JsonWriter w(false);
    w.begin_object();
    w.key("generation").raw(std::to_string(version->generation));
    w.key("fingerprint").string(version->pack.fingerprint());
    w.key("playbooks").begin_array();
    for (const auto& p : version->pack.playbooks()) {
      w.begin_object();
      w.key("id").string(p.id).key("version").string(p.version).key("title").string(p.title);
      w.key("fingerprint").string(p.fingerprint);
      w.key("currency");
      if (p.currency.empty()) w.null(); else w.string(p.currency);
      w.key("facts").begin_array();
      for (const auto& f : p.facts) {
        w.begin_object().key("name").string(f.name).key("type").string(f.type);
        w.key("required").boolean(f.required);
        w.key("default");
        if (f.default_value) w.string(*f.default_value); else w.null();
        if (!f.values.empty()) {
          w.key("values").begin_array();
          for (const auto& v : f.values) w.string(v);
          w.end_array();
        }
        w.end_object();
      }
      w.end_array();
      w.key("states").begin_array();
      for (const auto& s : p.states) w.string(s.name);
      w.end_array();
      w.key("events").begin_array();
      for (const auto& e : p.events) w.string(e);
      w.end_array();
      w.end_object();
    }
    w.end_array().end_object();
    res.set_content(w.str(), kJson);
  }

  void routes() {
    http.set_payload_max_length(options.max_body_bytes);
    // Headers and body go out as separate writes: without TCP_NODELAY, Nagle waits for the
    // client's delayed ACK (40 ms a response on Linux).
    http.set_tcp_nodelay(true);
    http.Post("/v1/evaluate", [this](const httplib::Request& req, httplib::Response& res) { evaluate(req, res); });
    http.Post("/v1/triage", [this](const httplib::Request& req, httplib::Response& res) { triage(req, res); });
    http.Post("/v1/explain", [this](const httplib::Request& req, httplib::Response& res) { explain(req, res); });
    http.Get("/v1/playbooks", [this](const httplib::Request&, httplib::Response& res) { playbooks(res); });
    http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      auto version = live.current();
      res.set_content("{\"status\":\"ok\",\"generation\":" + std::to_string(version->generation) +
                          ",\"version\":\"" + version_string() + "\"}",
                      kJson);
    });
    http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics.prometheus(*live.current()), "text/plain; version=0.0.4");
    });
    // Any other method on a known path: 405 with Allow (httplib would answer 404 or 400).
    for (const char* path : {"/v1/evaluate", "/v1/triage", "/v1/explain", "/v1/playbooks", "/healthz", "/metrics"}) {
      const bool post = std::string_view(path).rfind("/v1/", 0) == 0 && std::string_view(path) != "/v1/playbooks";
      auto wrong = [path, post](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Allow", post ? "POST" : "GET");
        fail(res, 405, "method_not_allowed", req.method + " " + path + ": use " + (post ? "POST" : "GET"));
      };
      if (post) http.Get(path, wrong);
      else http.Post(path, wrong);
      http.Put(path, wrong);
      http.Patch(path, wrong);
      http.Delete(path, wrong);
    }
    // Errors httplib answers itself (no route, a body over the limit) get a JSON body too.
    http.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                       httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      if (res.status == 404) {
        fail(res, 404, "unknown_route", "no route " + req.method + " " + req.path +
                                            " (see GET /v1/playbooks, POST /v1/evaluate, POST /v1/triage, POST /v1/explain)");
      } else if (res.status == 413 && req.get_header_value("Content-Type").rfind(kFormType, 0) == 0) {
        // httplib reads a form body itself, up to CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH;
        // curl --data sends one unless told otherwise, so a case above 8 KiB landed here.
        fail(res, 413, "body_too_large", std::string("a body sent as ") + kFormType + " is limited to " +
                                              std::to_string(CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH) +
                                              " bytes: send the case with Content-Type: application/json");
      } else if (res.status == 413) {
        fail(res, 413, "body_too_large", "the request body is over the limit of " + std::to_string(options.max_body_bytes) +
                                              " bytes (serve --max-body-bytes)");
      } else {
        fail(res, res.status, "http_error", "HTTP error " + std::to_string(res.status));
      }
      return httplib::Server::HandlerResponse::Handled;
    }));
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unexpected failure";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      fail(res, 500, "internal", what);
    });
    http.set_logger([this](const httplib::Request&, const httplib::Response& res) { metrics.request(res.status); });
  }
};

Server::Server(LivePack& live, Metrics& metrics, ServerOptions options)
    : impl_(std::make_unique<Impl>(live, metrics, std::move(options))) {}

Server::~Server() = default;

int Server::bind() {
  auto& http = impl_->http;
  if (impl_->options.port == 0) return http.bind_to_any_port(impl_->options.host);
  return http.bind_to_port(impl_->options.host, impl_->options.port) ? impl_->options.port : -1;
}

bool Server::listen() { return impl_->http.listen_after_bind(); }

void Server::stop() { impl_->http.stop(); }

}  // namespace redress::serve
