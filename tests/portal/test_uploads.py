"""Uploaded documents checked by their whole structure (portal.uploads): every accepted kind made for
real in the test and accepted; files that only look like one kind, damaged files, bombs, macros and
passwords refused with the message the user sees at the field; file names made safe."""

import io
import re
import zipfile

import pytest
from django import forms
from PIL import Image

from portal import uploads
from portal.rules import UploadRefused
from portal.uploads import DocumentField, MultipleDocumentField, check_document, safe_filename
from tests.documents import (
    docx_bytes,
    jpeg_bytes,
    ole_bytes,
    pdf_bytes,
    png_bytes,
    png_header_only,
    upload,
    xlsx_bytes,
)

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(UploadRefused) as caught:
        check_document(upload(name, content), label="附件")
    return caught.value.message


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")  # noqa: S106
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def restricted_pdf() -> bytes:
    """Opens without a password; only printing or copying is restricted (common in official files)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")  # noqa: S106
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_of(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_bomb(inflated_mb: int = 30) -> bytes:
    """A real Word package whose document part inflates to `inflated_mb` MB of blanks from a few
    tens of kilobytes: written in chunks, so the test never holds the inflated part."""
    good = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, good.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1024 * 1024)
            for _n in range(inflated_mb):
                part.write(chunk)
    return out.getvalue()


# --- accepted -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "kind"), [
    ("三会一课台账.pdf", pdf_bytes(), "pdf"),
    ("十页.PDF", pdf_bytes(pages=10), "pdf"),
    ("只限打印.pdf", restricted_pdf(), "pdf"),
    ("活动照片.png", png_bytes(), "png"),
    ("现场.jpg", jpeg_bytes(), "jpeg"),
    ("现场.JPEG", jpeg_bytes(), "jpeg"),
    ("制度汇编.docx", docx_bytes(), "docx"),
    ("党员名册.xlsx", xlsx_bytes(), "xlsx"),
    ("旧制度.doc", ole_bytes("WordDocument"), "doc"),
    ("旧名册.xls", ole_bytes("Workbook"), "xls"),
    ("更旧名册.xls", ole_bytes("Book"), "xls"),
])
def test_every_accepted_kind_made_for_real_is_accepted(name, content, kind):
    file = upload(name, content)
    checked = check_document(file, label="佐证材料")
    assert (checked.kind, checked.name, checked.size) == (kind, name, len(content))
    assert file.read() == content  # left at the start, whole, for the storage


# --- refused --------------------------------------------------------------------------------------

NOT_PDF = ("文件开头是 PDF 标记，但内容不能作为 PDF 打开（可能是改了扩展名的网页或其他文件，或已损坏）。"
           "请用 Word、WPS 或扫描软件重新导出 PDF 后上传。")


@pytest.mark.parametrize(("name", "content", "message"), [
    # the case: it begins with %PDF- but is a web page
    ("说明.pdf", b"%PDF-1.7\n" + HTML, NOT_PDF),
    ("说明.pdf", b"%PDF-1.4\n" + b"x" * 5000, NOT_PDF),
    ("截断.pdf", pdf_bytes()[:200], NOT_PDF),
    ("说明.pdf", HTML, "文件内容是 HTML 网页，与扩展名 .pdf 不符。"),
    ("说明.pdf", b"MZ\x90\x00 not a pdf", "文件内容与扩展名 .pdf 不符。"),
    ("说明.pdf", png_bytes(), "文件内容是 PNG 图片，与扩展名 .pdf 不符。"),
    ("加密.pdf", encrypted_pdf(), "PDF 文档设有打开密码，审核人员无法查看。请去除密码后上传。"),
    ("照片.jpg", png_bytes(), "文件内容是 PNG 图片，与扩展名 .jpg 不符。"),
    ("照片.png", jpeg_bytes(), "文件内容是 JPEG 图片，与扩展名 .png 不符。"),
    ("照片.png", b"GIF89a" + b"\0" * 20, "文件内容是 GIF 图片，与扩展名 .png 不符。"),
    ("照片.png", png_bytes()[:-20], "图片无法打开或已损坏，请重新保存为 PNG 图片后上传。"),
    ("照片.png", b"\x89PNG\r\n\x1a\nxx", "图片无法打开或已损坏，请重新保存为 PNG 图片后上传。"),
    ("照片.jpg", jpeg_bytes()[:300], "图片无法打开或已损坏，请重新保存为 JPEG 图片后上传。"),
    ("大图.png", png_header_only(10000, 6000), "图片为 10000 × 6000 像素，超过 50,000,000 像素的上限。请缩小后上传。"),
    ("炸弹.png", png_header_only(100_000, 100_000), "图片像素过多，可能是“解压炸弹”，已拒绝。"),
    ("制度.docx", xlsx_bytes(), "文件内容是 Excel 工作簿（.xlsx），与扩展名 .docx 不符。"),
    ("名册.xlsx", docx_bytes(), "文件内容是 Word 文档（.docx），与扩展名 .xlsx 不符。"),
    ("宏.docx", docx_bytes("docm"), "文件含有宏（.docm / .xlsm），为安全起见不予接收。请另存为不含宏的 .docx 或 .xlsx 后上传。"),
    ("压缩包.docx", zip_of({"a.txt": b"hello"}), "文件不是有效的 Word 文档（.docx）：缺少内容类型说明（[Content_Types].xml）。"),
    ("假的.xlsx", b"PK\x03\x04" + b"\0" * 100, "文件扩展名是 .xlsx，但内容不是有效的 zip 结构，可能已损坏或只是改了扩展名。"),
    ("假的.xlsx", b"%PDF-1.4", "文件内容是 PDF 文档，与扩展名 .xlsx 不符。"),
    ("旧名册.xls", ole_bytes("WordDocument"), "文件内容是 Word 97-2003 文档（.doc），与扩展名 .xls 不符。"),
    ("加密.docx", ole_bytes("EncryptedPackage"), "文件内容是 Office 97-2003 文件，与扩展名 .docx 不符。"),
    ("加密.doc", ole_bytes("EncryptedPackage"), "文件已加密，请去除密码后重新保存再上传。"),
    ("坏的.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "文件不是有效的 Word 97-2003 文档（.doc），可能已损坏。"),
    ("空.pdf", b"", "文件是空的。"),
    ("病毒.exe", b"MZ\x90\x00", "附件只接受 pdf、jpg、jpeg、png、doc、docx、xls、xlsx 格式。"),
    ("无扩展名", pdf_bytes(), "附件只接受 pdf、jpg、jpeg、png、doc、docx、xls、xlsx 格式。"),
    ("网页.html", HTML, "附件只接受 pdf、jpg、jpeg、png、doc、docx、xls、xlsx 格式。"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused(name, content, message):
    assert refusal(name, content) == message


def test_a_pdf_without_a_page_is_refused():
    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter().write(out)
    assert refusal("空白.pdf", out.getvalue()) == "PDF 文档没有任何页面。"


def test_a_file_over_ten_megabytes_is_refused_before_it_is_read():
    big = upload("大文件.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(UploadRefused, match="文件不能超过 10 MB。"):
        check_document(big, label="附件")


def test_a_real_png_decompression_bomb_is_refused():
    # 12,000 × 12,000 one-bit pixels: 144 million pixels in a file of a few tens of kilobytes
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    assert len(out.getvalue()) < 100_000
    assert refusal("炸弹.png", out.getvalue()) == "图片像素过多，可能是“解压炸弹”，已拒绝。"


def test_a_real_docx_zip_bomb_is_refused_by_its_directory():
    content = docx_bomb(30)
    assert len(content) < 200_000
    message = refusal("炸弹.docx", content).replace("\xa0", " ")
    assert re.fullmatch(r"文件中的“word/document.xml”解压后达 30.0 MB（压缩比 10\d\d 倍），远超正常文件，可能是“压缩炸弹”，已拒绝。",
                        message)


def test_a_zip_that_inflates_past_the_total_is_refused():
    stored = zip_of({f"part{n}.bin": b"\0" * 1024 * 1024 for n in range(3)}, compression=zipfile.ZIP_STORED)
    with pytest.raises(UploadRefused) as caught:
        uploads.open_zip(io.BytesIO(stored), max_unpacked=2 * 1024 * 1024, what=".docx")
    assert caught.value.message.replace("\xa0", " ") == "文件解压后共 3.0 MB，超过 2.0 MB 的上限，已拒绝。"


def test_a_member_past_its_own_bound_is_refused():
    content = zip_of({"xl/sharedStrings.xml": b"<sst>" + b"a" * 5000 + b"</sst>"})
    with pytest.raises(UploadRefused, match="xl/sharedStrings.xml"):
        uploads.open_zip(io.BytesIO(content), max_unpacked=10**9, what=".xlsx",
                         member_limits={"xl/sharedStrings.xml": 1000})


# --- names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "safe"), [
    ("三会一课台账.pdf", "三会一课台账.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\王\\台账.pdf", "台账.pdf"),
    # right-to-left override: shown as "报告exe.pdf" it would really end in .exe; removed, it reads as it is
    ("报告\u202efdp.exe", "报告fdp.exe"),
    ("台\u200b账\u200d\ufeff.pdf", "台账.pdf"),
    ("a\x00b\r\n.pdf", "ab.pdf"),
    ('a<b>:"|?*.pdf', "a_b______.pdf"),
    ("  .隐藏.pdf  ", "隐藏.pdf"),
    (".pdf", "pdf"),  # a dot-file: no extension left, so refused as a kind
    ("CON.pdf", "_CON.pdf"),
    ("台账", "台账"),
    ("长" * 300 + ".pdf", "长" * 116 + ".pdf"),
])
def test_file_names_are_made_safe(raw, safe):
    assert safe_filename(raw) == safe
    assert len(safe_filename(raw)) <= uploads.NAME_MAX


def test_the_checked_upload_carries_its_safe_name_and_is_read_once():
    file = upload("../\u202e台账.pdf", pdf_bytes())
    first = check_document(file, label="附件")
    assert file.name == first.name == "台账.pdf"
    file.file = io.BytesIO()  # had a second check read again, it would find nothing
    assert check_document(file, label="附件") is first


# --- the form fields ------------------------------------------------------------------------------

class OneForm(forms.Form):
    file = DocumentField(label="佐证材料")


class SeveralForm(forms.Form):
    files = MultipleDocumentField(label="附件", required=False, max_files=2)


def test_the_document_field_refuses_at_the_field():
    form = OneForm(files={"file": upload("说明.pdf", b"%PDF-1.7\n" + HTML)})
    assert not form.is_valid()
    assert form.errors["file"] == [NOT_PDF]
    form = OneForm(files={"file": upload("台账.pdf", pdf_bytes())})
    assert form.is_valid()
    assert form.cleaned_data["file"].portal_checked.kind == "pdf"


def test_the_multiple_field_names_each_refused_file():
    from django.utils.datastructures import MultiValueDict

    files = MultiValueDict({"files": [upload("好.pdf", pdf_bytes()), upload("坏.png", b"%PDF-1.4"),
                                      upload("病毒.exe", b"MZ")]})
    form = SeveralForm(files=files)
    assert not form.is_valid()
    assert form.errors["files"] == ["最多上传 2 个文件。", "坏.png：文件内容是 PDF 文档，与扩展名 .png 不符。",
                                    "病毒.exe：附件只接受 pdf、jpg、jpeg、png、doc、docx、xls、xlsx 格式。"]
    form = SeveralForm(files=MultiValueDict({"files": [upload("好.pdf", pdf_bytes()), upload("图.png", png_bytes())]}))
    assert form.is_valid()
    assert [f.name for f in form.cleaned_data["files"]] == ["好.pdf", "图.png"]
    assert SeveralForm(files=MultiValueDict()).is_valid()
