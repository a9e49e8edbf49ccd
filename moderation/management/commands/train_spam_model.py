"""Rebuild the shipped spam model from moderation/data/ (reproducible: fixed settings; LinearSVC and the calibration
folds are deterministic on the same data)."""

import json

import joblib
import numpy as np
from django.core.management.base import BaseCommand

from moderation.scoring import spam, spam_model
from moderation.scoring.base import ScoreInput
from moderation.scoring.text import simhash

DUPLICATE_BITS = 6


def duplicates_by_author(corpus: spam_model.Corpus) -> list[int]:
    """For each text, how many texts by the same (named) author within DUPLICATE_BITS sit in another place: what the
    listener computes in SQL, here over the whole file as the judged half would arrive."""
    hashes = [simhash(t) for t in corpus.texts]
    by_author: dict[str, list[int]] = {}
    for i, author in enumerate(corpus.authors):
        if author:
            by_author.setdefault(author, []).append(i)
    counts = [0] * len(corpus.texts)
    for rows in by_author.values():
        for i in rows:
            places = {corpus.places[j] for j in rows if j != i and hashes[i] is not None and hashes[j] is not None
                      and corpus.places[j] != corpus.places[i] and bin((hashes[i] ^ hashes[j]) & (2**64 - 1)).count("1")
                      <= DUPLICATE_BITS}  # fmt: skip
            counts[i] = len(places)
    return counts


class Command(BaseCommand):
    help = "Train the spam model on moderation/data/ and write moderation/data/spam_model.joblib."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(spam_model.ARTEFACT))
        parser.add_argument(
            "--cross-validate", action="store_true", help="Also print the stratified 5-fold figures per corpus."
        )

    def handle(self, *args, output, cross_validate, **options):
        corpora = spam_model.load_all()
        if cross_validate:
            oof = spam_model.out_of_fold(corpora)
            report = {}
            for corpus in corpora:
                p = oof[corpus.name]
                # The judged halves arrive through the API from members Hearth has never seen: all "new".
                dups = duplicates_by_author(corpus)
                as_new = np.array([
                    spam.combine(p[i], ScoreInput(text=t, trust="new", duplicates=dups[i]))[0]
                    for i, t in enumerate(corpus.texts)
                ])  # fmt: skip
                report[corpus.name] = {
                    "rows": len(corpus.texts),
                    "spam": int(corpus.labels.sum()),
                    "text_only": spam_model.measures(corpus.labels, p),
                    "with_context_as_new_members": spam_model.measures(corpus.labels, as_new),
                }
            self.stdout.write(json.dumps(report, indent=1))
        model = spam_model.train(corpora)
        joblib.dump(model, output, compress=3)
        self.stdout.write(f"Trained on {sum(len(c.texts) for c in corpora):,} texts; wrote {output}.")
