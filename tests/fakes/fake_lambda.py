#!/usr/bin/env python3
"""A fake of the Lambda Extensions API on 127.0.0.1, for driving an
extension the way Lambda does: register, INVOKE events, SHUTDOWN.

Usage: python3 fake_lambda.py --state DIR [--invokes N] [--step]
           [--extension NAME ...] [--shutdown-reason spindown]
           [--timeout-ms 3000] [--port 0] [--lifetime 120]

The extension under test gets AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT
(DIR/port) and speaks, as AWS documents and the Runtime Interface
Emulator implements it (internal/lambda/rapi/handler):

  POST /2020-01-01/extension/register   Lambda-Extension-Name: NAME
       {"events": ["INVOKE", "SHUTDOWN"]}
       -> 200, Lambda-Extension-Identifier: UUID,
          {"functionName", "functionVersion", "handler"} (+ "accountId"
          with Lambda-Extension-Accept-Feature: accountId)
  GET  /2020-01-01/extension/event/next  Lambda-Extension-Identifier: UUID
       -> blocks, then 200, Lambda-Extension-Event-Identifier: UUID,
          {"eventType": "INVOKE", "deadlineMs", "requestId",
           "invokedFunctionArn", "tracing": {"type", "value"}}  or
          {"eventType": "SHUTDOWN", "deadlineMs", "shutdownReason"}
  POST /2020-01-01/extension/init/error  (before the first next)
  POST /2020-01-01/extension/exit/error
       Lambda-Extension-Identifier and Lambda-Extension-Function-Error-Type
       -> 202 {"status": "OK"}

Errors are 403 {"errorMessage", "errorType"} with the emulator's types:
Extension.InvalidExtensionName, Extension.MissingExtensionIdentifier,
Extension.InvalidExtensionIdentifier, Extension.UnknownExtensionIdentifier,
Extension.InvalidExtensionState, Extension.RegistrationClosed,
Extension.InvalidEventType, Extension.MissingHeader,
Extension.TooManyExtensions (over 10), InvalidRequestFormat.

Names given with --extension are the external extensions the environment
"found in /opt/extensions" (default: any name is taken as one); any other
name registers as an internal extension, which may not ask for SHUTDOWN.
The init phase ends when every named extension (or, without names, every
registered one, at least one) has called next; registration closes then.
Events go in lockstep as in Lambda: INVOKE k+1 (and after the last
INVOKE, SHUTDOWN) only once every extension has called next after INVOKE
k. With --step each event also waits for the test: POST /_fake/release.
Events an extension did not register for are skipped for it. The
deadline is now + --timeout-ms for INVOKE and now + 2000 ms for SHUTDOWN
(what external extensions get).

GET /_fake/state gives what happened, as JSON: "phase" (init, invoke,
shutdown), "released", "extensions" (name, id, events, external,
features, state, next_calls, delivered [eventType, requestId],
init_error / exit_error {"type", "body"}) and "violations" (calls the
real API would refuse or that a well-behaved extension never makes).
DIR/requests.log has one JSON line per API request.
"""

import json
import os
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loopback   # noqa: E402

API = "/2020-01-01/extension/"
MAX_EXTENSIONS = 10
SHUTDOWN_MS = 2000
ARN = "arn:aws:lambda:us-east-1:123456789012:function:iamdb-test"


class Refusal(Exception):
    def __init__(self, etype, message):
        Exception.__init__(self, message)
        self.etype, self.message = etype, message


