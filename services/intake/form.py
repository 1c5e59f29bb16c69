"""The citizen's complaint form in Bahasa Indonesia; it posts to the same API as every other client."""
from flask import Blueprint, render_template

from services.reference.vocabulary import labels

form_blp = Blueprint("form", __name__, template_folder="templates")


@form_blp.get("/")
def complaint_form():
    """The complaint form; its script is a static file, so the page runs under a CSP without inline code."""
    return render_template("form.html", categories=labels("categories"), platforms=labels("platforms"),
                           employer_levels=labels("employer_levels"))
