"""Append-only, tamper-evident trails (操作日志, 档案变更记录, 信用检查日志 …).

A trail model inherits ``customer.archive.chain.mixin`` and declares ``_chain_fields``.
Its rows are sealed the way Odoo seals posted journal entries: each row stores
``chain_seq`` (1, 2, 3 … per company and trail), ``chain_prev_hash`` (the hash of the
row before it) and ``chain_hash`` = sha256 of the previous hash and the row's declared
fields. Changing a sealed field, deleting a row or inserting one with raw SQL breaks
the chain at that row, and the integrity check (完整性校验) names it.

Who may change a trail:

* ``create`` needs the superuser or a grant for the model (``grant_env``): only the
  internal methods that write the trail (the change wizard, the access log, the credit
  stop …) hold one; no group has a create/write/unlink access right;
* ``write`` likewise (nothing writes a trail row today; the seal itself is SQL);
* ``unlink`` only through :meth:`_chain_purge`, i.e. the retention flow destroying a
  file (销毁): it leaves a tombstone per row (trail, company, sequence, hash,
  destruction record) in ``customer_archive_chain_gap``, through which the check
  walks the chain on. Even the superuser cannot ``unlink`` a row any other way.

Concurrency: the head of each chain (last sequence and hash per trail and company) is
one row of ``customer_archive_chain_head``, taken with ``INSERT … ON CONFLICT DO
UPDATE`` (a row lock) before a new row is sealed. A unique index on (company, sequence)
backs it up. Odoo runs in REPEATABLE READ: a transaction that waited for a head another
one moved on would fail with a serialisation error, and Odoo would retry the whole
request after a random pause of up to 2, 4, 8 … seconds, for every request that writes
the same trail in the same company (credit stop warnings and exemptions, approvals …).
So a row is sealed at once only when its heads are free (``FOR UPDATE NOWAIT``, in a
savepoint); when another transaction holds or has moved them, the row is queued in
``customer_archive_chain_pending`` and sealed right after the commit, in a READ
COMMITTED side transaction that waits for the heads instead of failing
(:func:`_seal_deferred`). Side sealings of a trail are serialised by an advisory lock;
a row still queued (its process died between the commit and the sealing) is sealed by
the next side sealing of its trail or by the daily autovacuum, and the integrity check
counts it as queued, not broken. A row added with raw SQL is not in the queue, stays
unsealed, and the check names it. A scheduled job that meets a serialisation failure
(a row another transaction changed meanwhile) retries itself: :func:`cron_retrying`.
"""

import functools
import hashlib
import json
import logging
import random
import time
from functools import partial

import psycopg2
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED, TransactionRollbackError

from odoo import SUPERUSER_ID, api, fields, models, sql_db
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .customer_archive_guard import GRANT_KEY, _Grant, grant_env, has_grant

MIXIN = "customer.archive.chain.mixin"
# carried only by _chain_purge (the retention flow): the one way to unlink a row
PURGE_GRANT = "customer.archive.chain.purge"
HEAD_TABLE = "customer_archive_chain_head"
GAP_TABLE = "customer_archive_chain_gap"
PENDING_TABLE = "customer_archive_chain_pending"
# pg_advisory_xact_lock(key, hashtext(trail)): one side sealing per trail at a time
SEAL_LOCK_KEY = 0x43484149  # "CHAI"
_logger = logging.getLogger(__name__)


def _seal_deferred(registry, trails):
    """After the commit: seal the queued rows of ``trails`` in a side transaction
    (READ COMMITTED: it waits for the heads, it never fails for them)."""
    for attempt in range(1, 6):
        try:
            with registry.cursor() as cr:
                if isinstance(cr, sql_db.Cursor):
                    cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
                env = api.Environment(cr, SUPERUSER_ID, {})
                for trail in sorted(trails):
                    env[trail]._chain_seal_queued()
            return
        except psycopg2.errors.DeadlockDetected:
            time.sleep(random.uniform(0.01, 0.05 * attempt))
        except Exception:  # the rows stay queued: the next sealing takes them
            _logger.info("Queued trail rows not sealed yet", exc_info=True)
            return


CRON_TRIES = 5


