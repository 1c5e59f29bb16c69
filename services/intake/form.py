"""The citizen's complaint form in Bahasa Indonesia; it posts to the same API as every other client."""
from flask import Blueprint, render_template

from .reference import CATEGORIES, EMPLOYER_LEVELS, PLATFORMS

form_blp = Blueprint("form", __name__, template_folder="templates")


@form_blp.get("/")
def complaint_form():
    """The complaint form."""
    return render_template("form.html", categories=CATEGORIES, platforms=PLATFORMS,
                           employer_levels=EMPLOYER_LEVELS)
