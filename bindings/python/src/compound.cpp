// Compound cases in Python (spec §4.1, §5.1): the CompoundDecision and its pieces, and the
// triage results. Attributes mirror the §5.1 JSON (`from` is `from_`, a Python keyword); money is
// redress.Money; to_dict() is built from the library's JSON events, pickling from its bytes.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <string_view>
#include <vector>

#include "convert.hpp"
#include "py_pack.hpp"
#include "redress/compound.hpp"

namespace py = pybind11;

namespace redress_py {

namespace {

py::object optional_str(const std::optional<std::string>& s) {
  return s ? py::object(py::str(*s)) : py::object(py::none());
}

// `==` of a piece by its fields, NotImplemented for another type.
template <class T, class Same>
void add_equality(py::class_<T>& cls, Same same) {
  cls.def("__eq__", [same](const T& a, py::object b) -> py::object {
    if (!py::isinstance<T>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    return py::bool_(same(a, b.cast<const T&>()));
  });
  cls.attr("__hash__") = py::none();
}

// A TriageResult's optional parts, as its attributes and to_dict() show them.
py::object text_or_none(bool present, const std::string& text) {
  return present ? py::object(py::str(text)) : py::object(py::none());
}
py::object triage_rank(const redress::TriageResult& r) { return text_or_none(!r.rank.empty(), r.rank); }
py::object triage_why(const redress::TriageResult& r) { return text_or_none(!r.matched, r.why); }
py::object triage_at(const redress::TriageResult& r) { return text_or_none(r.at.has_value(), r.at ? redress::to_string(*r.at) : ""); }
py::object triage_expr(const redress::TriageResult& r) { return text_or_none(r.at.has_value(), r.expr); }

std::string tagged_text(const redress::Tagged& t) {
  return (t.playbook ? *t.playbook + ": " : std::string("(compound): ")) + t.text;
}

}  // namespace

void bind_compound(py::module_& m) {
  py::class_<redress::Tagged> tagged(m, "Tagged",
                                     "A text one part of a compound case produced (a reason, a hold reason, a warning), "
                                     "with its playbook; playbook None for what the merge itself says.");
  tagged.def_readonly("playbook", &redress::Tagged::playbook, "The playbook id, or None (the merge's own).")
      .def_readonly("text", &redress::Tagged::text)
      .def("__repr__", [](const redress::Tagged& t) { return "<Tagged " + tagged_text(t) + ">"; });
  add_equality(tagged, [](const redress::Tagged& a, const redress::Tagged& b) {
    return a.playbook == b.playbook && a.text == b.text;
  });

  py::class_<redress::ActionSource> source(m, "ActionSource", "One part's action merged into a compound step.");
  source.def_readonly("playbook", &redress::ActionSource::playbook)
      .def_readonly("action", &redress::ActionSource::action)
      .def("__repr__", [](const redress::ActionSource& s) { return "<ActionSource " + s.playbook + "." + s.action + ">"; });
  add_equality(source, [](const redress::ActionSource& a, const redress::ActionSource& b) {
    return a.playbook == b.playbook && a.action == b.action;
  });

  py::class_<redress::ItemRef> ref(m, "ItemRef", "A compensation item of one part: (playbook, item).");
  ref.def_readonly("playbook", &redress::ItemRef::playbook)
      .def_readonly("item", &redress::ItemRef::item)
      .def("__repr__", [](const redress::ItemRef& r) { return "<ItemRef " + r.playbook + "." + r.item + ">"; });
  add_equality(ref, [](const redress::ItemRef& a, const redress::ItemRef& b) {
    return a.playbook == b.playbook && a.item == b.item;
  });

  py::class_<redress::CompoundAction>(m, "CompoundAction", R"doc(One next step of a compound case (spec §4.1 step 4).

The same step asked for by several conflicts (one id, or ids a `same_step` group joins) is one
CompoundAction: ``action`` is the step's id; ``due_at``, ``say``, ``options`` and ``to`` are those
of the merged action with the earliest deadline; ``from_`` lists every merged action.)doc")
      .def_property_readonly("action", [](const redress::CompoundAction& a) { return a.step.action; }, "The step's id.")
      .def_property_readonly("due_at", [](const redress::CompoundAction& a) { return from_optional_timestamp(a.step.due_at); },
                             "The earliest deadline of the merged actions (a UTC datetime), or None.")
      .def_property_readonly("overdue", [](const redress::CompoundAction& a) { return a.step.overdue; })
      .def_property_readonly("done", [](const redress::CompoundAction& a) { return a.step.done; },
                             "True when any merged action is done.")
      .def_property_readonly("say", [](const redress::CompoundAction& a) { return optional_str(a.step.say); })
      .def_property_readonly("options", [](const redress::CompoundAction& a) -> py::object {
        return a.step.options ? py::cast(*a.step.options) : py::object(py::none());
      })
      .def_property_readonly("to", [](const redress::CompoundAction& a) { return optional_str(a.step.to); })
      .def_readonly("step", &redress::CompoundAction::step, "The step as a redress.Action.")
      .def_readonly("from_", &redress::CompoundAction::from,
                    "list[ActionSource]: every part's action merged into this step, in part order (JSON 'from').")
      .def("__repr__", [](const redress::CompoundAction& a) {
        std::string from;
        for (const auto& s : a.from) from += (from.empty() ? "" : ", ") + s.playbook + "." + s.action;
        return "<CompoundAction " + a.step.action + (a.step.due_at ? " due " + a.step.due_at->to_string() : "") +
               (a.step.overdue ? " OVERDUE" : "") + " from [" + from + "]>";
      });

  py::class_<redress::CompoundEscalation>(m, "CompoundEscalation",
                                          "The highest level of the parts, with every part's reasons (Tagged).")
      .def_readonly("level", &redress::CompoundEscalation::level)
      .def_readonly("rank", &redress::CompoundEscalation::rank, "0 = the lowest rung of the shared ladder.")
      .def_readonly("reasons", &redress::CompoundEscalation::reasons, "list[Tagged], in part order.")
      .def("__repr__", [](const redress::CompoundEscalation& e) {
        return "<CompoundEscalation " + e.level + " (" + std::to_string(e.rank) + "), " + std::to_string(e.reasons.size()) +
               " reasons>";
      });

  py::class_<redress::CompoundItem>(m, "CompoundItem", R"doc(One compensation item of one part, as the compound case pays it.

``claimed`` is what its playbook gave; ``amount`` what the compound case pays: less when
another item pays the same loss (``covered_by``) or the pack's cap cut it.)doc")
      .def_readonly("playbook", &redress::CompoundItem::playbook)
      .def_readonly("id", &redress::CompoundItem::id)
      .def_readonly("kind", &redress::CompoundItem::kind)
      .def_property_readonly("basis", [](const redress::CompoundItem& i) { return std::string(redress::to_string(i.basis)); },
                             "'owed' (always paid in full) or 'goodwill'.")
      .def_readonly("covers", &redress::CompoundItem::covers, "The loss it pays for (its rule's `covers`), or None.")
      .def_property_readonly("claimed", [](const redress::CompoundItem& i) { return from_money(i.claimed); },
                             "redress.Money its playbook gave.")
      .def_property_readonly("amount", [](const redress::CompoundItem& i) { return from_money(i.amount); },
                             "redress.Money the compound case pays.")
      .def_readonly("covered_by", &redress::CompoundItem::covered_by, "The ItemRef that pays this loss instead, or None.")
      .def_property_readonly("paid", [](const redress::CompoundItem& i) { return from_money(i.paid); })
      .def_property_readonly("remaining", [](const redress::CompoundItem& i) { return from_money(i.remaining); })
      .def("__repr__", [](const redress::CompoundItem& i) {
        std::string s = "<CompoundItem " + i.playbook + "." + i.id + " " + i.amount.to_string();
        if (i.amount != i.claimed) s += " (claimed " + i.claimed.to_string() + ")";
        if (i.covered_by) s += " covered by " + i.covered_by->playbook + "." + i.covered_by->item;
        return s + ">";
      });

  py::class_<redress::CompoundCompensation>(m, "CompoundCompensation",
                                            "Every part's items, each loss paid once, the pack's cap and approval.")
      .def_property_readonly("total", [](const redress::CompoundCompensation& c) { return from_money(c.total); }, "owed + goodwill.")
      .def_property_readonly("owed", [](const redress::CompoundCompensation& c) { return from_money(c.owed); },
                             "Every owed item, in full.")
      .def_property_readonly("goodwill", [](const redress::CompoundCompensation& c) { return from_money(c.goodwill); },
                             "After the overlaps and the pack's cap.")
      .def_readonly("capped", &redress::CompoundCompensation::capped, "The pack's cap cut the combined goodwill.")
      .def_readonly("approval", &redress::CompoundCompensation::approval, "The level whose sign-off is needed, or None.")
      .def_readonly("approved", &redress::CompoundCompensation::approved)
      .def_readonly("signed_off", &redress::CompoundCompensation::signed_off)
      .def_readonly("sign_off", &redress::CompoundCompensation::sign_off, "The SignOff that counts, or None.")
      .def_readonly("held", &redress::CompoundCompensation::held, "True when any part is held.")
      .def_readonly("hold_reasons", &redress::CompoundCompensation::hold_reasons, "list[Tagged].")
      .def_property_readonly("paid", [](const redress::CompoundCompensation& c) { return from_money(c.paid); })
      .def_property_readonly("remaining", [](const redress::CompoundCompensation& c) { return from_money(c.remaining); })
      .def_property_readonly("payable", [](const redress::CompoundCompensation& c) { return from_money(c.payable); })
      .def_readonly("items", &redress::CompoundCompensation::items, "list[CompoundItem]: in part order, each part's in its own.")
      .def("__repr__", [](const redress::CompoundCompensation& c) {
        return "<CompoundCompensation " + c.total.to_string() + " (owed " + c.owed.to_string() + ", goodwill " +
               c.goodwill.to_string() + ")" + (c.capped ? " capped" : "") + (c.held ? " held" : "") + ">";
      });

  py::class_<redress::PartToClose>(m, "PartToClose", "One part's shortest way to close.")
      .def_readonly("playbook", &redress::PartToClose::playbook)
      .def_readonly("to_close", &redress::PartToClose::to_close, "ToClose, or None when its state cannot reach a terminal one.")
      .def("__repr__", [](const redress::PartToClose& t) {
        return "<PartToClose " + t.playbook + ": " +
               (t.to_close ? std::to_string(t.to_close->steps) + " steps" : std::string("cannot close")) + ">";
      });

  py::class_<redress::CompoundDecision>(m, "CompoundDecision", R"doc(One answer for a case with several conflicts (spec §5.1).

``parts`` holds each playbook's own Decision (spec §5), in part order; ``actions``,
``escalation`` and ``compensation`` are the merged view; ``states`` ({playbook: state}) is what
the next evaluation's ``states=`` takes. ``to_dict()`` is the §5.1 JSON as ``json.loads`` reads
it, ``to_json()`` the exact text the CLI prints. CompoundDecisions compare equal when every field
is equal (traces included), and pickle losslessly.)doc")
      .def_property_readonly("states", [](const redress::CompoundDecision& d) {
        py::dict out;
        for (const auto& s : d.states) out[py::str(s.playbook)] = s.state;
        return out;
      }, "{playbook: state}: each part's resulting state, in part order.")
      .def_property_readonly("playbooks", [](const redress::CompoundDecision& d) {
        std::vector<std::string> ids;
        for (const auto& s : d.states) ids.push_back(s.playbook);
        return ids;
      }, "The parts' playbook ids, in part order.")
      .def_readonly("actions", &redress::CompoundDecision::actions, "list[CompoundAction], in order of first appearance.")
      .def_readonly("escalation", &redress::CompoundDecision::escalation)
      .def_readonly("compensation", &redress::CompoundDecision::compensation)
      .def_readonly("to_close", &redress::CompoundDecision::to_close, "list[PartToClose], in part order.")
      .def_property_readonly("next_change_at", [](const redress::CompoundDecision& d) { return from_optional_timestamp(d.next_change_at); },
                             "The earliest of the parts' next_change_at (a UTC datetime), or None.")
      .def_readonly("warnings", &redress::CompoundDecision::warnings,
                    "list[Tagged]: the merge's own (playbook None), then every part's.")
      .def_readonly("parts", &redress::CompoundDecision::parts, "list[Decision], in part order.")
      .def("to_json", [](const redress::CompoundDecision& d, bool pretty) { return redress::to_json(d, redress::JsonOptions{pretty}); },
           py::arg("pretty") = false, "The spec §5.1 JSON text, byte for byte what C++ and the CLI produce.")
      .def("to_dict", [](const redress::CompoundDecision& d, bool exact) { return compound_to_dict(d, exact); },
           py::arg("exact") = false,
           "The spec §5.1 JSON as a dict: what json.loads(d.to_json()) gives (exact=True: trace numbers as Decimal).")
      .def("__eq__", [](const redress::CompoundDecision& a, py::object b) -> py::object {
        if (!py::isinstance<redress::CompoundDecision>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        return py::bool_(a == b.cast<const redress::CompoundDecision&>());
      })
      .def("__repr__", [](const redress::CompoundDecision& d) {
        std::string states, actions;
        for (const auto& s : d.states) states += (states.empty() ? "" : ", ") + s.playbook + "=" + s.state;
        for (const auto& a : d.actions) actions += (actions.empty() ? "" : ", ") + a.step.action;
        return "<CompoundDecision " + states + " level=" + d.escalation.level +
               " compensation=" + d.compensation.total.to_string() + " actions=[" + actions + "]>";
      })
      .def(py::pickle([](const redress::CompoundDecision& d) { return py::bytes(redress::encode_compound_decision(d)); },
                      [](const py::bytes& state) {
                        // Corrupt or foreign bytes: std::invalid_argument, a ValueError in Python.
                        return redress::decode_compound_decision(std::string_view(state));
                      }));
  m.attr("CompoundDecision").attr("__hash__") = py::none();

  py::class_<redress::TriageResult>(m, "TriageResult",
                                    "Why triage did or did not pick one playbook (Pack.explain_triage, `redress triage --explain`).")
      .def_readonly("playbook", &redress::TriageResult::playbook)
      .def_readonly("matched", &redress::TriageResult::matched)
      .def_property_readonly("rank", &triage_rank, "Its `rank` as text ('500.00 EUR') when it matched and has one, else None.")
      .def_property_readonly("why", &triage_why,
                             "None when it matched; else \"no 'match'\", the facts that do not validate, or the `match` that is false.")
      .def_property_readonly("at", &triage_at, "'file.yaml:LINE:COL' of the `match` that was false, or None.")
      .def_property_readonly("expr", &triage_expr, "That `match`'s text, or None.")
      .def_readonly("read", &redress::TriageResult::read, "The values it read, 'name = value', in the order it names them.")
      .def("to_dict", [](const redress::TriageResult& r) {
        py::dict d;
        d["playbook"] = r.playbook;
        d["matched"] = r.matched;
        d["rank"] = triage_rank(r);
        d["why"] = triage_why(r);
        d["at"] = triage_at(r);
        d["expr"] = triage_expr(r);
        d["read"] = r.read;
        return d;
      }, "The object `redress triage --explain --json` prints for this playbook.")
      .def("__repr__", [](const redress::TriageResult& r) {
        std::string why = r.why;  // several facts that do not validate: one line, as the CLI prints them
        for (std::size_t at = why.find('\n'); at != std::string::npos; at = why.find('\n', at)) why.replace(at, 1, "; ");
        return "<TriageResult " + r.playbook +
               (r.matched ? " matched" + (r.rank.empty() ? "" : ", rank " + r.rank) : " no: " + why) + ">";
      });
}

}  // namespace redress_py
