"""What the domain announces, for the layers above it to act on.

The domain (models, services, imports) sends these and imports nothing that listens: the
embargo gate's schedule and the public page cache listen to :data:`data_changed`; the
reports app listens to :data:`publication_scheduled` and builds the round's files.
"""

from django.db import transaction
from django.dispatch import Signal

#: The public ratings data changed: a save or delete of a public model (connected in
#: ``RatingsConfig.ready``) or a bulk write (which sends no model signals and calls
#: :func:`announce_data_changed` itself). No arguments.
data_changed = Signal()

#: A round was scheduled for publication, or a correction of it published: its files can
#: be built now, ahead of the moment. Sent once the transaction has committed, with
#: ``year``.
publication_scheduled = Signal()


def announce_data_changed(**kwargs) -> None:
    """Send :data:`data_changed` at once and again when the transaction commits: a reader
    in between may have cached what it read before the commit, under the first change."""
    data_changed.send(sender=None)
    transaction.on_commit(lambda: data_changed.send(sender=None))


def announce_publication_scheduled(year: int) -> None:
    """Send :data:`publication_scheduled` for ``year`` once the transaction commits: a
    listener must not read the data before it is there."""
    transaction.on_commit(lambda: publication_scheduled.send(sender=None, year=year))