class Lambda(loopback.State):
    def __init__(self, directory, args):
        loopback.State.__init__(self, directory)
        self.cond = threading.Condition(self.lock)
        self.invokes = args.invokes
        self.step = args.step
        self.names = set(args.extension or [])
        self.reason = args.shutdown_reason
        self.timeout_ms = args.timeout_ms
        self.exts = {}          # id -> dict
        self.order = []         # ids, in registration order
        self.phase = "init"
        self.released = 0       # events the test let go (--step)
        self.violations = []

    # Event k is INVOKE for k < invokes, then SHUTDOWN.
    def event_type(self, k):
        return "INVOKE" if k < self.invokes else "SHUTDOWN"

    def ready(self):
        exts = [self.exts[i] for i in self.order]
        if self.names:
            have = {e["name"] for e in exts if e["external"]}
            if not self.names <= have:
                return False
        return bool(exts) and all(e["next_calls"] > 0 for e in exts)

    def snapshot(self):
        with self.lock:
            return {"phase": self.phase, "released": self.released,
                    "extensions": [{k: v for k, v in self.exts[i].items()
                                    if k != "cursor"} for i in self.order],
                    "violations": list(self.violations)}

    def register(self, name, body, features):
        if not name:
            raise Refusal("Extension.InvalidExtensionName",
                          "Empty extension name")
        try:
            req = json.loads(body or b"null")
            events = req["events"]
            if not isinstance(events, list) or set(req) - {"events"}:
                raise ValueError("want {\"events\": [...]}")
        except (ValueError, KeyError, TypeError) as e:
            raise Refusal("InvalidRequestFormat", str(e))
        external = not self.names or name in self.names
        for ev in events:
            if ev not in ("INVOKE", "SHUTDOWN") or \
                    (ev == "SHUTDOWN" and not external):
                raise Refusal("Extension.InvalidEventType",
                              "%s: invalid event for %s extension" % (
                                  ev, "an external" if external
                                  else "an internal"))
        with self.lock:
            if self.phase != "init":
                raise Refusal("Extension.RegistrationClosed",
                              "Extension registration closed already")
            if any(e["name"] == name for e in self.exts.values()):
                raise Refusal("Extension.InvalidExtensionState",
                              "Extension with this name already registered")
            if len(self.exts) >= MAX_EXTENSIONS:
                raise Refusal("Extension.TooManyExtensions",
                              "Extension limit (%d) reached" % MAX_EXTENSIONS)
            xid = str(uuid.uuid4())
            self.exts[xid] = {"name": name, "id": xid, "events": events,
                              "external": external, "features": features,
                              "state": "registered", "next_calls": 0,
                              "delivered": [], "cursor": 0,
                              "init_error": None, "exit_error": None}
            self.order.append(xid)
            self.cond.notify_all()
        resp = {"functionName": "iamdb-test", "functionVersion": "$LATEST",
                "handler": "index.handler"}
        if "accountId" in features:
            resp["accountId"] = "123456789012"
        return xid, resp

    def lookup(self, xid):
        if not xid:
            raise Refusal("Extension.MissingExtensionIdentifier",
                          "Missing Lambda-Extension-Identifier header")
        try:
            uuid.UUID(xid)
        except ValueError:
            raise Refusal("Extension.InvalidExtensionIdentifier",
                          "Invalid Lambda-Extension-Identifier")
        e = self.exts.get(xid)
        if e is None:
            raise Refusal("Extension.UnknownExtensionIdentifier",
                          "Unknown extension %s" % xid)
        return e

    def skip(self, e):
        """Moves e's cursor past the events it did not register for."""
        while e["cursor"] <= self.invokes and \
                self.event_type(e["cursor"]) not in e["events"]:
            e["cursor"] += 1

    def deliverable(self, e):
        k = e["cursor"]
        if k > self.invokes or self.phase == "init":
            return False
        if self.step and k >= self.released:
            return False
        # Lockstep: nobody may still be working on an earlier event.
        for o in self.exts.values():
            if o is e or o["state"] in ("init_error", "exit_error"):
                continue
            self.skip(o)
            if o["cursor"] < k or (o["cursor"] == k and
                                   o["state"] == "running"):
                return False
        return True

    def next_event(self, xid):
        with self.lock:
            e = self.lookup(xid)
            if e["state"] in ("init_error", "exit_error", "shutdown"):
                self.violations.append("%s called next after %s" % (
                    e["name"], e["state"]))
                raise Refusal("Extension.InvalidExtensionState",
                              "State transition from %s to Ready failed for "
                              "extension %s" % (e["state"], xid))
            e["next_calls"] += 1
            e["state"] = "ready"
            if self.phase == "init" and self.ready():
                self.phase = "invoke"
            self.cond.notify_all()
            self.skip(e)
            while not self.deliverable(e):
                if self.stop.is_set():
                    return None
                self.cond.wait(0.5)
            k = e["cursor"]
            e["cursor"] += 1
            etype = self.event_type(k)
            now_ms = int(time.time() * 1000)
            if etype == "INVOKE":
                rid = str(uuid.UUID(int=k + 1))
                ev = {"eventType": "INVOKE", "requestId": rid,
                      "deadlineMs": now_ms + self.timeout_ms,
                      "invokedFunctionArn": ARN,
                      "tracing": {"type": "X-Amzn-Trace-Id",
                                  "value": "Root=1-00000000-%024x;"
                                  "Parent=0000000000000000;Sampled=0" % k}}
                e["state"] = "running"
            else:
                rid = None
                ev = {"eventType": "SHUTDOWN", "shutdownReason": self.reason,
                      "deadlineMs": now_ms + SHUTDOWN_MS}
                e["state"] = "shutdown"
                self.phase = "shutdown"
            e["delivered"].append([etype, rid])
            self.cond.notify_all()
            return ev

    def report_error(self, xid, kind, etype, body):
        with self.lock:
            e = self.lookup(xid)
            if not etype:
                raise Refusal("Extension.MissingHeader",
                              "Lambda-Extension-Function-Error-Type not found")
            if kind == "init" and e["state"] != "registered":
                raise Refusal("Extension.InvalidExtensionState",
                              "State transition from %s to InitError failed "
                              "for extension %s" % (e["state"], xid))
            if e["state"] in ("init_error", "exit_error"):
                raise Refusal("Extension.InvalidExtensionState",
                              "State transition from %s to %sError failed "
                              "for extension %s" % (e["state"],
                                                    kind.capitalize(), xid))
            e[kind + "_error"] = {"type": etype,
                                  "body": body.decode("utf-8", "replace")}
            e["state"] = kind + "_error"
            self.cond.notify_all()

    def release(self):
        with self.lock:
            self.released += 1
            self.cond.notify_all()
            return self.released


