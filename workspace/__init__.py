"""The inspectors' workspace: entering judgements, moderation, publication, corrections.

Staff only, under /workspace/. The rules of who may do what live in
``workspace.workflow``; the writes in ``workspace.services`` (on top of the domain's
``ratings.services``); views stay thin.
"""
