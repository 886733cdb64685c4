"""Small contents, one English and one Chinese, that the provider tests script."""

from core.content.model import Block, Content

ENGLISH = Content(
    blocks=[
        Block("heading", "Why bread rises", level=1),
        Block("paragraph", "Yeast eats sugar. It breathes out carbon dioxide."),
        Block("heading", "The oven", level=2),
        Block("paragraph", "Heat makes the gas expand. The crumb sets around it."),
        Block("paragraph", "A hot oven gives the best rise in the first minutes."),
    ],
    language="en",
    title="Why bread rises",
)
CHINESE = Content(
    blocks=[
        Block("heading", "茶的故事", level=1),
        Block("paragraph", "茶葉來自山上的茶樹。農夫在清晨採下嫩葉。"),
        Block("paragraph", "葉子經過揉捻與烘焙，香氣慢慢出現。"),
    ],
    language="zh-Hant",
)
