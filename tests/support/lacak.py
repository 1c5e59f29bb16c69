"""What a citizen's browser posts to /lacak, for tests that drive intake's Flask app directly."""
import re


def wrong_receipt_guess(client):
    """One guess at /lacak with the page's own form token and a wrong receipt (404 until the limit, then 429)."""
    page = client.get("/lacak")
    form_token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    return client.post("/lacak", data={"token": form_token, "kode": "NTR-7K4M-Q2XP", "tanda_terima": "salah"})
