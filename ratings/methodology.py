"""The conversion table laid out for people: a grid of adults' against children's
judgements. Used by docs/methodology.md (through scripts/render_methodology_table.py)
and the public methodology page, so that what people read is the table the rules use."""

from . import rules


def combinations() -> list[tuple[str, str]]:
    """Every (serving, prospects) pair of one service, worst first."""
    return [(s, p) for s in rules.SERVING_LEVELS for p in rules.PROSPECT_LEVELS]


def grid(version: str) -> list[tuple[tuple[str, str], list[int]]]:
    """One row per adults' pair: the stars for each children's pair, in combinations() order."""
    table = rules.star_table(version)
    return [
        (
            adults,
            [table[rules.Judgements(*adults, *children)] for children in combinations()],
        )
        for adults in combinations()
    ]


def markdown_table(version: str) -> str:
    header = ["Adults ↓ / Children →"] + [f"{s}, {p}" for s, p in combinations()]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for (serving, prospects), stars in grid(version):
        lines.append(f"| **{serving}, {prospects}** | " + " | ".join(map(str, stars)) + " |")
    return "\n".join(lines)
