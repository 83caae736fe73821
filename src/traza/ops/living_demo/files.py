"""Small, valid files made in code for the living demo's evidence (minutes as PDF, photos as
PNG), so that no binary blob lives in the repository: each passes the upload checks
(``traza.core.uploads``) as a real upload would."""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_bytes(seed: int, width: int = 48, height: int = 32) -> bytes:
    """A small picture (bands of colour from ``seed``): a photo stand-in, some 200 bytes."""
    top = ((seed * 67) % 200 + 30, (seed * 131) % 200 + 30, (seed * 29) % 200 + 30)
    bottom = (top[2], top[0], top[1])
    rows = b""
    for y in range(height):
        colour = bytes(top if y < height * 2 // 3 else bottom)
        rows += b"\x00" + colour * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


def _pdf_text(value: str) -> str:
    """Text for a PDF string in the standard Latin encoding (accents kept)."""
    raw = value.encode("cp1252", "replace").decode("latin-1")
    return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and some lines of text, readable by any viewer and by the
    repository's text extraction."""
    text = ["BT", "/F1 15 Tf", "50 790 Td", f"({_pdf_text(title)}) Tj", "/F1 10 Tf"]
    for line in lines:
        text += ["0 -16 Td", f"({_pdf_text(line)}) Tj"]
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return out


def png_upload(name: str, seed: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(seed), content_type="image/png")


def pdf_upload(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(title, lines), content_type="application/pdf")
