"""Reads a figures chart (pygal's SVG) the way a person looks at it: each bar's label and printed number,
top to bottom, and each bar's drawn length."""
from lxml import etree


def bars(svg: bytes) -> list[tuple[str, str]]:
    tree = etree.fromstring(svg)
    labels = [text.text for text in tree.xpath('//*[local-name()="g"][contains(@class, "axis y")]'
                                               '//*[local-name()="text"]')]
    values = [text.text for text in tree.xpath('//*[local-name()="text"][contains(@class, "value")]')]
    return list(zip(reversed(labels), reversed(values), strict=True))  # pygal writes the lowest bar first


def lengths(svg: bytes) -> list[float]:
    """Each bar's drawn length, top to bottom (0 for a bar of 0)."""
    tree = etree.fromstring(svg)
    drawn = tree.xpath('//*[local-name()="rect"][contains(@class, "reactive")]')
    return [float(rect.get("width") or 0) for rect in reversed(drawn)]
