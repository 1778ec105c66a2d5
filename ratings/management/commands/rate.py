"""`manage.py rate`: the stars and reasons the rules give for four judgements.

A contract other tools rely on: the flag names, the JSON shape and exit status 2 for bad
values do not change.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from ratings import rules


def _cap(text: str) -> rules.KeyIndicatorCap:
    """Parse SERVICE:MAXIMUM:INDICATOR, e.g. children:some:C20."""
    parts = text.split(":")
    if len(parts) != 3:
        raise CommandError(
            f"--cap {text!r}: write it as SERVICE:MAXIMUM:INDICATOR, e.g. children:some:C20",
            returncode=2,
        )
    service, maximum, code = (part.strip() for part in parts)
    try:
        return rules.KeyIndicatorCap(code, service.lower(), maximum.lower())
    except rules.RulesError as error:
        raise CommandError(f"--cap {text!r}: {error}", returncode=2) from error


class Command(BaseCommand):
    help = "Print the star rating and the reasons for four judgements."

    def add_arguments(self, parser):
        for service in rules.SERVICES:
            parser.add_argument(
                f"--{service}-serving",
                required=True,
                metavar="LEVEL",
                help=f"{rules.SERVICE_LABELS[service]}: serving people well? "
                f"{', '.join(rules.SERVING_LEVELS)}",
            )
            parser.add_argument(
                f"--{service}-prospects",
                required=True,
                metavar="LEVEL",
                help=f"{rules.SERVICE_LABELS[service]}: capacity for improvement, "
                f"{', '.join(rules.PROSPECT_LEVELS)}",
            )
        parser.add_argument(
            "--methodology",
            default=rules.DEFAULT_METHODOLOGY,
            help=f"methodology version: {', '.join(rules.methodology_versions())}",
        )
        parser.add_argument(
            "--cap",
            action="append",
            default=[],
            type=str,
            metavar="SERVICE:MAXIMUM:INDICATOR",
            help="a failed key indicator, e.g. children:some:C20 (repeatable)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        try:
            judgements = rules.Judgements(
                **{
                    name: options[name].strip().lower()
                    for name in (
                        "adults_serving",
                        "adults_prospects",
                        "children_serving",
                        "children_prospects",
                    )
                }
            )
            caps = [_cap(text) for text in options["cap"]]
            rating = rules.rate(judgements, methodology=options["methodology"], caps=caps)
        except rules.InvalidJudgement as error:
            raise CommandError(
                f"--{error.field_name.replace('_', '-')}: {error.value!r} is not allowed; "
                f"use one of {', '.join(error.allowed)}",
                returncode=2,
            ) from error
        except rules.UnknownMethodology as error:
            raise CommandError(f"--methodology: {error}", returncode=2) from error

        if options["json"]:
            self.stdout.write(json.dumps(rating.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(f"{rating.stars} ({rules.stars_in_words(rating.stars)})")
        for number, reason in enumerate(rating.reasons, start=1):
            self.stdout.write(f"  {number}. {reason}")
