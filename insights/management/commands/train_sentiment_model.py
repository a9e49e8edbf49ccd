"""Rebuild the shipped sentiment model from insights/data/ (reproducible: fixed seeds, fixed settings)."""

import json

import joblib
from django.core.management.base import BaseCommand

from insights.sentiment import analyser, training


class Command(BaseCommand):
    help = "Train the sentiment model on insights/data/*.tsv and write insights/data/sentiment_model.joblib."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(analyser.ARTEFACT))
        parser.add_argument(
            "--cross-validate", action="store_true", help="Also print the 5-fold figures per set (VADER vs Hearth)."
        )

    def handle(self, *args, output, cross_validate, **options):
        corpora = training.load_all()
        if cross_validate:
            figures = training.cross_validate(corpora)
            self.stdout.write(json.dumps(figures, indent=1))
        model = training.train(corpora)
        joblib.dump(model, output, compress=3)
        self.stdout.write(f"Trained on {sum(len(c.texts) for c in corpora):,} texts; wrote {output}.")
