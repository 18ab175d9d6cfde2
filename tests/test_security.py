"""Every file in a pull request may be hostile: links, special files and paths that leave the
repository are refused by `letters check`, the commands that write, and the site build; and
what they point to never reaches the site."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from finalletters import catalogue
from finalletters.errors import LetterError
from tests import corpus, pdfs
from tests.test_cli import VALID_YML, good_pdf, run, write_letter

MARKER = "PRIVATE-MARKER-3f9a1c"  # what the file outside holds; never published
FOLLOW_UP = "follow_up: {progress_review: progress-review.pdf}\n"
REPO = Path(__file__).parents[1]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the repository that nothing may read or write."""
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "secret.pdf"
    path.write_text(f"%PDF-1.4\n{MARKER}\n%%EOF\n", encoding="utf-8")
    return path


def _site_text(site: Path) -> str:
    if not site.exists():
        return ""
    return "".join(p.read_bytes().decode("latin-1") for p in site.rglob("*") if p.is_file())


def _build(root: Path, site: Path, caplog: pytest.LogCaptureFixture) -> str:
    """Build the site from root; what the build logged as it failed (it must fail)."""
    caplog.clear()
    with pytest.raises(Abort):
        corpus.build_site(root, site)
    return caplog.text


# --- links in a letter's folder ---------------------------------------------------------------


LINK_TARGETS = {
    "absolute": lambda secret, folder: str(secret),
    "proc-environ": lambda secret, folder: "/proc/self/environ",
    "relative": lambda secret, folder: os.path.relpath(secret, folder),  # ../../../../outside/…
}


@pytest.mark.parametrize("target", sorted(LINK_TARGETS))
def test_a_symlinked_attachment_is_an_error_and_never_reaches_the_site(
    repo, secret, tmp_path, capsys, caplog, target
):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML + FOLLOW_UP)
    (folder / "progress-review.pdf").symlink_to(LINK_TARGETS[target](secret, folder))
    code, out, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/dudley/2023-06/progress-review.pdf: is a symbolic link" in err, err
    assert "tip: commit the file itself" in err
    site = tmp_path / "site"
    message = _build(repo, site, caplog)
    assert "progress-review.pdf: is a symbolic link" in message
    assert MARKER not in _site_text(site)
    assert MARKER not in out + err + message


def test_a_symlinked_letter_pdf_is_refused_by_check_and_the_build(
    repo, secret, tmp_path, capsys, caplog
):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    (folder / "letter.pdf").unlink()
    (folder / "letter.pdf").symlink_to(secret)
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/dudley/2023-06/letter.pdf: is a symbolic link" in err
    assert "letter.pdf: is missing" not in err, "one problem, said once"
    site = tmp_path / "site"
    _build(repo, site, caplog)
    assert MARKER not in _site_text(site)


def test_a_symlinked_letter_folder_or_council_folder_is_refused(repo, secret, capsys):
    elsewhere = secret.parent / "letter"
    write_letter(repo, "walsall/2022-03", good_pdf(), VALID_YML.replace("dudley", "walsall"))
    (repo / "letters" / "walsall" / "2022-03").rename(elsewhere)
    (repo / "letters" / "walsall" / "2022-03").symlink_to(elsewhere)
    (repo / "letters" / "dudley").symlink_to(secret.parent)
    code, out, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/walsall/2022-03: is a symbolic link" in err, err
    assert "letters/dudley: is a symbolic link" in err, err
    assert "checked 0 letters" in out
    code, _, err = run(repo, "check", str(repo / "letters/dudley/secret.pdf"), capsys=capsys)
    assert code == 1
    assert "letters/dudley: is a symbolic link" in err, err


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda path: path.symlink_to("/dev/zero"), "is a symbolic link"),
        (lambda path: os.mkfifo(path), "is not a regular file (it is a named pipe)"),
    ],
    ids=["link-to-dev-zero", "named-pipe"],
)
def test_dev_zero_and_a_named_pipe_are_named_as_what_they_are_and_never_read(
    repo, capsys, make, kind
):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    (folder / "letter.pdf").unlink()
    make(folder / "letter.pdf")
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert f"letters/dudley/2023-06/letter.pdf: {kind}" in err, err
    assert "does not exist" not in err
    code, _, err = run(repo, "extract", capsys=capsys)
    assert code == 1
    assert "letter.pdf: " in err and ("symbolic link" in err or "named pipe" in err), err


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda path: Path("/dev/zero"), "is not a regular file (it is a character device)"),
        (lambda path: (os.mkfifo(path), path)[1], "is not a regular file (it is a named pipe)"),
    ],
    ids=["dev-zero", "named-pipe"],
)
def test_add_refuses_a_device_or_a_pipe_without_reading_it(repo, tmp_path, capsys, make, kind):
    source = make(tmp_path / "in.pdf")
    code, _, err = run(repo, "add", str(source), "--authority", "dudley", capsys=capsys)
    assert code == 1
    assert kind in err, err


