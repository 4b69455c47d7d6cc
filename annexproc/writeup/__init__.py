"""The evaluation report: draft its data paragraphs from the annexes (``draft``), check the figures a written
report quotes against them (``verify``). ``facts`` gathers the figures, ``read`` reads .docx/.pdf/.txt/.md,
``quotes`` finds the figures a text quotes; the paragraphs' wording is data (``templates/<lang>.toml``).
"""
