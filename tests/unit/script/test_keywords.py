"""Keywords for tags and image prompts, in English and Chinese."""

import subprocess
import sys

from core.script.keywords import extract_keywords, keywords_per_text
from core.text import CHINESE, ENGLISH

BEES = (
    "The house bee chews the nectar. Bees fan the comb. "
    "A house bee seals the comb with wax. The bee rests."
)


def test_english_keywords_favour_frequent_words_over_stopwords():
    words = extract_keywords(BEES, ENGLISH, limit=4)

    assert words[0] == "house bee"
    assert "comb" in words
    assert not {"the", "with", "a"} & set(words)


def test_recurring_word_pairs_take_the_place_of_their_words():
    words = extract_keywords(BEES, ENGLISH, limit=10)

    assert "house bee" in words
    assert "house" not in words


def test_plurals_count_with_their_singular():
    words = extract_keywords("Rain falls. Flowers bloom. A flower fades.", ENGLISH)

    assert words[0] in {"flower", "flowers"}
    assert {"flower", "flowers"} - set(words)


def test_names_keep_their_capitals_and_sentence_starts_lose_them():
    words = extract_keywords("Honey from Taipei. Honey sells in Taipei.", ENGLISH)

    assert words[:2] == ["honey", "Taipei"]


def test_keywords_respect_the_limit_and_empty_text_gives_none():
    assert len(extract_keywords(BEES, ENGLISH, limit=2)) == 2
    assert extract_keywords("   ", ENGLISH) == []
    assert extract_keywords(BEES, ENGLISH, limit=0) == []


def test_chinese_keywords_are_nouns_found_by_jieba():
    text = "夜市的攤販推著餐車。攤販準備油鍋和食材，夜市很熱鬧。"

    words = extract_keywords(text, CHINESE, limit=3)

    assert words[0] in {"攤販", "夜市"}
    assert all(len(word) >= 2 for word in words)
    assert "的" not in words


def test_keywords_per_text_prefer_words_the_other_texts_lack():
    texts = [
        "Honey fills the comb. Honey drips from the jar.",
        "Honey needs nectar. Nectar comes from flowers.",
        "Honey keeps for years in sealed tombs.",
    ]

    per_text = keywords_per_text(texts, ENGLISH, limit=2)

    assert len(per_text) == 3
    assert per_text[1][0] == "nectar"
    assert "tombs" in per_text[2] or "years" in per_text[2]


def test_keywords_per_text_work_for_chinese():
    texts = ["攤販推著餐車來到夜市。", "學生喝珍珠奶茶。"]

    per_text = keywords_per_text(texts, CHINESE, limit=2)

    assert "珍珠奶茶" in per_text[1]
    assert "珍珠奶茶" not in per_text[0]


def test_loading_jieba_prints_nothing():
    code = (
        "from core.script.keywords import extract_keywords;"
        "extract_keywords('夜市的攤販', 'zh-Hant')"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stderr == ""