# --- writes never go through a link -----------------------------------------------------------


def test_extract_leaves_the_target_of_a_letter_md_tmp_link_untouched(repo, tmp_path, capsys):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    victim = tmp_path / "bashrc"
    victim.write_text("export PATH=$HOME/bin:$PATH\n", encoding="utf-8")
    (folder / "letter.md.tmp").symlink_to(victim)
    code, _, err = run(repo, "extract", "--refresh", capsys=capsys)
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "export PATH=$HOME/bin:$PATH\n"
    assert (folder / "letter.md.tmp").is_symlink(), "the link itself is left for check to name"
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/dudley/2023-06/letter.md.tmp: is a symbolic link" in err


def test_extract_refuses_to_write_a_letter_md_that_is_a_link(repo, tmp_path, capsys):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    victim = tmp_path / "victim.md"
    victim.write_text((folder / "letter.md").read_text("utf-8"), encoding="utf-8")
    before = victim.read_bytes()
    (folder / "letter.md").unlink()
    (folder / "letter.md").symlink_to(victim)
    code, _, err = run(repo, "extract", "--refresh", capsys=capsys)
    assert code == 1
    assert "letter.md: is a symbolic link" in err, err
    assert victim.read_bytes() == before


def test_extract_refuses_paths_outside_letters(repo, tmp_path, capsys):
    outside = tmp_path / "elsewhere" / "walsall" / "2023-06"
    outside.mkdir(parents=True)
    (outside / "letter.pdf").write_bytes(good_pdf())
    for path in (outside, repo / "letters" / ".." / ".." / "elsewhere" / "walsall" / "2023-06"):
        code, _, err = run(repo, "extract", str(path), capsys=capsys)
        assert code == 1
        assert "is outside" in err, err
    assert not (outside / "letter.md").exists()


def test_schema_refuses_to_write_through_a_symlinked_schema_file(repo, tmp_path, capsys):
    victim = tmp_path / "victim.json"
    victim.write_text("{}", encoding="utf-8")
    schema = repo / "letters" / "letter.schema.json"
    schema.unlink()
    schema.symlink_to(victim)
    code, _, err = run(repo, "schema", capsys=capsys)
    assert code == 1
    assert "letter.schema.json: is a symbolic link" in err, err
    assert victim.read_text(encoding="utf-8") == "{}"


def test_add_refuses_a_council_folder_that_links_outside_the_repository(repo, tmp_path, capsys):
    outside = tmp_path / "outside-council"
    outside.mkdir()
    (repo / "letters" / "dudley").symlink_to(outside)
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(good_pdf())
    code, _, err = run(repo, "add", str(pdf), capsys=capsys)
    assert code == 1
    assert "letters/dudley" in err and "symbolic link" in err, err
    assert list(outside.iterdir()) == []


def test_safe_writes_replace_a_file_whole_and_refuse_a_linked_parent(tmp_path):
    from finalletters import safefs

    base = tmp_path / "letters"
    (base / "a").mkdir(parents=True)
    target = base / "a" / "letter.md"
    safefs.write_text(target, "first\n", base)
    safefs.write_text(target, "second\n", base)
    assert target.read_text(encoding="utf-8") == "second\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["letter.md"], "no temporary left"
    (base / "b").symlink_to(tmp_path)
    with pytest.raises(LetterError, match="is a symbolic link"):
        safefs.write_text(base / "b" / "x.md", "no", base)
    assert not (tmp_path / "x.md").exists()


# --- leftovers of killed runs -----------------------------------------------------------------


