from pathlib import Path

import pytest
from batch_helpers import fake_story

from videonews.batch.sources import SourceError, expand_sources


def test_folder_of_story_folders_skips_hidden(tmp_path):
    for n in ("b", "a", ".hidden", "_work"):
        fake_story(tmp_path / "root", n)
    specs = expand_sources([tmp_path / "root"])
    assert [s.path.name for s in specs] == ["a", "b"]


def test_a_story_folder_is_one_story(tmp_path):
    folder = fake_story(tmp_path, "one")
    assert [s.path for s in expand_sources(folder)] == [folder]
    (folder / "story.toml").write_text('id = "x"\n')
    assert [s.path for s in expand_sources(folder / "story.toml")] == [folder / "story.toml"]


def test_list_file_comments_and_relative_paths(tmp_path):
    fake_story(tmp_path / "s", "a")
    fake_story(tmp_path / "s", "b")
    lst = tmp_path / "lists" / "today.txt"
    lst.parent.mkdir()
    lst.write_text(f"# morning stories\n../s/a   # the river\n\n  {tmp_path / 's' / 'b'}\n../s/a\n")
    specs = expand_sources([lst], allow_outside=True)  # ../s/a leaves the list's folder
    assert [s.path.resolve() for s in specs] == [(tmp_path / "s" / "a").resolve(), (tmp_path / "s" / "b")]
    assert specs[0].origin == "today.txt:2"


@pytest.mark.parametrize("line", ["../s/a", "{abs}", "link"], ids=["relative", "absolute", "symlinked"])
def test_list_entries_must_stay_in_the_lists_folder(tmp_path, line):
    fake_story(tmp_path / "s", "a")
    lst = tmp_path / "lists" / "today.txt"
    lst.parent.mkdir()
    (lst.parent / "link").symlink_to(tmp_path / "s" / "a")
    lst.write_text(line.format(abs=tmp_path / "s" / "a") + "\n")
    with pytest.raises(SourceError, match="line 1: story .* leads outside") as info:
        expand_sources([lst])
    assert info.value.exit_code == 2 and "allow_outside_story" in (info.value.remedy or "")
    assert len(expand_sources([lst], allow_outside=True)) == 1


def test_folder_of_stories_refuses_a_linked_story(tmp_path):
    fake_story(tmp_path / "elsewhere", "x")
    fake_story(tmp_path / "root", "a")
    (tmp_path / "root" / "b").symlink_to(tmp_path / "elsewhere" / "x")
    with pytest.raises(SourceError, match="b: story .* leads outside"):
        expand_sources([tmp_path / "root"])
    assert [s.path.name for s in expand_sources([tmp_path / "root"], allow_outside=True)] == ["a", "b"]


def test_csv_manifest_with_ids(tmp_path):
    fake_story(tmp_path, "a")
    fake_story(tmp_path, "b")
    csv = tmp_path / "stories.csv"
    csv.write_text("\ufeffid,path,desk\nA1,a,news\n,b,sport\n,,\n", encoding="utf-8")
    specs = expand_sources(csv)
    assert [(s.id, s.path) for s in specs] == [("A1", tmp_path / "a"), (None, tmp_path / "b")]
    assert specs[0].origin == "stories.csv:2"


def test_toml_manifest(tmp_path):
    fake_story(tmp_path, "a")
    toml = tmp_path / "batch.toml"
    toml.write_text('[[story]]\npath = "a"\nid = "a"\n\n[[story]]\npath = "/abs/b"\n')
    specs = expand_sources(toml, allow_outside=True)
    assert [(s.id, str(s.path)) for s in specs] == [("a", str(tmp_path / "a")), (None, "/abs/b")]
    with pytest.raises(SourceError, match=r"\[\[story\]\] #2: story '/abs/b' leads outside"):
        expand_sources(toml)


@pytest.mark.parametrize("name,text,match", [
    ("x.csv", "story,id\na,1\n", "no 'path' column"),
    ("x.toml", 'title = "x"\n', "no \\[\\[story\\]\\]"),
    ("x.toml", "[[story]]\nid = 'a'\n", "has no path"),
    ("x.toml", "[[story\n", "not valid TOML"),
])
def test_bad_manifests_name_the_problem(tmp_path, name, text, match):
    p = tmp_path / name
    p.write_text(text)
    with pytest.raises(SourceError, match=match) as info:
        expand_sources([p])
    assert info.value.exit_code == 2


def test_missing_source_and_empty_folder(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        expand_sources([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match="no story folders"):
        expand_sources([Path(tmp_path / "empty")])
