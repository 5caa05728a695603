"""A real Odoo server for the suites over JSON-RPC (concurrency, leak probes, RPC
language): its own committed database, workers, JSON-RPC helpers, and ``ServerCase``,
the test class that starts it. Not a test module (no ``test_`` prefix). Imports no
Odoo: bench/bench_workers.py uses its JSON-RPC and PostgreSQL helpers too."""

import json
import os
import pathlib
import subprocess
import sysconfig
import tempfile
import time
import unittest
import urllib.request

import psycopg2

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE_DIR = pathlib.Path(
    os.environ.get("CACHE_DIR", pathlib.Path.home() / ".cache/odoo-customer-archive")
)
ODOO_DIR = pathlib.Path(os.environ.get("ODOO_DIR", CACHE_DIR / "odoo-18.0"))
VENV = pathlib.Path(os.environ.get("VENV", CACHE_DIR / "venv"))
DB = os.environ.get("CONC_DB", "customer_archive_conc")
PORT = int(os.environ.get("CONC_PORT", "8179"))
ADDONS = "customer_archive,customer_credit"


def pg_kwargs(dbname):
    kwargs = {"dbname": dbname}
    for env, key in (
        ("PGHOST", "host"),
        ("PGPORT", "port"),
        ("PGUSER", "user"),
        ("PGPASSWORD", "password"),
    ):
        if os.environ.get(env):
            kwargs[key] = os.environ[env]
    return kwargs


def pg_connect(dbname=None):
    """A connection in autocommit to ``dbname``, default the current database
    (``DB`` when called: a ServerCase with its own ``db`` changes it)."""
    conn = psycopg2.connect(**pg_kwargs(dbname or DB))
    conn.autocommit = True
    return conn


