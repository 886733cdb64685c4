"""Reading saved web pages: the article's headings and paragraphs, no menus."""

import time

import pytest

from core.content.model import Block
from core.content.webpage import read_html
from core.errors import InputError

ARTICLE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Bees | Garden Blog</title>
<style>p { color: red }</style></head>
<body>
<nav><a href="/">Home</a> <a href="/blog">Blog</a></nav>
<article>
  <h1>How Bees <em>Make</em> Honey</h1>
  <p>A single jar of honey holds the work of thousands of bees, and each
     forager visits <b>hundreds</b> of flowers on a sunny day.<br>It adds up.</p>
  <h2>Steps</h2>
  <ul>
    <li>The forager drinks nectar through a long tongue and stores it.</li>
    <li>House bees chew it for half an hour, adding more enzymes to it.</li>
  </ul>
  <p>Fresh nectar is mostly water, so the bees fan their wings over the comb
     until it thickens &amp; then seal it. {\\an8} %{pts} [x] "q" C:\\temp</p>
  <script>document.write("not article text")</script>
</article>
<footer>Copyright 2024. <a href="/about">About us</a></footer>
</body></html>"""


def test_the_article_is_read_as_headings_and_paragraphs():
    extracted = read_html(ARTICLE.encode("utf-8"), "bees.html")
    assert extracted.title == "How Bees Make Honey"
    assert extracted.blocks == [
        Block("heading", "How Bees Make Honey", 1),
        Block(
            "paragraph",
            "A single jar of honey holds the work of thousands of bees, and each "
            "forager visits hundreds of flowers on a sunny day. It adds up.",
        ),
        Block("heading", "Steps", 2),
        Block(
            "paragraph",
            "The forager drinks nectar through a long tongue and stores it.",
        ),
        Block(
            "paragraph",
            "House bees chew it for half an hour, adding more enzymes to it.",
        ),
        Block(
            "paragraph",
            "Fresh nectar is mostly water, so the bees fan their wings over the "
            'comb until it thickens & then seal it. {\\an8} %{pts} [x] "q" C:\\temp',
        ),
    ]


def test_menus_scripts_and_footers_are_not_read():
    text = " ".join(
        b.text for b in read_html(ARTICLE.encode("utf-8"), "bees.html").blocks
    )
    assert "Home" not in text
    assert "not article text" not in text
    assert "Copyright" not in text


def test_the_page_title_is_used_when_the_article_has_no_h1():
    page = (
        "<html><head><title>Night Markets</title></head><body>"
        "<p>Stalls open at six in the evening and close around midnight.</p>"
        "</body></html>"
    )
    assert read_html(page.encode(), "a.html").title == "Night Markets"


def test_a_big5_page_is_decoded_by_its_declared_charset():
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; '
        'charset=big5"><title>夜市</title></head><body><h1>台灣夜市的一天</h1>'
        "<p>傍晚六點，路燈一盞盞亮起，\n攤販推著餐車來到固定的位置。</p></body></html>"
    )
    extracted = read_html(page.encode("big5"), "夜市.html")
    assert extracted.title == "台灣夜市的一天"
    assert extracted.blocks[1] == Block(
        "paragraph", "傍晚六點，路燈一盞盞亮起，攤販推著餐車來到固定的位置。"
    )


def test_an_xhtml_page_with_an_xml_declaration_is_read():
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html><body>'
        "<p>Honey keeps for years because it is dry and a little acidic.</p>"
        "</body></html>"
    )
    assert [b.text for b in read_html(page.encode(), "a.xhtml").blocks] == [
        "Honey keeps for years because it is dry and a little acidic."
    ]


def test_a_page_with_only_a_menu_has_no_blocks():
    page = b"<html><body><nav><a href='/'>Home</a></nav></body></html>"
    assert read_html(page, "menu.html").blocks == []


def test_each_table_row_is_a_paragraph_of_its_cells():
    page = (
        "<html><body><article><p>Night market stalls, and what each of them "
        "sells to the crowds every evening, listed for visitors.</p><table>"
        "<tr><th>Stall</th><th>Dish</th></tr>"
        "<tr><td>Auntie Lin, by the gate</td><td>Oyster omelette, fried to "
        "order with sweet chili sauce</td></tr>"
        "<tr><td>The corner cart</td><td>Fried chicken cutlet, as big as a "
        "face, salted and peppered</td></tr></table></article></body></html>"
    )
    assert [b.text for b in read_html(page.encode(), "a.html").blocks][1:] == [
        "Stall, Dish",
        "Auntie Lin, by the gate, Oyster omelette, fried to order with sweet "
        "chili sauce",
        "The corner cart, Fried chicken cutlet, as big as a face, salted and peppered",
    ]


def test_a_page_with_far_too_much_text_is_refused_before_parsing_the_article():
    page = "<html><body>" + "<p>honey bee</p>\n" * 50_000 + "</body></html>"
    started = time.monotonic()
    with pytest.raises(InputError, match=r'^"huge\.html" has more than 200,000'):
        read_html(page.encode(), "huge.html")
    assert time.monotonic() - started < 2.0
