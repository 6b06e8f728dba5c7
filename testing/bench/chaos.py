"""The driver of testing/bench/chaos: load, faults and the report, against a stack deploy/local/up started.

Talks to the stack only as its users and operators do: the gateway's API (keys, accounts, videos), the sandbox's record of
what the platforms received, and processes (SIGKILL, restart with the command deploy/local/up recorded in run/<name>).
"""
import argparse
import collections
import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

PLATFORMS = ["youtube", "tiktok", "instagram"]
SERVICES = ["api-service", "render-service", "storage-service", "index-service", "publish-service"]
TOPICS = ["Why octopuses have three hearts", "How bees dance to share directions", "Why the sky turns red at sunset",
          "How volcanoes make new islands", "Why cats purr", "How tides follow the moon", "Why leaves change colour",
          "How owls turn their heads", "Why salt melts ice", "How lightning forms"]
FINAL = {"published", "scheduled", "failed"}


def main():
    args = arguments()
    random.seed(args.seed)
    offset = int(os.environ.get("CM_PORT_OFFSET", "0"))
    home = os.environ["CM_HOME"]
    stack = Stack(home, offset)
    run = Run(args, stack)
    run.owners = [stack.owner("chaos-%d" % i) for i in range(args.owners)]
    for owner in run.owners:
        for platform in PLATFORMS:
            stack.connect(owner, platform)
    print("%d owners, each connected to %s" % (len(run.owners), ", ".join(PLATFORMS)), flush=True)

    faults = threading.Thread(target=run.inject, daemon=True)
    run.started = time.time()
    if args.faults == "on":
        faults.start()
    run.submit()
    run.wait()
    report = run.report()
    path = os.path.join(os.environ.get("CM_CHAOS_RUN", home), "report.json")
    with open(path, "w") as out:
        json.dump(report, out, indent=2, default=str)
    print(json.dumps(report["summary"], indent=2))
    print("full report: " + path)


def arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--videos", type=int, default=50)
    parser.add_argument("--owners", type=int, default=6)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--faults", choices=["on", "off"], default="on")
    parser.add_argument("--length", type=int, default=15)
    parser.add_argument("--drain", type=int, default=900)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


