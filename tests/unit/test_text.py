from core.text import (
    CHINESE,
    ENGLISH,
    collapse_spaces,
    detect_language,
    display_units,
    split_phrases,
    split_sentences,
    tokenize,
)


def test_english_sentences_split_after_end_punctuation_and_keep_closing_quotes():
    text = 'It works. Does it? "Yes." Then go'
    assert split_sentences(text) == ["It works.", "Does it?", '"Yes."', "Then go"]


def test_chinese_sentences_split_after_full_width_stops_without_spaces():
    text = "傍晚六點，路燈亮起。夜市開始了！他說：「好。」然後走了。"
    assert split_sentences(text) == [
        "傍晚六點，路燈亮起。",
        "夜市開始了！",
        "他說：「好。」",
        "然後走了。",
    ]


def test_wrapped_chinese_lines_join_without_a_space_but_english_lines_get_one():
    assert collapse_spaces("夜市的\n一天") == "夜市的一天"
    assert collapse_spaces("a jar\nof honey") == "a jar of honey"


def test_language_is_chinese_when_ideographs_dominate_even_with_english_names():
    assert detect_language("我今天用 Python 寫了一個程式來整理夜市的照片") == CHINESE
    assert detect_language("The word 夜市 means night market.") == ENGLISH
    assert detect_language("") == ENGLISH


def test_cjk_characters_count_double_width():
    assert display_units("ab") == 2
    assert display_units("夜市") == 4


def test_tokens_keep_closing_punctuation_with_the_character_before_it():
    tokens = tokenize("我用Python寫程式，「很好」。")
    assert "Python" in tokens
    assert "式，" in tokens
    assert "「很" in tokens  # an opening bracket never ends a line
    assert not any(token[0] in "，。」" for token in tokens)


def test_long_sentences_become_phrases_that_fit_and_lose_no_text():
    text = (
        "A forager drinks nectar through a long, straw-like tongue and stores it "
        "in a second stomach called the honey crop, which changes it on the way."
    )
    phrases = split_phrases(text, max_units=42)
    assert all(display_units(p) <= 42 for p in phrases)
    assert " ".join(phrases) == text


def test_long_chinese_sentences_break_at_commas_first():
    text = (
        "賣蚵仔煎的阿姨說，她每天下午兩點就到市場挑選最新鮮的蚵仔，因為客人吃得出差別。"
    )
    phrases = split_phrases(text, max_units=36)
    assert phrases[0] == "賣蚵仔煎的阿姨說，"
    assert "".join(phrases) == text
    assert all(display_units(p) <= 36 for p in phrases)