def cron_retrying(method):
    """A scheduled job that fails to serialise against a concurrent transaction
    (another host's job sealing in the same trail, a user's request) runs again on
    a fresh snapshot, up to CRON_TRIES times with Odoo's random backoff, as Odoo
    retries a request (odoo.service.model.retrying). Odoo's cron worker does not:
    the run was lost until the job's next interval (a day; three months for the
    reclassification). Only in a cron worker (context ``cron_id``): there the job
    has its own transaction while the ir.cron row stays locked by the worker's
    other cursor; a request (``method_direct_trigger``) is retried whole by Odoo."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if not self.env.context.get("cron_id"):
            return method(self, *args, **kwargs)
        for tryno in range(1, CRON_TRIES + 1):
            try:
                result = method(self, *args, **kwargs)
                self.env.flush_all()
                return result
            except TransactionRollbackError as exc:
                if tryno == CRON_TRIES:
                    raise
                self.env.cr.rollback()
                self.env.reset()
                self.env.registry.reset_changes()
                wait = random.uniform(0.0, 2**tryno)
                _logger.info(
                    "%s: %s, %s tries left, again in %.2f s",
                    method.__qualname__,
                    exc.pgcode,
                    CRON_TRIES - tryno,
                    wait,
                )
                time.sleep(wait)

    return wrapper


def _canonical(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class CustomerArchiveChainMixin(models.AbstractModel):
    """Append-only trail sealed by a per-company hash chain (see module docstring).

    Class attributes of a trail:

    ``_chain_fields``
        stored fields covered by the hash (besides company, sequence and previous
        hash); a change of any of them breaks the chain;
    ``_chain_server_fields``
        of ``user_id`` and ``date``: set by the server on create, whatever is sent.
    """

    _name = MIXIN
    _description = "Append-only Trail (hash chain)"

    _chain_fields = ()
    _chain_server_fields = ()

    chain_seq = fields.Integer(string="Chain Sequence", readonly=True, copy=False)
    chain_prev_hash = fields.Char(string="Previous Hash", readonly=True, copy=False)
    chain_hash = fields.Char(string="Integrity Hash", readonly=True, copy=False)

    # Set-up ------------------------------------------------------------------------

    def init(self):
        super().init()
        if self._abstract:
            return
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS customer_archive_chain_head (
                    trail varchar NOT NULL,
                    company_id integer NOT NULL,
                    seq integer NOT NULL DEFAULT 0,
                    hash varchar NOT NULL DEFAULT '',
                    PRIMARY KEY (trail, company_id)
                );
                CREATE TABLE IF NOT EXISTS customer_archive_chain_gap (
                    trail varchar NOT NULL,
                    company_id integer NOT NULL,
                    chain_seq integer NOT NULL,
                    chain_hash varchar NOT NULL,
                    res_id integer NOT NULL,
                    destruction_id integer,
                    date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                    PRIMARY KEY (trail, company_id, chain_seq)
                );
                CREATE TABLE IF NOT EXISTS customer_archive_chain_pending (
                    trail varchar NOT NULL,
                    res_id integer NOT NULL,
                    PRIMARY KEY (trail, res_id)
                );
                CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s
                    (COALESCE(company_id, 0), chain_seq);
                """,
                SQL.identifier(f"{self._table}_chain_seq_uniq"),
                SQL.identifier(self._table),
            )
        )
        # rows written before this trail had a chain: sealed once, at the upgrade that
        # brings the chain. Later unsealed rows (raw SQL) stay unsealed, and the check
        # names them.
        cr.execute(
            SQL(
                "SELECT 1 FROM customer_archive_chain_head WHERE trail = %s LIMIT 1",
                self._name,
            )
        )
        if not cr.fetchone():
            self._chain_seal_pending()

    @api.model
    def _chain_trails(self):
        """The trail models of the registry (concrete models using the mixin)."""
        return [
            name
            for name in self.env.registry.descendants([MIXIN], "_inherit")
            if not self.env[name]._abstract and not self.env[name]._transient
        ]

    # Guard -------------------------------------------------------------------------

    def _chain_refuse(self, what):
        raise AccessError(
            self.env._(
                "%(trail)s is an append-only audit trail: its entries cannot be "
                "%(what)s.",
                trail=self._description,
                what=what,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not has_grant(self.env, self._name):
            self._chain_refuse(self.env._("created by hand"))
        if self._chain_server_fields:
            server = {"user_id": self.env.uid, "date": fields.Datetime.now()}
            for vals in vals_list:
                for fname in self._chain_server_fields:
                    vals[fname] = server[fname]
        for vals in vals_list:
            for fname in ("chain_seq", "chain_prev_hash", "chain_hash"):
                vals.pop(fname, None)
        records = super().create(vals_list)
        records._chain_seal()
        return records

    def write(self, vals):
        if not has_grant(self.env, self._name):
            self._chain_refuse(self.env._("changed"))
        return super().write(vals)

    def unlink(self):
        grant = self.env.context.get(GRANT_KEY)
        if not (isinstance(grant, _Grant) and PURGE_GRANT in grant.models):
            self._chain_refuse(self.env._("deleted"))
        return super().unlink()

    def copy(self, default=None):
        if not has_grant(self.env, self._name):
            self._chain_refuse(self.env._("duplicated"))
        return super().copy(default)

    # Sealing -----------------------------------------------------------------------

    def _chain_columns(self):
        return [self._fields[fname].name for fname in self._chain_fields]

    @api.model
    def _chain_digest(self, prev_hash, seq, company_id, values):
        payload = json.dumps(
            [self._name, company_id or 0, seq, *values],
            default=_canonical,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(f"{prev_hash or ''}|{payload}".encode()).hexdigest()

    @api.model
    def _chain_lock_heads(self, company_ids, nowait=False):
        """Lock and return ``{company_id: [seq, hash]}`` of this trail's heads.

        ``nowait``: raise ``LockNotAvailable`` (another transaction holds a head) or
        ``SerializationFailure`` (one moved a head after this snapshot) at once."""
        if nowait:
            self.env.cr.execute(
                SQL(
                    "SELECT 1 FROM customer_archive_chain_head WHERE trail = %s "
                    "AND company_id = ANY(%s) ORDER BY company_id FOR UPDATE NOWAIT",
                    self._name,
                    sorted({cid or 0 for cid in company_ids}),
                ),
                log_exceptions=False,
            )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_archive_chain_head AS h (trail, company_id)
                SELECT %(trail)s, c FROM unnest(%(companies)s::int[]) c ORDER BY c
                ON CONFLICT (trail, company_id) DO UPDATE SET seq = h.seq
                RETURNING company_id, seq, hash
                """,
                trail=self._name,
                companies=sorted({cid or 0 for cid in company_ids}),
            ),
            # a serialisation failure here is expected and retried by Odoo: no ERROR
            log_exceptions=False,
        )
        return {cid: [seq, digest] for cid, seq, digest in self.env.cr.fetchall()}

    @api.model
    def _chain_link(self, heads, rows):
        """Chain ``rows`` (``(company_id, values)`` in order) onto ``heads``.

        :return: ``[(seq, prev_hash, hash)]`` in the order of ``rows``; ``heads`` is
            moved on (write it back with :meth:`_chain_heads_sql`)."""
        links = []
        for company_id, values in rows:
            head = heads[company_id or 0]
            seq = head[0] + 1
            digest = self._chain_digest(head[1], seq, company_id, values)
            links.append((seq, head[1], digest))
            head[0], head[1] = seq, digest
        return links

    @api.model
    def _chain_heads_sql(self, heads):
        """UPDATE of the locked heads to their new values (to run in a CTE)."""
        companies = list(heads)
        return SQL(
            """
            UPDATE customer_archive_chain_head h
               SET seq = v.seq, hash = v.hash
              FROM unnest(%(companies)s::int[], %(seqs)s::int[], %(hashes)s::varchar[])
                   AS v(company_id, seq, hash)
             WHERE h.trail = %(trail)s AND h.company_id = v.company_id
            """,
            companies=companies,
            seqs=[heads[c][0] for c in companies],
            hashes=[heads[c][1] for c in companies],
            trail=self._name,
        )

    def _chain_seal(self):
        """Seal these freshly inserted rows (in id order): three queries; or queue
        them for the sealing after the commit when another transaction holds or has
        moved their heads (see the module docstring)."""
        if not self:
            return
        self.flush_model()
        try:
            with self.env.cr.savepoint(flush=False):
                self._chain_seal_ids(self.ids, nowait=True)
        except (
            psycopg2.errors.LockNotAvailable,
            psycopg2.errors.SerializationFailure,
        ):
            self._chain_queue(self.ids)

    @api.model
    def _chain_queue(self, ids):
        """Queue rows ``ids`` of this trail for the sealing after the commit."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "INSERT INTO customer_archive_chain_pending (trail, res_id) "
                "SELECT %s, unnest(%s::int[]) ON CONFLICT DO NOTHING",
                self._name,
                list(ids),
            )
        )
        trails = cr.postcommit.data.setdefault(PENDING_TABLE, set())
        if not trails:
            cr.postcommit.add(partial(_seal_deferred, self.env.registry, trails))
        trails.add(self._name)

    @api.model
    def _chain_seal_queued(self):
        """Seal the queued rows of this trail (one sealing at a time per trail)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                SEAL_LOCK_KEY,
                self._name,
            )
        )
        cr.execute(
            SQL(
                "SELECT res_id FROM customer_archive_chain_pending WHERE trail = %s "
                "ORDER BY res_id",
                self._name,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        if not ids:
            return
        self._chain_seal_ids(ids)
        cr.execute(
            SQL(
                "DELETE FROM customer_archive_chain_pending "
                "WHERE trail = %s AND res_id = ANY(%s)",
                self._name,
                ids,
            )
        )

    @api.autovacuum
    def _gc_chain_queued(self):
        """Rows queued by a process that died between its commit and the sealing."""
        if self._name != MIXIN:  # the trails inherit the method: run it once
            return
        for trail in self._chain_trails():
            self.env[trail]._chain_seal_queued()

    @api.model
    def _chain_seal_pending(self):
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE chain_hash IS NULL ORDER BY id",
                SQL.identifier(self._table),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self._chain_seal_ids(ids)

    @api.model
    def _chain_seal_ids(self, ids, nowait=False):
        cr = self.env.cr
        table = SQL.identifier(self._table)
        cr.execute(
            SQL(
                "SELECT id, company_id, %s FROM %s "
                "WHERE id = ANY(%s) AND chain_hash IS NULL ORDER BY id",
                SQL(", ").join(SQL.identifier(c) for c in self._chain_columns()),
                table,
                list(ids),
            )
        )
        rows = cr.fetchall()
        if not rows:
            return
        heads = self._chain_lock_heads([row[1] for row in rows], nowait=nowait)
        links = self._chain_link(heads, [(row[1], row[2:]) for row in rows])
        cr.execute(
            SQL(
                """
                WITH heads AS (%(heads)s)
                UPDATE %(table)s t
                   SET chain_seq = v.seq, chain_prev_hash = v.prev, chain_hash = v.hash
                  FROM unnest(%(ids)s::int[], %(seqs)s::int[], %(prevs)s::varchar[],
                              %(hashes)s::varchar[]) AS v(id, seq, prev, hash)
                 WHERE t.id = v.id
                """,
                heads=self._chain_heads_sql(heads),
                table=table,
                ids=[row[0] for row in rows],
                seqs=[link[0] for link in links],
                prevs=[link[1] for link in links],
                hashes=[link[2] for link in links],
            )
        )
        self.invalidate_model(["chain_seq", "chain_prev_hash", "chain_hash"])

    # Destruction -------------------------------------------------------------------

    def _chain_purge(self, destruction):
        """Remove these rows for ``destruction`` (the retention flow only), leaving
        one tombstone per row so the chain still verifies."""
        if not self:
            return True
        if not has_grant(self.env, "customer.archive.destruction"):
            self._chain_refuse(self.env._("deleted"))
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_archive_chain_gap
                       (trail, company_id, chain_seq, chain_hash, res_id,
                        destruction_id)
                SELECT %(trail)s, COALESCE(company_id, 0), chain_seq, chain_hash, id,
                       %(destruction)s
                  FROM %(table)s
                 WHERE id = ANY(%(ids)s) AND chain_hash IS NOT NULL
                """,
                trail=self._name,
                destruction=destruction.id or None,
                table=SQL.identifier(self._table),
                ids=self.ids,
            )
        )
        return grant_env(self, PURGE_GRANT).unlink()

    # Verification ------------------------------------------------------------------

    @api.model
    def _chain_verify(self, company_ids):
        """Recompute this trail's chains of ``company_ids``.

        :return: ``{company_id: {"count": n, "broken": None | {"id", "date",
            "reason"}, "head_hash": hash}}``: the first broken row of each chain, and
            the hash of its last row (printed on the report: a copy kept outside the
            database shows later whether the whole chain was recomputed)."""
        cr = self.env.cr
        table = SQL.identifier(self._table)
        companies = list(company_ids)
        date_col = "date" if "date" in self._fields else "create_date"
        cr.execute(
            SQL(
                "SELECT company_id, chain_seq, chain_hash "
                "FROM customer_archive_chain_gap "
                "WHERE trail = %s AND company_id = ANY(%s)",
                self._name,
                companies,
            )
        )
        gaps = {(cid, seq): digest for cid, seq, digest in cr.fetchall()}
        cr.execute(
            SQL(
                "SELECT company_id, seq, hash FROM customer_archive_chain_head "
                "WHERE trail = %s AND company_id = ANY(%s)",
                self._name,
                companies,
            )
        )
        heads = {cid: (seq, digest) for cid, seq, digest in cr.fetchall()}
        # rows waiting for their sealing after the commit (see _chain_queue)
        cr.execute(
            SQL(
                "SELECT res_id FROM customer_archive_chain_pending WHERE trail = %s",
                self._name,
            )
        )
        queued = {row[0] for row in cr.fetchall()}
        results = {
            cid: {"count": 0, "broken": None, "seq": 0, "prev": ""} for cid in companies
        }
        cr.execute(
            SQL(
                """
                SELECT COALESCE(company_id, 0), id, %(date)s, chain_seq,
                       chain_prev_hash, chain_hash, %(cols)s
                  FROM %(table)s
                 WHERE COALESCE(company_id, 0) = ANY(%(companies)s)
                 ORDER BY 1, chain_seq NULLS LAST, id
                """,
                date=SQL.identifier(date_col),
                cols=SQL(", ").join(SQL.identifier(c) for c in self._chain_columns()),
                table=table,
                companies=companies,
            )
        )
        env = self.env
        while True:
            batch = cr.fetchmany(5000)
            if not batch:
                break
            for cid, rid, date, seq, prev, digest, *values in batch:
                res = results[cid]
                if res["broken"] or (seq is None and rid in queued):
                    continue
                res["count"] += 1
                expected = res["seq"] + 1
                while (cid, expected) in gaps and (seq is None or expected < seq):
                    res["prev"] = gaps[(cid, expected)]
                    expected += 1
                reason = None
                if seq is None or not digest:
                    reason = env._("the row was added without being sealed")
                elif seq > expected:
                    reason = env._(
                        "%(count)s row(s) before it were deleted",
                        count=seq - expected,
                    )
                elif seq < expected:
                    reason = env._("the row repeats an earlier position of the chain")
                elif (prev or "") != res["prev"]:
                    reason = env._("the row does not follow the row before it")
                elif self._chain_digest(prev, seq, cid, values) != digest:
                    reason = env._("the row was altered after it was written")
                if reason:
                    res["broken"] = {"id": rid, "date": date, "reason": reason}
                else:
                    res["seq"], res["prev"] = seq, digest
        for cid, res in results.items():
            if res["broken"]:
                continue
            expected = res["seq"] + 1
            while (cid, expected) in gaps:
                res["prev"] = gaps[(cid, expected)]
                expected += 1
            head = heads.get(cid, (0, ""))
            if head[0] != expected - 1 or head[1] != res["prev"]:
                res["broken"] = {
                    "id": False,
                    "date": False,
                    "reason": env._(
                        "the last %(count)s row(s) of the chain were deleted",
                        count=max(head[0] - (expected - 1), 1),
                    ),
                }
        return {
            cid: {
                "count": res["count"],
                "broken": res["broken"],
                "head_hash": heads.get(cid, (0, ""))[1],
            }
            for cid, res in results.items()
        }