def test_check_names_what_an_interrupted_add_or_extract_left_behind(repo, capsys):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    (repo / "letters" / "dudley" / ".adding-k1ll3d").mkdir()
    (folder / ".letter.md.a1b2c3.tmp").write_text("half a letter", encoding="utf-8")
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/dudley/.adding-k1ll3d: was left by an interrupted `letters add`" in err, err
    assert "rm -r letters/dudley/.adding-k1ll3d" in err
    assert "letters/dudley/2023-06/.letter.md.a1b2c3.tmp: was left by an interrupted" in err
    code, _, err = run(repo, "extract", "--refresh", capsys=capsys)
    assert not (folder / ".letter.md.a1b2c3.tmp").exists(), "extract removes its own leftovers"


# --- the site build ---------------------------------------------------------------------------


def test_a_site_folder_that_is_a_link_is_refused_before_the_build_empties_it(
    repo, tmp_path, caplog
):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep me", encoding="utf-8")
    site = tmp_path / "site"
    site.symlink_to(precious)
    message = _build(repo, site, caplog)
    assert "site_dir" in message and "symbolic link" in message, message
    assert (precious / "keep.txt").read_text(encoding="utf-8") == "keep me"


def test_a_link_among_the_hand_written_pages_stops_the_build(tmp_path, secret):
    from finalletters.site import files as site_files

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "environment.txt").symlink_to("/proc/self/environ")
    config = load_config(config_file=str(REPO / "mkdocs.yml"), docs_dir=str(docs))
    with pytest.raises(PluginError, match=r"environment.txt: is a symbolic link"):
        site_files.check_folders(config)


def test_the_build_copies_a_pdf_only_if_it_is_still_the_file_the_catalogue_checked(repo, tmp_path):
    from finalletters.site import files as site_files

    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    loaded = catalogue.load(repo)
    assert not loaded.errors, loaded.errors
    letter = loaded.letters[0]
    config = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins._current_plugin = "hooks"  # as during a build's on_files
    published = site_files.checked_pdf(
        config, "letters/dudley/2023-06/letter.pdf", folder / "letter.pdf", letter.pdf.sha256
    )
    published.copy_file()
    assert Path(published.abs_dest_path).read_bytes() == good_pdf()
    (folder / "letter.pdf").unlink()
    (folder / "letter.pdf").symlink_to(REPO / "letters" / "walsall" / "2021-11" / "letter.pdf")
    with pytest.raises(PluginError, match="is a symbolic link"):
        published.copy_file()
    (folder / "letter.pdf").unlink()
    (folder / "letter.pdf").write_bytes(pdfs.simple_letter())
    with pytest.raises(PluginError, match="changed after it was checked"):
        published.copy_file()


# --- links committed to git -------------------------------------------------------------------


def _git(root: Path, *args: str, input_text: str | None = None) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        text=True,
        input=input_text,
    ).stdout


def test_check_reports_a_link_committed_to_git_even_where_it_was_checked_out_as_a_file(
    repo, capsys
):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    _git(repo, "init", "-q")
    (repo / "docs").mkdir()
    (repo / "docs" / "secrets.md").symlink_to("/proc/self/environ")
    _git(repo, "add", "-A")
    # As a checkout with core.symlinks=false writes it: a plain file holding the target's path.
    blob = _git(repo, "hash-object", "-w", "--stdin", "--path=x", input_text="/etc/passwd")
    _git(repo, "update-index", "--add", "--cacheinfo", f"120000,{blob.strip()},docs/passwd.md")
    (repo / "docs" / "passwd.md").write_text("/etc/passwd", encoding="utf-8")
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "docs/secrets.md: is committed as a symbolic link" in err, err
    assert "docs/passwd.md: is committed as a symbolic link" in err, err


def test_the_repository_commits_no_symbolic_links():
    from finalletters import safefs

    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout (e.g. an unpacked archive): nothing is committed here")
    assert safefs.committed_links(REPO) == []


def test_a_checkout_git_cannot_read_is_a_warning_not_silence(repo, capsys):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    (repo / ".git").write_text("gitdir: /nonexistent\n", encoding="utf-8")
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 0, err
    assert "warning: .git: could not be read to look for committed symbolic links" in err, err
