"""What an import found: the row-level problems and the counts of what was (or would be) written."""

from __future__ import annotations

from dataclasses import dataclass, field

from chainkeeper.i18n import translate


@dataclass(frozen=True)
class ImportIssue:
    """One problem: where (file, row, column) and what (a code and a message in the user's language)."""

    file: str
    row: int | None
    column: str | None
    code: str
    message: str

    def describe(self, language: str | None = None) -> str:
        """``file, row 3, column uscc: message`` in ``language``."""
        parts = [self.file]
        if self.row is not None:
            parts.append(translate("row {row}", language, row=self.row))
        if self.column:
            parts.append(translate("column {column}", language, column=self.column))
        return ", ".join(parts) + ": " + self.message

    def as_dict(self) -> dict:
        """The issue as a JSON-friendly dict."""
        return dict(file=self.file, row=self.row, column=self.column, code=self.code, message=self.message)


@dataclass
class ImportReport:
    """The outcome of one import; nothing was written unless ``ok`` and not ``dry_run``."""

    kind: str
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    dry_run: bool = False
    issues: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no row has an error."""
        return not self.issues

    @property
    def written(self) -> bool:
        """True when the rows were stored."""
        return self.ok and not self.dry_run


class UnreadableFile(Exception):
    """The file cannot be read as a table; ``message`` is a translatable source string with ``params``."""

    def __init__(self, code: str, message: str, /, **params: object):
        super().__init__(message.format(**params))
        self.code = code
        self.message = message
        self.params = params


@dataclass(frozen=True)
class BadRecord:
    """A row that could not be read as cells (too long, too many rows, broken quoting): what and in which
    column (its index in the file, None for the whole row)."""

    column: int | None
    code: str
    message: str
    params: dict = field(default_factory=dict)
    stop: bool = False  # nothing after it is read
