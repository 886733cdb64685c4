"""Reading SRT subtitles as prose: timings and styling gone, cues joined."""

from core.content.model import Block
from core.content.subtitles import parse_cues, read_srt


def srt(*cues: tuple[float, float, str]) -> str:
    """An SRT file with the given (start, end, text) cues, in seconds."""

    def stamp(seconds: float) -> str:
        millis = round(seconds * 1000)
        hours, millis = divmod(millis, 3_600_000)
        minutes, millis = divmod(millis, 60_000)
        secs, millis = divmod(millis, 1000)
        return f"{hours:02d}:{minutes:02d}:{secs:02d},{millis:03d}"

    return "\n".join(
        f"{number}\n{stamp(start)} --> {stamp(end)}\n{text}\n"
        for number, (start, end, text) in enumerate(cues, start=1)
    )


def test_cue_times_are_read_in_seconds():
    cues = parse_cues("1\n01:02:03,450 --> 01:02:04.5\nHello.\n")
    assert (cues[0].start, cues[0].end, cues[0].text) == (3723.45, 3724.5, "Hello.")


def test_close_cues_join_into_one_paragraph_without_styling():
    text = srt(
        (1.0, 2.5, '<i>Bees</i> make {\\an8}<font color="#fff">honey</font>'),
        (2.6, 4.0, "from nectar,\nall summer long."),
    )
    assert read_srt(text).blocks == [
        Block("paragraph", "Bees make honey from nectar, all summer long.")
    ]


def test_chinese_cues_join_without_spaces():
    text = srt((0.0, 1.0, "傍晚六點，"), (1.0, 2.0, "路燈亮起。"))
    assert read_srt(text).blocks == [Block("paragraph", "傍晚六點，路燈亮起。")]


def test_a_pause_of_more_than_two_seconds_starts_a_new_paragraph():
    text = srt((0.0, 1.0, "First thought."), (3.5, 4.0, "Second thought."))
    assert [b.text for b in read_srt(text).blocks] == [
        "First thought.",
        "Second thought.",
    ]


def test_a_finished_sentence_after_five_cues_starts_a_new_paragraph():
    cues = [(float(i), i + 1.0, f"part {i}") for i in range(4)]
    cues += [(4.0, 5.0, "end one."), (5.0, 6.0, "Next starts.")]
    assert [b.text for b in read_srt(srt(*cues)).blocks] == [
        "part 0 part 1 part 2 part 3 end one.",
        "Next starts.",
    ]


def test_a_paragraph_never_holds_more_than_eight_cues():
    cues = [(float(i), i + 1.0, f"w{i}") for i in range(10)]
    paragraphs = read_srt(srt(*cues)).blocks
    assert [b.text for b in paragraphs] == ["w0 w1 w2 w3 w4 w5 w6 w7", "w8 w9"]


def test_sound_descriptions_and_repeated_rolling_cues_are_left_out():
    text = srt(
        (0.0, 1.0, "[MUSIC]"),
        (1.0, 2.0, "Hello there."),
        (2.0, 3.0, "Hello there."),
        (3.0, 4.0, "♪ ♪"),
        (4.0, 5.0, "(applause)"),
        (5.0, 6.0, "Welcome."),
    )
    assert [b.text for b in read_srt(text).blocks] == ["Hello there. Welcome."]


def test_hostile_text_in_a_cue_survives_literally():
    line = 'He said "50% off" & C:\\path [sic] %{pts} {braces} x < y > z'
    assert read_srt(srt((0.0, 1.0, line))).blocks == [Block("paragraph", line)]


def test_a_blank_line_inside_a_cue_continues_that_cue():
    text = "1\n00:00:01,000 --> 00:00:02,000\nFirst half\n\nsecond half.\n"
    assert [cue.text for cue in parse_cues(text)] == ["First half second half."]


def test_text_without_any_timing_has_no_cues():
    assert read_srt("just some words\n\nand more").blocks == []