class Handler(loopback.Handler):
    server_version = "fake-lambda/1"

    def refuse(self, r, entry):
        entry.update(status=403, error=r.etype)
        self.state.log(entry)
        self.send_json(403, {"errorMessage": r.message, "errorType": r.etype})

    def do_GET(self):
        st = self.state
        if self.path == "/_fake/state":
            return self.send_json(200, st.snapshot())
        xid = self.headers.get("Lambda-Extension-Identifier")
        entry = {"method": "GET", "path": self.path, "id": xid}
        if self.path != API + "event/next":
            entry["status"] = 404
            st.log(entry)
            return self.send_json(404, {"errorMessage": "not found",
                                        "errorType": "NotFound"})
        try:
            ev = st.next_event(xid)
        except Refusal as r:
            return self.refuse(r, entry)
        if ev is None:          # stopping
            self.close_connection = True
            return
        entry.update(status=200, event=ev["eventType"])
        st.log(entry)
        self.send_json(200, ev, [("Lambda-Extension-Event-Identifier",
                                  str(uuid.uuid4()))])

    def do_POST(self):
        st = self.state
        body = self.read_body()
        if self.path == "/_fake/release":
            return self.send_json(200, {"released": st.release()})
        entry = {"method": "POST", "path": self.path}
        if body is None:
            entry["status"] = 413
            st.log(entry)
            return self.send_json(413, {"errorMessage": "body too large",
                                        "errorType": "RequestEntityTooLarge"})
        try:
            if self.path == API + "register":
                name = self.headers.get("Lambda-Extension-Name") or ""
                features = [f.strip() for f in (self.headers.get(
                    "Lambda-Extension-Accept-Feature") or "").split(",")
                    if f.strip()]
                entry["name"] = name
                xid, resp = st.register(name, body, features)
                entry.update(status=200, id=xid)
                st.log(entry)
                return self.send_json(200, resp, [
                    ("Lambda-Extension-Identifier", xid)])
            for kind in ("init", "exit"):
                if self.path == API + kind + "/error":
                    xid = self.headers.get("Lambda-Extension-Identifier")
                    etype = self.headers.get(
                        "Lambda-Extension-Function-Error-Type")
                    entry.update(id=xid, error_type=etype)
                    st.report_error(xid, kind, etype, body)
                    entry["status"] = 202
                    st.log(entry)
                    return self.send_json(202, {"status": "OK"})
        except Refusal as r:
            return self.refuse(r, entry)
        entry["status"] = 404
        st.log(entry)
        self.send_json(404, {"errorMessage": "not found",
                             "errorType": "NotFound"})


def main(argv=None):
    def add(ap):
        ap.add_argument("--invokes", type=int, default=1)
        ap.add_argument("--step", action="store_true")
        ap.add_argument("--extension", action="append")
        ap.add_argument("--shutdown-reason", default="spindown",
                        choices=["spindown", "timeout", "failure"])
        ap.add_argument("--timeout-ms", type=int, default=3000)
    args = loopback.arguments(__doc__.splitlines()[0], add, argv)
    state = Lambda(os.path.abspath(args.state), args)
    return loopback.serve(Handler, args, state)


if __name__ == "__main__":
    sys.exit(main())
