#!/usr/bin/python3
"""GetSecretValue through Debian's boto3, as an application does, against
a local endpoint: for iamdb serve's tests. Run it with /usr/bin/python3
(python3-boto3).

Usage: /usr/bin/python3 boto3_get_secret.py [--endpoint-url URL]
           [--region R] [--where] SECRET_ID

The endpoint is --endpoint-url, else $AWS_ENDPOINT_URL_SECRETS_MANAGER,
else $AWS_ENDPOINT_URL, and must be on loopback: Debian 12's boto3 1.26
(botocore 1.29) does not read those variables itself (botocore 1.31 and
later do), so they are read here and passed as endpoint_url=.
Credentials come from boto3's own chain (the environment,
AWS_CONFIG_FILE, ...); the region from --region, else $AWS_REGION (which
botocore 1.29 does not read either), else boto3's chain
(AWS_DEFAULT_REGION, the config file). Prints the SecretString on stdout; an AWS error
as "error: CODE: MESSAGE" on stderr, exit 1. --where prints the URL boto3
would send the request to, for the endpoint boto3 alone picks (no
endpoint_url=), and sends nothing.
"""
import argparse
import os
import sys
import urllib.parse

import boto3
import botocore.awsrequest
import botocore.exceptions


def loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint-url")
    ap.add_argument("--region")
    ap.add_argument("--where", action="store_true")
    ap.add_argument("secret_id")
    a = ap.parse_args()
    # botocore 1.29 reads AWS_DEFAULT_REGION only; AWS_REGION came later.
    session = boto3.session.Session(region_name=a.region or os.environ.get(
        "AWS_REGION") or None)
    if a.where:
        client = session.client("secretsmanager")
        seen = []

        def stop(request, **kwargs):
            seen.append(request.url)
            return botocore.awsrequest.AWSResponse(request.url, 200, {},
                                                   None)
        client.meta.events.register("before-send", stop)
        try:
            client.get_secret_value(SecretId=a.secret_id)
        except Exception:
            pass
        print(seen[0] if seen else "")
        return 0
    url = a.endpoint_url or os.environ.get(
        "AWS_ENDPOINT_URL_SECRETS_MANAGER") or os.environ.get(
        "AWS_ENDPOINT_URL")
    if not url or not loopback(url):
        sys.exit("boto3_get_secret.py: a loopback endpoint URL is required "
                 "(got %r)" % url)
    client = session.client("secretsmanager", endpoint_url=url)
    try:
        r = client.get_secret_value(SecretId=a.secret_id)
    except botocore.exceptions.ClientError as e:
        err = e.response.get("Error", {})
        print("error: %s: %s" % (err.get("Code"), err.get("Message")),
              file=sys.stderr)
        return 1
    except botocore.exceptions.BotoCoreError as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    sys.stdout.write(r["SecretString"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
