"""Pure-Python value and error types of redress: Money, Diagnostic and the exceptions.

The compiled module (redress._redress) builds these when it hands results back to Python.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any, Iterable, List, Optional, Sequence, Union

__all__ = [
    "Money",
    "Diagnostic",
    "RedressError",
    "LoadError",
    "PackChangedError",
    "EvaluationError",
]

# Wide enough for every amount redress holds (26 integer + 12 fractional digits).
_CONTEXT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_UP)


def _core():
    from . import _redress  # late: _redress imports this module on first use

    return _redress


class Money:
    """An exact amount of one ISO 4217 currency: ``Money('17.99', 'EUR')`` or ``Money('17.99 EUR')``.

    ``amount`` is a :class:`decimal.Decimal`, ``currency`` the code. ``str(m)`` is the spec's
    form, the amount with exactly the currency's minor digits (rounded half away from zero), a
    space and the code: ``'17.99 EUR'``. Money never touches binary floating point: a float
    amount is a TypeError. Amounts of the same currency compare and add; different currencies
    never mix (TypeError), redress does not convert currencies.
    """

    __slots__ = ("_amount", "_currency")

    def __init__(self, amount: Union[Decimal, int, str, "Money"], currency: Optional[str] = None) -> None:
        if currency is None:
            if isinstance(amount, Money):
                amount, currency = amount.amount, amount.currency
            elif isinstance(amount, str):
                parsed = Money.parse(amount)
                amount, currency = parsed.amount, parsed.currency
            else:
                raise TypeError(
                    "Money needs a currency: Money(Decimal('12.50'), 'EUR') or Money('12.50 EUR')"
                )
        if isinstance(amount, float):
            raise TypeError(
                f"Money amount {amount!r} is a float; money never touches binary floating point. "
                f"Use decimal.Decimal('{amount!r}'), an int, or a string"
            )
        if isinstance(amount, bool) or not isinstance(amount, (Decimal, int, str)):
            raise TypeError(f"Money amount must be a Decimal, int or str, not {type(amount).__name__}")
        if isinstance(amount, str):
            try:
                amount = Decimal(amount.strip())
            except decimal.InvalidOperation:
                raise ValueError(f"not an amount: {amount!r}") from None
        amount = Decimal(amount)
        if not amount.is_finite():
            raise ValueError(f"Money amount must be finite, not {amount}")
        if not isinstance(currency, str):
            raise TypeError(f"currency must be an ISO 4217 code such as 'EUR', not {currency!r}")
        if _core()._currency_digits(currency) is None:
            raise ValueError(f"unknown currency {currency!r} (an ISO 4217 code such as 'EUR')")
        object.__setattr__(self, "_amount", amount)
        object.__setattr__(self, "_currency", currency)

    @classmethod
    def parse(cls, text: str) -> "Money":
        """Parse ``'12.50 EUR'`` (the amount, one space, an ISO 4217 code) as redress does."""
        if not isinstance(text, str):
            raise TypeError(f"Money.parse takes a str, not {type(text).__name__}")
        parsed = _core()._parse_money(text)
        if parsed is None:
            raise ValueError(f"not money: {text!r} (expected an amount and a currency, e.g. '12.50 EUR')")
        return cls(Decimal(parsed[0]), parsed[1])

    @property
    def amount(self) -> Decimal:
        """The exact amount, a decimal.Decimal."""
        return self._amount

    @property
    def currency(self) -> str:
        """The ISO 4217 code, e.g. 'EUR'."""
        return self._currency

    @property
    def minor_digits(self) -> int:
        """Digits of the currency's minor unit: EUR 2, JPY 0, KWD 3."""
        return _core()._currency_digits(self._currency)

    def rounded(self) -> "Money":
        """This amount rounded to the currency's minor unit, half away from zero."""
        q = Decimal(1).scaleb(-self.minor_digits)
        return Money(self._amount.quantize(q, context=_CONTEXT), self._currency)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Money is immutable")

    def __str__(self) -> str:
        return f"{self.rounded().amount:f} {self._currency}"

    def __repr__(self) -> str:
        return f"Money('{self._amount:f}', '{self._currency}')"

    def __reduce__(self):
        return (Money, (str(self._amount), self._currency))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self._currency == other._currency and self._amount == other._amount

    def __hash__(self) -> int:
        return hash((self._amount, self._currency))

    def _same(self, other: object, op: str) -> "Money":
        if not isinstance(other, Money):
            raise TypeError(f"cannot {op} Money and {type(other).__name__}")
        if other._currency != self._currency:
            raise TypeError(f"cannot {op} {self._currency} and {other._currency}: redress never converts currencies")
        return other

    def __lt__(self, other: "Money") -> bool:
        return self._amount < self._same(other, "compare")._amount

    def __le__(self, other: "Money") -> bool:
        return self._amount <= self._same(other, "compare")._amount

    def __gt__(self, other: "Money") -> bool:
        return self._amount > self._same(other, "compare")._amount

    def __ge__(self, other: "Money") -> bool:
        return self._amount >= self._same(other, "compare")._amount

    def __add__(self, other: "Money") -> "Money":
        return Money(_CONTEXT.add(self._amount, self._same(other, "add")._amount), self._currency)

    def __radd__(self, other: Any) -> "Money":
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:  # sum() starts at 0
            return self
        return self.__add__(other)

    def __sub__(self, other: "Money") -> "Money":
        return Money(_CONTEXT.subtract(self._amount, self._same(other, "subtract")._amount), self._currency)

    def __neg__(self) -> "Money":
        return Money(-self._amount, self._currency)

    def __mul__(self, factor: Union[int, Decimal]) -> "Money":
        if isinstance(factor, bool) or not isinstance(factor, (int, Decimal)):
            return NotImplemented
        return Money(_CONTEXT.multiply(self._amount, Decimal(factor)), self._currency)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return not self._amount.is_zero()


