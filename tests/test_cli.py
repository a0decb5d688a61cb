import click
from click.testing import CliRunner

from videonews.cli import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))


def test_every_command_has_help_text():
    runner = CliRunner()
    for path, cmd in _commands(main):
        assert (cmd.help or "").strip(), f"videonews {' '.join(path)} has no help text"
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, result.output
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden and param.name not in ("help",):
                assert param.help, f"videonews {' '.join(path)} {param.opts[0]} has no help"


def test_schema_command_prints_json():
    import json

    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "videonews package manifest"


def test_input_error_is_one_line_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "missing"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "does not exist" in result.output
