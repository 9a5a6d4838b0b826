"""Appeal attachments through the pages: a web page that begins like a PDF is refused at the file
field (one file or one of several) and nothing is stored; names are made safe; downloads are
attachments."""

from django.urls import reverse

from liaison.models import Appeal, AppealAttachment
from tests.documents import pdf_bytes, png_bytes, upload

from .fixtures_appeals import DESCRIPTION_A, TITLE_A, aworld  # noqa: F401  (aworld is a fixture)

HTML_AS_PDF = b"%PDF-1.4\n\"><img src=x onerror=alert(1)><script>alert(1)</script>"
NOT_PDF = "文件开头是 PDF 标记，但内容不能作为 PDF 打开（可能是改了扩展名的网页或其他文件，或已损坏）。"


def test_an_attachment_that_is_a_web_page_is_refused_at_the_field(client, aworld):  # noqa: F811
    w = aworld
    client.force_login(w.enterprise_user)
    before = AppealAttachment.objects.count()
    response = client.post(reverse("liaison:appeal_attach", args=[w.appeal_a.pk]),
                           {"file": upload("补充说明.pdf", HTML_AS_PDF, "application/pdf")})
    assert response.status_code == 400
    assert f'data-field="file">{NOT_PDF}' in response.content.decode()
    assert AppealAttachment.objects.count() == before


def test_one_web_page_among_the_files_refuses_the_appeal_and_names_the_file(client, aworld):  # noqa: F811
    w = aworld
    client.force_login(w.enterprise_user)
    appeals, files = Appeal.objects.count(), AppealAttachment.objects.count()
    response = client.post(reverse("liaison:appeal_create"), {
        "category": "financing", "platform": "appeal", "title": TITLE_A, "description": DESCRIPTION_A,
        "files": [upload("营业执照.pdf", pdf_bytes()), upload("补充说明.pdf", HTML_AS_PDF)]})
    assert response.status_code == 400
    assert response.context["form"].errors["files"][0].startswith(f"补充说明.pdf：{NOT_PDF}")
    assert (Appeal.objects.count(), AppealAttachment.objects.count()) == (appeals, files)


def test_an_attachment_is_stored_under_its_safe_name_and_downloaded_as_an_attachment(client, aworld):  # noqa: F811
    w = aworld
    client.force_login(w.enterprise_user)
    response = client.post(reverse("liaison:appeal_attach", args=[w.appeal_a.pk]),
                           {"file": upload("C:\\照片\\厂房\u202egnp.exe\u2066.png", png_bytes(), "image/png")})
    assert response.status_code == 302
    attachment = AppealAttachment.objects.latest("pk")
    assert attachment.name == "厂房gnp.exe.png"
    page = client.get(reverse("liaison:appeal_detail", args=[w.appeal_a.pk])).content.decode()
    assert "厂房gnp.exe.png" in page
    assert "\u202e" not in page
    download = client.get(reverse("liaison:appeal_attachment", args=[attachment.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == png_bytes()
