"""The image deploy/Dockerfile builds, looked at from inside: what its runtime layer holds and what it does not."""
import json

import pytest

from tests.support import stack

pytestmark = pytest.mark.timeout(300)
IMAGE = "netra:latest"
LOOK_INSIDE = """
import glob, importlib.util, json, os, shutil
print(json.dumps({
    "compilers": [tool for tool in ("gcc", "cc", "c++", "g++", "clang", "x86_64-linux-gnu-gcc", "make")
                  if shutil.which(tool)],
    "test_tools": [name for name in ("pytest", "selenium", "schemathesis", "aiosmtpd", "dockerfile_parse",
                                     "kubernetes_validate", "piptools") if importlib.util.find_spec(name)],
    "package_caches": [path for pattern in ("/var/lib/apt/lists/*_Packages", "/var/cache/apt/archives/*.deb",
                                            "/root/.cache/pip", "/tmp/*", "/opt/venv/**/__pycache__/*.whl")
                       for path in glob.glob(pattern, recursive=True)],
    "tests_or_dev_files": [path for path in ("/app/tests", "/app/deploy/mailbox.py", "/app/.git", "/app/.venv")
                           if os.path.exists(path)],
}))
"""


@pytest.fixture(scope="module")
def image(engine):
    return json.loads(stack.docker("image", "inspect", IMAGE))[0]


def test_the_runtime_layer_has_no_compiler_test_tool_or_package_cache(image):
    # As root, so that root's own caches are visible too.
    inside = json.loads(stack.docker("run", "--rm", "--user", "0", "--entrypoint", "python", IMAGE, "-c", LOOK_INSIDE))
    assert inside == {"compilers": [], "test_tools": [], "package_caches": [], "tests_or_dev_files": []}


def test_it_runs_as_10001_and_stays_small(image):
    assert image["Config"]["User"] == "10001:10001"
    stack.record("image_size_mb", round(image["Size"] / 1e6))
    assert image["Size"] < 700e6, image["Size"]
