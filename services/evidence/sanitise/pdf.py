"""PDF: rewritten by qpdf (pikepdf) without document metadata and without anything that acts on its own.

Every object the rewritten file will hold (all that is reachable from the trailer) is visited, and in
every dictionary, wherever it sits: the Info dictionary and XMP metadata go; so do OpenAction, every
additional-action (AA) dictionary, the JavaScript and EmbeddedFiles name trees, AcroForm (with its XFA
and field scripts) and attached files; an action that runs script, launches a program, submits or
imports data, opens another file or a web address is emptied; file-attachment, sound, movie, screen,
rich-media and 3D annotations are dropped; a link or bookmark keeps its action only when that action
stays inside the document (GoTo, Named, Thread). Page content streams are copied without being decoded
(qpdf's stream decode level "none"), so a Flate bomb inside costs nothing here. Embedded JPEG images
keep their pixels but lose their EXIF through the JPEG sanitiser.
"""
from __future__ import annotations

import io

import pikepdf
from pikepdf import Name

from .jpeg import sanitise_jpeg
from .refusal import DAMAGED, ENCRYPTED, TRUNCATED, Refused

# Dropped from any dictionary; each is meaningful in one place only, so removing it elsewhere costs nothing
# and a damaged file whose keys were misnamed around it still loses it. /Next chains an action to another.
DROPPED_KEYS = ("/OpenAction", "/AA", "/JS", "/Next", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF",
                "/AcroForm", "/XFA", "/Metadata", "/PieceInfo", "/Perms", "/Collection",
                "/AlternatePresentations", "/RichMediaContent")
# The Info dictionary's keys, wherever a damaged file left them, and the author of a comment (/T).
INFO_KEYS = ("/Author", "/Creator", "/Producer", "/Keywords", "/Subject", "/CreationDate", "/ModDate")
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/GoToR", "/GoToE",
                  "/Rendition", "/Sound", "/Movie", "/RichMediaExecute", "/Hide", "/SetOCGState", "/URI"}
SAFE_ACTIONS = {"/GoTo", "/Named", "/Thread"}  # an /A that is anything else (or malformed) is removed
ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}


def sanitise_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-2048:]:
        raise Refused(TRUNCATED, "no %%EOF at the end")
    with _open(data) as pdf:
        _keep_only(pdf.trailer, {"/Root"})  # qpdf writes /Size and /ID itself; /Info goes
        if isinstance(pdf.Root.get("/Names"), pikepdf.Dictionary):
            _keep_only(pdf.Root.Names, {"/Dests"})  # named destinations; scripts, files, pages-to-be go
        for dictionary in _reachable_dictionaries(pdf.trailer):
            _clean(dictionary)
        return _saved(pdf)


def _open(data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused(ENCRYPTED, "needs a password") from None
    except pikepdf.PdfError:
        raise Refused(DAMAGED, "qpdf cannot read it") from None


def _reachable_dictionaries(root):
    """Every dictionary and stream under root, direct or indirect, each once (a stack, not recursion)."""
    stack, seen = [root], set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            stack.extend(obj)
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            yield obj  # cleaned before its values are visited, so dropped branches are never walked
            stack.extend(obj[key] for key in list(obj.keys()))


def _clean(obj) -> None:
    for key in DROPPED_KEYS + INFO_KEYS + (("/T",) if _is_annotation(obj) else ()):
        if key in obj:
            del obj[key]
    for key in list(obj.keys()):
        if isinstance(obj[key], pikepdf.Stream) and _named(obj[key].get("/Type"), {"/Metadata"}):
            del obj[key]  # XMP under a key a damaged file misnamed
    if "/A" in obj and not _safe_action(obj["/A"]):
        del obj["/A"]
    if _named(obj.get("/S"), ACTIVE_ACTIONS):
        for key in list(obj.keys()):
            del obj[key]  # an empty action does nothing in any viewer
    annotations = obj.get("/Annots")
    if isinstance(annotations, pikepdf.Array):
        obj["/Annots"] = pikepdf.Array([a for a in annotations if isinstance(a, pikepdf.Dictionary)
                                        and not _named(a.get("/Subtype"), ACTIVE_ANNOTATIONS)])
    if isinstance(obj, pikepdf.Stream) and _named(obj.get("/Subtype"), {"/Image"}):
        _clean_jpeg(obj)


def _keep_only(dictionary, keys: set[str]) -> None:
    for key in set(dictionary.keys()) - keys:
        del dictionary[key]


def _safe_action(action) -> bool:
    return isinstance(action, pikepdf.Dictionary) and _named(action.get("/S"), SAFE_ACTIONS)


def _is_annotation(obj) -> bool:
    return "/Rect" in obj and "/Subtype" in obj


def _named(value, names: set[str]) -> bool:
    """Whether a PDF object is one of these names; a name that is not even UTF-8 is none of them."""
    try:
        return isinstance(value, pikepdf.Name) and str(value) in names
    except UnicodeDecodeError:
        return False


def _clean_jpeg(image: pikepdf.Stream) -> None:
    filters = image.get("/Filter")
    only = filters[0] if isinstance(filters, pikepdf.Array) and len(filters) == 1 else filters
    if not _named(only, {"/DCTDecode"}):
        return
    try:
        image.write(sanitise_jpeg(image.read_raw_bytes()), filter=Name.DCTDecode)
    except Refused:
        raise Refused(DAMAGED, "an embedded JPEG is broken") from None


def _saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    try:
        pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 compress_streams=False, fix_metadata_version=False, encryption=False)
    except pikepdf.PdfError:
        raise Refused(DAMAGED, "qpdf cannot write it back") from None
    return out.getvalue()
