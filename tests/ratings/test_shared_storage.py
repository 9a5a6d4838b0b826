"""Files in S3-compatible object storage: what one web node stores, another serves, and only through
the view that checks the reader's scope. The object store is moto's S3 server, started on a port of its
own for these tests (the same protocol as MinIO or the city's object store); the two nodes are two
gunicorn processes on the test database."""

import io
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import requests
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer
from pypdf import PdfWriter

from tests.factories import TEST_PASSWORD

BUCKET = "portal-media-test"
KEYS = {"PORTAL_S3_ACCESS_KEY": "testing", "PORTAL_S3_SECRET_KEY": "testing"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pdf(text="台账") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def s3():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


def _s3_storages(endpoint):
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": BUCKET, "endpoint_url": endpoint, "access_key": "testing", "secret_key": "testing",
            "region_name": "us-east-1", "addressing_style": "path", "file_overwrite": False,
            "default_acl": "private", "querystring_auth": True}},
        "staticfiles": django_settings.STORAGES["staticfiles"],
    }


def _keys(client):
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.mark.django_db
def test_evidence_goes_to_the_object_store_and_comes_back_only_through_its_view(rworld, s3, settings, tmp_path):
    endpoint, client = s3
    settings.STORAGES = _s3_storages(endpoint)
    settings.MEDIA_ROOT = tmp_path / "unused"
    body = _pdf()
    web = Client()
    web.force_login(rworld.enterprise_b_user)
    response = web.post(reverse("ratings:evidence_upload", args=[rworld.rating_b.pk]),
                        {"file": SimpleUploadedFile("党员活动台账.pdf", body, content_type="application/pdf")})
    assert response.status_code == 302
    evidence = rworld.rating_b.evidence.order_by("-pk").first()
    assert evidence.file.name in _keys(client)
    assert not (tmp_path / "unused").exists()
    download = web.get(reverse("ratings:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == body
    assert "attachment" in download["Content-Disposition"]
    # The other enterprise's user, and the address the file would have under /media/, get nothing.
    other = Client()
    other.force_login(rworld.enterprise_user)
    assert other.get(reverse("ratings:evidence_download", args=[evidence.pk])).status_code == 404
    assert web.get(f"/media/{evidence.file.name}").status_code == 404


class _Node:
    def __init__(self, env):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [str(Path(sys.executable).with_name("gunicorn")), "portal.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "60"],
            cwd=django_settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait(self):
        deadline = time.monotonic() + 90  # a loaded two-core machine boots Django slowly
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=10).status_code in (200, 503):
                    return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        self.stop()
        raise AssertionError(f"node on {self.port} did not start: {self.process.stderr.read().decode()[-2000:]}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_file_uploaded_through_one_node_is_served_by_the_other(rworld, s3):
    endpoint, client = s3
    db = connection.settings_dict
    env = {**os.environ, **KEYS, "DJANGO_SETTINGS_MODULE": "portal.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "PORTAL_S3_BUCKET": BUCKET, "PORTAL_S3_ENDPOINT_URL": endpoint, "MEDIA_ROOT": "/nonexistent-media"}
    nodes = [_Node(env), _Node(env)]
    try:
        for node in nodes:
            node.wait()
        a, b = nodes
        browser = requests.Session()
        login = browser.get(f"{a.url}/accounts/login/", timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        signed_in = browser.post(f"{a.url}/accounts/login/", timeout=10, allow_redirects=False, data={
            "csrfmiddlewaretoken": token, "username": rworld.enterprise_b_user.username, "password": TEST_PASSWORD},
            headers={"Referer": f"{a.url}/accounts/login/"})
        assert signed_in.status_code == 302, signed_in.text[:500]
        body = _pdf("两个节点")
        upload_url = f"{a.url}{reverse('ratings:evidence_upload', args=[rworld.rating_b.pk])}"
        stored = browser.post(upload_url, timeout=30, allow_redirects=False,
                              data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
                              files={"file": ("两个节点的台账.pdf", body, "application/pdf")},
                              headers={"Referer": upload_url})
        assert stored.status_code == 302, stored.text[:500]
        evidence = rworld.rating_b.evidence.order_by("-pk").first()
        assert evidence.file.name in _keys(client)
        served = browser.get(f"{b.url}{reverse('ratings:evidence_download', args=[evidence.pk])}", timeout=30)
        assert served.status_code == 200
        assert served.content == body
        assert requests.get(f"{b.url}{reverse('ratings:evidence_download', args=[evidence.pk])}",
                            timeout=10, allow_redirects=False).status_code == 302  # anonymous: to the login
        print(f"two nodes: uploaded {len(body)} bytes through :{a.port}, object {evidence.file.name} "
              f"in bucket {BUCKET}, served identical by :{b.port}")
    finally:
        for node in nodes:
            node.stop()
