// DOT and Mermaid drawings of a playbook (presentation, for `redress graph`), made from the same
// state graph the analysis uses, so a picture never shows a path the analysis would not take
// (see diagram.hpp).
#include "present/diagram.hpp"

#include <string>
#include <vector>

#include "analysis/state_graph.hpp"
#include "util/text.hpp"

namespace redress::present {

using analysis::build_model;
using analysis::Dead;
using analysis::Model;
using analysis::TransitionEdge;

namespace {

// What both drawings show, as plain text lines (escaped by each format).
struct NodeView {
  std::string name;
  std::vector<std::string> actions;
  bool initial = false, terminal = false, highlight = false;
  bool closed = false;  // terminal, `outcome: closed_without_agreement`: drawn grey, not green
};

struct EdgeView {
  std::uint32_t from = 0, to = 0;
  std::vector<std::string> label;
  bool automatic = false;
  bool dead = false;
};

struct View {
  std::string id, title;
  std::vector<NodeView> nodes;
  std::vector<EdgeView> edges;
};

std::string one_line(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

std::string action_text(const detail::Action& a) {
  std::vector<std::string> details;
  if (a.within) details.push_back("within " + a.within->to_string());
  if (a.to) details.push_back("by " + one_line(*a.to));
  if (a.when) details.push_back("if " + one_line(a.when->text()));
  return details.empty() ? a.id : a.id + " (" + util::join(details) + ")";
}

std::string ordinal(std::uint32_t k) { return "(" + std::to_string(k + 1) + ")"; }

View make_view(const detail::Playbook& pb, const DiagramOptions& options) {
  Model m = build_model(pb);
  View v;
  v.id = pb.id;
  v.title = one_line(pb.title.empty() ? pb.id : pb.title);
  for (const auto& st : pb.states) {
    NodeView n;
    n.name = st.name;
    n.initial = st.initial;
    n.terminal = st.terminal;
    n.closed = st.terminal && st.outcome == detail::Outcome::ClosedWithoutAgreement;
    n.highlight = !options.highlight.empty() && st.name == options.highlight;
    for (const auto& a : st.actions) n.actions.push_back(action_text(a));
    v.nodes.push_back(std::move(n));
  }
  for (auto [e, end] = boost::edges(m.graph); e != end; ++e) {
    const TransitionEdge& t = m.graph[*e];
    EdgeView ev;
    ev.from = static_cast<std::uint32_t>(boost::source(*e, m.graph));
    ev.to = static_cast<std::uint32_t>(boost::target(*e, m.graph));
    ev.automatic = t.automatic || t.timeout;
    ev.dead = t.dead != Dead::No;
    const bool several = t.options > 1;
    const bool last = t.option + 1 == t.options;
    const auto& when = t.transition->when;
    std::string guard = when ? "if " + one_line(when->text()) : (several && last ? "otherwise" : "");
    if (t.timeout) {
      ev.label.push_back("after " + t.timeout->span.to_string());
      if (when) ev.label.push_back("if " + one_line(when->text()));
    } else if (t.automatic) {
      std::string first = several ? ordinal(t.option) + " " : "";
      ev.label.push_back(first + (guard.empty() ? "always" : guard));
    } else {
      ev.label.push_back(pb.events[t.event] + (several ? " " + ordinal(t.option) : ""));
      if (!guard.empty()) ev.label.push_back(guard);
    }
    if (ev.dead) ev.label.push_back("(never taken)");
    v.edges.push_back(std::move(ev));
  }
  return v;
}

// ---- DOT ----------------------------------------------------------------------------------

// Text inside a DOT double-quoted string: quotes and backslashes escaped (a backslash would
// otherwise start an escape such as \N or \l); non-ASCII UTF-8 is fine as it is.
std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string dot_id(const std::string& s) { return "\"" + dot_escape(s) + "\""; }

// Text inside a DOT HTML-like label (<...>): the XML entities.
std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string to_dot(const detail::Playbook& pb, const DiagramOptions& options) {
  View v = make_view(pb, options);
  std::string out;
  out += "digraph " + dot_id(v.id) + " {\n";
  out += "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, fontsize=14, label=\"" +
         dot_escape(v.title) + " (" + dot_escape(v.id) +
         (pb.version.empty() ? "" : " " + dot_escape(pb.version)) +
         ")\\nbold: where a case starts; double border: where it ends (green: resolved, grey: closed "
         "without agreement); dashed: automatic ('always')\"];\n";
  out += "  node [shape=box, style=\"rounded\", fontname=\"Helvetica\", fontsize=11];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  out += "  \"__start\" [shape=point, width=0.2, label=\"\"];\n";
  for (const auto& n : v.nodes) {
    // An HTML-like label: the state's name in bold, a rule, then its actions, left-aligned.
    std::string label =
        "<TABLE BORDER=\"0\" CELLSPACING=\"0\"><TR><TD><B>" + html_escape(n.name) + "</B></TD></TR>";
    if (!n.actions.empty()) {
      label += "<HR/><TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">";
      for (std::size_t i = 0; i < n.actions.size(); ++i)
        label += (i ? "<BR/>" : "") + html_escape(n.actions[i]);
      label += "</TD></TR>";
    }
    label += "</TABLE>";
    std::string style = "rounded";
    std::string attrs;
    if (n.initial) attrs += ", penwidth=2.5";
    if (n.terminal) {
      style += ",filled";
      attrs += n.closed ? ", peripheries=2, fillcolor=\"#e8e8e8\"" : ", peripheries=2, fillcolor=\"#e3f4e3\"";
    }
    if (n.highlight) {
      if (!n.terminal) style += ",filled";
      attrs += ", fillcolor=\"#ffe08a\", color=\"#d48806\", penwidth=3";
    }
    out += "  " + dot_id(n.name) + " [label=<" + label + ">, style=\"" + style + "\"" + attrs + "];\n";
  }
  for (const auto& n : v.nodes)
    if (n.initial) out += "  \"__start\" -> " + dot_id(n.name) + ";\n";
  for (const auto& e : v.edges) {
    std::string label;
    for (std::size_t i = 0; i < e.label.size(); ++i) label += (i ? "\\n" : "") + dot_escape(e.label[i]);
    std::string attrs = "label=\"" + label + "\"";
    if (e.automatic) attrs += ", style=dashed";
    if (e.dead)
      attrs += std::string(e.automatic ? "" : ", style=dotted") + ", color=\"gray60\", fontcolor=\"gray45\"";
    out += "  " + dot_id(v.nodes[e.from].name) + " -> " + dot_id(v.nodes[e.to].name) + " [" + attrs + "];\n";
  }
  out += "}\n";
  return out;
}

// ---- Mermaid ------------------------------------------------------------------------------

namespace {

// Text inside a Mermaid quoted label: Mermaid's entity codes stand in for the characters that
// would end the label or read as markup.
std::string mermaid_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '#':
        out += "#35;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '&':
        out += "#amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A YAML double-quoted scalar for the front matter's title.
std::string yaml_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string to_mermaid(const detail::Playbook& pb, const DiagramOptions& options) {
  View v = make_view(pb, options);
  std::string out;
  out += "---\ntitle: " +
         yaml_quote(v.title + " (" + v.id + (pb.version.empty() ? "" : " " + pb.version) + ")") + "\n---\n";
  out += "flowchart LR\n";
  out += "  start_((\" \"))\n";
  // State ids get a prefix: a state may be called `end`, which Mermaid reserves.
  auto id = [](const std::string& name) { return "s_" + name; };
  for (const auto& n : v.nodes) {
    std::string label = "<b>" + mermaid_escape(n.name) + "</b>";
    for (const auto& a : n.actions) label += "<br/>" + mermaid_escape(a);
    out += "  " + id(n.name) + (n.terminal ? "([\"" + label + "\"])" : "[\"" + label + "\"]") + "\n";
  }
  std::size_t link = 0;
  std::vector<std::size_t> grey;
  for (const auto& n : v.nodes)
    if (n.initial) {
      out += "  start_ --> " + id(n.name) + "\n";
      ++link;
    }
  for (const auto& e : v.edges) {
    std::string label;
    for (std::size_t i = 0; i < e.label.size(); ++i) label += (i ? "<br/>" : "") + mermaid_escape(e.label[i]);
    const char* arrow = e.automatic || e.dead ? " -.->|\"" : " -->|\"";
    out += "  " + id(v.nodes[e.from].name) + arrow + label + "\"| " + id(v.nodes[e.to].name) + "\n";
    if (e.dead) grey.push_back(link);
    ++link;
  }
  out += "  classDef startpoint fill:#222,stroke:#222\n";
  out += "  classDef initial stroke-width:3px\n";
  out += "  classDef terminal fill:#e3f4e3,stroke-width:3px\n";
  out += "  classDef closed fill:#e8e8e8,stroke-width:3px\n";
  out += "  classDef current fill:#ffe08a,stroke:#d48806,stroke-width:4px\n";
  out += "  class start_ startpoint\n";
  for (const auto& n : v.nodes) {
    if (n.initial) out += "  class " + id(n.name) + " initial\n";
    if (n.terminal) out += "  class " + id(n.name) + (n.closed ? " closed\n" : " terminal\n");
  }
  for (const auto& n : v.nodes)
    if (n.highlight) out += "  class " + id(n.name) + " current\n";
  for (auto k : grey) out += "  linkStyle " + std::to_string(k) + " stroke:#999,color:#777\n";
  return out;
}

}  // namespace redress::present
