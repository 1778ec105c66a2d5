"""The read-only open data API at ``/api/``: councils, published rounds, their ratings,
national summaries, indicators and indicator values, as JSON and CSV.

Everything public is read through ``ratings.selectors`` (see ``queries``), so nothing
embargoed can reach the API.
"""
