"""Evidence through the rating page: a file that begins with %PDF- but is a web page is refused at the
file field and nothing is stored; a good file is stored under its safe name and served back only as
an attachment, with the browser told not to guess its type."""

from django.urls import reverse

from ratings.models import Evidence
from tests.documents import pdf_bytes, upload

from .conftest import rworld  # noqa: F401  (a fixture)

HTML_AS_PDF = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>"


def test_a_web_page_that_begins_like_a_pdf_is_refused_at_the_file_field(client, rworld):  # noqa: F811
    client.force_login(rworld.enterprise_b_user)
    before = Evidence.objects.count()
    response = client.post(reverse("ratings:evidence_upload", args=[rworld.rating_b.pk]),
                           {"file": upload("三会一课台账.pdf", HTML_AS_PDF, "application/pdf")})
    assert response.status_code == 400
    assert ('data-field="file">文件开头是 PDF 标记，但内容不能作为 PDF 打开（可能是改了扩展名的网页或其他文件，或已损坏）。'
            in response.content.decode())
    assert Evidence.objects.count() == before


def test_a_good_file_is_stored_under_its_safe_name_and_served_as_an_attachment(client, rworld):  # noqa: F811
    client.force_login(rworld.enterprise_b_user)
    response = client.post(reverse("ratings:evidence_upload", args=[rworld.rating_b.pk]),
                           {"file": upload("../../\u202e台账\u200b.pdf", pdf_bytes(), "application/pdf")})
    assert response.status_code == 302
    evidence = Evidence.objects.latest("pk")
    assert evidence.name == "台账.pdf"
    assert "\u202e" not in evidence.file.name
    assert ".." not in evidence.file.name
    download = client.get(reverse("ratings:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "%E5%8F%B0%E8%B4%A6.pdf" in download["Content-Disposition"]  # 台账.pdf, percent-encoded
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == pdf_bytes()
