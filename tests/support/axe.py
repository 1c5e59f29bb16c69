"""axe-core inside the browser under test, from the axe-selenium-python package (it ships axe.min.js;
`Axe.inject` puts it into the page): the WCAG 2.x A/AA rules, and the violations of impact serious or
critical (of the WCAG tags the bundled axe-core knows). The run itself is called here so that an axe error fails the test with its message."""
from __future__ import annotations

import json

from axe_selenium_python import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN = ("var done = arguments[arguments.length - 1];"
       "var known = [].concat.apply([], axe.getRules().map(function (r) { return r.tags; }));"
       "var tags = %s.filter(function (t) { return known.indexOf(t) >= 0; });"
       "axe.run(document, {runOnly: {type: 'tag', values: tags}})"
       ".then(function (r) { done(r); }, function (e) { done({error: String(e)}); });")


def serious_violations(driver) -> list[dict]:
    Axe(driver).inject()
    driver.set_script_timeout(120)
    results = driver.execute_async_script(RUN % json.dumps(WCAG_TAGS))  # the tags this axe-core knows
    assert "error" not in results, results.get("error")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def axe_version(driver) -> str:
    return driver.execute_script("return window.axe && axe.version")
