"""`python -m bench.datagen`: fill an empty database with realistic, skewed benchmark data.

A benchmark tool, not a product command: product code never imports `bench/` (an import-linter contract).
"""

import argparse
import os
import sys


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.datagen",
        description="Generate skewed communities, members, identities, activities, spaces, topics and replies.",
    )
    parser.add_argument("--communities", type=int, default=20)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--replies", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--method",
        choices=["unnest", "copy"],
        default="copy",
        help="unnest: INSERT … SELECT unnest() in each community's RLS scope; "
        "copy: COPY through the logged BYPASSRLS bypass",
    )
    options = parser.parse_args(argv)
    if options.communities < 1 or options.members < options.communities:
        parser.error("need at least one community and one member per community")
    return options


def generate(argv: list[str], log=print) -> None:
    """Run the generator (Django must be set up); RuntimeError/ValueError say why it refused."""
    from bench.datagen.generate import Generator, Sizes

    options = parse(argv)
    sizes = Sizes(*(getattr(options, k) for k in ("communities", "members", "activities", "topics", "replies")))
    Generator(sizes, seed=options.seed, method=options.method, log=log).run()


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    import django

    django.setup()
    try:
        generate(sys.argv[1:])
    except (RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
