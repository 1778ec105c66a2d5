"""The inspectors' workspace: entering judgements, moderation, publication, corrections.

Staff only, under /workspace/. The rules of who may do what live in
``ratings.workflow``; the writes in ``ratings.workspace.services``; views stay thin.
"""
