# %% [markdown]
# # Compensation by playbook
#
# A notebook-friendly walk through redress from Python: each `# %%` block is a cell (VS Code,
# Jupyter with jupytext, or just `python3 compensation_summary.py`). It loads the bundled
# playbooks, evaluates the cases of `cases.csv` and summarises what they would cost, per playbook:
# how many cases, the total and largest compensation, how many need a sign-off or are held.
#
# Money stays exact throughout: `Decision.compensation.total` is a `redress.Money` whose
# `.amount` is a `decimal.Decimal`, and `Money` adds up without float.
#
# Run from the repository root with the module built:
#
#     PYTHONPATH=build/python /usr/bin/python3 examples/python/compensation_summary.py

# %%
import csv
import sys
from collections import defaultdict
from pathlib import Path

import redress

try:
    HERE = Path(__file__).resolve().parent
except NameError:  # inside a notebook
    HERE = Path("examples/python").resolve()
PACK_DIR = HERE.parent.parent / "playbooks"
CASES_CSV = HERE / "cases.csv"

pack = redress.load(PACK_DIR)
[(p.id, p.title, p.version) for p in pack.playbooks]

# %% [markdown]
# ## Evaluate the cases
# Rows without a playbook are triaged; every case is evaluated in one `evaluate_many` call.

# %%
sys.path.insert(0, str(HERE))
from triage_report import read_rows, triage_and_evaluate  # noqa: E402

results = triage_and_evaluate(pack, read_rows(CASES_CSV))
decisions = [r for _, _, r in results if isinstance(r, redress.Decision)]
errors = [(case_id, str(r)) for case_id, _, r in results if isinstance(r, redress.EvaluationError)]
len(decisions), errors

# %% [markdown]
# ## Summarise by playbook


# %%
def summarise(decisions):
    """One row per playbook: cases, total, largest and mean compensation, sign-offs, holds."""
    groups = defaultdict(list)
    for d in decisions:
        groups[d.playbook].append(d)
    rows = []
    for playbook, group in sorted(groups.items()):
        totals = [d.compensation.total for d in group]
        total = sum(totals)  # redress.Money adds exactly (and refuses to mix currencies)
        rows.append({
            "playbook": playbook,
            "cases": len(group),
            "total": total,
            "largest": max(totals),
            "mean": redress.Money(total.amount / len(group), total.currency).rounded(),
            "capped": sum(d.compensation.capped for d in group),
            "need_sign_off": sum(not d.compensation.approved for d in group),
            "held": sum(d.compensation.held for d in group),
        })
    return rows


def print_table(rows):
    headers = list(rows[0]) if rows else []
    cells = [[str(r[h]) for h in headers] for r in rows]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    for c in cells:
        print("  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, w) in enumerate(zip(c, widths))))


summary = summarise(decisions)
print_table(summary)

# %% [markdown]
# ## As a DataFrame (if pandas is installed)
# Keep amounts as `Decimal` (object columns) rather than converting them to float.

# %%
try:
    import pandas as pd
except ImportError:
    pd = None
if pd is not None:
    frame = pd.DataFrame([{**r, "total": r["total"].amount, "largest": r["largest"].amount,
                           "mean": r["mean"].amount} for r in summary]).set_index("playbook")
    print(frame)

# %%
if errors:
    print("\nnot evaluated:")
    for case_id, message in errors:
        print(f"  {case_id}: {message}")