class Stack:
    """The running stack: its HTTP endpoints and its processes."""

    def __init__(self, home, offset):
        self.home = home
        self.gateway = "http://127.0.0.1:%d" % (8080 + offset)
        self.sandbox = "http://127.0.0.1:%d" % (8090 + offset)
        with open(os.path.join(home, "admin-key")) as f:
            self.admin = f.read().strip()
        self.children = {}

    def call(self, method, url, key=None, body=None, headers=None, attempts=1):
        """(status, JSON body); a refused connection (a killed gateway) is retried when attempts > 1."""
        for attempt in range(attempts):
            request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
            request.add_header("Content-Type", "application/json")
            if key:
                request.add_header("Authorization", "Bearer " + key)
            for name, value in (headers or {}).items():
                request.add_header(name, value)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status, parse(response.read())
            except urllib.error.HTTPError as e:
                if e.code >= 500 and attempt + 1 < attempts:
                    time.sleep(2)
                    continue
                return e.code, parse(e.read())
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                if attempt + 1 == attempts:
                    raise
                time.sleep(2)
        raise RuntimeError("unreachable")

    def owner(self, name):
        status, body = self.call("POST", self.gateway + "/api/keys", self.admin, {"owner": name, "name": "chaos"}, attempts=30)
        if status != 201:
            raise SystemExit("cannot create a key for %s: %s %s" % (name, status, body))
        return {"name": name, "key": body["key"]}

    def connect(self, owner, platform):
        """The OAuth flow as a browser does it: the sandbox approves at once and sends the browser to the gateway's callback."""
        status, body = self.call("POST", "%s/api/accounts/%s/connect" % (self.gateway, platform), owner["key"], {}, attempts=30)
        if status not in (200, 201):
            raise SystemExit("cannot connect %s for %s: %s %s" % (platform, owner["name"], status, body))
        with urllib.request.urlopen(body["authorizationUrl"], timeout=30) as response:
            answer = parse(response.read())
        if answer.get("status") != "connected":
            raise SystemExit("%s not connected for %s: %s" % (platform, owner["name"], answer))

    def pid(self, name):
        try:
            with open(os.path.join(self.home, "pids", name)) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def kill(self, name):
        pid = self.pid(name)
        if not pid:
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        child = self.children.pop(name, None)
        if child is not None and child.pid == pid:
            child.wait()
            return
        for _ in range(100):
            if not alive(pid):
                break
            time.sleep(0.1)

    def restart(self, name):
        """Starts the component again exactly as deploy/local/up did (its recorded command and environment)."""
        with open(os.path.join(self.home, "logs", name + ".log"), "a") as log:
            process = subprocess.Popen(["bash", os.path.join(self.home, "run", name)], stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.children[name] = process
        with open(os.path.join(self.home, "pids", name), "w") as f:
            f.write(str(process.pid))

    def uploads(self):
        status, body = self.call("GET", self.sandbox + "/sandbox/uploads", attempts=10)
        return body if status == 200 else []


class Run:
    """One run: what was submitted, the faults injected, and what each project became."""

    def __init__(self, args, stack):
        self.args = args
        self.stack = stack
        self.owners = []
        self.projects = {}  # id -> {owner, topic, submitted, settled_at, state}
        self.faults = []  # (target, kind, started, ended)
        self.faults_done = threading.Event()
        self.submitted_all = None
        self.started = None
        self.lock = threading.Lock()

    def submit(self):
        for i in range(self.args.videos):
            owner = self.owners[i % len(self.owners)]
            topic = "%s (chaos %d)" % (TOPICS[i % len(TOPICS)], i)
            body = {"topic": topic, "allowDuplicate": True,
                    "config": {"length": self.args.length, "publish": {"platforms": PLATFORMS,
                                                                       "tiktok": {"privacyLevel": "SELF_ONLY"}}}}
            # the key makes a retry after a lost answer (a killed gateway) the same request, not a second video
            idempotency = {"Idempotency-Key": str(uuid.uuid4())}
            while True:
                try:
                    status, answer = self.stack.call("POST", self.stack.gateway + "/api/videos", owner["key"], body, idempotency, 60)
                except OSError:
                    continue
                if status == 201:
                    break
                if status == 429 or status >= 500:
                    time.sleep(2)
                    continue
                raise SystemExit("create refused: %s %s" % (status, answer))
            with self.lock:
                self.projects[answer["projectId"]] = {"owner": owner, "topic": topic, "submitted": time.time(), "state": None,
                                                      "settled_at": None}
        self.submitted_all = time.time()
        print("%d videos submitted in %.0f s" % (self.args.videos, self.submitted_all - self.started), flush=True)

    def inject(self):
        """Faults while work remains: the service kills spread over the run, one broker, one PostgreSQL and one S3 fault."""
        plan = ["kill"] * self.args.kills + ["kafka", "postgres", "s3"]
        random.shuffle(plan)
        # the first fault lands once the pipeline has work in flight
        time.sleep(random.uniform(8, 15))
        for kind in plan:
            if self.all_settled():
                break
            begun = time.time()
            if kind == "kill":
                target = random.choice(SERVICES)
                self.stack.kill(target)
                time.sleep(random.uniform(1, 4))
                self.stack.restart(target)
            elif kind == "kafka":
                target = "kafka"
                self.stack.kill("kafka")
                time.sleep(5)
                self.stack.restart("kafka")
            elif kind == "postgres":
                target = "postgres"
                pg_as = os.environ.get("CM_CHAOS_PG_AS", "").split()
                subprocess.run(pg_as + [os.environ["CM_CHAOS_PG_CTL"], "-D", os.environ["CM_CHAOS_PGDATA"], "-m", "fast", "-w",
                                        "restart"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            else:
                target = "s3proxy"
                self.stack.kill("s3proxy")
                time.sleep(30)
                self.stack.restart("s3proxy")
            self.faults.append((target, kind, begun, time.time()))
            print("%6.0f s  fault: %s %s" % (time.time() - self.started, kind, target), flush=True)
            time.sleep(random.uniform(4, 12))
        self.faults_done.set()

    def all_settled(self):
        with self.lock:
            return self.submitted_all is not None and all(p["settled_at"] for p in self.projects.values())

    def wait(self):
        """Polls the gateway until every project settled, or the drain time after the last fault has passed."""
        while True:
            for project_id, project in list(self.projects.items()):
                if project["settled_at"]:
                    continue
                try:
                    status, view = self.stack.call("GET", "%s/api/videos/%s" % (self.stack.gateway, project_id), project["owner"]["key"])
                except OSError:
                    continue
                if status == 200:
                    project["state"] = view
                    if settled(view):
                        project["settled_at"] = time.time()
            faults_over = self.args.faults == "off" or self.faults_done.is_set()
            if faults_over and self.all_settled():
                return
            if faults_over and time.time() > self.quiet_since() + self.args.drain:
                return
            time.sleep(3)

    def quiet_since(self):
        return max([f[3] for f in self.faults] + [self.submitted_all or time.time()])

    def report(self):
        uploads = self.stack.uploads()
        posts = collections.Counter((u.get("platform"), u.get("sha256")) for u in uploads)
        duplicates = {"%s %s" % key: n for key, n in posts.items() if n > 1}
        statuses = collections.Counter()
        failures = collections.Counter()
        publishing_outcomes = collections.Counter()
        fully_published = 0
        unsettled = []
        for project_id, project in self.projects.items():
            view = project["state"] or {}
            statuses[view.get("status", "unknown")] += 1
            if view.get("status") == "failed":
                failure = view.get("failure") or {}
                failures["%s: %s" % (failure.get("stage"), failure.get("reason"))] += 1
            publishings = view.get("publishings") or []
            for p in publishings:
                error = (p.get("error") or {}).get("code") if isinstance(p.get("error"), dict) else p.get("error")
                publishing_outcomes["%s %s%s" % (p.get("platform"), p.get("status"), " (%s)" % error if error else "")] += 1
            if len(publishings) == len(PLATFORMS) and all(p.get("status") in ("published", "scheduled") for p in publishings):
                fully_published += 1
            if not project["settled_at"]:
                unsettled.append({"projectId": project_id, "status": view.get("status"), "progress": view.get("progress"),
                                  "publishings": [(p.get("platform"), p.get("status")) for p in publishings]})
        # the gateway against what happened: a video a platform received is at least stored at the gateway
        received = collections.Counter()
        for u in uploads:
            received[u.get("sha256")] += 1
        behind = [pid for pid, p in self.projects.items() if (p["state"] or {}).get("status") in ("processing", "rendered")
                  and any(pub.get("status") == "published" for pub in (p["state"] or {}).get("publishings") or [])]
        settled_times = [p["settled_at"] for p in self.projects.values() if p["settled_at"]]
        last_settled = max(settled_times) if settled_times else None
        faults_by_target = collections.Counter(f[0] for f in self.faults)
        summary = {
            "videos": len(self.projects),
            "owners": len(self.owners),
            "faults": dict(faults_by_target),
            "faultCount": len(self.faults),
            "statuses": dict(statuses),
            "fullyPublished": fully_published,
            "failedProjects": dict(failures),
            "publishings": dict(publishing_outcomes),
            "notSettled": len(unsettled),
            "duplicatePosts": sum(n - 1 for n in duplicates.values()),
            "gatewayBehind": len(behind),
            "platformPostsReceived": len(uploads),
            "secondsFromFirstSubmitToLastSettled": round(last_settled - self.started, 1) if last_settled else None,
            "secondsToDrainAfterLastFault": round(last_settled - self.quiet_since(), 1) if last_settled and self.faults else None,
            "secondsToDrainAfterLastSubmit": round(last_settled - self.submitted_all, 1) if last_settled else None,
        }
        return {"summary": summary, "duplicates": duplicates, "unsettled": unsettled, "gatewayBehind": behind,
                "faults": [{"target": f[0], "kind": f[1], "at": round(f[2] - self.started, 1), "seconds": round(f[3] - f[2], 1)}
                           for f in self.faults],
                "projects": {pid: p["state"] for pid, p in self.projects.items()}}


def settled(view):
    """Published or failed; or stored with every requested platform at a final status (a project whose posts all failed)."""
    status = view.get("status")
    if status in ("published", "failed", "deleted"):
        return True
    if status != "stored":
        return False
    publishings = view.get("publishings") or []
    return len(publishings) >= len(PLATFORMS) and all(p.get("status") in FINAL for p in publishings)


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def parse(raw):
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return {"raw": raw[:300].decode(errors="replace")}


if __name__ == "__main__":
    main()
