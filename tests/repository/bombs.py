"""Files that are small on disk and huge once opened, of every accepted type that a library
unpacks (office archives and PDF), built in the test run; small valid ones to compare; and the
admin's document form that uploads them."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

MB = 1024 * 1024

# The parts each office type needs to look like itself; the bomb is the main XML part.
OFFICE = {
    ".docx": (
        "word/document.xml",
        {"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>"},
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body>',
        b"<w:p><w:r><w:t>bomba bomba bomba</w:t></w:r></w:p>",
        b"</w:body></w:document>",
    ),
    ".xlsx": (
        "xl/worksheets/sheet1.xml",
        {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"},
        b"<worksheet><sheetData>",
        b'<row><c t="inlineStr"><is><t>bomba</t></is></c></row>',
        b"</sheetData></worksheet>",
    ),
    ".pptx": (
        "ppt/slides/slide1.xml",
        {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<presentation/>"},
        b"<p:sld><p:cSld>",
        b"<a:t>bomba bomba bomba</a:t>",
        b"</p:cSld></p:sld>",
    ),
    ".odt": (
        "content.xml",
        {"mimetype": "application/vnd.oasis.opendocument.text"},
        b'<?xml version="1.0"?><office:document-content '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        b"<office:body><office:text>",
        b"<text:p>bomba bomba bomba</text:p>",
        b"</office:text></office:body></office:document-content>",
    ),
    ".ods": (
        "content.xml",
        {"mimetype": "application/vnd.oasis.opendocument.spreadsheet"},
        b"<office:document-content><office:body><office:spreadsheet>",
        b"<text:p>bomba</text:p>",
        b"</office:spreadsheet></office:body></office:document-content>",
    ),
    ".odp": (
        "content.xml",
        {"mimetype": "application/vnd.oasis.opendocument.presentation"},
        b"<office:document-content><office:body><office:presentation>",
        b"<text:p>bomba</text:p>",
        b"</office:presentation></office:body></office:document-content>",
    ),
}
ARCHIVE_TYPES = tuple(OFFICE)
REAL = {".docx": lambda text: docx(text), ".odt": lambda text: odt(text)}


def office_bomb(extension: str, uncompressed_mb: int = 150) -> bytes:
    """An office file of ``extension`` whose main part expands to ``uncompressed_mb``."""
    main, parts, head, unit, tail = OFFICE[extension]
    if extension in REAL:  # every part the library needs, from a real file
        with zipfile.ZipFile(io.BytesIO(REAL[extension]("bomba"))) as real:
            parts = {n: real.read(n) for n in real.namelist() if n != main}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, text, compress_type=compression)
        chunk = unit * (MB // len(unit))
        with archive.open(main, "w", force_zip64=True) as out:
            out.write(head)
            for _ in range(uncompressed_mb):
                out.write(chunk)
            out.write(tail)
    return buffer.getvalue()


def many_members(extension: str, count: int = 20_000) -> bytes:
    """An office file of ``extension`` with ``count`` tiny members."""
    main, parts, head, unit, tail = OFFICE[extension]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        archive.writestr(main, head + unit + tail)
        for i in range(count):
            archive.writestr(f"x/{i}", b"")
    return buffer.getvalue()


def lying_bomb(extension: str, uncompressed_mb: int = 150) -> bytes:
    """Like :func:`office_bomb`, but its headers declare the main part 1 KB large."""
    data = bytearray(office_bomb(extension, uncompressed_mb))
    declared = 1024
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:  # central directory entries
        name_length, extra_length = struct.unpack_from("<HH", data, position + 28)
        name = bytes(data[position + 46 : position + 46 + name_length])
        if name.decode() == OFFICE[extension][0]:
            struct.pack_into("<I", data, position + 24, declared)
            # zip64: the real sizes sit in the extra field; state the lie there too
            extra = position + 46 + name_length
            end = extra + extra_length
            while extra < end:
                tag, size = struct.unpack_from("<HH", data, extra)
                if tag == 0x0001:
                    struct.pack_into("<Q", data, extra + 4, declared)
                extra += 4 + size
        position += 4
    return bytes(data)


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def pdf(pages: list[bytes]) -> bytes:
    """A PDF whose page ``i`` shows the content stream ``pages[i]`` (deflated)."""
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, content in enumerate(pages):
        compressed = zlib.compress(content, 9)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i)
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed)
            + compressed
            + b"\nendstream"
        )
    return _pdf(objects)


def text_pdf(words: list[str]) -> bytes:
    """One page per word."""
    return pdf([b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % w.encode() for w in words])


def pdf_bomb(uncompressed_mb: int = 200) -> bytes:
    """One page whose content stream expands to ``uncompressed_mb``."""
    unit = b"BT /F1 12 Tf 72 720 Td (bomba) Tj ET\n"
    return pdf([unit * (uncompressed_mb * MB // len(unit))])


def slow_pdf(megabytes: int = 5) -> bytes:
    """A few KB that keep a PDF text extractor busy for many seconds."""
    unit = b"BT /F1 12 Tf 72 720 Td (palabra) Tj ET\n"
    return pdf([unit * (megabytes * MB // len(unit))])


def docx(text: str) -> bytes:
    import docx as python_docx

    buffer = io.BytesIO()
    document = python_docx.Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def odt(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    buffer = io.BytesIO()
    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    document.save(buffer)
    return buffer.getvalue()


def document_form(upload, **overrides):
    data = {
        "kind": "minutes",
        "title": "Acta de la mesa",
        "description": "",
        "language": "es",
        "document_date": "2025-03-01",
        "plan": "",
        "event": "",
        "commitment": "",
        "change_reason": "",
        "upload": upload,
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data
