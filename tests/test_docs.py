"""The documentation a reader follows: the README stays short (it is also the
package's index page), every relative link leads somewhere, and the prose
holds no commit hashes, which go stale (issue 22, "docs by reader")."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
DOCS = sorted([README, *(REPO / "docs").glob("*.md")])
README_LIMIT = 8_500

# Written from the schema's descriptions by a step of its own; the README and
# the docs link it before it exists in a checkout that has not generated it.

FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
# [text](target) and ![alt](target); a title after the target is allowed.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
# 7 to 40 hex digits standing alone, with at least one letter and one digit:
# what `git log --oneline` or a full hash looks like, not a number or a word.
# Or any run of hex digits that follows the word "commit".
HASH = re.compile(
    r"(?<![\w.-])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}(?![\w-])"
    r"|(?<=commit )[0-9a-f]{7,40}\b",
    re.IGNORECASE,
)


def prose(text: str) -> str:
    """The text a reader reads as sentences: code blocks and code spans out
    (archive names such as `saleor-storefront-<commit>.tar.gz` are names),
    but a code span holding only a hash is a hash quoted in prose."""

    def span(match: re.Match) -> str:
        inner = match.group(0).strip("`")
        return inner if re.fullmatch(r"[0-9a-f]{7,40}", inner) else ""

    return CODE_SPAN.sub(span, FENCED.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces
    to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCED.sub("", path.read_text())
    # GitHub numbers a repeated heading: the second "Viewer" is #viewer-1.
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(f"{base}-{count}" if count else base)
    return found


def relative_links(path: Path) -> list[str]:
    return [
        target
        for target in LINK.findall(FENCED.sub("", path.read_text()))
        if not re.match(r"[a-z][a-z0-9+.-]*:", target)  # http:, https:, mailto:
    ]


def test_the_readme_is_short():
    size = len(README.read_text())
    assert size <= README_LIMIT, (
        f"README.md has {size} characters (at most {README_LIMIT}): it is the "
        "package's index page; move detail into docs/ by reader"
    )


def test_the_readmes_commands_are_the_projects_scripts():
    """The quick start's two commands exist, and CI runs the test one."""
    readme = README.read_text()
    for command in ("scripts/demo", "scripts/test"):
        assert f"\n{command} " in readme
        assert (REPO / command).stat().st_mode & 0o111, f"{command} is not executable"
    assert "scripts/test" in (REPO / ".ci" / "run").read_text()


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_leads_to_a_file_and_heading(path):
    broken = []
    for target in relative_links(path):
        file_part, _, anchor = target.partition("#")
        destination = (path.parent / file_part).resolve() if file_part else path
        if not destination.exists():
            broken.append(f"{target}: no such file")
        elif (
            anchor
            and destination.suffix == ".md"
            and anchor not in anchors(destination)
        ):
            broken.append(f"{target}: no heading #{anchor}")
    assert not broken, f"{path.relative_to(REPO)}: " + "; ".join(broken)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_commit_hashes_in_prose(path):
    found = HASH.findall(prose(path.read_text()))
    assert not found, (
        f"{path.relative_to(REPO)} names commits {found}: they go stale; say what "
        "changed, or name a release"
    )


def test_the_hash_check_tells_hashes_from_names_and_numbers():
    text = (
        "at commit 2497054, dc4bde565b71 and `90ae336`; 1000000 rows, a "
        "deadbeef-free `saleor-storefront-60fea09.tar.gz`"
    )
    assert HASH.findall(prose(text)) == ["2497054", "dc4bde565b71", "90ae336"]
