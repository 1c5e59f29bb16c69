"""PDF: rewritten by qpdf (pikepdf) without document metadata and without anything that acts on its own.

Removed: the Info dictionary and XMP metadata everywhere; OpenAction and every additional-action (AA)
dictionary; the JavaScript and EmbeddedFiles name trees; AcroForm (with its XFA and field scripts);
actions that run script, launch programs, submit or import data or open other files; file-attachment,
sound, movie, screen, rich-media and 3D annotations. Page content streams are copied without being
decoded (qpdf's stream decode level "none"), so a Flate bomb inside costs nothing here. Embedded JPEG
images keep their pixels but lose their EXIF through the JPEG sanitiser.
"""
from __future__ import annotations

import io

import pikepdf
from pikepdf import Name

from .jpeg import sanitise_jpeg
from .refusal import DAMAGED, ENCRYPTED, TRUNCATED, Refused

CATALOG_KEYS = ("/OpenAction", "/AA", "/AcroForm", "/Metadata", "/PieceInfo", "/Perms", "/Collection")
NAME_TREES = ("/JavaScript", "/EmbeddedFiles", "/AlternatePresentations")
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/GoToR", "/GoToE",
                  "/Rendition", "/Sound", "/Movie", "/RichMediaExecute", "/Hide", "/SetOCGState", "/URI"}
ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
# /Next chains one action to another: a harmless link could otherwise lead on to a script.
ANY_DICTIONARY_KEYS = ("/AA", "/JS", "/Next", "/Metadata", "/PieceInfo", "/EmbeddedFile", "/EF")


def sanitise_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-2048:]:
        raise Refused(TRUNCATED, "no %%EOF at the end")
    pdf = _open(data)
    with pdf:
        _clean_catalog(pdf)
        for obj in pdf.objects:
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                _clean_dictionary(obj)
        for page in pdf.pages:
            _clean_page(page)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 compress_streams=False, fix_metadata_version=False, encryption=False)
    return out.getvalue()


def _open(data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused(ENCRYPTED, "needs a password") from None
    except pikepdf.PdfError:
        raise Refused(DAMAGED, "qpdf cannot read it") from None


def _clean_catalog(pdf: pikepdf.Pdf) -> None:
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    root = pdf.Root
    for key in CATALOG_KEYS:
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key in NAME_TREES:
            if key in names:
                del names[key]


def _clean_dictionary(obj) -> None:
    for key in ANY_DICTIONARY_KEYS:
        if key in obj:
            del obj[key]
    action = obj.get("/A")
    if isinstance(action, pikepdf.Dictionary) and str(action.get("/S")) in ACTIVE_ACTIONS:
        del obj["/A"]
    if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == Name.Image:
        _clean_jpeg(obj)


def _clean_page(page) -> None:
    annotations = page.obj.get("/Annots")
    if isinstance(annotations, pikepdf.Array):
        kept = [a for a in annotations if str(a.get("/Subtype")) not in ACTIVE_ANNOTATIONS]
        page.obj["/Annots"] = pikepdf.Array(kept)


def _clean_jpeg(image: pikepdf.Stream) -> None:
    filters = image.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
    if names != ["/DCTDecode"]:
        return
    try:
        image.write(sanitise_jpeg(image.read_raw_bytes()), filter=Name.DCTDecode)
    except Refused:
        raise Refused(DAMAGED, "an embedded JPEG is broken") from None
