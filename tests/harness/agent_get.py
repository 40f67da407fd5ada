#!/usr/bin/env python3
"""A plain HTTP client of the Secrets Manager Agent API (what the AWS
Secrets Manager Agent and the Parameters and Secrets Lambda Extension
serve on localhost:2773, and iamdb serve too). Stdlib only.

Usage: python3 agent_get.py [--port 2773] [--path-style] [--header NAME]
           [--method GET] SECRET_ID

The token for the SSRF header (X-Aws-Parameters-Secrets-Token, or NAME)
is $AWS_TOKEN, else $AWS_SESSION_TOKEN, as the agent's own clients send
it; with neither set the header is left out. Asks
/secretsmanager/get?secretId=SECRET_ID (encoded), or with --path-style
/v1/SECRET_ID (as given). Prints "STATUS" on the first line, then the
body; with status 200 and a JSON body, prints its SecretString alone
after the status. Exit status 0 for 200, 1 otherwise.
"""
import argparse
import http.client
import json
import os
import sys
import urllib.parse


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=2773)
    ap.add_argument("--path-style", action="store_true")
    ap.add_argument("--header", default="X-Aws-Parameters-Secrets-Token")
    ap.add_argument("--method", default="GET")
    ap.add_argument("secret_id")
    a = ap.parse_args()
    if a.path_style:
        path = "/v1/" + a.secret_id
    else:
        path = "/secretsmanager/get?secretId=" + urllib.parse.quote(
            a.secret_id, safe="")
    headers = {}
    token = os.environ.get("AWS_TOKEN") or os.environ.get("AWS_SESSION_TOKEN")
    if token:
        headers[a.header] = token
    c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
    c.request(a.method, path, headers=headers)
    r = c.getresponse()
    body = r.read().decode("utf-8", "replace")
    print(r.status)
    if r.status == 200:
        try:
            body = json.loads(body)["SecretString"]
        except (ValueError, KeyError, TypeError):
            pass
    sys.stdout.write(body)
    return 0 if r.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
