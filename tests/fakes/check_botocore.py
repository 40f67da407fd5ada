#!/usr/bin/env python3
"""Cross-check the fake's RDS, IAM, Redshift, Redshift Serverless, DSQL and
STS answers against botocore: botocore signs each call as the real clients
do and parses each answer with the service's own model.

Not part of `make check` (the fakes and their selftest are stdlib only):
run it by hand after changing those parts of fake_aws.py.  Needs botocore.

    python3 tests/fakes/check_botocore.py

Talks only to the fake on 127.0.0.1.  Prints TAP; exit 1 on a failure.
"""
import os
import sys

for _k in list(os.environ):
    if _k.startswith("AWS_"):
        del os.environ[_k]
os.environ["AWS_CONFIG_FILE"] = "/dev/null"
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import datetime  # noqa: E402
import email.utils  # noqa: E402

import botocore.session  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from selftest import ACCT, AKID, SECRET, Fake, ok  # noqa: E402

import selftest  # noqa: E402

RES = "arn:aws:rds-db:eu-west-1:%s:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXYZ/alice" \
    % ACCT
ROLE = "arn:aws:iam::%s:role/app" % ACCT
DSQL_ID = "abcdefghijklmnopqrstuvwxyz"


def client(f, service, region="eu-west-1"):
    return botocore.session.get_session().create_client(
        service, region_name=region, endpoint_url="http://127.0.0.1:%d" %
        f.port, aws_access_key_id=AKID, aws_secret_access_key=SECRET,
        config=Config(retries={"max_attempts": 1}))


def code_of(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return (e.response["ResponseMetadata"]["HTTPStatusCode"],
                e.response["Error"]["Code"])
    return None


def main():
    f = Fake()
    try:
        f.config({
            "region": "eu-west-1", "keys": {AKID: SECRET},
            "clock_offset": 300,
            "rds": {"page_size": 1, "instances": [
                {"DBInstanceIdentifier": "db1", "Engine": "postgres",
                 "IAMDatabaseAuthenticationEnabled": True},
                {"DBInstanceIdentifier": "db2", "Engine": "mysql",
                 "PubliclyAccessible": True}],
                "clusters": [{"DBClusterIdentifier": "c1"}]},
            "iam": {"principals": {ROLE: {RES: "allowed",
                                          "*": "explicitDeny"}}},
            "redshift": {"clusters": ["examplecluster"],
                         "password": "pw/with+chars=",
                         "iam_users": {AKID: "alice"}},
            "redshift-serverless": {"workgroups": ["default-wg"],
                                    "iam_users": {AKID: "alice"}},
            "dsql": {"clusters": {DSQL_ID: {"status": "IDLE"}}},
        })
        rds = client(f, "rds")
        pages = list(rds.get_paginator("describe_db_instances").paginate(
            PaginationConfig={"PageSize": 20}))
        dbs = [i for p in pages for i in p["DBInstances"]]
        ok(len(pages) == 2 and [d["DBInstanceIdentifier"] for d in dbs] ==
           ["db1", "db2"], "botocore pages DescribeDBInstances", pages)
        d = dbs[0]
        ok(d["IAMDatabaseAuthenticationEnabled"] is True and
           d["Endpoint"]["Port"] == 5432 and
           d["Endpoint"]["Address"].endswith(".eu-west-1.rds.amazonaws.com")
           and d["DbiResourceId"].startswith("db-") and
           d["PubliclyAccessible"] is False, "DBInstance fields parse", d)
        ok(dbs[1]["Endpoint"]["Port"] == 3306 and
           dbs[1]["PubliclyAccessible"] is True, "mysql instance defaults")
        ok(code_of(rds.describe_db_instances, DBInstanceIdentifier="nope") ==
           (404, "DBInstanceNotFound"), "DBInstanceNotFound parses")
        c = rds.describe_db_clusters(DBClusterIdentifier="c1")["DBClusters"]
        ok(len(c) == 1 and c[0]["DbClusterResourceId"].startswith(
            "cluster-") and c[0]["Port"] == 5432 and
           c[0]["DBClusterMembers"] == [], "DescribeDBClusters parses", c)
        r = rds.describe_db_instances(Filters=[
            {"Name": "engine", "Values": ["mysql"]}])["DBInstances"]
        ok([x["DBInstanceIdentifier"] for x in r] == ["db2"],
           "Filters serialised by botocore are understood")

        iam = client(f, "iam", "us-east-1")
        res = iam.simulate_principal_policy(
            PolicySourceArn=ROLE, ActionNames=["rds-db:connect"],
            ResourceArns=[RES, RES + "x"])["EvaluationResults"]
        ok([(x["EvalResourceName"], x["EvalDecision"]) for x in res] ==
           [(RES, "allowed"), (RES + "x", "explicitDeny")],
           "SimulatePrincipalPolicy parses", res)
        ok(code_of(client(f, "iam", "eu-west-1").simulate_principal_policy,
                   PolicySourceArn=ROLE, ActionNames=["a:b"]) ==
           (403, "SignatureDoesNotMatch"),
           "IAM signed for another region than us-east-1 is refused")

        rs = client(f, "redshift")
        out = rs.get_cluster_credentials(DbUser="alice", DbName="dev",
                                         ClusterIdentifier="examplecluster",
                                         DbGroups=["g1", "g2"])
        ok(out["DbUser"] == "IAM:alice" and
           out["DbPassword"] == "pw/with+chars=" and
           isinstance(out["Expiration"], datetime.datetime),
           "GetClusterCredentials parses", out)
        out = rs.get_cluster_credentials_with_iam(
            ClusterIdentifier="examplecluster", DurationSeconds=3600)
        ok(out["DbUser"] == "IAM:alice" and "NextRefreshTime" in out,
           "GetClusterCredentialsWithIAM parses", out)
        ok(code_of(rs.get_cluster_credentials, DbUser="alice",
                   ClusterIdentifier="other") == (404, "ClusterNotFound"),
           "ClusterNotFound parses")
        issued = selftest.json.loads(f.req("GET", "/_db_credentials")[2])
        ok(issued[0]["db_groups"] == ["g1", "g2"],
           "DbGroups serialised by botocore are recorded", issued[0])

        sl = client(f, "redshift-serverless")
        out = sl.get_credentials(workgroupName="default-wg", dbName="dev")
        ok(out["dbUser"] == "IAM:alice" and out["dbPassword"] and
           isinstance(out["expiration"], datetime.datetime),
           "GetCredentials parses", out)
        ok(code_of(sl.get_credentials, workgroupName="nope") ==
           (400, "ResourceNotFoundException"),
           "ResourceNotFoundException parses")

        dsql = client(f, "dsql")
        out = dsql.get_cluster(identifier=DSQL_ID)
        ok(out["status"] == "IDLE" and out["arn"].endswith(DSQL_ID) and
           isinstance(out["creationTime"], datetime.datetime),
           "GetCluster parses", out)
        ok(code_of(dsql.get_cluster, identifier="b" * 26) ==
           (404, "ResourceNotFoundException"), "DSQL not found parses")

        sts = client(f, "sts")
        r = sts.get_caller_identity()
        date = email.utils.parsedate_to_datetime(
            r["ResponseMetadata"]["HTTPHeaders"]["date"])
        skew = (date - datetime.datetime.now(datetime.timezone.utc))
        ok(r["Account"] == ACCT and 240 < skew.total_seconds() < 360,
           "GetCallerIdentity's Date header runs clock_offset ahead", skew)
    finally:
        f.cleanup()
    print("1..%d" % selftest.n)
    return 1 if selftest.nfail else 0


if __name__ == "__main__":
    sys.exit(main())
