"""The documents of a PPK's decision as the desk's form takes them: a readable PDF of at most the limit, the
decree required and the BAP optional, every refusal in Bahasa Indonesia naming the document."""
import io

import pikepdf
import pytest
from werkzeug.datastructures import FileStorage

from services.desk.chain.documents import BAP, DECREE, DocumentRefused, read_pdf

LIMIT = 10 * 1024 * 1024


def a_pdf(pages: int = 1, password: str | None = None) -> bytes:
    pdf, out = pikepdf.new(), io.BytesIO()
    for _ in range(pages):
        pdf.add_blank_page()
    pdf.save(out, encryption=pikepdf.Encryption(owner=password, user=password) if password else False)
    return out.getvalue()


def upload(data: bytes, filename: str = "dokumen.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename)


def test_a_readable_pdf_is_taken_as_it_came():
    data = a_pdf()
    assert read_pdf(upload(data), LIMIT, DECREE[2]) == data
    assert read_pdf(upload(data), LIMIT, BAP[2], required=False) == data


def test_the_decree_is_required_and_the_bap_is_not():
    with pytest.raises(DocumentRefused, match="^Unggah berkas PDF keputusan.$"):
        read_pdf(None, LIMIT, DECREE[2])
    with pytest.raises(DocumentRefused):
        read_pdf(upload(b"", filename=""), LIMIT, DECREE[2])
    assert read_pdf(None, LIMIT, BAP[2], required=False) is None
    assert read_pdf(upload(b"", filename=""), LIMIT, BAP[2], required=False) is None


@pytest.mark.parametrize("data, words", [
    (b"\x89PNG\r\n\x1a\n" + b"0" * 64, "Berkas yang diunggah bukan PDF."),
    (b"%PDF-1.7 rusak", "Berkas PDF rusak dan tidak dapat dibaca."),
    (a_pdf(password="rahasia"), "terkunci dengan kata sandi"),
    (a_pdf(pages=0), "tidak memiliki halaman"),
])
def test_a_bap_that_is_no_readable_pdf_is_refused_by_name(data, words):
    with pytest.raises(DocumentRefused) as refused:
        read_pdf(upload(data), LIMIT, BAP[2], required=False)
    assert str(refused.value).startswith("PDF berita acara pemeriksaan (BAP): ") and words in str(refused.value)


def test_a_pdf_over_the_limit_is_refused_with_the_limit_in_words():
    big = a_pdf() + b"%" * LIMIT
    with pytest.raises(DocumentRefused, match="paling besar 10 MB"):
        read_pdf(upload(big), LIMIT, BAP[2], required=False)
