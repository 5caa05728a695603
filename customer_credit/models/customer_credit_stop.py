from contextlib import contextmanager

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, models, sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount, format_date

from odoo.addons.customer_archive.exceptions import CustomerRefusal

# The decisions that passed, with the transaction that made each: see CreditLock.
PASS_TABLE = "customer_credit_stop_pass"
# pg_advisory_xact_lock(key, profile id): the namespace of the credit lock
LOCK_KEY = 0x43524544  # "CRED"


class CreditLock:
    """The per-customer credit lock, held in a side transaction for milliseconds.

    Odoo runs in REPEATABLE READ: a request's snapshot is taken at its first query,
    long before it reaches the credit stop. Two confirmations for one customer
    must not both pass on snapshots that do not see each other. Writing the
    profile's row would serialise them, but the waiter then fails with a
    serialisation error once the holder commits, and Odoo retries the whole request
    after a random pause of up to 2, 4, 8 … seconds: 8 simultaneous confirmations
    for one customer waited up to 8.9 s.

    Instead, the decision is serialised in a short side transaction (READ
    COMMITTED: each of its statements reads what is committed when it starts):

    1. it takes ``pg_advisory_xact_lock`` on the limit profile;
    2. it reads the decisions that passed for this profile in transactions this
       snapshot does not see: committed after it was taken, or still running
       (:attr:`unseen`, their amounts); a transaction that aborted is ignored,
       and so is an id this cluster has not handed out yet (a reservation
       brought along by a copy of the database restored from another cluster);
    3. the decision adds that to the exposure of its own snapshot;
    4. a passing decision records its addition and its own transaction id
       (:meth:`reserve`), and the side transaction commits: the lock is free.

    Every decision thus counts every other passed decision exactly once: through
    its snapshot (the other transaction committed before it was taken) or through
    the reservation (it did not). The request never waits for another's commit and
    is never restarted for it. The reservations are insert-only, so nobody
    conflicts on them; the autovacuum deletes them a day later.

    Holds, limits and the other fields of the profile are read from the snapshot;
    if finance changed the profile after it was taken (:attr:`stale`), the request
    starts again on a fresh one, as before. Payments and invoices committed after the
    snapshot are not seen either: they lower the exposure or leave it as it is, so
    the decision errs on the safe side.
    """

    def __init__(self, side, profile):
        self.side = side
        self.profile = profile
        self.unseen = 0.0
        self.stale = False
        self._xact = None

    def acquire(self, cr):
        # this transaction's snapshot and id (it writes anyway when it passes)
        cr.execute(SQL("SELECT pg_current_snapshot()::text, pg_current_xact_id()"))
        snapshot, self._xact = cr.fetchone()
        side = self.side
        side.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(%s, %s), to_regclass(%s)",
                LOCK_KEY,
                self.profile.id,
                PASS_TABLE,
            )
        )
        if side.fetchone()[1] is None:
            # The addon is being installed in this very transaction (demo orders
            # confirmed at install): its table is not committed yet, and nobody
            # else runs meanwhile. Nothing unseen, nothing to reserve.
            self.side = None
            return True
        side.execute(
            SQL(
                """
                SELECT COALESCE(SUM(amount), 0) FROM %(table)s
                 WHERE profile_id = %(profile)s
                   AND xact <> %(me)s::xid8
                   AND xact >= pg_snapshot_xmin(%(snapshot)s::pg_snapshot)
                   AND NOT pg_visible_in_snapshot(xact, %(snapshot)s::pg_snapshot)
                   -- an id this cluster has not handed out yet was made by another
                   -- cluster: a copy of the database restored here (pg_restore of
                   -- a backup) brings its reservations along. Not ours to count,
                   -- and pg_xact_status would fail on it ("transaction ID … is in
                   -- the future"); CASE: tested before pg_xact_status is called.
                   AND CASE WHEN xact < pg_snapshot_xmax(pg_current_snapshot())
                            THEN pg_xact_status(xact) IS DISTINCT FROM 'aborted'
                            ELSE false END
                """,
                table=SQL.identifier(PASS_TABLE),
                profile=self.profile.id,
                me=self._xact,
                snapshot=snapshot,
            )
        )
        self.unseen = float(side.fetchone()[0])
        # The profile's row as committed now: changed by a transaction this snapshot
        # does not see? (xmin is a 32-bit id: widened to 64 bits around the next id.)
        side.execute(
            SQL(
                """
                WITH nxt AS (
                    SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS n
                ), dist AS (
                    SELECT n, mod((n & 4294967295) - x + 4294967296, 4294967296) AS d
                      FROM nxt, (SELECT xmin::text::bigint AS x
                                   FROM customer_credit_profile
                                  WHERE id = %(profile)s) p
                ), row_xid AS (
                    -- the id nearest to the next one (before it, or just after:
                    -- this transaction's own, when it is the same connection)
                    SELECT (CASE WHEN d < 2147483648 THEN n - d
                                 ELSE n + (4294967296 - d) END)::text::xid8 AS x8
                      FROM dist
                )
                SELECT 1 FROM row_xid
                 WHERE CASE WHEN pg_visible_in_snapshot(x8, %(snapshot)s::pg_snapshot)
                            THEN false
                            ELSE pg_xact_status(x8) = 'committed' END
                """,
                profile=self.profile.id,
                snapshot=snapshot,
            )
        )
        self.stale = bool(side.fetchone())
        return True

    def reserve(self, amount):
        """Record this decision's addition to the exposure (it passes)."""
        if self.side is None or amount <= 0 or self.stale:
            return True
        self.side.execute(
            SQL(
                "INSERT INTO %s (profile_id, xact, amount) VALUES (%s, %s::xid8, %s)",
                SQL.identifier(PASS_TABLE),
                self.profile.id,
                self._xact,
                amount,
            )
        )
        return True


