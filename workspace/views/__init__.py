"""The workspace's pages. Thin: ``workspace.workflow`` says who may, the services do.

Every view is staff-only: anonymous requests are sent to sign in, signed-in people
without the role get 403 with the reason. Nothing here is cached (``never_cache``).

The modules: ``access`` (``staff_view`` and the council a page is about), ``dashboard``,
``assessments`` (the judgement form, the what-if, the history), ``moderation``,
``indicator_values``, ``publication`` (a round's publication, corrections), ``council``
(the council contacts' own pages) and ``council_voice`` (the inspectorate's answers to
councils: challenges, representations, responses). This
package exports the views ``workspace.urls`` names.
"""

from .assessments import assessment, history, preview
from .council import (
    council_challenge,
    council_home,
    council_representation,
    council_response,
    council_round,
)
from .council_voice import (
    challenge,
    challenge_evidence,
    challenges,
    representation,
    response,
    responses,
)
from .dashboard import dashboard, round_dashboard
from .indicator_values import indicator_upload, indicators
from .moderation import agree, moderation, return_assessment, submit
from .publication import publication, publish_correction, rebuild_report, reopen

__all__ = [
    "challenge",
    "challenge_evidence",
    "challenges",
    "council_challenge",
    "council_home",
    "council_representation",
    "council_response",
    "council_round",
    "representation",
    "response",
    "responses",
    "agree",
    "assessment",
    "dashboard",
    "history",
    "indicator_upload",
    "indicators",
    "moderation",
    "preview",
    "publication",
    "publish_correction",
    "rebuild_report",
    "reopen",
    "return_assessment",
    "round_dashboard",
    "submit",
]
