"""Everything intake checks before it accepts a complaint, in one place.

Reading the document (multipart, form or JSON), the complaint schema, the evidence rule, the text rule
(no control, bidirectional-override or unpaired surrogate characters) and the upload checks. Every
problem found is reported at once: one ValidationError (422) with a message per field path.
"""
from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
    validates_schema,
)

from services.reference import vocabulary
from services.reference.regions import is_region
from services.reference.vocabulary import codes

from .uploads import Upload

JAKARTA = ZoneInfo("Asia/Jakarta")
NIP = validate.Regexp(r"^\d{18}$", error="NIP must be exactly 18 digits.")
PHONE = validate.Regexp(r"^\+?[0-9 ()-]{6,20}$", error="Not a valid phone number.")
MAX_POST_URLS = 20
MAX_URL = 2000
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = set("\n\r\t")
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
ANONYMOUS_NOTICE = vocabulary.label("notices", "anonymous_bawaslu", "en")


class UnreadableBody(Exception):
    """The body is not a document at all (not JSON, nested too deep): 400."""


class UnsupportedBody(Exception):
    """Neither JSON nor a form: 415."""


class UnsupportedEvidence(Exception):
    def __init__(self, errors: dict):
        self.errors = errors


class Strict(Schema):
    class Meta:
        unknown = RAISE


def text(max_length: int, min_length: int | None = None, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=min_length, max=max_length), **kwargs)


class ReporterSchema(Strict):
    name = text(200)
    # Bawaslu registers a report only with the reporter's name and address (UU 7/2017 Pasal 454 ayat (4));
    # sealed with the rest of the identity, never sent on.
    address = text(500, metadata={"description": "The reporter's address; asked when a name is given. Sealed."})
    email = fields.Email(validate=validate.Length(max=254))
    phone = fields.String(validate=PHONE)
    anonymous = fields.Boolean(load_default=False, metadata={"description": (
        "true: no identity is kept. Read GET /api/v1/reference/notices first: " + ANONYMOUS_NOTICE)})


class SubjectSchema(Strict):
    name = text(200, 2, required=True)
    nip = fields.String(load_default=None, allow_none=True, validate=NIP)
    position = text(200, load_default=None, allow_none=True)
    agency = text(300, 2, required=True)
    employer_level = fields.String(required=True, validate=validate.OneOf(codes("employer_levels")))
    region_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=13),
                                metadata={"description": "Kemendagri code: 14 (Riau), 14.03 (Kab. Bengkalis)"})

    @validates("region_code")
    def known_region(self, value, **_):
        if value is not None and not is_region(value):
            raise ValidationError("Unknown region code: use a Kemendagri province or regency/city code "
                                  "such as 14 or 14.03.")

    @validates_schema
    def region_unless_central(self, data, **_):
        if data.get("employer_level") != "pusat" and not data.get("region_code"):
            raise ValidationError("Required unless employer_level is pusat.", "region_code")


class ViolationSchema(Strict):
    category = fields.String(required=True, validate=validate.OneOf(codes("categories")))
    platform = fields.String(required=True, validate=validate.OneOf(codes("platforms")))
    post_urls = fields.List(fields.Url(schemes={"http", "https"}, validate=validate.Length(max=MAX_URL)),
                            load_default=list, validate=validate.Length(max=MAX_POST_URLS))
    occurred_on = fields.Date(required=True)
    location = text(300, load_default=None, allow_none=True)
    description = text(5000, 10, required=True)

    @validates("occurred_on")
    def not_in_future(self, value, **_):
        if value > datetime.now(JAKARTA).date():
            raise ValidationError("Cannot be in the future.")


class ComplaintSchema(Strict):
    reporter = fields.Nested(ReporterSchema, load_default=None, allow_none=True, metadata={"description": (
        "Who reports; optional. " + ANONYMOUS_NOTICE + " A reporter counts as named with a name and an email "
        "or phone, without anonymous: true; only that yes/no leaves intake, never the identity.")})
    subject = fields.Nested(SubjectSchema, required=True)
    violation = fields.Nested(ViolationSchema, required=True)
    declaration = fields.Boolean(required=True, validate=validate.Equal(
        True, error="You must declare that the report is true."))


