"""`imbizo triage train [--limit N]`, `evaluate FILE.csv`, `status`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from imbizo.core.errors import DomainError
from imbizo.triage.model_selectors import model_evaluate_file, model_versions
from imbizo.triage.training import model_train


class Command(BaseCommand):
    help = "Train the triage model on the closed cases, evaluate it, or list its versions."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser("train", help="train a version; promote it unless worse")
        train.add_argument("--limit", type=int, default=None,
                           help="learn from at most this many of the newest closed cases")
        evaluate = actions.add_parser("evaluate", help="evaluate the model in use on a CSV "
                                      "file with description and service columns")
        evaluate.add_argument("file", type=Path)
        actions.add_parser("status", help="list the versions and their evaluation")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _train(self, *, limit: int | None, **_options) -> None:
        try:
            row = model_train(trained_by="command", limit=limit)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{row.version}: {row.cases:,} cases in {row.seconds:.1f} s; held back "
            f"{row.held_back:,}: accuracy {row.accuracy:.3f}, macro-F1 {row.macro_f1:.3f}, "
            f"top-3 {row.top3:.3f}")
        self.stdout.write(row.decision)

    def _evaluate(self, *, file: Path, **_options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            with override_settings(TRIAGE_MODEL_CHECK_SECONDS=0):
                figures = model_evaluate_file(file)
        except (LookupError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{figures['version']} on {figures['cases']} descriptions: accuracy "
            f"{figures['accuracy']:.3f}, macro-F1 {figures['macro_f1']:.3f}, "
            f"top-3 {figures['top3']:.3f}")
        for code, f in sorted(figures["services"].items(), key=lambda kv: kv[1]["f1"]):
            self.stdout.write(f"  {code:28} F1 {f['f1']:.2f}  ({f['support']})")

    def _status(self, **_options) -> None:
        rows = model_versions()
        if not rows:
            self.stdout.write("No model has been trained yet.")
        for row in rows:
            mark = "*" if row.in_use else " "
            self.stdout.write(
                f"{mark} {row.version:24} {row.trained_at:%Y-%m-%d %H:%M} {row.cases:>8,} cases  "
                f"acc {row.accuracy:.3f}  macro-F1 {row.macro_f1:.3f}  top-3 {row.top3:.3f}  "
                f"{row.decision}")
