"""Signals participants sends for the apps above it, which it does not import."""

from django.dispatch import Signal

# Sent before forming fewer groups deletes the groups above ``group_count`` (kwargs: program, group_count).
# A receiver that still needs those groups raises ValidationError with the reason; nothing is changed then.
groups_removing = Signal()
