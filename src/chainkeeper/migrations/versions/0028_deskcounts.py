"""deskcounts: the desk's case counts per region prefix, kept by triggers in the transaction of every case change

``desk_case_count`` holds signed deltas: for every case, +1 under each distinct region prefix (lengths 0, 2, 4, 6)
of its requester, blocking and handling regions (kind 0: an authority's scope) and of its blocking and handling
regions (kind 1: the queue's region filter), with the case's state, category and overdue flag; a change of any of
those columns adds −1 under the old values and +1 under the new, a deletion −1. Rows are only ever inserted by the
triggers (no row is updated, so concurrent case changes never wait for each other or deadlock on a counter); the
desk's job folds them (``coordination.case_counts.compact``). The sum of ``n`` per key is exact: the same as a
COUNT of the cases, in every transaction (issue 15: the queue's per-state counts were most of PostgreSQL's CPU).

Note for later migrations: a SQLite ``batch_alter_table`` on ``desk_case`` re-creates the table and drops these
triggers; such a migration must create them again (``create_triggers`` below).

Revision ID: 0028_deskcounts
Revises: 0027_escalated
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_deskcounts"
down_revision = "0027_escalated"
branch_labels = None
depends_on = None

KINDS = {0: ("requester_region_code", "blocking_region_code", "handling_region_code"),
         1: ("blocking_region_code", "handling_region_code")}
LENGTHS = (2, 4, 6)
WATCHED = ("state", "category", "overdue", "requester_region_code", "blocking_region_code", "handling_region_code")
COLUMNS = "kind, prefix, state, category, overdue, n"


def prefixes(row: str) -> str:
    """The distinct (kind, prefix) pairs of the case ``row`` (NEW, OLD or a table alias), as one SELECT."""
    parts = ["SELECT 0 AS kind, '' AS prefix"]
    for kind, columns in KINDS.items():
        parts += [f"SELECT {kind}, substr({row}.{column}, 1, {length}) WHERE length({row}.{column}) >= {length}"
                  for column in columns for length in LENGTHS]
    return " UNION ".join(parts)


def delta(row: str, sign: int) -> str:
    """INSERT of the case ``row``'s deltas."""
    return (f"INSERT INTO desk_case_count ({COLUMNS}) SELECT p.kind, p.prefix, {row}.state, {row}.category, "
            f"{row}.overdue, {sign} FROM ({prefixes(row)}) AS p")


def create_triggers() -> None:
    """The three triggers (insert, update of a watched column, delete) on this database."""
    changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in WATCHED)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
        CREATE FUNCTION desk_case_count_keep() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN {delta("OLD", -1)}; END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN {delta("NEW", 1)}; END IF;
            RETURN NULL;
        END $$""")
        op.execute("CREATE TRIGGER desk_case_count_row AFTER INSERT OR DELETE ON desk_case "
                   "FOR EACH ROW EXECUTE FUNCTION desk_case_count_keep()")
        op.execute(f"CREATE TRIGGER desk_case_count_update AFTER UPDATE ON desk_case FOR EACH ROW "
                   f"WHEN ({changed}) EXECUTE FUNCTION desk_case_count_keep()")
        return
    changed = changed.replace("IS DISTINCT FROM", "IS NOT")
    op.execute(f"CREATE TRIGGER desk_case_count_insert AFTER INSERT ON desk_case FOR EACH ROW "
               f"BEGIN {delta('NEW', 1)}; END")
    op.execute(f"CREATE TRIGGER desk_case_count_delete AFTER DELETE ON desk_case FOR EACH ROW "
               f"BEGIN {delta('OLD', -1)}; END")
    op.execute(f"CREATE TRIGGER desk_case_count_update AFTER UPDATE OF {', '.join(WATCHED)} ON desk_case "
               f"FOR EACH ROW WHEN {changed} BEGIN {delta('OLD', -1)}; {delta('NEW', 1)}; END")


def upgrade() -> None:
    op.create_table(
        "desk_case_count",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("prefix", sa.String(6), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("category", sa.String(24), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_index("ix_desk_case_count_key", "desk_case_count", ["kind", "prefix"])
    parts = ["SELECT id, 0 AS kind, '' AS prefix FROM desk_case"]  # the distinct (case, kind, prefix) of every case
    for kind, columns in KINDS.items():
        parts += [f"SELECT id, {kind}, substr({column}, 1, {length}) FROM desk_case WHERE length({column}) >= {length}"
                  for column in columns for length in LENGTHS]
    per_case = " UNION ".join(parts)
    op.execute(f"INSERT INTO desk_case_count ({COLUMNS}) SELECT p.kind, p.prefix, c.state, c.category, c.overdue, "
               f"count(*) FROM ({per_case}) AS p JOIN desk_case c ON c.id = p.id "
               f"GROUP BY p.kind, p.prefix, c.state, c.category, c.overdue")
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER desk_case_count_row ON desk_case")
        op.execute("DROP TRIGGER desk_case_count_update ON desk_case")
        op.execute("DROP FUNCTION desk_case_count_keep()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER desk_case_count_{name}")
    op.drop_index("ix_desk_case_count_key", table_name="desk_case_count")
    op.drop_table("desk_case_count")
