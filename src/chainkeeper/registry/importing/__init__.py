"""Import of enterprises, products and supply links from CSV/XLSX: read, validate every row, write all or nothing."""

from chainkeeper.registry.importing.issues import ImportIssue, ImportReport
from chainkeeper.registry.importing.service import import_file, import_rows

__all__ = ["ImportIssue", "ImportReport", "import_file", "import_rows"]