def db_exists():
    with pg_connect("postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,))
        return bool(cr.fetchone())


def _python():
    return str(VENV / "bin" / "python")


def write_conf(path, logfile):
    """Same options as scripts/lib.sh ``write_odoo_conf``."""
    site = (
        subprocess.check_output(
            [
                _python(),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            text=True,
        ).strip()
        or sysconfig.get_paths()["purelib"]
    )
    addons = [
        ODOO_DIR / "addons",
        ODOO_DIR / "odoo" / "addons",
        pathlib.Path(site) / "odoo" / "addons",
        ROOT,
    ]
    lines = [
        "[options]",
        "addons_path = " + ",".join(str(p) for p in addons),
        f"data_dir = {CACHE_DIR / 'filestore'}",
        f"http_port = {PORT}",
        f"db_user = {os.environ.get('PGUSER', '')}",
        f"db_password = {os.environ.get('PGPASSWORD', 'False')}",
        f"db_host = {os.environ.get('PGHOST', '')}",
        f"db_port = {os.environ.get('PGPORT', 'False')}",
        f"logfile = {logfile}",
        "list_db = False",
        "",
    ]
    pathlib.Path(path).write_text("\n".join(lines))


def odoo_cmd(conf, *args):
    return [_python(), str(ODOO_DIR / "odoo-bin"), "-c", str(conf), "-d", DB, *args]


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ODOO_DIR)
    return env


def prepare_database(conf):
    """Install the addons in a fresh database, or update them in an existing one."""
    flag = "-u" if db_exists() else "-i"
    subprocess.run(
        odoo_cmd(conf, flag, ADDONS, "--without-demo=all", "--stop-after-init"),
        check=True,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=600,
    )


def start_server(conf, workers=4, gevent_port=None, port=None, cron_threads=0):
    """An Odoo server on ``port`` (default PORT) with ``workers`` HTTP workers and
    ``cron_threads`` cron workers; answering when it returns."""
    port = port or PORT
    extra = ["--gevent-port", str(gevent_port)] if gevent_port else []
    proc = subprocess.Popen(
        odoo_cmd(
            conf,
            *extra,
            "--workers",
            str(workers),
            "--max-cron-threads",
            str(cron_threads),
            "--http-port",
            str(port),
            "--db-filter",
            f"^{DB}$",
            "--limit-time-real",
            "300",
            "--limit-time-cpu",
            "300",
        ),
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(url(port), timeout=60)
    except RuntimeError:
        proc.terminate()
        raise
    return proc


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class RpcError(Exception):
    def __init__(self, error):
        super().__init__(error.get("data", {}).get("message") or error.get("message"))
        self.error = error
        self.name = error.get("data", {}).get("name", "")


def url(port=None):
    """The JSON-RPC endpoint of the server on ``port`` (default PORT)."""
    return f"http://127.0.0.1:{port or PORT}/jsonrpc"


def jsonrpc(endpoint, service, method, *args, timeout=120):
    """One JSON-RPC call to ``endpoint``; an error answer raises RpcError."""
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": service, "method": method, "args": list(args)},
        "id": 1,
    }
    req = urllib.request.Request(
        endpoint,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        answer = json.loads(resp.read())
    if "error" in answer:
        raise RpcError(answer["error"])
    return answer["result"]


def wait_ready(endpoint, timeout=60):
    """Wait until the server at ``endpoint`` answers; its version."""
    deadline = time.time() + timeout
    while True:
        try:
            return jsonrpc(endpoint, "common", "version")
        except OSError:
            if time.time() > deadline:
                raise RuntimeError(f"no Odoo server answers at {endpoint}") from None
            time.sleep(0.3)


def call(service, method, *args, port=None):
    return jsonrpc(url(port), service, method, *args)


def order_vals(partner_id, user_id, product_id, price):
    """A quotation of one untaxed line of ``price`` (values for sale.order create)."""
    return {
        "partner_id": partner_id,
        "user_id": user_id,
        "order_line": [
            (
                0,
                0,
                {
                    "product_id": product_id,
                    "product_uom_qty": 1,
                    "price_unit": price,
                    "tax_id": [(5, 0, 0)],
                },
            )
        ],
    }


class Client:
    """A JSON-RPC user of the server on ``port`` (default PORT)."""

    def __init__(self, login, password, port=None):
        self.password = password
        self.port = port
        self.uid = call("common", "login", DB, login, password, port=port)
        if not self.uid:
            raise RuntimeError(f"cannot log in as {login}")

    def execute(self, model, method, *args, **kwargs):
        return call(
            "object",
            "execute_kw",
            DB,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
            port=self.port,
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.execute(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        return rows[0]["res_id"]


class ServerCase(unittest.TestCase):
    """A test class with its own server for the whole class: on ``db`` (default DB) and
    ``port`` (default PORT), ``workers`` workers, a gevent port when ``gevent_port`` is
    set, its log in ``CACHE_DIR/<log_prefix>-<db>.log``. The addons are installed or
    updated first (``cls.prepare_seconds``); ``_setup_data`` runs once it answers.

    ``hosts`` > 1: as many servers on the same database and filestore, as several
    hosts behind a load balancer would be: host i listens on ``port + 10 * i``
    (gevent port + 1000) and logs to ``<log_prefix>-<db>-<i>.log``; ``cls.ports``
    and ``cls.logs`` list them, ``cls.servers`` their processes (``cls.server`` is
    the first). ``cron_threads``: cron workers per server (0)."""

    db = None
    port = None
    workers = 2
    gevent_port = None
    log_prefix = "server"
    hosts = 1
    cron_threads = 0

    @classmethod
    def setUpClass(cls):
        global DB, PORT
        super().setUpClass()
        cls._saved = (DB, PORT)
        DB, PORT = cls.db or DB, cls.port or PORT
        cls.tmp = tempfile.TemporaryDirectory()
        cls.ports = [PORT + 10 * i for i in range(cls.hosts)]
        cls.logs = [
            CACHE_DIR
            / (
                f"{cls.log_prefix}-{DB}.log"
                if i == 0
                else f"{cls.log_prefix}-{DB}-{i}.log"
            )
            for i in range(cls.hosts)
        ]
        cls.confs = []
        for i in range(cls.hosts):
            conf = pathlib.Path(cls.tmp.name) / f"odoo-{i}.conf"
            write_conf(conf, cls.logs[i])
            cls.confs.append(conf)
        cls.server = None
        cls.servers = []
        try:
            t0 = time.time()
            prepare_database(cls.confs[0])
            cls.prepare_seconds = time.time() - t0
            for i, port in enumerate(cls.ports):
                gevent = cls.gevent_port or (port + 1000 if cls.hosts > 1 else None)
                cls.servers.append(
                    start_server(
                        cls.confs[i],
                        workers=cls.workers,
                        gevent_port=gevent,
                        port=port,
                        cron_threads=cls.cron_threads,
                    )
                )
            cls.server = cls.servers[0]
            cls._setup_data()
        except BaseException:
            # tearDownClass does not run: give the other suites their server back.
            cls._stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls._stop()
        super().tearDownClass()

    @classmethod
    def _stop(cls):
        global DB, PORT
        for server in cls.servers:
            stop_server(server)
        DB, PORT = cls._saved
        cls.tmp.cleanup()

    @classmethod
    def _setup_data(cls):
        """The class's data, through the running server."""
