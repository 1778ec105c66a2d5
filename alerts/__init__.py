"""E-mail alerts of publications, at ``/alerts/``: no account, double opt-in, one click to
unsubscribe.

- **Subscribing** (``views``, ``forms``, ``subscriptions``): an address, and every
  publication or chosen councils. The address gets a confirmation link (double opt-in);
  nothing else is sent until it is followed. The answer is the same whether or not the
  address was subscribed before. The form is rate-limited per client address, and
  confirmation e-mails per address (``throttle``).
- **What is kept** (``models``, ``addresses``): the address (needed to send) and a keyed
  HMAC-SHA256 of it, by which it is found; unsubscribing deletes the row and everything
  about the address. Unconfirmed subscriptions are deleted once their link expires
  (``ALERTS_CONFIRMATION_DAYS``; by ``send_alerts`` and ``prune_alerts``).
- **Links** (``tokens``): signed with ``SECRET_KEY`` (Django's ``signing``), nothing
  secret stored. A link from an e-mail is a GET that shows a button; the POST acts. The
  unsubscribe address takes RFC 8058's one-click POST without a CSRF token.
- **Sending** (``publications``, ``sending``, ``emails``, ``tasks``): when a publication
  is scheduled (``ratings.signals.publication_scheduled``) the worker's task is queued for
  each of its moments; whenever it runs (and ``manage.py send_alerts``), it asks the
  embargo gate which publications have happened and sends each confirmed subscriber one
  alert per publication after their confirmation that covers what they follow: nothing
  before the moment, whatever the queue does, and nothing twice (``AlertDelivery``).
"""
