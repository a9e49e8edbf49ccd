"""`manage.py generate_data`: fill an empty database with realistic, skewed benchmark data (bench/datagen)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Generate skewed communities, members, identities, activities, spaces, topics and replies (bulk, fast)."

    def add_arguments(self, parser):
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

    def handle(self, *args, **options):
        from bench.datagen.generate import Generator, Sizes

        if options["communities"] < 1 or options["members"] < options["communities"]:
            raise CommandError("need at least one community and one member per community")
        sizes = Sizes(*(options[k] for k in ("communities", "members", "activities", "topics", "replies")))
        generator = Generator(sizes, seed=options["seed"], method=options["method"], log=self.stdout.write)
        try:
            generator.run()
        except (RuntimeError, ValueError) as error:
            raise CommandError(str(error)) from error
