"""A PDF as an office writes a decree or a BAP: page text, and who made it in every place a PDF keeps that
(document info, XMP, an attached file, a comment's author). `TRACES` are the values a sanitised copy must lose."""
from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

PAGE_TEXT = "Keputusan Bupati Bengkalis Nomor 800 Tahun 2026"
AUTHOR, PRODUCER, TOOL = "Siti Rahmawati Kepegawaian", "Pencetak Kantor BKPSDM 7.1", "Penyunting Dinas Rahasia"
ATTACHED, COMMENTER = "lampiran internal tidak untuk dibagikan", "Budi Santoso Pemeriksa"
TRACES = (AUTHOR, PRODUCER, TOOL, ATTACHED, COMMENTER)


def office_pdf(text: str = PAGE_TEXT) -> bytes:
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    page.Resources = Dictionary(Font=Dictionary(F1=font))
    page.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    page.Annots = pdf.make_indirect(Array([pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Text, Rect=[72, 600, 92, 620], T=COMMENTER, Contents="Periksa."))]))
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [AUTHOR]
        meta["xmp:CreatorTool"] = TOOL
    pdf.docinfo["/Author"] = AUTHOR
    pdf.docinfo["/Producer"] = PRODUCER
    pdf.attachments["catatan.txt"] = pikepdf.AttachedFileSpec(pdf, ATTACHED.encode())
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)  # every trace readable in the original's bytes
    return out.getvalue()