class Diagnostic:
    """A located problem found while loading playbooks: file, line, column, severity, message.

    ``line``/``column`` are 1-based (0 when the problem concerns the whole file); ``severity``
    is ``'error'`` or ``'warning'``; ``source_line`` is the text of the line pointed at.
    ``str(d)`` is ``'file:line:col: error: message'``, as ``redress lint`` prints.
    """

    __slots__ = ("file", "line", "column", "severity", "message", "source_line")

    def __init__(self, file: str, line: int, column: int, severity: str, message: str, source_line: str = "") -> None:
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.source_line = source_line

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"

    def with_caret(self) -> str:
        """str(self) plus the source line and a caret under the column, when known."""
        if not self.source_line or not self.line:
            return str(self)
        pad = "".join("\t" if c == "\t" else " " for c in self.source_line[: max(self.column - 1, 0)])
        return f"{self}\n  {self.source_line}\n  {pad}^"

    def __repr__(self) -> str:
        return f"<Diagnostic {self}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def __reduce__(self):
        return (Diagnostic, tuple(getattr(self, k) for k in self.__slots__))


class RedressError(Exception):
    """Base class of redress's errors."""


class LoadError(RedressError):
    """Playbooks that could not be loaded. ``diagnostics`` lists every problem found
    (errors and warnings), each a :class:`Diagnostic` with file, line and column."""

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self.message = message
        self.diagnostics: List[Diagnostic] = list(diagnostics)
        super().__init__(message, self.diagnostics)

    @property
    def errors(self) -> List[Diagnostic]:
        """The diagnostics whose severity is 'error'."""
        return [d for d in self.diagnostics if d.severity == "error"]

    def __str__(self) -> str:
        if not self.diagnostics:
            return self.message
        return "\n".join([self.message] + [str(d) for d in self.diagnostics])


class PackChangedError(LoadError):
    """An unpickled Pack whose files no longer give the pickled fingerprint."""

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = (), expected: str = "", actual: str = "") -> None:
        super().__init__(message, diagnostics)
        self.args = (message, self.diagnostics, expected, actual)
        self.expected = expected
        self.actual = actual


class EvaluationError(RedressError):
    """A case that cannot be evaluated: a missing or ill-typed fact, a null in arithmetic, an
    event the state does not accept, no playbook matching in triage, …

    ``location`` is ``'delivery_delay.yaml:41:28'`` of the expression that failed, or ``''``
    for a problem of the case itself; ``message`` is the text without the location.
    """

    def __init__(self, message: str, location: str = "") -> None:
        self.message = message
        self.location = location
        super().__init__(message, location)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EvaluationError):
            return NotImplemented
        return (self.message, self.location) == (other.message, other.location)

    def __hash__(self) -> int:
        return hash((self.message, self.location))


def _restore_pack(sources: Sequence[str], fingerprint: str):
    """Unpickle a Pack: load its sources again and check the fingerprint (PackChangedError)."""
    return _core()._restore_pack(list(sources), fingerprint)
