"""Uploaded documents (rating evidence, appeal attachments) checked by what they are, not by their first
bytes: a PDF must open as a PDF and have a page, an image must open and verify as the image its name
says, a .docx or .xlsx must be an Office Open XML package of that kind (and a workbook must open), a
.doc or .xls an OLE2 compound file with a Word or Excel stream. The name is made safe to store and to
show; the size is bounded; a zip that would inflate far beyond its size is refused before anything
reads it. The registry import uses the same zip guard (`open_zip`).

Every upload form takes its files through `DocumentField` / `MultipleDocumentField`, and the services
check them again with `check_document` (the result is remembered on the file, so it is read once):
a form refuses a file at its field, and a service never stores one that was not checked.

No ORM, no settings: the limits are constants here or arguments.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .punctuation import mark, series
from .rules import UPLOAD_EXTENSIONS, UPLOAD_MAX_BYTES, UploadRefused, strip_invisible

log = logging.getLogger(__name__)

# An image this many pixels or fewer: a 50-megapixel phone photo (8160 × 6120) fits; a "decompression
# bomb" (a small PNG that declares 100,000 × 100,000 pixels) does not.
MAX_PIXELS = 50_000_000
# A document's zip may inflate to this much in all, and no entry above a megabyte may inflate more
# than MAX_RATIO times: Office's XML compresses about 5–15 times, a bomb a thousand times.
DOCUMENT_MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
MAX_MEMBERS = 10_000
# A file name is kept to this many characters (the models hold 200; the storage adds a folder).
NAME_MAX = 120

PDF, PNG, JPEG, DOCX, XLSX, DOC, XLS = "pdf", "png", "jpeg", "docx", "xlsx", "doc", "xls"
KIND_OF_EXTENSION = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "docx": DOCX, "xlsx": XLSX,
                     "doc": DOC, "xls": XLS}
assert set(KIND_OF_EXTENSION) == set(UPLOAD_EXTENSIONS)


def kind_label(kind: str) -> str:
    return {
        PDF: _("PDF 文档"), PNG: _("PNG 图片"), JPEG: _("JPEG 图片"), DOCX: _("Word 文档（.docx）"),
        XLSX: _("Excel 工作簿（.xlsx）"), DOC: _("Word 97-2003 文档（.doc）"), XLS: _("Excel 97-2003 工作簿（.xls）"),
        "zip": _("ZIP 压缩包"), "ole": _("Office 97-2003 文件"), "gif": _("GIF 图片"), "html": _("HTML 网页"),
    }[kind]


# --- names ------------------------------------------------------------------------------------------

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*]')


def safe_filename(name: object, *, fallback: str = "file") -> str:
    """A file name safe to store, to show and to send back: no folder parts (`../../x`, `C:\\x`), no
    control, bidirectional or zero-width characters (an RLO makes `gpj.exe` read as `exe.jpg`), no
    characters Windows refuses, no leading dots, at most NAME_MAX characters with the extension kept."""
    text = unicodedata.normalize("NFC", strip_invisible(name))
    text = re.split(r"[/\\]", text)[-1]
    text = _NOT_IN_NAMES.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    stem, dot, extension = text.rpartition(".")
    if not dot:
        stem, extension = text, ""
    extension = extension.strip()[:10]
    stem = stem.strip(" .") or fallback
    if _WINDOWS_RESERVED.match(stem):
        stem = "_" + stem
    room = NAME_MAX - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .") or fallback
    return f"{stem}.{extension}" if extension else stem


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


# --- what the first bytes say (only to name what a mismatched file really is) ------------------------

def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if re.match(rb"\s*<(!doctype\s+html|html|head|body|script)", head[:64], re.IGNORECASE):
        return "html"
    return None


# What a declared kind may begin with; the structure is checked after.
_FAMILY = {PDF: {PDF}, PNG: {PNG}, JPEG: {JPEG}, DOCX: {"zip"}, XLSX: {"zip"}, DOC: {"ole"}, XLS: {"ole"}}


# --- zip packages -----------------------------------------------------------------------------------

def open_zip(fileobj, *, max_unpacked: int, what: str, member_limits: dict[str, int] | None = None,
             ) -> zipfile.ZipFile:
    """A zip archive whose entries, by the sizes its directory declares, inflate to at most
    `max_unpacked` bytes in all, none above a megabyte more than MAX_RATIO times its packed size.
    Reading never goes past a declared size (zipfile stops there and checks the CRC), so checking the
    directory bounds what reading it will cost. `member_limits` bounds named entries further (the
    shared strings a workbook reader holds in memory). `what` names the file in the messages."""
    try:
        archive = zipfile.ZipFile(fileobj)
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        raise UploadRefused(_("文件扩展名是 %(what)s，但内容不是有效的 zip 结构，可能已损坏或只是改了扩展名。")
                            % {"what": what}) from None
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(_("文件包含 %(n)d 个部件，远多于正常的 Office 文件，已拒绝。") % {"n": len(members)})
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise UploadRefused(_("文件已加密，请去除密码后重新保存再上传。"))
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadRefused(_("文件使用了 Office 不使用的压缩方式，不是有效的 %(what)s 文件。") % {"what": what})
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        limit = (member_limits or {}).get(member.filename)
        if (member.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO) or (limit is not None and member.file_size > limit):
            raise UploadRefused(
                _("文件中的“%(part)s”解压后达 %(size)s（压缩比 %(ratio)d 倍），远超正常文件，可能是“压缩炸弹”，已拒绝。")
                % {"part": strip_invisible(member.filename)[:60], "size": filesizeformat(member.file_size),
                   "ratio": int(ratio)})
    if total > max_unpacked:
        raise UploadRefused(_("文件解压后共 %(size)s，超过 %(limit)s 的上限，已拒绝。")
                            % {"size": filesizeformat(total), "limit": filesizeformat(max_unpacked)})
    return archive


_CONTENT_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_MACRO_TYPES = ("application/vnd.ms-word.document.macroEnabled.main+xml",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def main_part(archive: zipfile.ZipFile, kind: str) -> str:
    """The package's main part, named by [Content_Types].xml with the content type of `kind`."""
    label = kind_label(kind)
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise UploadRefused(_("文件不是有效的 %(k)s：缺少内容类型说明（[Content_Types].xml）。") % {"k": label}) from None
    if info.file_size > 1024 * 1024:
        raise UploadRefused(_("文件不是有效的 %(k)s：内容类型说明异常巨大。") % {"k": label})
    try:
        root = fromstring(archive.read(info))
    except (ParseError, DefusedXmlException, zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadRefused(_("文件不是有效的 %(k)s：内容类型说明无法读取。") % {"k": label}) from None
    types = {o.get("ContentType", ""): (o.get("PartName") or "").lstrip("/") for o in root.iter(f"{_CT_NS}Override")}
    if any(t in types for t in _MACRO_TYPES):
        raise UploadRefused(_("文件含有宏（.docm / .xlsm），为安全起见不予接收。请另存为不含宏的 .docx 或 .xlsx 后上传。"))
    part = types.get(_CONTENT_TYPES[kind])
    if part is None:
        other = next((k for k, t in _CONTENT_TYPES.items() if t in types), None)
        if other is not None:
            raise UploadRefused(_("文件内容是 %(actual)s，与扩展名 .%(e)s 不符。")
                                % {"actual": kind_label(other), "e": kind})
        raise UploadRefused(_("文件不是有效的 %(k)s：找不到文档正文。") % {"k": label})
    if part not in archive.namelist():
        raise UploadRefused(_("文件不是有效的 %(k)s：文档正文缺失。") % {"k": label})
    return part


def _check_ooxml(fileobj, kind: str) -> None:
    archive = open_zip(fileobj, max_unpacked=DOCUMENT_MAX_UNPACKED, what=f".{kind}")
    with archive:
        part = main_part(archive, kind)
        try:
            with archive.open(part) as stream:
                for _event, _element in iterparse(stream, events=("end",)):
                    _element.clear()
        except (ParseError, DefusedXmlException, zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise UploadRefused(_("文件不是有效的 %(k)s：文档正文已损坏。") % {"k": kind_label(kind)}) from None
    if kind == XLSX:
        from openpyxl import load_workbook

        fileobj.seek(0)
        try:
            workbook = load_workbook(fileobj, read_only=True, data_only=True)
            sheets = workbook.sheetnames
            workbook.close()
        except Exception:  # openpyxl raises many kinds (zip, XML, KeyError, TypeError) for a damaged file
            raise UploadRefused(_("Excel 无法打开该工作簿，文件可能已损坏。请在 Excel 或 WPS 中另存为 .xlsx 后上传。")) from None
        if not sheets:
            raise UploadRefused(_("工作簿中没有工作表。"))


# --- the other kinds --------------------------------------------------------------------------------

def _check_pdf(fileobj) -> None:
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UploadRefused(_("PDF 文档设有打开密码，审核人员无法查看。请去除密码后上传。"))
        pages = len(reader.pages)
    except UploadRefused:
        raise
    except Exception:  # pypdf raises many kinds for what is not a PDF (stream, xref, key, type errors)
        raise UploadRefused(_(
            "文件开头是 PDF 标记，但内容不能作为 PDF 打开（可能是改了扩展名的网页或其他文件，或已损坏）。"
            "请用 Word、WPS 或扫描软件重新导出 PDF 后上传。")) from None
    if pages < 1:
        raise UploadRefused(_("PDF 文档没有任何页面。"))


_IMAGE_FORMATS = {PNG: {"PNG"}, JPEG: {"JPEG", "MPO"}}


def _check_image(fileobj, kind: str) -> None:
    from PIL import Image, UnidentifiedImageError

    broken = _("图片无法打开或已损坏，请重新保存为 %(k)s后上传。") % {"k": kind_label(kind)}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(fileobj)
            width, height = image.size
            found = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(_("图片像素过多，可能是“解压炸弹”，已拒绝。")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise UploadRefused(broken) from None
    if found not in _IMAGE_FORMATS[kind]:
        raise UploadRefused(_("文件内容是 %(actual)s 图片，与扩展名不符。") % {"actual": found})
    if width * height > MAX_PIXELS:
        raise UploadRefused(_("图片为 %(w)d × %(h)d 像素，超过 %(n)s 像素的上限。请缩小后上传。")
                            % {"w": width, "h": height, "n": f"{MAX_PIXELS:,}"})
    try:
        image.verify()  # every chunk's checksum for a PNG
        if kind == JPEG:
            # Decode the whole picture at an eighth of its size: every block is read, little memory.
            fileobj.seek(0)
            with Image.open(fileobj) as again:
                again.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                again.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise UploadRefused(broken) from None


_OLE_STREAMS = {DOC: ("WordDocument",), XLS: ("Workbook", "Book")}


def _check_ole(fileobj, kind: str) -> None:
    import olefile

    label = kind_label(kind)
    try:
        ole = olefile.OleFileIO(fileobj)
    except Exception:  # olefile raises OSError and its own kinds for a damaged compound file
        raise UploadRefused(_("文件不是有效的 %(k)s，可能已损坏。") % {"k": label}) from None
    with ole:
        if ole.exists("EncryptedPackage"):
            raise UploadRefused(_("文件已加密，请去除密码后重新保存再上传。"))
        if not any(ole.exists(stream) for stream in _OLE_STREAMS[kind]):
            other = next((k for k, streams in _OLE_STREAMS.items() if any(ole.exists(s) for s in streams)), None)
            if other is not None:
                raise UploadRefused(_("文件内容是 %(actual)s，与扩展名 .%(e)s 不符。")
                                    % {"actual": kind_label(other), "e": kind})
            raise UploadRefused(_("文件不是有效的 %(k)s。") % {"k": label})


# --- the check --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckedDocument:
    name: str  # the safe name, as stored and shown
    kind: str
    size: int


def check_document(upload, *, label: str, max_bytes: int = UPLOAD_MAX_BYTES) -> CheckedDocument:
    """Check an uploaded document (a Django UploadedFile, or any object with `name`, `size`, `read`,
    `seek`) and make its name safe (`upload.name` is replaced). Raises UploadRefused with a message
    for the user; `label` names the field ("佐证材料", "附件") in the message about accepted kinds.
    Checking the same upload again answers from memory."""
    known = getattr(upload, "portal_checked", None)
    if isinstance(known, CheckedDocument):
        return known
    name = safe_filename(getattr(upload, "name", ""))
    extension = extension_of(name)
    if extension not in UPLOAD_EXTENSIONS:
        raise UploadRefused(_("%(label)s只接受 %(e)s 格式。") % {"label": label, "e": series(UPLOAD_EXTENSIONS)})
    size = upload.size or 0
    if size <= 0:
        raise UploadRefused(_("文件是空的。"))
    if size > max_bytes:
        raise UploadRefused(_("文件不能超过 %(n)d MB。") % {"n": max_bytes // (1024 * 1024)})
    kind = KIND_OF_EXTENSION[extension]
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    found = sniff(head)
    if found not in _FAMILY[kind]:
        if found is None:
            raise UploadRefused(_("文件内容与扩展名 .%(e)s 不符。") % {"e": extension})
        raise UploadRefused(_("文件内容是 %(actual)s，与扩展名 .%(e)s 不符。")
                            % {"actual": kind_label(found), "e": extension})
    # The checkers read a file in memory: an upload under FILE_UPLOAD_MAX_MEMORY_SIZE is one already,
    # a larger one (at most max_bytes) is read once here rather than seeked around on disk.
    data = io.BytesIO(upload.read())
    upload.seek(0)
    if kind == PDF:
        _check_pdf(data)
    elif kind in (PNG, JPEG):
        _check_image(data, kind)
    elif kind in (DOCX, XLSX):
        _check_ooxml(data, kind)
    else:
        _check_ole(data, kind)
    checked = CheckedDocument(name=name, kind=kind, size=size)
    upload.name = name
    upload.portal_checked = checked
    return checked


def message_for(upload, refused: UploadRefused, *, several: bool) -> str:
    """The message of a refused file: with its name in front when the field takes several."""
    if not several:
        return refused.message
    return f"{safe_filename(getattr(upload, 'name', ''))}{mark('：')}{refused.message}"


# --- form fields ------------------------------------------------------------------------------------

class DocumentField(forms.FileField):
    """One document (evidence, an attachment), checked by `check_document` at the field."""

    def __init__(self, *args, document_label: str = "", **kwargs):
        self.document_label = document_label
        super().__init__(*args, **kwargs)

    def _check(self, upload, *, several: bool):
        try:
            check_document(upload, label=str(self.document_label or self.label or _("文件")))
        except UploadRefused as refused:
            raise forms.ValidationError(message_for(upload, refused, several=several), code="invalid_document") from None
        return upload

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return self._check(upload, several=False) if upload else upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleDocumentField(DocumentField):
    """Several documents in one field (Django's documented pattern); each checked, each refusal named."""

    def __init__(self, *args, max_files: int | None = None, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = forms.FileField.clean
        items = [d for d in data if d] if isinstance(data, list | tuple) else ([data] if data else [])
        if not items:
            single(self, None, initial)  # "required" as a single field says it
            return []
        uploads = [single(self, d, initial) for d in items]
        errors = []
        if self.max_files is not None and len(uploads) > self.max_files:
            errors.append(forms.ValidationError(_("最多上传 %(n)d 个文件。") % {"n": self.max_files}, code="too_many"))
        for upload in uploads:
            try:
                self._check(upload, several=True)
            except forms.ValidationError as error:
                errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        return uploads
