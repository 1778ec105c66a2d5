"""Where built reports are stored: the project's folder by default, S3-compatible object
storage when REPORTS_S3_BUCKET is set (checked without a network: the storage object is
made and a URL signed locally, nothing is sent)."""

import json
import time
from urllib.parse import parse_qs, urlsplit

from .django_process import PRODUCTION, manage

DESCRIBE = """
import json
from django.conf import settings
from django.core.files.storage import default_storage as s
s._setup()
storage = s._wrapped
described = {"backend": settings.STORAGES["default"]["BACKEND"], "class": type(storage).__name__}
if described["class"] == "S3Storage":
    described.update(
        bucket=storage.bucket_name, prefix=storage.location, acl=storage.default_acl,
        endpoint=storage.endpoint_url, region=storage.region_name,
        overwrite=storage.file_overwrite, url=storage.url("reports/x.pdf"),
    )
print(json.dumps(described))
"""


def describe_storage(**env) -> dict:
    result = manage(
        "shell", "-c", DESCRIBE, DJANGO_SETTINGS_MODULE="portal.settings", **PRODUCTION, **env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_reports_go_to_object_storage_when_a_bucket_is_named():
    storage = describe_storage(
        REPORTS_S3_BUCKET="ratings-reports",
        REPORTS_S3_ENDPOINT_URL="http://127.0.0.1:9",
        REPORTS_S3_REGION="eu-west-2",
        REPORTS_S3_PREFIX="/portal/",
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="example-only",
    )
    assert storage["backend"] == "storages.backends.s3.S3Storage"
    assert storage["class"] == "S3Storage"
    assert (storage["bucket"], storage["prefix"]) == ("ratings-reports", "portal")
    assert (storage["endpoint"], storage["region"]) == ("http://127.0.0.1:9", "eu-west-2")
    assert storage["acl"] == "private"
    assert storage["overwrite"] is False
    # Never a public URL: one made by mistake is signed and expires within a minute.
    assert storage["url"].startswith("http://127.0.0.1:9/ratings-reports/portal/reports/x.pdf?")
    query = parse_qs(urlsplit(storage["url"]).query)
    assert {"Signature", "X-Amz-Signature"} & set(query)
    if "X-Amz-Expires" in query:  # signature version 4
        assert query["X-Amz-Expires"] == ["60"]
    else:
        assert int(query["Expires"][0]) - time.time() <= 61