# Stateless, so one instance serves every request and thread: a new one per request (its nested schemas
# built on first use) cost three times the load itself.
COMPLAINTS = ComplaintSchema()


def read_document(request) -> tuple[object, list[Upload]]:
    """The complaint document and the evidence files of a request, as sent."""
    if request.mimetype in FORM_TYPES:
        raw = request.form.get("complaint")
        if raw is None and "complaint" in request.files:
            raw = request.files["complaint"].read().decode("utf-8", "replace")
        uploads = [Upload.read(i, f.stream) for i, f in enumerate(request.files.getlist("evidence"))]
    elif request.is_json:
        raw, uploads = request.get_data(as_text=True), []
    else:
        raise UnsupportedBody()
    if raw is None:
        raise ValidationError({"complaint": ["Missing the complaint part."]})
    return parse_json(raw), uploads


def parse_json(raw: str):
    try:
        return json.loads(raw)
    except RecursionError:
        raise UnreadableBody("The complaint document is nested too deeply.") from None
    except json.JSONDecodeError as exc:
        raise UnreadableBody(f"The complaint is not valid JSON: {exc.msg} at position {exc.pos}.") from None
    except ValueError:  # e.g. an integer with more digits than Python converts
        raise UnreadableBody("The complaint is not valid JSON.") from None


def check(document, uploads: list[Upload], max_files: int) -> dict:
    """The validated complaint, or every problem with the document and its evidence at once."""
    errors = unsafe_text(document)
    data: dict = {}
    try:
        data = COMPLAINTS.load(document)
    except ValidationError as exc:
        merge(errors, flatten(exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}))
    if not uploads and not post_urls_of(document):
        errors["evidence"] = ["Attach at least one evidence file or give one violation.post_urls entry."]
    invalid, unsupported = upload_problems(uploads, max_files)
    if errors or invalid:
        raise ValidationError({**errors, **invalid, **unsupported})
    if unsupported:
        raise UnsupportedEvidence(unsupported)
    return data


def post_urls_of(document) -> list:
    violation = document.get("violation") if isinstance(document, dict) else None
    urls = violation.get("post_urls") if isinstance(violation, dict) else None
    return urls if isinstance(urls, list) else []


def upload_problems(uploads: list[Upload], max_files: int) -> tuple[dict, dict]:
    """(errors that make the request unprocessable, errors of a type outside the allow-list)."""
    invalid, unsupported = {}, {}
    if len(uploads) > max_files:
        invalid["evidence"] = [f"At most {max_files} evidence files."]
    for upload in uploads:
        if upload.size == 0:
            invalid[f"evidence.{upload.index}"] = ["The file is empty."]
        elif upload.media_type is None:
            unsupported[f"evidence.{upload.index}"] = [
                "Not a PNG, JPEG, WebP, GIF or PDF file (decided by its content, not its name)."]
    return invalid, unsupported


def unsafe_text(document) -> dict[str, list[str]]:
    """Field paths whose text (or key) holds a character that hides or garbles what officials read."""
    found: dict[str, list[str]] = {}
    pending = [("", document)]
    while pending:
        path, value = pending.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and unsafe_character(key) or isinstance(item, str) and unsafe_character(item):
                found[safe_path(child)] = [
                    "Contains control, bidirectional-override or invalid Unicode characters; remove them."]
            elif isinstance(item, (dict, list)):
                pending.append((child, item))
    return found


def unsafe_character(value: str) -> bool:
    return any((unicodedata.category(c) in ("Cc", "Cs") and c not in ALLOWED_CONTROLS) or c in BIDI_CONTROLS
               for c in value)


def safe_path(path: str) -> str:
    """A field path fit to echo back and to log: unsafe characters of a key become U+FFFD."""
    return "".join("\ufffd" if unsafe_character(c) else c for c in path)[:200]


def flatten(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    """{"subject": {"nip": [...]}} → {"subject.nip": [...]}: one field path per message list."""
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        path = safe_path(f"{prefix}.{key}" if prefix else str(key))
        if isinstance(value, dict):
            flat.update(flatten(value, path))
        else:
            flat[path] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return flat


def merge(errors: dict, more: dict) -> None:
    for key, value in more.items():
        errors[key] = errors.get(key, []) + value