class CustomerCreditStop(models.AbstractModel):
    """The credit stop (跳闸): decides, enforces and locks.

    The single decision method of the credit stop (``_credit_decide``), the place
    that applies the configured strength (``_credit_enforce``: refuse, warn, use an
    override) and the per-customer lock (``_credit_lock``), so every control point
    (order confirmation, delivery validation, invoice posting) decides and acts the
    same way. The hooks on ``sale.order``, ``stock.picking`` and ``account.move``
    only call it; ``customer.credit.check.log`` records what it decided.
    """

    _name = "customer.credit.stop"
    _description = "Credit Stop"

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS %(table)s (
                    profile_id integer NOT NULL,
                    xact xid8 NOT NULL,
                    amount numeric NOT NULL,
                    date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
                );
                CREATE INDEX IF NOT EXISTS %(index)s ON %(table)s (profile_id, xact);
                """,
                table=SQL.identifier(PASS_TABLE),
                index=SQL.identifier(f"{PASS_TABLE}_profile_xact_idx"),
            )
        )
        return res

    @api.model
    @contextmanager
    def _credit_lock(self, profile, preview=False):
        """Serialise the credit decisions of one customer (its limit profile).

        Yields a :class:`CreditLock`: ``lock.unseen`` is the amount that the
        decisions passed by concurrent transactions added to the exposure without
        this transaction's snapshot seeing it; ``lock.reserve(amount)`` records this
        decision's own addition before the lock is released. See
        :class:`CreditLock` for why this takes milliseconds and never makes the
        request start again. ``preview``: nothing locked nor reserved.
        """
        if preview:
            yield CreditLock(None, profile)
            return
        with self.env.registry.cursor() as side:
            if isinstance(side, sql_db.Cursor):
                # Each statement on a fresh snapshot: the one after the lock sees
                # what the previous holder committed (the test cursor of HttpCase
                # shares the test's transaction and has nothing to see).
                side.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            lock = CreditLock(side, profile)
            lock.acquire(self.env.cr)
            yield lock
        if lock.stale:
            # Finance changed the profile (hold, limit …) after this snapshot was
            # taken: the request starts again on a fresh one. Writing the changed row
            # is the serialisation failure Odoo's RPC layer retries.
            self.env.cr.execute(
                SQL(
                    "UPDATE customer_credit_profile SET write_date = write_date "
                    "WHERE id = %s",
                    profile.id,
                ),
                log_exceptions=False,
            )
            raise UserError(
                self.env._(
                    "The credit profile of %(customer)s changed meanwhile: try again.",
                    customer=profile.partner_id.display_name,
                )
            )

    @api.model
    def _credit_drop_passes(self):
        """At uninstall: the table lives outside the ORM."""
        self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(PASS_TABLE)))

    @api.autovacuum
    def _gc_credit_passes(self):
        """Reservations are read by the transactions running when they were
        made; a day later nobody needs them."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE date < (now() AT TIME ZONE 'UTC') - "
                "interval '1 day'",
                SQL.identifier(PASS_TABLE),
            )
        )

    @api.model
    def _credit_decide(
        self,
        partner,
        company,
        point,
        amount,
        payment_term=None,
        included=False,
        pending=0.0,
        preview=False,
        document=None,
    ):
        """The one decision of the credit stop.

        :param amount: this document's amount in company currency
        :param included: the amount is already part of the exposure (delivery,
            invoice, increase of a confirmed order)
        :param pending: amount of earlier orders of the same batch not yet confirmed
        :param preview: the answer the stop would give now, for a form's notice:
            nothing is locked nor created (a customer without a profile is
            decided as the cash-only profile the stop would create)
        :param document: the order confirmed (its approved override lets it
            through the limit, and then it counts for the next decisions at once)
        :return: dict with ``refuse`` (bool), ``message`` and the figures
        """
        # sudo: the decision reads the customer's profile and open items whatever
        # the user may see; only figures leave this method.
        profile = self._credit_profile(partner, company, preview)
        limit_profile = profile._get_limit_profile()
        with self._credit_lock(limit_profile, preview) as lock:
            result = self._credit_judge(
                profile,
                limit_profile,
                company,
                point,
                amount,
                payment_term=payment_term,
                included=included,
                # the passed decisions this snapshot does not see count as pending
                pending=pending + lock.unseen,
            )
            # what this document adds to the exposure once it passes: a new order,
            # or the increase of a confirmed one (a delivery or an invoice of a
            # confirmed order is part of it already)
            if not included or point == "order":
                if self._credit_will_pass(result, document):
                    lock.reserve(amount)
        return result

    @api.model
    def _credit_will_pass(self, result, document):
        """Whether the document goes through after this decision: not refused,
        refused under *warn*, or let through by an approved override."""
        if not result["refuse"]:
            return True
        if self._credit_strength(result["company"], result["point"]) == "warn":
            return True
        return bool(
            document
            and self.env["customer.credit.override"]._credit_find(document, result)
        )

    @api.model
    def _credit_judge(
        self,
        profile,
        limit_profile,
        company,
        point,
        amount,
        payment_term=None,
        included=False,
        pending=0.0,
    ):
        """The decision on the figures of this snapshot (see ``_credit_decide``)."""
        partners = profile._get_exposure_partners()
        figures = (
            self.env["customer.credit.exposure"]
            .sudo()
            ._get_total_exposure(partners, company)
        )
        currency = company.currency_id
        # The first trade (probation) is read once for this decision, after the
        # lock: both questions below answer from it.
        (profile | limit_profile).invalidate_recordset(["probation_end"])
        limit = limit_profile._get_effective_limit(fresh=False)
        exposure = figures["exposure"] - (amount if included else 0.0) + pending
        total = exposure + amount
        reasons = []
        env = self.env
        # The effective state: an active customer in probation (现款期) buys cash
        # only: immediate-payment orders pass whatever the limit, credit-term
        # orders are refused.
        state = profile._get_effective_state(fresh=False)
        # valid_until: after it the credit has expired and the customer buys cash
        # only (its own credit, or the group credit that gives its limit).
        expired_on = profile._credit_expired_on() or (
            limit_profile != profile and limit_profile._credit_expired_on()
        )
        if expired_on and state == "active":
            state = "cash"
        if state == "hold":
            reasons.append(self._credit_hold_words(profile))
        elif state == "blocked":
            reasons.append(env._("The customer is blocked."))
        elif state == "cash" and expired_on:
            if payment_term and any(line.nb_days for line in payment_term.line_ids):
                reasons.append(
                    env._(
                        "The credit expired on %(date)s: the customer buys cash only "
                        "until a new credit application is approved; payment term "
                        "%(term)s is not allowed.",
                        date=expired_on,
                        term=payment_term.display_name,
                    )
                )
        elif state == "cash":
            if payment_term and any(line.nb_days for line in payment_term.line_ids):
                if profile.state == "active":
                    reasons.append(
                        env._(
                            "The customer is in its probation period (现款期) until "
                            "%(date)s and buys cash only; payment term %(term)s is "
                            "not allowed.",
                            date=profile.probation_end,
                            term=payment_term.display_name,
                        )
                    )
                else:
                    reasons.append(
                        env._(
                            "The customer buys cash only; payment term %(term)s is "
                            "not allowed.",
                            term=payment_term.display_name,
                        )
                    )
        elif currency.compare_amounts(total, limit) > 0 and amount > 0:
            if limit_profile.use_group_limit:
                reasons.append(
                    env._(
                        "The credit limit is exceeded: group limit of %(group)s, "
                        "shared by its subsidiaries.",
                        group=limit_profile.partner_id.display_name,
                    )
                )
            else:
                reasons.append(env._("The credit limit is exceeded."))
        max_order = profile._get_effective_max_order()
        if (
            point == "order"
            and max_order
            and not included
            and currency.compare_amounts(amount, max_order) > 0
        ):
            reasons.append(
                env._(
                    "This order exceeds the maximum single order amount of " "%(max)s.",
                    max=format_amount(env, max_order, currency),
                )
            )
        if (
            figures["overdue_amount"] > 0
            and figures["overdue_days"] > profile.overdue_tolerance_days
            and currency.compare_amounts(
                figures["overdue_amount"], profile.overdue_tolerance_amount
            )
            > 0
        ):
            reasons.append(
                env._(
                    "Overdue beyond tolerance: %(amount)s, oldest %(days)s days, "
                    "%(beyond)s days beyond the tolerance of %(tolerance)s days.",
                    amount=format_amount(env, figures["overdue_amount"], currency),
                    days=figures["overdue_days"],
                    beyond=figures["overdue_days"] - profile.overdue_tolerance_days,
                    tolerance=profile.overdue_tolerance_days,
                )
            )
        excess = max(total - limit, 0.0) if state == "active" else 0.0
        # Why the limit reads 0 (or less than the approved limit): beside the figure.
        limit_note = self._credit_limit_note(profile, limit_profile, state, expired_on)
        result = {
            "refuse": bool(reasons),
            "partner": profile.partner_id,
            "company": company,
            "point": point,
            "limit": limit,
            "exposure": exposure,
            "amount": amount,
            "excess": excess,
            "overdue_amount": figures["overdue_amount"],
            "overdue_days": figures["overdue_days"],
            "limit_note": limit_note,
        }
        result["message"] = self._credit_message(result, reasons) if reasons else ""
        return result

    @api.model
    def _credit_profile(self, partner, company, preview=False):
        """The profile the stop decides on (as superuser). ``preview``: a customer
        without one is decided as the cash-only profile the stop would create,
        without creating it."""
        Profile = self.env["customer.credit.profile"].sudo()
        if not preview:
            return Profile._get_for_partner(partner, company).sudo()
        commercial = partner.commercial_partner_id
        return Profile.with_context(active_test=False).search(
            [("partner_id", "=", commercial.id), ("company_id", "=", company.id)],
            limit=1,
        ) or Profile.new({"partner_id": commercial.id, "company_id": company.id})

    @api.model
    def _credit_limit_note(self, profile, limit_profile, state, expired_on):
        """Why a cash-only customer's limit reads 0, in words (else "")."""
        env = self.env
        if state != "cash":
            return ""
        if expired_on:
            return env._(
                "cash only: the credit expired on %(date)s",
                date=format_date(env, expired_on),
            )
        if profile.state == "active":
            return env._(
                "cash only in the probation period (现款期) until %(date)s; "
                "approved limit %(approved)s",
                date=format_date(env, profile.probation_end),
                approved=format_amount(
                    env, limit_profile.credit_limit, profile.company_id.currency_id
                ),
            )
        return env._("cash only: no credit approved")

    @api.model
    def _credit_hold_words(self, profile):
        """The hold in words: since when and why (the open hold of the profile)."""
        env = self.env
        # sudo: the refused user may not read finance's holds; only the date and
        # the reason leave this method, in the refusal they are shown.
        hold = (
            env["customer.credit.hold"]
            .sudo()
            .search_fetch(
                [("profile_id", "=", profile.id), ("release_date", "=", False)],
                ["create_date", "reason"],
                order="id desc",
                limit=1,
            )
        )
        if not hold:
            return env._("The customer is on hold.")
        return env._(
            "The customer is on hold since %(date)s: %(reason)s",
            date=format_date(env, hold.create_date),
            reason=hold.reason,
        )

    @api.model
    def _credit_message(self, result, reasons):
        env = self.env
        currency = result["company"].currency_id

        def fmt(value):
            return format_amount(env, value, currency)

        return env._(
            "Credit stop for %(partner)s: %(reasons)s\n"
            "Credit limit: %(limit)s\nExposure: %(exposure)s\n"
            "This document: %(amount)s\nExcess: %(excess)s\n"
            "Overdue: %(overdue)s (%(days)s days)",
            partner=result["partner"].display_name,
            reasons=" ".join(reasons),
            limit=(
                env._(
                    "%(limit)s (%(why)s)",
                    limit=fmt(result["limit"]),
                    why=result["limit_note"],
                )
                if result.get("limit_note")
                else fmt(result["limit"])
            ),
            exposure=fmt(result["exposure"]),
            amount=fmt(result["amount"]),
            excess=fmt(result["excess"]),
            overdue=fmt(result["overdue_amount"]),
            days=result["overdue_days"],
        )

    @api.model
    def _credit_enforce(self, result, document, strength):
        """Apply the control point's strength to a decision; raise if refused."""
        if not result["refuse"]:
            return True
        Log = self.env["customer.credit.check.log"]
        if strength == "warn":
            Log._record(result, "warn", document)
            if hasattr(document, "_message_log"):
                # a note in the document's chatter, nobody notified (as message_post
                # of a note, without its follower and notification machinery)
                document.sudo()._message_log(body=result["message"])
            return True
        # An approved override of the order is the general manager's signature for
        # that order: it lets the order, its deliveries and its invoices through
        # under block and block with approval alike (nobody can approve one for a
        # plain-block order confirmation, see customer.credit.override).
        override = self.env["customer.credit.override"]._credit_consume(
            document, result
        )
        if override:
            Log._record(result, "override", document)
            return True
        Log._credit_log_refusal(result, document)
        raise self._credit_refusal(result, document, strength)

    @api.model
    def _credit_refusal(self, result, document, strength):
        """The refusal of ``document`` as an exception leading to the next step.

        Under *block with approval*, the button requests a credit override of the
        document (the request wizard of the order, delivery or invoice) when the
        user may ask for one; otherwise, and under plain *block*, it opens the
        exposure list of the customer (the documents the stop adds up), when the user
        may read it; else the refusal is a plain ``UserError`` saying who can act.
        """
        env = self.env
        message = result["message"]
        point = result["point"]
        # a confirmed order's increase is not requested from the order (its
        # deliveries and invoices are, at their own points)
        requestable = hasattr(document, "action_credit_override_request") and (
            point != "order" or document.state in ("draft", "sent")
        )
        if strength == "approval" and requestable:
            pending = self._credit_pending_override(document, point)
            if pending:
                message += "\n" + env._(
                    "A credit override of %(document)s is requested already and "
                    "waits for the decision of %(who)s.",
                    document=document.display_name,
                    who=self._credit_approver_names(),
                )
            elif self._credit_may_request(document, point):
                message += "\n" + env._(
                    "Request a credit override (超额审批) to let this document "
                    "through."
                )
                return CustomerRefusal(
                    message,
                    document.action_credit_override_request(),
                    env._("Request a credit override"),
                )
            else:
                message += "\n" + env._(
                    "A credit override (超额审批) lets this document through: "
                    "%(who)s can request it.",
                    who=self._credit_requester_names(point),
                )
        Line = env["customer.credit.exposure.line"]
        if Line.has_access("read"):
            action = Line._action_for_customer(result["partner"], result["company"])
            return CustomerRefusal(message, action, env._("Open the exposure list"))
        return UserError(message)

    @api.model
    def _credit_pending_override(self, document, point):
        """Whether ``document`` has a pending or approved override request."""
        field = {
            spec["point"]: spec["override_field"]
            for spec in self._credit_control_points()
        }
        if field.get(point) not in self.env["customer.credit.override"]._fields:
            return False
        # sudo: the refused user may not read the queue; only a count leaves here.
        return bool(
            self.env["customer.credit.override"]
            .sudo()
            .search_count(
                [
                    ("control_point", "=", point),
                    (field[point], "=", document.id),
                    ("state", "in", ("pending", "approved")),
                ],
                limit=1,
            )
        )

    @api.model
    def _credit_may_request(self, document, point):
        """The user may open the override request of ``document`` (the wizard's
        own checks: who asks, and for which document)."""
        Request = self.env["customer.credit.override.request"]
        if not Request.has_access("create"):
            return False
        try:
            Request._check_requester(document, point)
        except AccessError:
            return False
        return True

    @api.model
    def _credit_group_name(self, xmlid):
        group = self.env.ref(xmlid, raise_if_not_found=False)
        # sudo: only the group's name is read, by users of any rights.
        return group.sudo().name if group else ""

    @api.model
    def _credit_approver_names(self):
        return self._credit_group_name("customer_credit.group_credit_approver")

    @api.model
    def _credit_requester_names(self, point):
        """Who may request an override at ``point`` (the request wizard's words)."""
        if point == "order":
            return self.env._("the salesperson of the order")
        if point == "delivery":
            return self.env._("a warehouse user")
        return self.env._("an invoicing user")

    @api.model
    def _credit_control_points(self):
        """The control points of the credit stop: the extension point.

        As ``_risk_field_list`` in OCA's ``account_financial_risk``, this list is
        the one place that names the documents the stop guards. Each entry:

        * ``point``: the key of the point, a value of the ``control_point``
          selections (check log, override, override request);
        * ``model``: the document checked there;
        * ``strength_field``: the field of ``res.company`` that holds the point's
          strength (warn / block / block with approval), read by
          ``_credit_strength``;
        * ``override_field``: the field of ``customer.credit.override`` that
          points at the document (``_credit_pending_override``).

        An addon that stops another document (a point-of-sale order, a
        subscription…) extends this method with ``super()``, adds its point to the
        three selections (``selection_add``), a strength field on ``res.company``,
        the override's field and, on the document, a hook that calls
        ``_credit_decide`` and ``_credit_enforce`` as ``sale.order``,
        ``stock.picking`` and ``account.move`` do. The exposure's components are
        extended in ``customer.credit.exposure._exposure_sources``.
        """
        return [
            {
                "point": "order",
                "model": "sale.order",
                "strength_field": "credit_order_strength",
                "override_field": "order_id",
            },
            {
                "point": "delivery",
                "model": "stock.picking",
                "strength_field": "credit_delivery_strength",
                "override_field": "picking_id",
            },
            {
                "point": "invoice",
                "model": "account.move",
                "strength_field": "credit_invoice_strength",
                "override_field": "move_id",
            },
        ]

    @api.model
    def _credit_strength(self, company, point):
        """The configured strength of ``point`` in ``company`` (block if unset)."""
        field = {
            spec["point"]: spec["strength_field"]
            for spec in self._credit_control_points()
        }[point]
        return company[field] or "block"
