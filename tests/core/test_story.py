import pytest

from videonews.errors import StoryError
from videonews.story import load_story


def _touch(folder, *names):
    for n in names:
        (folder / n).write_bytes(b"x")


def test_auto_discovery_takes_id_from_folder(tmp_path):
    folder = tmp_path / "My Story (2016)"
    folder.mkdir()
    _touch(folder, "article.txt", "clip.mp4", "photo.jpg")
    story = load_story(folder)
    assert story.id == "My-Story-2016"
    assert story.video.name == "clip.mp4" and story.photo and story.photo.name == "photo.jpg"


@pytest.mark.parametrize("photo", ["IMG_0001.HEIC", "photo.heif", "photo.avif"])
def test_auto_discovery_finds_phone_photos(tmp_path, photo):
    _touch(tmp_path, "article.txt", "clip.mp4", photo)
    assert load_story(tmp_path).photo.name == photo


def test_two_videos_is_ambiguous(tmp_path):
    _touch(tmp_path, "a.txt", "one.mp4", "two.mov")
    with pytest.raises(StoryError, match="several video files"):
        load_story(tmp_path)


def test_story_toml_fields_and_missing_file(tmp_path):
    _touch(tmp_path, "a.txt", "v.mp4")
    (tmp_path / "story.toml").write_text('id = "s1"\narticle = "a.txt"\nvideo = "v.mp4"\nphoto = "gone.jpg"\n')
    with pytest.raises(StoryError) as info:
        load_story(tmp_path)
    assert info.value.field == "photo" and "gone.jpg" in info.value.problem
    assert info.value.exit_code == 2


@pytest.mark.parametrize("bad_id", ["../escape", "a/b", "", ".hidden"])
def test_id_cannot_escape_output(tmp_path, bad_id):
    _touch(tmp_path, "a.txt", "v.mp4")
    (tmp_path / "story.toml").write_text(f'id = "{bad_id}"\n')
    with pytest.raises(StoryError) as info:
        load_story(tmp_path)
    assert info.value.field == "id"


def test_timings_and_unknown_keys(tmp_path):
    _touch(tmp_path, "a.txt", "v.mp4")
    (tmp_path / "story.toml").write_text('[timings]\nq1 = [1.0, 4.5]\n')
    assert load_story(tmp_path).options.timings == {"q1": (1.0, 4.5)}
    (tmp_path / "story.toml").write_text('colour = "red"\n')
    with pytest.raises(StoryError, match="colour|Extra"):
        load_story(tmp_path)
    (tmp_path / "story.toml").write_text('id = \n')
    with pytest.raises(StoryError, match="TOML"):
        load_story(tmp_path)
