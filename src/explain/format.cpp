// An Explanation as JSON (docs/explain.md; the CLI's --format json, `redress serve`'s
// /v1/explain) and as text for people (the CLI). Locations are formatted here, once.
#include "redress/explain.hpp"
#include "eval/json_sink.hpp"
#include "util/json_writer.hpp"

namespace redress {

namespace {

using util::JsonWriter;


void write(JsonWriter& w, const Decision& d) {
  detail::WriterSink sink(w);
  write_json(d, sink);
}

void write(JsonWriter& w, const FactValue& f) {
  w.begin_object().key("name").string(f.name).key("value").string(f.value).key("source").string(f.source).end_object();
}

void write(JsonWriter& w, const ConditionCheck& c) {
  w.begin_object().key("expr").string(c.expr).key("at").string(to_string(c.at)).key("value").string(c.value);
  w.key("facts").begin_array();
  for (const auto& f : c.facts) write(w, f);
  w.end_array().end_object();
}

void write_why(JsonWriter& w, const std::optional<std::string>& why) {
  w.key("why");
  if (why) w.string(*why);
  else w.null();
}

void write(JsonWriter& w, const FactChange& c) {
  w.begin_object().key("fact").string(c.fact).key("from").string(c.from).key("to").string(c.to)
      .key("relation").string(c.relation).end_object();
}

void write(JsonWriter& w, const Because& b) {
  w.begin_object().key("part").string(b.part).key("subject").string(b.subject).key("at").string(to_string(b.at));
  write_why(w, b.why);
  w.key("conditions").begin_array();
  for (const auto& c : b.conditions) write(w, c);
  w.end_array().key("text").string(b.text).end_object();
}

void write(JsonWriter& w, const WhyNot& n) {
  w.begin_object().key("target").string(n.target).key("reached").boolean(n.reached);
  w.key("blockers").begin_array();
  for (const auto& b : n.blockers) {
    w.begin_object().key("rule").string(b.rule).key("at").string(to_string(b.at));
    write_why(w, b.why);
    w.key("failed");
    if (b.failed) write(w, *b.failed);
    else w.null();
    w.key("note").string(b.note).key("text").string(b.text).end_object();
  }
  w.end_array().key("changes").begin_array();
  for (const auto& c : n.changes) {
    w.begin_object().key("changes").begin_array();
    for (const auto& fc : c.changes) write(w, fc);
    w.end_array().key("outcome").string(c.outcome).key("text").string(c.text).end_object();
  }
  w.end_array().key("text").string(n.text).end_object();
}

}  // namespace

std::string to_json(const Explanation& e, const JsonOptions& options) {
  JsonWriter w(options.pretty);
  w.begin_object().key("decision");
  write(w, e.decision);
  w.key("because").begin_array();
  for (const auto& b : e.because) write(w, b);
  w.end_array().key("why_not").begin_array();
  for (const auto& n : e.why_not) write(w, n);
  w.end_array().key("what_if");
  if (!e.what_if) {
    w.null();
  } else {
    w.begin_object().key("changes").begin_array();
    for (const auto& c : e.what_if->changes) write(w, c);
    w.end_array().key("differences").begin_array();
    for (const auto& d : e.what_if->differences)
      w.begin_object().key("field").string(d.field).key("before").string(d.before).key("after").string(d.after).end_object();
    w.end_array().key("decision");
    write(w, e.what_if->decision);
    w.end_object();
  }
  w.end_object();
  return w.str();
}

std::string to_text(const Explanation& e) {
  std::string s;
  const Decision& d = e.decision;
  s += "Decision: " + d.playbook + ", state " + d.state + ", level " + d.escalation.level + ", compensation " +
       d.compensation.total.to_string() + "\n";
  s += "\nWhy\n";
  for (const auto& b : e.because) {
    s += "  " + b.text + "\n";
    if (b.at.line) s += "    at " + to_string(b.at) + "\n";
  }
  for (const auto& n : e.why_not) {
    s += "\nWhy not " + n.target + "\n  " + n.text + "\n";
    for (const auto& b : n.blockers) s += "  - " + b.text + "\n";
    if (!n.changes.empty()) {
      s += "  What would change it (each checked by evaluating the changed case):\n";
      for (const auto& c : n.changes) s += "  - " + c.text + "\n";
    }
  }
  if (e.what_if) {
    s += "\nWhat if";
    for (const auto& c : e.what_if->changes) s += " " + c.fact + "=" + c.to;
    s += " (instead of";
    for (const auto& c : e.what_if->changes) s += " " + c.fact + "=" + c.from;
    s += ")\n";
    if (e.what_if->differences.empty()) s += "  The decision does not change.\n";
    for (const auto& diff : e.what_if->differences) s += "  " + diff.field + ": " + diff.before + " -> " + diff.after + "\n";
  }
  return s;
}

}  // namespace redress
